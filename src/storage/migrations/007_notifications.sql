-- Notifications (ADR 13): webhook endpoints and their delivery log, e-mails and their log, the
-- console's notification bell, escalation policies and the escalation of each incident.
-- Every row that says "this was sent" carries a unique key, so that a dispatch or an
-- escalation step run twice (a retried job) adds nothing the second time.

-- Where people are e-mailed. Optional; checked by the application (core/notifications).
ALTER TABLE users ADD COLUMN email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY,
  url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  -- Event types the endpoint subscribes to; '*' is every type.
  events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 50),
  description text CHECK (description IS NULL OR length(description) <= 500),
  -- The signing secret (whsec_…), sealed by the vault: it is needed in clear to sign.
  secret_sealed bytea NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Disabled endpoints get nothing more; their log stays.
  disabled_at timestamptz,
  disabled_by text
);

-- One message to one endpoint. `message_id` is the webhook-id header: the event's id, the same
-- on every attempt, so that a receiver can drop what it has already taken.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
  message_id text NOT NULL,
  -- The outbox event; null for a test ping.
  event_id uuid,
  event_type text NOT NULL,
  incident_id uuid,
  -- Why it was sent: the endpoint subscribes to the type, an escalation named it, or a ping.
  reason text NOT NULL CHECK (reason IN ('subscription', 'escalation', 'test')),
  -- The exact body signed and sent, so that every attempt sends the same bytes.
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Attempts made by the retry schedule (manual redeliveries are logged but not counted).
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  -- A worker sending it right now: no other worker sends it until this has passed.
  sending_until timestamptz,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  failed_at timestamptz,
  UNIQUE (endpoint_id, message_id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
  at timestamptz NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  succeeded boolean NOT NULL,
  http_status integer,
  duration_ms integer NOT NULL,
  error text CHECK (error IS NULL OR length(error) <= 1000)
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- One e-mail to one address; the subject and text are written when it is decided, so that a
-- retry sends the same message.
CREATE TABLE email_deliveries (
  id uuid PRIMARY KEY,
  to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
  -- The user it went to, when it went to a user rather than a bare address.
  username text,
  subject text NOT NULL CHECK (length(subject) <= 400),
  body_text text NOT NULL,
  event_id uuid,
  incident_id uuid,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  failed_at timestamptz,
  last_error text CHECK (last_error IS NULL OR length(last_error) <= 1000),
  dedupe_key text NOT NULL UNIQUE
);
CREATE INDEX email_deliveries_incident ON email_deliveries (incident_id, created_at)
  WHERE incident_id IS NOT NULL;

CREATE TABLE email_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES email_deliveries (id),
  at timestamptz NOT NULL,
  succeeded boolean NOT NULL,
  duration_ms integer NOT NULL,
  error text CHECK (error IS NULL OR length(error) <= 1000)
);

-- The console's notification bell: one row per user and thing to tell them.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  -- 'event': an event the user may see; 'page': the user is asked to act (escalation).
  kind text NOT NULL CHECK (kind IN ('event', 'page')),
  event_id uuid,
  event_type text NOT NULL,
  incident_id uuid,
  merchant_no text,
  severity text,
  drill boolean NOT NULL DEFAULT false,
  title jsonb NOT NULL,
  body jsonb NOT NULL,
  -- Path of the console page it is about.
  link text,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  dedupe_key text NOT NULL UNIQUE
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_user_unread ON notifications (user_id, id DESC) WHERE read_at IS NULL;

-- Who is told when an incident of a severity opens, and how long each level has to
-- acknowledge. A severity without a row uses the default of core/notifications/escalation.ts.
CREATE TABLE escalation_policies (
  severity text PRIMARY KEY CHECK (severity IN ('P1', 'P2', 'P3', 'P4')),
  levels jsonb NOT NULL,
  repeat integer NOT NULL CHECK (repeat BETWEEN 0 AND 10),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- An incident's escalation, with the policy as it was when the incident opened: changing a
-- policy changes the incidents opened afterwards, not the one being worked.
CREATE TABLE escalations (
  incident_id uuid PRIMARY KEY REFERENCES incidents (id),
  severity text NOT NULL,
  policy jsonb NOT NULL,
  -- The incident.opened event: what webhook targets of the first level receive.
  opened_event_id uuid,
  drill boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL,
  stopped_at timestamptz,
  stop_reason text CHECK (stop_reason IS NULL OR stop_reason IN ('acknowledged', 'exhausted'))
);

-- Each step taken once: a retried escalation job finds its step and does nothing.
CREATE TABLE escalation_steps (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  level integer NOT NULL CHECK (level BETWEEN 1 AND 10),
  round integer NOT NULL CHECK (round BETWEEN 1 AND 11),
  at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('notified', 'stopped')),
  -- The incident.escalated event of the step (none for the first step, or a stopped one).
  event_id uuid,
  PRIMARY KEY (incident_id, level, round)
);
