-- A merchant's documents (licence, legal person's ID, account-opening permit, bank card, the
-- authorisation letter for a third-party account) and the contact log of incidents (ADR 15).
--
-- A document's file lives outside the database, content-addressed by SHA-256 in the documents
-- folder; the row names it by hash. A document is reviewed once: the review (status, reviewer,
-- note, the identifiers read off it and their comparison with the registry) is the only change
-- a row ever takes, and the table refuses any other. Identifiers read off a document are kept
-- masked and fingerprinted in `fields`, never in clear.

CREATE TABLE merchant_documents (
  id uuid PRIMARY KEY,
  merchant_no text NOT NULL CHECK (merchant_no ~ '^[0-9]{15}$'),
  type text NOT NULL CHECK (type IN ('business_license', 'legal_person_id_front',
    'legal_person_id_back', 'account_opening_permit', 'bank_card', 'settlement_authorization',
    'other')),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text NOT NULL CHECK (
    content_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')),
  size_bytes int NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  status text NOT NULL CHECK (status IN ('pending_review', 'accepted', 'rejected')),
  uploaded_by text NOT NULL,
  -- The uploader's role when uploading: a merchant user sees staff as "acquirer".
  uploaded_by_role text NOT NULL,
  uploaded_at timestamptz NOT NULL,
  reviewed_by text,
  reviewed_at timestamptz,
  review_note text CHECK (length(review_note) <= 1000),
  fields jsonb NOT NULL DEFAULT '{}',
  comparisons jsonb NOT NULL DEFAULT '[]',
  expires_on date,
  CHECK ((status = 'pending_review') = (reviewed_at IS NULL)),
  CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL))
);
CREATE INDEX merchant_documents_merchant ON merchant_documents (merchant_no, uploaded_at, id);
CREATE INDEX merchant_documents_queue ON merchant_documents (status, uploaded_at DESC, id DESC);
CREATE INDEX merchant_documents_expiry ON merchant_documents (expires_on)
  WHERE expires_on IS NOT NULL;

-- Only a review changes a row, once: pending_review → accepted | rejected, the review columns
-- and nothing else. No row is ever deleted.
CREATE FUNCTION merchant_documents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'merchant_documents: % refused', TG_OP USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD.status <> 'pending_review' OR NEW.status = 'pending_review'
     OR NEW.id <> OLD.id OR NEW.merchant_no <> OLD.merchant_no OR NEW.type <> OLD.type
     OR NEW.sha256 <> OLD.sha256 OR NEW.content_type <> OLD.content_type
     OR NEW.size_bytes <> OLD.size_bytes OR NEW.file_name <> OLD.file_name
     OR NEW.uploaded_by <> OLD.uploaded_by OR NEW.uploaded_by_role <> OLD.uploaded_by_role
     OR NEW.uploaded_at <> OLD.uploaded_at THEN
    RAISE EXCEPTION 'merchant_documents: only one review of a pending document may change it'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER merchant_documents_reviewed_once
  BEFORE UPDATE OR DELETE ON merchant_documents
  FOR EACH ROW EXECUTE FUNCTION merchant_documents_guard();
CREATE TRIGGER merchant_documents_no_truncate
  BEFORE TRUNCATE ON merchant_documents
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();

-- Who was contacted about an incident, how, what was said and what came of it. Append-only.
CREATE TABLE incident_contacts (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  party text NOT NULL CHECK (party IN ('customer', 'partner', 'merchant', 'bank')),
  party_name text CHECK (length(party_name) BETWEEN 1 AND 100),
  channel text NOT NULL CHECK (
    channel IN ('phone', 'sms', 'email', 'wechat', 'visit', 'letter', 'other')),
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
  outcome text CHECK (length(outcome) <= 1000),
  template_id text CHECK (length(template_id) <= 64),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX incident_contacts_incident ON incident_contacts (incident_id, created_at, id);
CREATE TRIGGER incident_contacts_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON incident_contacts
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();
