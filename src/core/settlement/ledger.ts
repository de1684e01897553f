/**
 * The double-entry ledger's model: accounts, journals of postings in integer fen, and the
 * journals each settlement movement makes. A posting's amount is signed: positive is a debit,
 * negative a credit; a journal is balanced when its amounts sum to zero. Journals are never
 * changed: a correction is a further journal reversing the postings (`reversalOf`). Pure.
 *
 * Movements (merchant M, amounts in fen):
 * - settle a line (one compound journal, netted per account):
 *                   capture  Dr clearing_receivable / Cr merchant_payable   (the day's net)
 *                   fee      Dr merchant_payable    / Cr fee_income
 *                   absorb   Dr merchant_released   / Cr merchant_payable   (released money)
 *                   ready    Dr merchant_payable    / Cr payout_in_flight    (the line amount)
 *                or held     Dr merchant_payable    / Cr merchant_held
 *                or carried  nothing further: a zero or negative amount stays payable
 * - re-screened and held before the file: Dr payout_in_flight / Cr merchant_held
 * - paid:                    Dr payout_in_flight    / Cr settlement_bank     (settled)
 * - returned after paid:     Dr settlement_bank     / Cr merchant_held
 * - returned while in flight:Dr payout_in_flight    / Cr merchant_held
 * - release:                 Dr merchant_held       / Cr merchant_released
 */

export const LEDGER_ACCOUNTS = {
  clearing_receivable: {
    kind: 'asset',
    zh: '清算应收（已收单）',
    en: 'Clearing receivable: captured card payments',
  },
  settlement_bank: {
    kind: 'asset',
    zh: '结算备付金账户（已结算支出）',
    en: 'Settlement bank account: payouts settled',
  },
  fee_income: { kind: 'income', zh: '手续费收入', en: 'Fee income' },
  merchant_payable: {
    kind: 'liability',
    zh: '应付商户（待结算）',
    en: 'Merchant payable: pending',
  },
  merchant_held: { kind: 'liability', zh: '暂停结算资金', en: 'Held settlement funds' },
  merchant_released: {
    kind: 'liability',
    zh: '已解除暂停、待下次结算',
    en: 'Released, waiting for the next run',
  },
  payout_in_flight: { kind: 'liability', zh: '在途结算款', en: 'Payout in flight' },
  // Correction and making whole (migration 009): money the acquirer paid to a wrong holder or
  // advances to the right merchant, to be recovered; refunds owed to cardholders.
  misrouted_receivable: {
    kind: 'asset',
    zh: '错付资金待追回',
    en: 'Misrouted funds being recovered',
  },
  cardholder_refund_payable: {
    kind: 'liability',
    zh: '应付持卡人退款',
    en: 'Cardholder refunds payable',
  },
  // Micro-deposits that verify a new account are the acquirer's cost, never merchant money.
  verification_expense: {
    kind: 'expense',
    zh: '账户验证打款支出',
    en: 'Account verification deposits (cost)',
  },
  verification_in_flight: {
    kind: 'liability',
    zh: '在途验证打款',
    en: 'Verification deposits in flight',
  },
  remediation_loss: { kind: 'expense', zh: '错付资金核销损失', en: 'Misrouted funds written off' },
} as const satisfies Record<
  string,
  { kind: 'asset' | 'liability' | 'income' | 'expense'; zh: string; en: string }
>;

export type LedgerAccount = keyof typeof LEDGER_ACCOUNTS;
export const LEDGER_ACCOUNT_CODES = Object.keys(LEDGER_ACCOUNTS) as LedgerAccount[];

export const JOURNAL_KINDS = [
  'settlement',
  'hold',
  'paid',
  'returned',
  'release',
  'reversal',
  'micro_deposit',
  'micro_deposit_paid',
  'micro_deposit_returned',
  'resettlement',
  'refund',
  'refund_paid',
  'recovery',
  'write_off',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface Posting {
  account: LedgerAccount;
  /** Positive: debit; negative: credit; never zero. */
  amountFen: number;
}

export interface Journal {
  /** Deterministic, so that a movement recorded twice collides on the primary key. */
  id: string;
  kind: JournalKind;
  merchantNo: string;
  runId: string | null;
  lineId: string | null;
  postings: Posting[];
}

/** The journal ids: one per movement, so that "no line paid twice" is a key constraint. */
export const journalId = {
  settlement: (lineId: string) => `line:${lineId}:settlement`,
  paid: (lineId: string) => `line:${lineId}:paid`,
  returned: (lineId: string) => `line:${lineId}:returned`,
  hold: (lineId: string) => `line:${lineId}:hold`,
  release: (releaseId: string) => `release:${releaseId}`,
  microDeposit: (depositId: string) => `microdeposit:${depositId}:sent`,
  microDepositPaid: (depositId: string) => `microdeposit:${depositId}:paid`,
  microDepositReturned: (depositId: string) => `microdeposit:${depositId}:returned`,
  resettlement: (remediationId: string) => `remediation:${remediationId}:resettle`,
  refund: (remediationId: string) => `remediation:${remediationId}:refund`,
  refundPaid: (remediationId: string) => `remediation:${remediationId}:refund_paid`,
  /** One journal per amount received on a recovery case (`n` counts them from 1). */
  recovery: (caseId: string, n: number) => `recovery:${caseId}:${n}`,
  writeOff: (caseId: string) => `recovery:${caseId}:write_off`,
};

function pair(debit: LedgerAccount, credit: LedgerAccount, amountFen: number): Posting[] {
  if (amountFen === 0) return [];
  return [
    { account: debit, amountFen },
    { account: credit, amountFen: -amountFen },
  ];
}

export function isBalanced(postings: readonly Posting[]): boolean {
  return postings.reduce((sum, p) => sum + p.amountFen, 0) === 0;
}

function journal(base: Omit<Journal, 'postings'>, postings: Posting[]): Journal {
  for (const posting of postings) {
    if (!Number.isSafeInteger(posting.amountFen) || posting.amountFen === 0) {
      throw new RangeError(`posting of ${posting.amountFen} fen to ${posting.account}`);
    }
  }
  if (!isBalanced(postings)) throw new RangeError(`journal ${base.id} does not balance`);
  return { ...base, postings };
}

export interface SettledLine {
  lineId: string;
  runId: string;
  merchantNo: string;
  netFen: number;
  feeFen: number;
  /** Released money of earlier lines taken into this one. */
  releasedInFen: number;
  amountFen: number;
  status: 'ready' | 'held' | 'carried';
}

/**
 * The journal of a new line (the SQL of the run writes exactly these postings): a compound
 * entry with one posting per account, so that a plain ready line costs three postings, not
 * six. Read as movements it is capture (clearing → payable), fee (payable → fee income),
 * released money taken back (released → payable) and the amount into flight or hold (payable →
 * in flight or held); the payable posting is what those movements leave on it.
 */
export function settlementJournal(line: SettledLine): Journal {
  const moved = line.status === 'carried' ? 0 : line.amountFen;
  const candidates: Posting[] = [
    { account: 'clearing_receivable', amountFen: line.netFen },
    { account: 'fee_income', amountFen: -line.feeFen },
    { account: 'merchant_released', amountFen: line.releasedInFen },
    { account: line.status === 'ready' ? 'payout_in_flight' : 'merchant_held', amountFen: -moved },
    {
      account: 'merchant_payable',
      amountFen: line.feeFen - line.netFen - line.releasedInFen + moved,
    },
  ];
  return journal(
    {
      id: journalId.settlement(line.lineId),
      kind: 'settlement',
      merchantNo: line.merchantNo,
      runId: line.runId,
      lineId: line.lineId,
    },
    candidates.filter((p) => p.amountFen !== 0),
  );
}

interface LineRef {
  lineId: string;
  runId: string;
  merchantNo: string;
  amountFen: number;
}

/**
 * A ready line stopped before it reached the bank (the payout file re-screens every line and
 * holds those whose account or merchant changed since the run).
 */
export function holdJournal(line: LineRef): Journal {
  return journal(
    {
      id: journalId.hold(line.lineId),
      kind: 'hold',
      merchantNo: line.merchantNo,
      runId: line.runId,
      lineId: line.lineId,
    },
    pair('payout_in_flight', 'merchant_held', line.amountFen),
  );
}

export function paidJournal(line: LineRef): Journal {
  return journal(
    {
      id: journalId.paid(line.lineId),
      kind: 'paid',
      merchantNo: line.merchantNo,
      runId: line.runId,
      lineId: line.lineId,
    },
    pair('payout_in_flight', 'settlement_bank', line.amountFen),
  );
}

/** A return: the money comes back (or never left) and goes on hold. */
export function returnedJournal(line: LineRef & { wasPaid: boolean }): Journal {
  return journal(
    {
      id: journalId.returned(line.lineId),
      kind: 'returned',
      merchantNo: line.merchantNo,
      runId: line.runId,
      lineId: line.lineId,
    },
    pair(line.wasPaid ? 'settlement_bank' : 'payout_in_flight', 'merchant_held', line.amountFen),
  );
}

export function releaseJournal(input: {
  releaseId: string;
  merchantNo: string;
  amountFen: number;
}): Journal {
  return journal(
    {
      id: journalId.release(input.releaseId),
      kind: 'release',
      merchantNo: input.merchantNo,
      runId: null,
      lineId: null,
    },
    pair('merchant_held', 'merchant_released', input.amountFen),
  );
}

interface MoneyRef {
  merchantNo: string;
  amountFen: number;
  runId?: string | null;
}

function movement(
  id: string,
  kind: JournalKind,
  ref: MoneyRef,
  debit: LedgerAccount,
  credit: LedgerAccount,
): Journal {
  return journal(
    { id, kind, merchantNo: ref.merchantNo, runId: ref.runId ?? null, lineId: null },
    pair(debit, credit, ref.amountFen),
  );
}

/** A micro-deposit put into a payout file: the acquirer's cost, in flight. */
export function microDepositJournal(ref: MoneyRef & { depositId: string }): Journal {
  return movement(
    journalId.microDeposit(ref.depositId),
    'micro_deposit',
    ref,
    'verification_expense',
    'verification_in_flight',
  );
}

export function microDepositPaidJournal(ref: MoneyRef & { depositId: string }): Journal {
  return movement(
    journalId.microDepositPaid(ref.depositId),
    'micro_deposit_paid',
    ref,
    'verification_in_flight',
    'settlement_bank',
  );
}

/** The bank sent a micro-deposit back: the cost is undone. */
export function microDepositReturnedJournal(
  ref: MoneyRef & { depositId: string; wasPaid: boolean },
): Journal {
  return movement(
    journalId.microDepositReturned(ref.depositId),
    'micro_deposit_returned',
    ref,
    ref.wasPaid ? 'settlement_bank' : 'verification_in_flight',
    'verification_expense',
  );
}

/**
 * Money that went to a wrong account is owed again to the right merchant: the acquirer
 * advances it (a receivable on the wrong holder) and the merchant's next run pays it.
 */
export function resettlementJournal(ref: MoneyRef & { remediationId: string }): Journal {
  return movement(
    journalId.resettlement(ref.remediationId),
    'resettlement',
    ref,
    'misrouted_receivable',
    'merchant_released',
  );
}

/** A refund owed to a cardholder for a payment whose money went to a wrong account. */
export function refundJournal(ref: MoneyRef & { remediationId: string }): Journal {
  return movement(
    journalId.refund(ref.remediationId),
    'refund',
    ref,
    'misrouted_receivable',
    'cardholder_refund_payable',
  );
}

export function refundPaidJournal(ref: MoneyRef & { remediationId: string }): Journal {
  return movement(
    journalId.refundPaid(ref.remediationId),
    'refund_paid',
    ref,
    'cardholder_refund_payable',
    'settlement_bank',
  );
}

/** Money recovered from the holder of the wrong account. */
export function recoveryJournal(ref: MoneyRef & { caseId: string; n: number }): Journal {
  return movement(
    journalId.recovery(ref.caseId, ref.n),
    'recovery',
    ref,
    'settlement_bank',
    'misrouted_receivable',
  );
}

/** What cannot be recovered, written off. */
export function writeOffJournal(ref: MoneyRef & { caseId: string }): Journal {
  return movement(
    journalId.writeOff(ref.caseId),
    'write_off',
    ref,
    'remediation_loss',
    'misrouted_receivable',
  );
}

/** The correction of a journal: the same postings with the signs turned. */
export function reversalOf(original: Journal, id: string): Journal {
  return journal(
    {
      id,
      kind: 'reversal',
      merchantNo: original.merchantNo,
      runId: original.runId,
      lineId: original.lineId,
    },
    original.postings.map((p) => ({ account: p.account, amountFen: -p.amountFen })),
  );
}

/** A merchant's money by state, from the balances of its accounts (credit balances positive). */
export interface MerchantBalance {
  /** Owed and not yet in a payout: new money, and zero or negative amounts carried forward. */
  pendingFen: number;
  heldFen: number;
  /** Released from hold, going out on the next run. */
  releasedFen: number;
  inFlightFen: number;
  /** Paid out and not returned. */
  paidFen: number;
  feesFen: number;
  capturedFen: number;
}

export function merchantBalance(balances: Partial<Record<LedgerAccount, number>>): MerchantBalance {
  // Liabilities and income carry credit (negative) balances: turn them to positive money.
  const credit = (account: LedgerAccount) => 0 - (balances[account] ?? 0);
  return {
    pendingFen: credit('merchant_payable'),
    heldFen: credit('merchant_held'),
    releasedFen: credit('merchant_released'),
    inFlightFen: credit('payout_in_flight'),
    paidFen: credit('settlement_bank'),
    feesFen: credit('fee_income'),
    capturedFen: balances.clearing_receivable ?? 0,
  };
}
