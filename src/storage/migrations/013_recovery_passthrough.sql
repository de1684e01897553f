-- Money received on a recovery case beyond what the acquirer advanced on its payments is the
-- merchant's own money coming back (docs/adr/0017-remediation.md): the receipt's journal (kind
-- `recovery`, one per receipt) credits that part to merchant_released instead of
-- misrouted_receivable, and the merchant's next run takes it exactly like re-settled money
-- (create-run.ts marks the row `absorbed_by` the line). One row per receipt that passed money
-- through; no new journal kind is needed.
CREATE TABLE recovery_passthroughs (
  receipt_id uuid PRIMARY KEY REFERENCES recovery_receipts (id),
  case_id uuid NOT NULL REFERENCES recovery_cases (id),
  merchant_no text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  -- The settlement line that took the money; null while it waits for the merchant's next run.
  absorbed_by uuid REFERENCES settlement_lines (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX recovery_passthroughs_case ON recovery_passthroughs (case_id);
-- Passed-through money waiting for the merchant's next run.
CREATE INDEX recovery_passthroughs_to_absorb ON recovery_passthroughs (merchant_no)
  WHERE absorbed_by IS NULL;

-- Only the line that takes the money is ever written, once; rows are never deleted.
CREATE FUNCTION recovery_passthroughs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.absorbed_by IS NOT NULL OR NEW.receipt_id <> OLD.receipt_id
     OR NEW.case_id <> OLD.case_id OR NEW.merchant_no <> OLD.merchant_no
     OR NEW.amount_fen <> OLD.amount_fen OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'recovery_passthroughs: only absorbed_by may be set, once'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER recovery_passthroughs_update
  BEFORE UPDATE ON recovery_passthroughs
  FOR EACH ROW EXECUTE FUNCTION recovery_passthroughs_guard();
CREATE TRIGGER recovery_passthroughs_no_delete
  BEFORE DELETE OR TRUNCATE ON recovery_passthroughs
  FOR EACH STATEMENT EXECUTE FUNCTION remediation_refuse_change();
