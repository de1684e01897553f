/**
 * Making the affected payments whole after an incident (issue 6, docs/adr/0017): what was
 * affected, what may be done for each payment, how a remediation's status may move, and when
 * it counts as unassigned (which stops the incident from being resolved). Pure: no I/O, no
 * clock (today's date is passed in).
 *
 * Money (journals in core/settlement/ledger.ts):
 * - resettle: the acquirer advances the misrouted amount to the right merchant
 *   (Dr misrouted_receivable / Cr merchant_released); the merchant's next run takes it like
 *   released money. A returned payout is re-settled by the hold release instead: no journal.
 * - refund: the cardholder is owed the amount (Dr misrouted_receivable / Cr
 *   cardholder_refund_payable); paid with a bank reference (Dr cardholder_refund_payable / Cr
 *   settlement_bank).
 * - recover: the payment is claimed back from the wrong account's holder on the incident's
 *   recovery case for that account: what was advanced on it when it was advanced first, else
 *   the payment's amount (nothing advanced, nothing receivable yet). A receipt first pays back
 *   what was advanced on the case's payments (Dr settlement_bank / Cr misrouted_receivable);
 *   any part beyond that is the merchant's own money coming back and goes to its next run like
 *   re-settled money (Cr merchant_released). The write-off covers only what was advanced and
 *   is still outstanding (Dr remediation_loss / Cr misrouted_receivable); the rest of the
 *   claim, never advanced, is given up with the case.
 * - retransaction: the customer pays again; no money of ours moves.
 */
import type { ErrorCode } from '../errors.js';
import { journalId, type Journal, type Posting } from '../settlement/ledger.js';

export const AFFECTED_KINDS = [
  'settled_to_wrong_account',
  'payout_returned',
  'customer_saw_failure',
] as const;
export type AffectedKind = (typeof AFFECTED_KINDS)[number];

export const REMEDIATION_ACTIONS = ['resettle', 'recover', 'refund', 'retransaction'] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

export const REMEDIATION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export const RECOVERY_CASE_STATUSES = ['open', 'recovered', 'written_off'] as const;
export type RecoveryCaseStatus = (typeof RECOVERY_CASE_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'paid', 'cancelled'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** How far before the incident opened paid lines to an account no longer in force are looked for. */
export const AFFECTED_LOOKBACK_DAYS = 90;
/** At most this many items of each kind are listed (totals count them all). */
export const AFFECTED_ITEMS_MAX = 1000;
export const REMEDIATION_NOTE_LENGTH_MAX = 2000;
export const RECOVERY_REFERENCE_LENGTH_MAX = 100;
export const WRITE_OFF_REASON_LENGTH_MAX = 1000;
export const BANK_REFERENCE_LENGTH_MAX = 100;
/** At most this many remediations per incident. */
export const REMEDIATIONS_PER_INCIDENT_MAX = 5000;
/** The largest single amount accepted (10 million yuan), in fen. */
export const AMOUNT_FEN_MAX = 1_000_000_000;

/** Which actions apply to which kind of affected payment. */
export const ACTIONS_BY_KIND: Record<AffectedKind, readonly RemediationAction[]> = {
  // The money went to a wrong account: pay the merchant again or refund the cardholder (the
  // acquirer advances it), claim it back from the wrong holder, or the customer pays again.
  settled_to_wrong_account: ['resettle', 'recover', 'refund', 'retransaction'],
  // The money came back: it is held and goes to the right account once released.
  payout_returned: ['resettle'],
  // The customer was not charged: they pay again.
  customer_saw_failure: ['retransaction'],
};

/**
 * Pairs that cannot both stand on one payment: re-settling pays the merchant, so a refund or a
 * second payment by the customer would pay for the same sale twice.
 */
export const CONFLICTING_ACTIONS: readonly (readonly [RemediationAction, RemediationAction])[] = [
  ['resettle', 'refund'],
  ['resettle', 'retransaction'],
];

export function conflictsWith(action: RemediationAction): RemediationAction[] {
  return CONFLICTING_ACTIONS.flatMap(([a, b]) => (a === action ? [b] : b === action ? [a] : []));
}

export interface ExistingRemediation {
  action: RemediationAction;
  status: RemediationStatus;
}

/**
 * Whether a new remediation may be opened on a payment, given those it already has:
 * null when it may, else the code it is refused with.
 */
export function decideNewRemediation(input: {
  kind: AffectedKind;
  action: RemediationAction;
  existing: readonly ExistingRemediation[];
}): ErrorCode | null {
  if (!ACTIONS_BY_KIND[input.kind].includes(input.action)) return 'remediation_not_applicable';
  const standing = input.existing.filter((r) => r.status !== 'cancelled');
  if (standing.some((r) => r.action === input.action)) return 'remediation_exists';
  const excluded = conflictsWith(input.action);
  if (standing.some((r) => excluded.includes(r.action))) return 'remediation_conflict';
  // A recovery may come first: it then claims the payment itself, nothing being advanced.
  return null;
}

/** The moves of a remediation's status; done and cancelled are final. */
export const STATUS_MOVES: Record<RemediationStatus, readonly RemediationStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['open', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** What is known of a remediation when its status is to change. */
export interface StatusFacts {
  action: RemediationAction;
  /** resettle: its money has been taken into a settlement line (or, for a returned payout, released). */
  moneyTaken: boolean;
  /** refund: paid to the cardholder. */
  refundPaid: boolean;
  /** recover: its recovery case is recovered or written off. */
  caseClosed: boolean;
  /** recover: its recovery case has receipts or a write-off. */
  caseHasMovements: boolean;
  /** retransaction: the new transaction is recorded. */
  retransactionRecorded: boolean;
  /** resettle or refund: a standing recover remediation depends on it. */
  recoveryDepends: boolean;
}

/**
 * Decides a status change: null when allowed, else the refusal's code. `done` needs the act
 * done (money taken by a run, refund paid, case closed, new transaction recorded); `cancelled`
 * needs the money not to have moved on (a resettlement not yet taken by a run, a refund not
 * paid, a case without receipts) and no recovery resting on it.
 */
export function decideStatusChange(
  from: RemediationStatus,
  to: RemediationStatus,
  facts: StatusFacts,
): ErrorCode | null {
  if (from === to) return null;
  if (!STATUS_MOVES[from].includes(to)) return 'invalid_state';
  if (to === 'done') {
    const complete =
      facts.action === 'resettle'
        ? facts.moneyTaken
        : facts.action === 'refund'
          ? facts.refundPaid
          : facts.action === 'recover'
            ? facts.caseClosed
            : facts.retransactionRecorded;
    return complete ? null : 'remediation_incomplete';
  }
  if (to === 'cancelled') {
    if (facts.recoveryDepends) return 'remediation_conflict';
    if (facts.action === 'resettle' && facts.moneyTaken) return 'invalid_state';
    if (facts.action === 'refund' && facts.refundPaid) return 'invalid_state';
    if (facts.action === 'recover' && facts.caseHasMovements) return 'invalid_state';
  }
  return null;
}

/** Open or in progress without both an owner and a due date: the incident cannot be resolved. */
export function isUnassigned(r: {
  status: RemediationStatus;
  owner: string | null;
  dueDate: string | null;
}): boolean {
  return (r.status === 'open' || r.status === 'in_progress') && (!r.owner || !r.dueDate);
}

/** Past its due date (YYYY-MM-DD, China time) and not finished. */
export function isOverdue(
  r: { status: RemediationStatus; dueDate: string | null },
  today: string,
): boolean {
  return (r.status === 'open' || r.status === 'in_progress') && !!r.dueDate && r.dueDate < today;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * A recovery case's figures, recomputed from what it holds:
 * - amountFen: what is claimed from the wrong holder (the sum of its recover remediations);
 * - advancedFen: what the acquirer advanced on its payments (standing re-settlements and
 *   refunds), the part of the claim that is the acquirer's receivable;
 * - recoveredFen: everything received; passedThroughFen: the part of it beyond what was
 *   advanced, passed to the merchant;
 * - writtenOffFen: the advanced part given up as the acquirer's loss;
 * - receivableFen = advanced − (recovered − passed through) − written off: the acquirer's
 *   part still owed (what misrouted_receivable holds for the case);
 * - outstandingFen: while open, amount − recovered − written off (what may still be
 *   received); 0 once closed;
 * - abandonedFen: once closed, the part of the claim neither received nor written off (never
 *   advanced: the merchant's own money not recovered); 0 while open.
 * So amount = recovered + written off + outstanding + abandoned, always.
 */
export interface CaseFigures {
  amountFen: number;
  advancedFen: number;
  recoveredFen: number;
  passedThroughFen: number;
  writtenOffFen: number;
  receivableFen: number;
  outstandingFen: number;
  abandonedFen: number;
}

export function caseFigures(input: {
  status: RecoveryCaseStatus;
  amountFen: number;
  advancedFen: number;
  recoveredFen: number;
  passedThroughFen: number;
  writtenOffFen: number;
}): CaseFigures {
  const left = input.amountFen - input.recoveredFen - input.writtenOffFen;
  const open = input.status === 'open';
  return {
    amountFen: input.amountFen,
    advancedFen: input.advancedFen,
    recoveredFen: input.recoveredFen,
    passedThroughFen: input.passedThroughFen,
    writtenOffFen: input.writtenOffFen,
    receivableFen:
      input.advancedFen - (input.recoveredFen - input.passedThroughFen) - input.writtenOffFen,
    outstandingFen: open ? left : 0,
    abandonedFen: open ? 0 : left,
  };
}

/** Whether a receipt of `amountFen` may be recorded on a case: null, or the refusal's code. */
export function decideReceipt(
  status: RecoveryCaseStatus,
  figures: CaseFigures,
  amountFen: number,
): ErrorCode | null {
  if (status !== 'open') return 'recovery_case_closed';
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return 'validation_failed';
  if (amountFen > figures.outstandingFen) return 'recovery_amount_exceeded';
  return null;
}

/**
 * How a receipt splits: first it pays back what the acquirer advanced and has not had back
 * (the receivable), the rest is the merchant's own money, passed to its next run.
 */
export function splitReceipt(
  figures: CaseFigures,
  amountFen: number,
): { toReceivableFen: number; passedThroughFen: number } {
  const toReceivableFen = Math.min(amountFen, Math.max(figures.receivableFen, 0));
  return { toReceivableFen, passedThroughFen: amountFen - toReceivableFen };
}

/**
 * A write-off closes an open case: it writes off what was advanced and is still receivable
 * (possibly nothing: a case with nothing advanced outstanding is closed by a write-off of
 * zero, which posts nothing); what was never advanced is given up with it (abandonedFen).
 */
export function decideWriteOff(status: RecoveryCaseStatus): ErrorCode | null {
  if (status !== 'open') return 'recovery_case_closed';
  return null;
}

/** The amount a write-off of the case writes off: what was advanced and is still receivable. */
export function writeOffAmount(figures: CaseFigures): number {
  return Math.max(figures.receivableFen, 0);
}

/**
 * A re-settlement or refund of a payment that has a recovery case: how much may be advanced.
 * The merchant must not be paid twice: what its case already passed through to it counts as
 * paid, so together with what was advanced on the case it may not exceed the claim
 * (amount − advanced − passed through), nor the payment. `requestedFen` undefined: the payment
 * capped at that; given and larger: refused. A closed case takes no new advance (it could not
 * be claimed back on it); when nothing is left anyway, the refusal says why (passed through).
 * Returns the amount, or the refusal's code with the most allowed.
 */
export function decideAdvance(input: {
  caseStatus: RecoveryCaseStatus;
  figures: CaseFigures;
  paymentFen: number;
  requestedFen: number | undefined;
}): { amountFen: number } | { refusal: ErrorCode; maxFen: number } {
  const room = input.figures.amountFen - input.figures.advancedFen - input.figures.passedThroughFen;
  const maxFen = Math.max(0, Math.min(input.paymentFen, room));
  if (maxFen === 0) return { refusal: 'recovery_passed_through', maxFen };
  if (input.caseStatus !== 'open') return { refusal: 'recovery_case_closed', maxFen: 0 };
  if (input.requestedFen === undefined) return { amountFen: maxFen };
  if (input.requestedFen > maxFen) return { refusal: 'recovery_passed_through', maxFen };
  return { amountFen: input.requestedFen };
}

/**
 * The journal of a receipt (one per receipt, kind `recovery`): Dr settlement_bank for all of
 * it, Cr misrouted_receivable for what pays back the advance, Cr merchant_released for what is
 * passed to the merchant. Without a passed-through part it is `recoveryJournal`'s.
 */
export function recoveryReceiptJournal(ref: {
  caseId: string;
  n: number;
  merchantNo: string;
  toReceivableFen: number;
  passedThroughFen: number;
}): Journal {
  const total = ref.toReceivableFen + ref.passedThroughFen;
  if (
    !Number.isSafeInteger(ref.toReceivableFen) ||
    !Number.isSafeInteger(ref.passedThroughFen) ||
    ref.toReceivableFen < 0 ||
    ref.passedThroughFen < 0 ||
    total <= 0
  ) {
    throw new RangeError(`receipt of ${ref.toReceivableFen} + ${ref.passedThroughFen} fen`);
  }
  const postings: Posting[] = [{ account: 'settlement_bank', amountFen: total }];
  if (ref.toReceivableFen > 0) {
    postings.push({ account: 'misrouted_receivable', amountFen: -ref.toReceivableFen });
  }
  if (ref.passedThroughFen > 0) {
    postings.push({ account: 'merchant_released', amountFen: -ref.passedThroughFen });
  }
  return {
    id: journalId.recovery(ref.caseId, ref.n),
    kind: 'recovery',
    merchantNo: ref.merchantNo,
    runId: null,
    lineId: null,
    postings,
  };
}

export const KIND_NAMES: Record<AffectedKind, { zh: string; en: string }> = {
  settled_to_wrong_account: { zh: '结算至错误账户', en: 'Settled to the wrong account' },
  payout_returned: { zh: '结算款被退回', en: 'Payout returned' },
  customer_saw_failure: { zh: '顾客支付失败', en: 'Payment failed for the customer' },
};

export const ACTION_NAMES: Record<RemediationAction, { zh: string; en: string }> = {
  resettle: { zh: '重新结算至正确账户', en: 'Re-settle to the correct account' },
  recover: { zh: '向错误账户持有人追回', en: "Recover from the wrong account's holder" },
  refund: { zh: '退款给持卡人', en: 'Refund the cardholder' },
  retransaction: { zh: '顾客重新支付', en: 'Customer pays again' },
};

export const STATUS_NAMES: Record<RemediationStatus, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'open' },
  in_progress: { zh: '处理中', en: 'in progress' },
  done: { zh: '已完成', en: 'done' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

/** ¥1,234.56 */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}
