import type { Rule } from './policy.js';

/** Short names of the rules, for incident titles and timelines. */
export const RULE_NAMES: Record<Rule, { zh: string; en: string }> = {
  terminal_merchant_mismatch: { zh: '终端与商户不符', en: 'Terminal used under another merchant' },
  unknown_terminal: { zh: '未登记终端', en: 'Unknown terminal' },
  unknown_merchant: { zh: '未登记商户', en: 'Unknown merchant' },
  suspended_terminal_activity: {
    zh: '暂停终端仍有交易',
    en: 'Suspended terminal still transacting',
  },
  receipt_name_mismatch: { zh: '签购单商户名不符', en: 'Receipt name differs from the registry' },
  account_not_active: { zh: '无有效结算账户', en: 'No active verified settlement account' },
  account_name_mismatch: { zh: '结算户名不符', en: 'Settlement account holder does not match' },
  shared_account: {
    zh: '结算账户多商户共用',
    en: 'Settlement account shared by unrelated merchants',
  },
  post_change_spike: { zh: '变更账户后交易激增', en: 'Volume spike after an account change' },
  firmware_outdated: { zh: '终端固件版本过低', en: 'Terminal firmware outdated' },
};
