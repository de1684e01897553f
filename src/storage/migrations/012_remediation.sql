-- Remediation of the payments an incident affected (docs/adr/0017-remediation.md): one row per
-- (payment, action) that is being done, the incident's recovery cases against the holder of a
-- wrong account with their receipts, cardholder refunds tied to the original RRN and voucher
-- number (STAN), and each change to a remediation. Money moves in the ledger with the journals
-- of migration 009 (resettlement, refund, refund_paid, recovery, write_off); ledger
-- verification recomputes every one of them from these tables.

-- What is claimed back from the holder of one wrong account, for one incident. Its amount is
-- recomputed from its recover remediations; what came back is in recovery_receipts.
CREATE TABLE recovery_cases (
  id uuid PRIMARY KEY,
  -- The order cases were opened in (several may open at one instant).
  seq bigserial NOT NULL UNIQUE,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  merchant_no text NOT NULL,
  -- The wrong account (masked only) and the merchant whose registry record it was.
  account_id uuid,
  account_merchant_no text,
  account_number_masked text,
  account_name text,
  status text NOT NULL CHECK (status IN ('open', 'recovered', 'written_off')),
  written_off_fen bigint NOT NULL DEFAULT 0 CHECK (written_off_fen >= 0),
  write_off_reason text CHECK (length(write_off_reason) <= 1000),
  written_off_by text,
  written_off_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
-- One open case per incident and wrong account: further recover remediations add to it.
CREATE UNIQUE INDEX recovery_cases_one_open ON recovery_cases (incident_id, account_id)
  WHERE status = 'open';
CREATE INDEX recovery_cases_incident ON recovery_cases (incident_id, seq);

CREATE TABLE remediations (
  id uuid PRIMARY KEY,
  -- The order remediations were opened in (several may open at one instant).
  seq bigserial NOT NULL UNIQUE,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  merchant_no text NOT NULL,
  kind text NOT NULL
    CHECK (kind IN ('settled_to_wrong_account', 'payout_returned', 'customer_saw_failure')),
  -- The payment: a transaction, or a settlement line (a returned payout).
  transaction_id text,
  line_id uuid REFERENCES settlement_lines (id),
  action text NOT NULL CHECK (action IN ('resettle', 'recover', 'refund', 'retransaction')),
  status text NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  owner text,
  due_date date,
  note text CHECK (length(note) <= 2000),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  -- The account the money went to (masked), for settled payments.
  account_id uuid,
  account_number_masked text,
  -- recover: its case. resettle: the settlement line that took the money (like released money).
  recovery_case_id uuid REFERENCES recovery_cases (id),
  absorbed_by uuid REFERENCES settlement_lines (id),
  -- The ledger journal this remediation posted, and its reversal when cancelled.
  journal_id text,
  reversal_journal_id text,
  -- retransaction: the customer's new payment.
  retransaction_id text,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((transaction_id IS NULL) <> (line_id IS NULL))
);
-- One standing remediation per payment and action.
CREATE UNIQUE INDEX remediations_one_per_action
  ON remediations ((COALESCE(transaction_id, line_id::text)), action)
  WHERE status <> 'cancelled';
CREATE INDEX remediations_incident ON remediations (incident_id, seq);
-- Resettled money waiting for the merchant's next run (create-run.ts takes it).
CREATE INDEX remediations_to_absorb ON remediations (merchant_no)
  WHERE action = 'resettle' AND journal_id IS NOT NULL AND reversal_journal_id IS NULL
    AND absorbed_by IS NULL;

-- A refund owed to a cardholder, tied to the original payment by its RRN and STAN.
CREATE TABLE cardholder_refunds (
  id uuid PRIMARY KEY,
  remediation_id uuid NOT NULL UNIQUE REFERENCES remediations (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  merchant_no text NOT NULL,
  transaction_id text NOT NULL,
  rrn text,
  stan text,
  pan_masked text,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled')),
  bank_reference text CHECK (length(bank_reference) <= 100),
  paid_at timestamptz,
  paid_by text,
  created_at timestamptz NOT NULL
);

-- Money received back on a recovery case; never changed.
CREATE TABLE recovery_receipts (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES recovery_cases (id),
  -- 1, 2, … per case: the journal is recovery:<case>:<n>.
  n int NOT NULL CHECK (n > 0),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (case_id, n)
);

-- Each change to a remediation, as the console's history shows it; never changed.
CREATE TABLE remediation_updates (
  id bigserial PRIMARY KEY,
  remediation_id uuid NOT NULL REFERENCES remediations (id),
  at timestamptz NOT NULL,
  by text NOT NULL,
  status text,
  owner text,
  due_date date,
  note text
);
CREATE INDEX remediation_updates_remediation ON remediation_updates (remediation_id, id);

CREATE FUNCTION remediation_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER recovery_receipts_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON recovery_receipts
  FOR EACH STATEMENT EXECUTE FUNCTION remediation_refuse_change();
CREATE TRIGGER remediation_updates_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON remediation_updates
  FOR EACH STATEMENT EXECUTE FUNCTION remediation_refuse_change();
