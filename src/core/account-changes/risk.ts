/**
 * Whether an account change is high-risk, and how many approvers it needs. Pure.
 *
 * High-risk: the holder's name does not match the merchant (`no_match`), the change is asked
 * for while the merchant has an open incident (the playbook's correction step, but also what a
 * fraudster does after a wrong account was found), or the new account already settles for
 * another merchant. A high-risk change needs two approvers, different people, neither the
 * requester; any other needs one.
 */
export const RISK_REASONS = [
  'name_no_match',
  'open_incident',
  'account_used_by_other_merchant',
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

export const RISK_REASON_TEXT: Record<RiskReason, { zh: string; en: string }> = {
  name_no_match: {
    zh: '新账户户名与商户不符',
    en: 'The new holder name does not match the merchant',
  },
  open_incident: {
    zh: '商户存在未结事件期间的变更',
    en: 'Change during an open incident of the merchant',
  },
  account_used_by_other_merchant: {
    zh: '新账户已为其他商户结算',
    en: 'The new account already settles for another merchant',
  },
};

export function assessRisk(input: {
  nameCheckResult: 'match' | 'close_match' | 'no_match';
  openIncident: boolean;
  otherMerchantsUsingAccount: number;
}): { highRisk: boolean; riskReasons: RiskReason[]; approvalsNeeded: 1 | 2 } {
  const riskReasons: RiskReason[] = [];
  if (input.nameCheckResult === 'no_match') riskReasons.push('name_no_match');
  if (input.openIncident) riskReasons.push('open_incident');
  if (input.otherMerchantsUsingAccount > 0) riskReasons.push('account_used_by_other_merchant');
  const highRisk = riskReasons.length > 0;
  return { highRisk, riskReasons, approvalsNeeded: highRisk ? 2 : 1 };
}

/**
 * At most `max` changes in `windowDays` days per merchant, counting completed changes and
 * those in progress (requests not rejected, cancelled or locked).
 */
export function velocityExceeded(input: { recentChanges: number; max: number }): boolean {
  return input.recentChanges >= input.max;
}
