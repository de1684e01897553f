-- Evidence of incidents and the record of case files sent to banks and payment institutions
-- (ADR 14). The files themselves live outside the database, content-addressed by SHA-256; a
-- row names one file by its hash and is referenced from the audit chain. Both tables are
-- append-only: evidence is added to, never changed or removed.

CREATE TABLE evidence_items (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  -- snapshot: frozen by the system at detection; file: added by a person.
  kind text NOT NULL CHECK (kind IN ('snapshot', 'file')),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  media_type text NOT NULL CHECK (length(media_type) BETWEEN 1 AND 100),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  note text CHECK (length(note) <= 2000),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  -- The audit entry that recorded this item, in the same transaction.
  audit_seq bigint NOT NULL UNIQUE
);
CREATE INDEX evidence_items_incident ON evidence_items (incident_id, audit_seq);
-- A snapshot job run twice writes the same document: one item is kept.
CREATE UNIQUE INDEX evidence_items_snapshot_once ON evidence_items (incident_id, sha256)
  WHERE kind = 'snapshot';

-- Each sending of a case file, with the reference the other side gave.
CREATE TABLE case_file_submissions (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  sent_to text NOT NULL CHECK (length(sent_to) BETWEEN 1 AND 200),
  channel text NOT NULL CHECK (
    channel IN ('email', 'fax', 'post', 'courier', 'portal', 'in_person', 'other')),
  reference text CHECK (length(reference) <= 100),
  sent_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL,
  audit_seq bigint NOT NULL UNIQUE
);
CREATE INDEX case_file_submissions_incident ON case_file_submissions (incident_id, sent_at, id);

CREATE FUNCTION evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER evidence_items_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON evidence_items
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();
CREATE TRIGGER case_file_submissions_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON case_file_submissions
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();
