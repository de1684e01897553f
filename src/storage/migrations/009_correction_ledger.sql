-- The ledger's accounts and journal kinds for correcting a wrong account and making the
-- affected people whole (the account-change and remediation issue). Written once, before the
-- parts that post to them, so that each later migration does not have to restate the lists.
--
-- Micro-deposits (account verification) go out through the payout file but are the acquirer's
-- own cost, never the merchant's money: they have their own in-flight account so that the
-- merchants' in-flight balance stays what the settlement lines say.
--   sent      Dr verification_expense  / Cr verification_in_flight
--   paid      Dr verification_in_flight / Cr settlement_bank
--   returned  Dr verification_in_flight (or settlement_bank once paid) / Cr verification_expense
-- Remediation of misrouted money:
--   resettle  Dr misrouted_receivable    / Cr merchant_released   (paid by the next run)
--   refund    Dr misrouted_receivable    / Cr cardholder_refund_payable
--   refunded  Dr cardholder_refund_payable / Cr settlement_bank
--   recovered Dr settlement_bank         / Cr misrouted_receivable
--   written off Dr remediation_loss      / Cr misrouted_receivable

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
  CHECK (kind IN ('asset', 'liability', 'income', 'expense'));

INSERT INTO ledger_accounts (code, kind, name_zh, name_en) VALUES
  ('verification_expense', 'expense', '账户验证打款支出', 'Account verification deposits (cost)'),
  ('verification_in_flight', 'liability', '在途验证打款', 'Verification deposits in flight'),
  ('remediation_loss', 'expense', '错付资金核销损失', 'Misrouted funds written off');

ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_account_check;
ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_account_check
  CHECK (account IN ('clearing_receivable', 'settlement_bank', 'fee_income', 'merchant_payable',
    'merchant_held', 'merchant_released', 'payout_in_flight', 'misrouted_receivable',
    'cardholder_refund_payable', 'verification_expense', 'verification_in_flight',
    'remediation_loss'));

ALTER TABLE ledger_journals DROP CONSTRAINT ledger_journals_kind_check;
ALTER TABLE ledger_journals ADD CONSTRAINT ledger_journals_kind_check
  CHECK (kind IN ('settlement', 'hold', 'paid', 'returned', 'release', 'reversal',
    'micro_deposit', 'micro_deposit_paid', 'micro_deposit_returned', 'resettlement', 'refund',
    'refund_paid', 'recovery', 'write_off'));
