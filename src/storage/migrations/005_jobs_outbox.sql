-- Durable jobs and the event outbox (ADR 11). A use case writes the event, and the jobs that
-- deliver it, in the transaction of the change itself: both commit or neither does, so a crash
-- loses no notification. Every instance works the queue with FOR UPDATE SKIP LOCKED.

CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  -- A worker's claim: while it lies in the future nobody else takes the job. A worker that dies
  -- leaves its claim to expire, and the job is taken again.
  locked_until timestamptz,
  done_at timestamptz,
  -- Given up after its last attempt; kept for the operator to see and retry.
  failed_at timestamptz,
  last_error text,
  -- Optional: a second job with the same key is not added while the first exists.
  dedupe_key text UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE done_at IS NULL AND failed_at IS NULL;

-- What happened, once, for everyone who subscribes to it (webhooks, e-mail, the console).
-- Never updated or deleted.
CREATE TABLE outbox_events (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  at timestamptz NOT NULL,
  data jsonb NOT NULL,
  merchant_no text,
  incident_id uuid,
  -- Events of a drill reach the console only, marked as a drill; never a webhook or an e-mail.
  drill boolean NOT NULL DEFAULT false
);
CREATE INDEX outbox_events_at ON outbox_events (at DESC, id);
CREATE INDEX outbox_events_incident ON outbox_events (incident_id) WHERE incident_id IS NOT NULL;

CREATE FUNCTION outbox_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'outbox_events is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER outbox_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_refuse_change();
