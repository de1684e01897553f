/**
 * The case file for the bank or payment institution, pure: its reference number, the actions
 * the acquirer requests (derived from the rules that fired), and the formats of money and time
 * the document uses. See docs/adr/0014-evidence-and-case-file.md.
 */
import type { Rule } from './screening/policy.js';

export const CASE_FILE_CHANNELS = [
  'email',
  'fax',
  'post',
  'courier',
  'portal',
  'in_person',
  'other',
] as const;
export type CaseFileChannel = (typeof CASE_FILE_CHANNELS)[number];

export const CHANNEL_NAMES: Record<CaseFileChannel, { zh: string; en: string }> = {
  email: { zh: '电子邮件', en: 'E-mail' },
  fax: { zh: '传真', en: 'Fax' },
  post: { zh: '邮寄', en: 'Post' },
  courier: { zh: '快递', en: 'Courier' },
  portal: { zh: '机构系统报送', en: 'Portal' },
  in_person: { zh: '当面递交', en: 'In person' },
  other: { zh: '其他', en: 'Other' },
};

export const SENT_TO_LENGTH_MAX = 200;
export const SENT_REFERENCE_LENGTH_MAX = 100;

export const REQUESTED_ACTIONS = [
  'suspend_payments',
  'verify_account_ownership',
  'confirm_account_change',
  'verify_transactions',
  'assist_return_of_funds',
  'reply_in_writing',
] as const;
export type RequestedActionCode = (typeof REQUESTED_ACTIONS)[number];

export const ACTION_TEXTS: Record<RequestedActionCode, { zh: string; en: string }> = {
  suspend_payments: {
    zh: '暂停向涉事结算账户付款，直至核实完毕',
    en: 'Suspend payments into the settlement account concerned until it is verified',
  },
  verify_account_ownership: {
    zh: '核实涉事结算账户的开户人及账户归属',
    en: 'Verify who holds the settlement account concerned',
  },
  confirm_account_change: {
    zh: '核实结算账户变更是否由商户本人申请',
    en: 'Confirm that the change of settlement account was asked for by the merchant',
  },
  verify_transactions: {
    zh: '协助核查所列交易的实际受理商户与资金去向',
    en: 'Help establish which merchant actually took the transactions listed and where the money went',
  },
  assist_return_of_funds: {
    zh: '如款项已划入非本商户账户，协助退回款项',
    en: 'Where money was paid into an account not the merchant’s, help return it',
  },
  reply_in_writing: {
    zh: '请书面回复核查结果，并注明本函编号',
    en: 'Reply in writing with the outcome, quoting this letter’s reference',
  },
};

/** Which actions each rule asks of the bank or payment institution. */
const ACTIONS_OF_RULE: Record<Rule, readonly RequestedActionCode[]> = {
  terminal_merchant_mismatch: ['suspend_payments', 'verify_transactions', 'assist_return_of_funds'],
  shared_account: ['suspend_payments', 'verify_account_ownership', 'assist_return_of_funds'],
  account_name_mismatch: ['suspend_payments', 'verify_account_ownership', 'assist_return_of_funds'],
  post_change_spike: ['suspend_payments', 'verify_account_ownership', 'confirm_account_change'],
  account_not_active: ['verify_account_ownership'],
  suspended_terminal_activity: ['verify_transactions'],
  unknown_terminal: ['verify_transactions'],
  unknown_merchant: ['verify_transactions'],
  receipt_name_mismatch: ['verify_transactions'],
  firmware_outdated: [],
};

/**
 * The actions to request, in a fixed order, from the rules that fired and whether money of the
 * incident was returned by a bank (which asks for help returning it even without a rule).
 */
export function requestedActions(input: {
  rules: readonly string[];
  moneyReturned: boolean;
}): { code: RequestedActionCode; zh: string; en: string }[] {
  const wanted = new Set<RequestedActionCode>();
  for (const rule of input.rules) {
    for (const action of ACTIONS_OF_RULE[rule as Rule] ?? []) wanted.add(action);
  }
  if (input.moneyReturned) wanted.add('assist_return_of_funds');
  wanted.add('reply_in_writing');
  return REQUESTED_ACTIONS.filter((code) => wanted.has(code)).map((code) => ({
    code,
    ...ACTION_TEXTS[code],
  }));
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** `2026-11-26 16:00` in China time (UTC+8, no daylight saving). */
export function chinaDateTime(at: Date | string): string {
  const ms = new Date(at).getTime() + CHINA_OFFSET_MS;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-11-26` in China time. */
export function chinaDate(at: Date | string): string {
  return chinaDateTime(at).slice(0, 10);
}

/** The letter's reference: `SG-<opening date, China>-<first 8 of the incident id>`. */
export function caseFileReference(incident: { id: string; openedAt: Date | string }): string {
  return `SG-${chinaDate(incident.openedAt).replace(/-/g, '')}-${incident.id.slice(0, 8).toUpperCase()}`;
}

/** Integer fen as yuan with thousands separators: 1234567 → `12,345.67`; exact, no floats. */
export function formatYuan(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${cents}`;
}
