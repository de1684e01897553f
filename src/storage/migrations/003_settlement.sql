-- Settlement: runs, their lines, the bank's results, releases of held money, and the
-- double-entry ledger. See docs/adr/0009-settlement-and-ledger.md.

-- The run reads one business day of transactions by occurred_at. A BRIN index costs ingest
-- almost nothing (rows arrive roughly in time order) and spares the run a full scan.
CREATE INDEX transactions_occurred_brin ON transactions USING brin (occurred_at);

CREATE TABLE settlement_runs (
  id uuid PRIMARY KEY,
  business_date date NOT NULL,
  cycle text NOT NULL CHECK (cycle IN ('T1', 'D1', 'D0')),
  -- The instants of the business date (China time) and the last received_at taken.
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  cutoff_at timestamptz NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  -- The same date (and cycle) twice answers the first run.
  UNIQUE (business_date, cycle)
);
CREATE INDEX settlement_runs_created ON settlement_runs (created_at DESC, id DESC);

CREATE TABLE settlement_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id uuid NOT NULL REFERENCES settlement_runs (id),
  merchant_no text NOT NULL,
  business_date date NOT NULL,
  transaction_count int NOT NULL,
  purchases_fen bigint NOT NULL,
  -- Refunds, reversals and voids of the day.
  deductions_fen bigint NOT NULL,
  net_fen bigint NOT NULL,
  fee_rate_ppm int NOT NULL CHECK (fee_rate_ppm BETWEEN 0 AND 100000),
  fee_fen bigint NOT NULL CHECK (fee_fen >= 0),
  -- Money of earlier lines taken into this one: released holds, and carried amounts.
  released_in_fen bigint NOT NULL DEFAULT 0,
  carried_in_fen bigint NOT NULL DEFAULT 0,
  amount_fen bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('ready', 'held', 'carried', 'paid', 'returned')),
  hold_reasons text[] NOT NULL DEFAULT '{}',
  -- The account in force when the line was made (masked only; the payout file decrypts it
  -- from the version).
  account_id uuid,
  account_version_id bigint,
  account_number_masked text,
  account_name text,
  bank_name text,
  -- Held or returned money, once released, and the later line that took it over.
  release_id uuid,
  absorbed_by uuid REFERENCES settlement_lines (id),
  paid_at timestamptz,
  returned_at timestamptz,
  return_code text CHECK (return_code IN ('account_closed', 'account_frozen', 'name_mismatch',
    'invalid_account', 'bank_rejected', 'other')),
  return_text text,
  created_at timestamptz NOT NULL,
  CHECK (amount_fen = net_fen - fee_fen + released_in_fen + carried_in_fen),
  CHECK ((status = 'carried') = (amount_fen <= 0)),
  -- One line per merchant and business date, whatever happens: no second set of lines.
  UNIQUE (merchant_no, business_date),
  UNIQUE (run_id, merchant_no)
);
-- Money waiting for the merchant's next line: released holds and carried amounts.
CREATE INDEX settlement_lines_to_absorb ON settlement_lines (merchant_no)
  WHERE absorbed_by IS NULL AND (status = 'carried' OR release_id IS NOT NULL);
-- Money on hold: held lines and returns not yet released.
CREATE INDEX settlement_lines_on_hold ON settlement_lines (merchant_no)
  WHERE status IN ('held', 'returned') AND release_id IS NULL;
CREATE INDEX settlement_lines_merchant ON settlement_lines (merchant_no, business_date DESC);

-- The bank's answers. One paid and one returned per line at most: the same file twice
-- changes nothing.
CREATE TABLE settlement_results (
  id bigserial PRIMARY KEY,
  line_id uuid NOT NULL REFERENCES settlement_lines (id),
  status text NOT NULL CHECK (status IN ('paid', 'returned')),
  return_code text,
  reason_text text,
  bank_reference text,
  received_at timestamptz NOT NULL,
  received_by text NOT NULL,
  UNIQUE (line_id, status)
);

CREATE TABLE settlement_releases (
  id uuid PRIMARY KEY,
  merchant_no text NOT NULL,
  hold_id uuid REFERENCES settlement_holds (id),
  reason text NOT NULL,
  amount_fen bigint NOT NULL,
  line_count int NOT NULL,
  released_by text NOT NULL,
  released_at timestamptz NOT NULL
);
CREATE INDEX settlement_releases_merchant ON settlement_releases (merchant_no, released_at DESC);

-- The ledger. Amounts are signed integer fen: positive debit, negative credit; each journal
-- sums to zero. Journal ids are deterministic per movement (line:<id>:paid …), so that a
-- movement recorded twice is refused by the primary key.
CREATE TABLE ledger_accounts (
  code text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('asset', 'liability', 'income')),
  name_zh text NOT NULL,
  name_en text NOT NULL
);
INSERT INTO ledger_accounts (code, kind, name_zh, name_en) VALUES
  ('clearing_receivable', 'asset', '清算应收（已收单）', 'Clearing receivable: captured card payments'),
  ('settlement_bank', 'asset', '结算备付金账户（已结算支出）', 'Settlement bank account: payouts settled'),
  ('fee_income', 'income', '手续费收入', 'Fee income'),
  ('merchant_payable', 'liability', '应付商户（待结算）', 'Merchant payable: pending'),
  ('merchant_held', 'liability', '暂停结算资金', 'Held settlement funds'),
  ('merchant_released', 'liability', '已解除暂停、待下次结算', 'Released, waiting for the next run'),
  ('payout_in_flight', 'liability', '在途结算款', 'Payout in flight'),
  ('misrouted_receivable', 'asset', '错付资金待追回', 'Misrouted funds being recovered'),
  ('cardholder_refund_payable', 'liability', '应付持卡人退款', 'Cardholder refunds payable');

CREATE TABLE ledger_journals (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('settlement', 'hold', 'paid', 'returned', 'release', 'reversal')),
  merchant_no text,
  run_id uuid,
  line_id uuid,
  -- A reversal names the journal it corrects.
  reverses text REFERENCES ledger_journals (id),
  at timestamptz NOT NULL,
  actor text NOT NULL
);
CREATE INDEX ledger_journals_merchant ON ledger_journals (merchant_no, at DESC);

-- No foreign keys on postings: a run writes hundreds of thousands at once and a per-row key
-- check would double its time. Postings are only written with their journal in one statement
-- pair inside one transaction, the account is checked against the list below, and ledger
-- verification reports a posting without a journal.
CREATE TABLE ledger_postings (
  journal_id text NOT NULL,
  seq smallint NOT NULL,
  account text NOT NULL CHECK (account IN ('clearing_receivable', 'settlement_bank',
    'fee_income', 'merchant_payable', 'merchant_held', 'merchant_released', 'payout_in_flight',
    'misrouted_receivable', 'cardholder_refund_payable')),
  merchant_no text,
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
  PRIMARY KEY (journal_id, seq)
);
CREATE INDEX ledger_postings_merchant ON ledger_postings (merchant_no, account);

-- Immutable: corrections are reversing journals, never edits.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_journals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_journals
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
