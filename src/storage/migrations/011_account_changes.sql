-- Account changes: the reviewed replacement of a merchant's settlement account (ADR 16), with
-- its documents, consent, approvals and verification (micro-deposit or test transaction).
--
-- A request is a workflow row: its stage moves forward (pending_approval → pending_verification
-- → completed, or rejected | cancelled | locked) and its decisions are columns written once.
-- The registry itself is only touched at completion, through versions (ADR 5). The new number
-- is sealed, fingerprinted and masked like every account number: never in clear.

CREATE TABLE account_change_requests (
  id uuid PRIMARY KEY,
  merchant_no text NOT NULL CHECK (merchant_no ~ '^[0-9]{15}$'),
  incident_id uuid REFERENCES incidents (id),
  -- The stored stage; `pending_documents` is shown while a required document is missing.
  status text NOT NULL CHECK (status IN ('pending_approval', 'pending_verification',
    'completed', 'rejected', 'cancelled', 'locked')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  account_number_enc bytea NOT NULL,
  account_fp text NOT NULL,
  account_number_masked text NOT NULL,
  account_name text NOT NULL,
  account_type text NOT NULL CHECK (account_type IN ('corporate', 'personal')),
  bank_code text CHECK (bank_code ~ '^[0-9]{12}$'),
  bank_name text,
  name_check jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]',
  checks jsonb NOT NULL,
  required_documents text[] NOT NULL,
  high_risk boolean NOT NULL,
  risk_reasons text[] NOT NULL DEFAULT '{}',
  approvals_needed int NOT NULL CHECK (approvals_needed IN (1, 2)),
  -- The account in force when the change was asked for (the one it replaces).
  previous_account_id uuid,
  requested_by text NOT NULL,
  requested_by_role text NOT NULL,
  requested_at timestamptz NOT NULL,
  consent_channel text CHECK (consent_channel IN ('signed_form', 'phone_recorded',
    'merchant_console')),
  consent_reference text CHECK (length(consent_reference) <= 200),
  consent_recorded_by text,
  consent_recorded_at timestamptz,
  rejected_by text,
  rejected_at timestamptz,
  rejection_reason text CHECK (length(rejection_reason) <= 500),
  cancelled_by text,
  cancelled_at timestamptz,
  cancel_reason text CHECK (length(cancel_reason) <= 500),
  -- Wrong micro-deposit amounts left before the request locks (three in all, whatever the
  -- number of deposits sent).
  attempts_left int NOT NULL DEFAULT 3 CHECK (attempts_left BETWEEN 0 AND 3),
  verified_at timestamptz,
  locked_at timestamptz,
  new_account_id uuid,
  completed_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'completed') = (completed_at IS NOT NULL AND new_account_id IS NOT NULL)),
  CHECK ((consent_channel IS NULL) = (consent_recorded_at IS NULL))
);
-- One change in progress per merchant.
CREATE UNIQUE INDEX account_change_requests_open ON account_change_requests (merchant_no)
  WHERE status IN ('pending_approval', 'pending_verification');
CREATE INDEX account_change_requests_merchant ON account_change_requests
  (merchant_no, requested_at DESC, id DESC);
CREATE INDEX account_change_requests_queue ON account_change_requests
  (status, requested_at DESC, id DESC);
CREATE INDEX account_change_requests_fp ON account_change_requests (account_fp);
CREATE INDEX account_change_requests_incident ON account_change_requests (incident_id)
  WHERE incident_id IS NOT NULL;

-- Documents (merchant_documents, migration 010) attached to a request. Attached once.
CREATE TABLE account_change_documents (
  request_id uuid NOT NULL REFERENCES account_change_requests (id),
  document_id uuid NOT NULL REFERENCES merchant_documents (id),
  attached_by text NOT NULL,
  attached_at timestamptz NOT NULL,
  PRIMARY KEY (request_id, document_id)
);

-- One approval per approver and request: a high-risk change needs two different people.
CREATE TABLE account_change_approvals (
  request_id uuid NOT NULL REFERENCES account_change_requests (id),
  approver text NOT NULL,
  at timestamptz NOT NULL,
  note text CHECK (length(note) <= 500),
  PRIMARY KEY (request_id, approver)
);

-- Verifications of a request: a micro-deposit (sent in the next payout file, its id in the
-- file's 明细号 column, answered by the bank like a line) or a test transaction. The amount is
-- never returned by the API for a micro-deposit.
CREATE TABLE account_change_verifications (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES account_change_requests (id),
  merchant_no text NOT NULL,
  method text NOT NULL CHECK (method IN ('micro_deposit', 'test_transaction')),
  status text NOT NULL CHECK (status IN ('awaiting_file', 'sent', 'paid', 'returned',
    'awaiting_transaction', 'matched', 'confirmed', 'locked', 'cancelled')),
  amount_fen int NOT NULL CHECK (amount_fen BETWEEN 1 AND 999),
  terminal_id text,
  run_id uuid REFERENCES settlement_runs (id),
  sent_at timestamptz,
  paid_at timestamptz,
  returned_at timestamptz,
  return_code text,
  return_text text,
  bank_reference text,
  matched_transaction_id text,
  matched_at timestamptz,
  confirmed_at timestamptz,
  started_by text NOT NULL,
  started_at timestamptz NOT NULL,
  CHECK (method = 'test_transaction' OR amount_fen <= 99),
  CHECK (method = 'micro_deposit' OR terminal_id IS NOT NULL)
);
-- One verification running per request; a returned one leaves room for the next.
CREATE UNIQUE INDEX account_change_verifications_running ON account_change_verifications
  (request_id) WHERE status NOT IN ('returned', 'cancelled');
CREATE INDEX account_change_verifications_awaiting_file ON account_change_verifications
  (started_at) WHERE status = 'awaiting_file';
CREATE INDEX account_change_verifications_run ON account_change_verifications (run_id)
  WHERE run_id IS NOT NULL;
CREATE INDEX account_change_verifications_awaiting_transaction
  ON account_change_verifications (terminal_id) WHERE status = 'awaiting_transaction';
