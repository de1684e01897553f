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
  // Reserved for the correction and making-whole issue; no movement posts to them yet.
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
} as const satisfies Record<
  string,
  { kind: 'asset' | 'liability' | 'income'; zh: string; en: string }
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
