/**
 * Line screening: may a settlement line be paid to the account it targets? Every reason that
 * stops it is returned, in a fixed order, each with a stable code; an empty list means `ready`.
 * The settlement run evaluates the same predicate in SQL, set-based, for every line at once
 * (app/settlement/run-sql.ts); the property test in test/settlement-property.db.test.ts checks
 * that the two agree on random worlds. Pure.
 */
import type { AccountStatus } from '../registry.js';

export const HOLD_REASONS = [
  /** The merchant number of the transactions is not in the registry. */
  'merchant_unknown',
  /** The merchant has no settlement account in force. */
  'account_missing',
  /**
   * The account in force is no longer the one the line was made for (checked again when the
   * payout file is made).
   */
  'account_changed',
  /** The account in force is not `active` (pending verification, errored, frozen). */
  'account_not_active',
  /** The account has not passed verification yet (`pending_verification`). */
  'account_not_verified',
  /** The holder name check said `no_match` (a `close_match` is accepted, as in screening). */
  'account_name_mismatch',
  /** The account replaced another one and went live less than the cooling-off period ago. */
  'account_cooling_off',
  /** The same account settles for a merchant with another legal person. */
  'shared_account',
  /** A settlement hold is in place on the merchant (containment, a return). */
  'settlement_hold',
  /**
   * The merchant has an open incident (every incident is opened by containment) that has not
   * yet reached remediation: see INCIDENT_STATUSES_NOT_HOLDING.
   */
  'open_incident',
] as const;

/**
 * Incident statuses that no longer hold the merchant's settlement. From `remediating` on, the
 * account has been corrected and verified, a person may release the held money, and new lines
 * go out again (the other reasons still apply to them).
 */
export const INCIDENT_STATUSES_NOT_HOLDING = ['remediating', 'resolved', 'closed'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Why money is held that no screening reason explains: the bank sent it back. */
export const RETURNED_REASON = 'settlement_returned';

export const HOLD_REASON_NAMES: Record<
  HoldReason | typeof RETURNED_REASON,
  { zh: string; en: string }
> = {
  merchant_unknown: { zh: '商户未登记', en: 'Merchant not in the registry' },
  account_missing: { zh: '无结算账户', en: 'No settlement account' },
  account_changed: { zh: '结算账户已变更', en: 'Settlement account changed since the run' },
  account_not_active: { zh: '结算账户状态非正常', en: 'Settlement account not active' },
  account_not_verified: { zh: '结算账户未验证', en: 'Settlement account not verified' },
  account_name_mismatch: { zh: '账户户名与商户不符', en: 'Account holder name does not match' },
  account_cooling_off: {
    zh: '账户变更冷静期内',
    en: 'Within the cooling-off period after an account change',
  },
  shared_account: { zh: '账户被无关商户共用', en: 'Account shared with an unrelated merchant' },
  settlement_hold: { zh: '结算已暂停', en: 'Settlement on hold' },
  open_incident: { zh: '存在未结事件', en: 'Open incident' },
  settlement_returned: { zh: '银行退票', en: 'Returned by the bank' },
};

export interface LineFacts {
  merchantKnown: boolean;
  /** The merchant's account in force (newest current version that is not superseded). */
  account: null | {
    status: AccountStatus;
    nameCheckResult: 'match' | 'close_match' | 'no_match';
    /** The merchant had another account before this one. */
    isChange: boolean;
    /** When this account first became `active`; null when it never was. */
    liveSinceMs: number | null;
  };
  /** The line was made for another account than the one in force now. */
  accountChangedSinceLine?: boolean;
  /** Merchants with another legal person whose account in force is the same account. */
  unrelatedSharers: number;
  activeHold: boolean;
  openIncident: boolean;
}

export function holdReasons(
  facts: LineFacts,
  options: { nowMs: number; coolingOffHours: number },
): HoldReason[] {
  const reasons: HoldReason[] = [];
  const account = facts.account;
  if (!facts.merchantKnown) reasons.push('merchant_unknown');
  if (!account) reasons.push('account_missing');
  if (account && facts.accountChangedSinceLine) reasons.push('account_changed');
  if (account && account.status !== 'active') reasons.push('account_not_active');
  if (account?.status === 'pending_verification') reasons.push('account_not_verified');
  if (account?.nameCheckResult === 'no_match') reasons.push('account_name_mismatch');
  if (
    account?.isChange &&
    account.liveSinceMs !== null &&
    options.nowMs - account.liveSinceMs < options.coolingOffHours * 3_600_000
  ) {
    reasons.push('account_cooling_off');
  }
  if (facts.unrelatedSharers > 0) reasons.push('shared_account');
  if (facts.activeHold) reasons.push('settlement_hold');
  if (facts.openIncident) reasons.push('open_incident');
  return reasons;
}

export const LINE_STATUSES = ['ready', 'held', 'carried', 'paid', 'returned'] as const;
/**
 * `ready`: screened clean, in the payout file, money in flight. `held`: stopped, with reasons.
 * `carried`: nothing to pay (refunds ate the day): the amount, zero or negative, is carried to
 * the merchant's next line. `paid`, `returned`: the bank's answer.
 */
export type LineStatus = (typeof LINE_STATUSES)[number];

/** What a new line becomes. */
export function lineStatus(amountFen: number, reasons: readonly HoldReason[]): LineStatus {
  if (amountFen <= 0) return 'carried';
  return reasons.length > 0 ? 'held' : 'ready';
}
