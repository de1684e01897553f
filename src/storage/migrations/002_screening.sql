-- Transactions, their screening, and containment: settlement holds and incidents.

CREATE TABLE transactions (
  -- The switch's id; the idempotency key. Globally unique: see docs/adr/0007-ingest.md.
  id text PRIMARY KEY,
  merchant_no text NOT NULL,
  terminal_id text NOT NULL,
  type text NOT NULL CHECK (type IN ('purchase', 'refund', 'reversal', 'void')),
  status text NOT NULL CHECK (status IN ('approved', 'declined')),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  currency text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  -- Keyed hash of the card number and its masked form; the full number is never stored.
  pan_token text,
  pan_masked text,
  merchant_name_on_receipt text,
  rrn text,
  stan text,
  auth_code text,
  response_code text,
  source text NOT NULL,
  -- SHA-256 of the canonical content: the same id with other content is refused.
  content_hash text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('ok', 'review', 'contain')),
  alerts text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX transactions_merchant ON transactions (merchant_no, occurred_at DESC);
CREATE INDEX transactions_terminal ON transactions (terminal_id, occurred_at DESC);
CREATE INDEX transactions_flagged ON transactions (received_at DESC) WHERE decision <> 'ok';

ALTER TABLE alerts ADD COLUMN transaction_id text;
ALTER TABLE alerts ADD COLUMN incident_id uuid;
ALTER TABLE alerts ADD COLUMN decision text NOT NULL DEFAULT 'review'
  CHECK (decision IN ('ok', 'review', 'contain'));
CREATE INDEX alerts_rule ON alerts (rule, created_at DESC);
CREATE INDEX alerts_incident ON alerts (incident_id);

CREATE TABLE incidents (
  id uuid PRIMARY KEY,
  merchant_no text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'contained', 'investigating',
    'correcting', 'verifying', 'remediating', 'resolved', 'closed')),
  severity text NOT NULL CHECK (severity IN ('P1', 'P2', 'P3', 'P4')),
  title jsonb NOT NULL,
  related_merchant_nos text[] NOT NULL DEFAULT '{}',
  drill boolean NOT NULL DEFAULT false,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One open incident per merchant (drills aside): containment updates it rather than opening more.
CREATE UNIQUE INDEX incidents_one_open ON incidents (merchant_no)
  WHERE status NOT IN ('resolved', 'closed') AND NOT drill;
CREATE INDEX incidents_status ON incidents (status, opened_at DESC);

-- The incident's timeline; never updated.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  at timestamptz NOT NULL,
  kind text NOT NULL,
  actor text NOT NULL,
  text jsonb NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

CREATE TABLE incident_terminals (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  terminal_id text NOT NULL,
  suspended_at timestamptz NOT NULL,
  PRIMARY KEY (incident_id, terminal_id)
);

-- A hold stops the merchant's settlement until it is released by a person.
CREATE TABLE settlement_holds (
  id uuid PRIMARY KEY,
  merchant_no text NOT NULL,
  reason text NOT NULL,
  -- The rules behind an automatic hold, so that each reader sees the reason in their language.
  rules text[] NOT NULL DEFAULT '{}',
  incident_id uuid REFERENCES incidents (id),
  placed_at timestamptz NOT NULL,
  placed_by text NOT NULL,
  released_at timestamptz,
  released_by text,
  release_reason text
);
CREATE UNIQUE INDEX settlement_holds_active ON settlement_holds (merchant_no)
  WHERE released_at IS NULL;

-- The acquirer's switch gets a role of its own: it pushes transactions and asks authorize-check.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (
  role IN ('admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant', 'switch'));
