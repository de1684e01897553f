-- The registry, users, sessions and the audit trail.
-- Registry rows are versions: a change closes the current row (valid_to) and inserts the next;
-- no attribute of a version is ever changed after it is written.

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE merchants (
  version_id bigserial PRIMARY KEY,
  merchant_no text NOT NULL CHECK (merchant_no ~ '^[0-9]{15}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type text NOT NULL CHECK (type IN ('enterprise', 'individual_business', 'micro')),
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
  uscc text CHECK (uscc ~ '^[0-9A-Z]{18}$'),
  uscc_override_reason text,
  legal_person_name text NOT NULL,
  -- The resident ID is personal data: encrypted, fingerprinted for matching, masked for display.
  legal_person_id_enc bytea NOT NULL,
  legal_person_id_fp text NOT NULL,
  legal_person_id_masked text NOT NULL,
  mcc text NOT NULL CHECK (mcc ~ '^[0-9]{4}$'),
  contact_phone_enc bytea,
  contact_phone_masked text,
  address text,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  recorded_by text NOT NULL,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX merchants_current ON merchants (merchant_no) WHERE valid_to IS NULL;
CREATE INDEX merchants_history ON merchants (merchant_no, valid_from DESC);
CREATE INDEX merchants_legal_person ON merchants (legal_person_id_fp) WHERE valid_to IS NULL;

CREATE TABLE terminals (
  version_id bigserial PRIMARY KEY,
  terminal_id text NOT NULL CHECK (terminal_id ~ '^[0-9A-Z]{8}$'),
  merchant_no text NOT NULL,
  serial_number text NOT NULL,
  model text NOT NULL,
  firmware_version text NOT NULL,
  location text,
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'retired')),
  status_reason text,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  recorded_by text NOT NULL
);
CREATE UNIQUE INDEX terminals_current ON terminals (terminal_id) WHERE valid_to IS NULL;
-- One terminal, one serial number, one merchant (银发〔2021〕259号).
CREATE UNIQUE INDEX terminals_serial_current ON terminals (serial_number) WHERE valid_to IS NULL;
CREATE INDEX terminals_merchant ON terminals (merchant_no) WHERE valid_to IS NULL;
CREATE INDEX terminals_history ON terminals (terminal_id, valid_from DESC);

CREATE TABLE settlement_accounts (
  version_id bigserial PRIMARY KEY,
  -- The account's identity across its versions (status changes).
  account_id uuid NOT NULL,
  merchant_no text NOT NULL,
  -- AES-256-GCM ciphertext of the full number; the clear number is never stored.
  account_number_enc bytea NOT NULL,
  -- HMAC-SHA256 of the number under a key of its own: finds one account across merchants.
  account_fp text NOT NULL,
  account_number_masked text NOT NULL,
  account_name text NOT NULL,
  account_type text NOT NULL CHECK (account_type IN ('corporate', 'personal')),
  bank_code text CHECK (bank_code ~ '^[0-9]{12}$'),
  bank_name text,
  status text NOT NULL CHECK (
    status IN ('pending_verification', 'active', 'errored', 'frozen', 'superseded')
  ),
  status_reason text,
  name_check jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]',
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  recorded_by text NOT NULL
);
CREATE UNIQUE INDEX settlement_accounts_current ON settlement_accounts (account_id)
  WHERE valid_to IS NULL;
CREATE INDEX settlement_accounts_merchant ON settlement_accounts (merchant_no, valid_from DESC);
CREATE INDEX settlement_accounts_fp ON settlement_accounts (account_fp) WHERE valid_to IS NULL;

-- An alert is a rule firing. The screening issue extends this table; the registry raises
-- account_name_mismatch on import.
CREATE TABLE alerts (
  id uuid PRIMARY KEY,
  rule text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  merchant_no text NOT NULL,
  terminal_id text,
  account_id uuid,
  explanation jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX alerts_merchant ON alerts (merchant_no, created_at DESC);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  role text NOT NULL CHECK (
    role IN ('admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant')
  ),
  merchant_nos text[] NOT NULL DEFAULT '{}',
  -- scrypt$N$r$p$salt$hash; null: the user signs in with a token only.
  password_hash text,
  -- SHA-256 of the bearer token; tokens are 256-bit random, so a plain hash is enough.
  token_hash text UNIQUE,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit trail: append-only, hash-chained. audit_head holds the last link so that deleting
-- the newest entries is detected too.
CREATE TABLE audit_entries (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  merchant_no text,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_entries_entity ON audit_entries (entity_type, entity_id);
CREATE INDEX audit_entries_merchant ON audit_entries (merchant_no, seq);

CREATE TABLE audit_head (
  id int PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
