/**
 * The contact log of an incident and its message templates, pure: who may be contacted (party)
 * and how (channel), the bounds of an entry, and the Chinese messages for the usual cases
 * filled from what is known of the incident. What is not known yet (a new account before the
 * change completes, a recovery amount before a recovery case) stays a visible placeholder
 * `【待填：…】`, never a guess. Only masked account numbers are ever given to these functions.
 */
import { chinaDate, chinaDateTime, formatYuan } from './case-file.js';

export const CONTACT_PARTIES = ['customer', 'partner', 'merchant', 'bank'] as const;
export type ContactParty = (typeof CONTACT_PARTIES)[number];

export const CONTACT_CHANNELS = [
  'phone',
  'sms',
  'email',
  'wechat',
  'visit',
  'letter',
  'other',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_SUMMARY_LENGTH_MAX = 2000;
export const CONTACT_OUTCOME_LENGTH_MAX = 1000;
export const CONTACT_PARTY_NAME_LENGTH_MAX = 100;
/** Entries per incident: bounds the log and its list. */
export const CONTACTS_PER_INCIDENT_MAX = 1000;

export const PARTY_NAMES: Readonly<Record<ContactParty, { zh: string; en: string }>> = {
  customer: { zh: '持卡人', en: 'cardholder' },
  partner: { zh: '合作方', en: 'partner' },
  merchant: { zh: '商户', en: 'merchant' },
  bank: { zh: '银行', en: 'bank' },
};

export const CHANNEL_NAMES: Readonly<Record<ContactChannel, { zh: string; en: string }>> = {
  phone: { zh: '电话', en: 'phone' },
  sms: { zh: '短信', en: 'text message' },
  email: { zh: '电子邮件', en: 'e-mail' },
  wechat: { zh: '微信', en: 'WeChat' },
  visit: { zh: '上门', en: 'visit' },
  letter: { zh: '信函', en: 'letter' },
  other: { zh: '其他方式', en: 'other means' },
};

/** The timeline's words for a logged contact (the summary stays in the log, not the timeline). */
export function contactTimelineText(entry: {
  party: ContactParty;
  partyName: string | null;
  channel: ContactChannel;
}): { zh: string; en: string } {
  const party = PARTY_NAMES[entry.party];
  const channel = CHANNEL_NAMES[entry.channel];
  return {
    zh: `通过${channel.zh}联系${party.zh}${entry.partyName ? `（${entry.partyName}）` : ''}，已记录`,
    en: `Contacted the ${party.en}${entry.partyName ? ` (${entry.partyName})` : ''} by ${channel.en}; logged`,
  };
}

export const TEMPLATE_IDS = [
  'customer_apology',
  'partner_notice',
  'merchant_account_changed',
  'bank_recovery_request',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** The acquirer's hotline is the acquirer's to fill in: it is not kept by SettleGuard. */
export const HOTLINE_PLACEHOLDER = '【收单机构客服热线】';
export const ACQUIRER_PLACEHOLDER = '【收单机构名称】';

/** What is known of the incident when the templates are asked for. Masked numbers only. */
export interface TemplateFacts {
  incident: { reference: string; openedAt: Date | string };
  merchant: { merchantNo: string; name: string };
  /** The payments of the incident's alerts that were approved purchases; null when none. */
  affected: {
    count: number;
    amountFen: number;
    firstAt: Date | string;
    lastAt: Date | string;
  } | null;
  /** The account the money went to wrongly (superseded by a change, or still in force). */
  oldAccount: { masked: string; accountName: string | null; bankName: string | null } | null;
  /** The account of the completed account change; null before it completes. */
  newAccount: { masked: string; bankName: string | null; completedAt: Date | string } | null;
  coolingOffHours: number;
  /** What is claimed back from the wrong account's holder (the remediation's recovery cases). */
  recovery: { amountFen: number; accountMasked: string | null; accountName: string | null } | null;
  /** Refunds to cardholders recorded on the incident. */
  refunds: { count: number; amountFen: number } | null;
  /** Today, for the letter's date. */
  now: Date | string;
}

export interface MessageTemplate {
  id: TemplateId;
  party: ContactParty;
  title: { zh: string; en: string };
  text: string;
}

const blank = (what: string) => `【待填：${what}】`;

function dateRange(from: Date | string, to: Date | string): string {
  const a = chinaDate(from);
  const b = chinaDate(to);
  return a === b ? a : `${a} 至 ${b}`;
}

function accountWithBank(account: { masked: string; bankName: string | null }): string {
  return account.bankName ? `${account.bankName} ${account.masked}` : account.masked;
}

export function messageTemplates(facts: TemplateFacts): MessageTemplate[] {
  const { merchant, incident } = facts;
  const ref = incident.reference;
  const today = chinaDate(facts.now);
  const when = facts.affected
    ? dateRange(facts.affected.firstAt, facts.affected.lastAt)
    : blank('交易日期');
  const affectedLine = facts.affected
    ? `涉及交易 ${facts.affected.count} 笔、金额 ${formatYuan(facts.affected.amountFen)} 元`
    : `涉及交易${blank('笔数及金额')}`;
  const oldAccount = facts.oldAccount ? accountWithBank(facts.oldAccount) : blank('原收款账户');
  const newAccount = facts.newAccount ? accountWithBank(facts.newAccount) : blank('新结算账户');
  const signature = `${ACQUIRER_PLACEHOLDER}\n${today}`;

  const customer: MessageTemplate = {
    id: 'customer_apology',
    party: 'customer',
    title: { zh: '致持卡人的致歉及处理方案', en: 'Apology and solution to a cardholder' },
    text: [
      '尊敬的持卡人：',
      `您好！您于 ${when} 在「${merchant.name}」的刷卡交易，受到该商户收款账户异常事件（编号 ${ref}）的影响，给您带来不便，我们深表歉意。`,
      '我们为您提供以下处理方案，请您选择：',
      `1. 退款：将交易金额${blank('金额')}元原路退回您的银行卡（卡号 ${blank('卡号后四位')}），预计 7 个工作日内到账；`,
      '2. 重新交易：如您仍需该商品或服务，可在商户处重新支付，原交易款项将全额退还，不会重复扣款。',
      `如有疑问，请致电 ${HOTLINE_PLACEHOLDER}，并告知事件编号 ${ref}。`,
      signature,
    ].join('\n'),
  };

  const partner: MessageTemplate = {
    id: 'partner_notice',
    party: 'partner',
    title: {
      zh: '致供应商、经销商或服务商的情况通知',
      en: 'Notice to a supplier, distributor or the service provider',
    },
    text: [
      `致${blank('合作方名称')}：`,
      `「${merchant.name}」（商户编号 ${merchant.merchantNo}）于 ${chinaDate(incident.openedAt)} 发生收款账户异常事件（编号 ${ref}），${affectedLine}。我们已暂停相关终端、暂缓划付待结算资金，并正在核实、更正商户的结算账户。`,
      facts.newAccount
        ? `商户的结算账户已于 ${chinaDateTime(facts.newAccount.completedAt)} 经核验变更为 ${newAccount}。`
        : '商户结算账户的更正正在办理中，完成后我们将另行通知。',
      `在此期间，请勿依据此前登记的收款账户（${oldAccount}）进行付款或对账调整；与该商户的往来款项，请以我方书面通知为准。`,
      `如有疑问，请致电 ${HOTLINE_PLACEHOLDER}，并告知事件编号 ${ref}。`,
      signature,
    ].join('\n'),
  };

  const merchantChanged: MessageTemplate = {
    id: 'merchant_account_changed',
    party: 'merchant',
    title: { zh: '致商户的结算账户变更确认', en: 'Account-change confirmation to the merchant' },
    text: [
      `尊敬的「${merchant.name}」：`,
      facts.newAccount
        ? `您好！贵商户（商户编号 ${merchant.merchantNo}）的结算账户变更已于 ${chinaDateTime(facts.newAccount.completedAt)} 办理完成：新结算账户为 ${newAccount}；原结算账户 ${oldAccount} 已停止使用。`
        : `您好！贵商户（商户编号 ${merchant.merchantNo}）的结算账户变更${blank('办理完成时间')}办理完成：新结算账户为 ${newAccount}；原结算账户 ${oldAccount} 已停止使用。`,
      `为保障资金安全，变更完成后 ${facts.coolingOffHours} 小时内为冷静期，期间的结算款项暂缓划付，冷静期满后将划入新结算账户。`,
      `如本次变更并非贵商户申请，请立即致电 ${HOTLINE_PLACEHOLDER}（事件编号 ${ref}）。`,
      signature,
    ].join('\n'),
  };

  const recoveryAmount = facts.recovery
    ? `${formatYuan(facts.recovery.amountFen)} 元`
    : blank('错付金额');
  const wrongAccount =
    facts.recovery?.accountMasked ?? facts.oldAccount?.masked ?? blank('错误账户');
  const wrongName = facts.recovery?.accountName ?? facts.oldAccount?.accountName ?? blank('户名');
  const bank: MessageTemplate = {
    id: 'bank_recovery_request',
    party: 'bank',
    title: {
      zh: '致错误收款账户开户行的退款协助函',
      en: 'Request to the wrong account’s bank to return the funds',
    },
    text: [
      `致${facts.oldAccount?.bankName ?? blank('开户银行')}：`,
      `我司为「${merchant.name}」（商户编号 ${merchant.merchantNo}）提供收单服务。因该商户收款账户登记错误（事件编号 ${ref}），我司于 ${when} 将应付该商户的结算款共计 ${recoveryAmount}错误划入贵行账户 ${wrongAccount}（户名：${wrongName}）。`,
      `恳请贵行协助联系该账户持有人，将上述款项退回我司指定账户 ${blank('退回账户')}，或依法采取相应措施，并将处理结果函告我司。`,
      `随函附上事件材料（编号 ${ref}）。联系人：${blank('联系人')}，电话：${HOTLINE_PLACEHOLDER}。`,
      signature,
    ].join('\n'),
  };

  if (facts.refunds && facts.refunds.count > 0) {
    customer.text = customer.text.replace(
      '我们为您提供以下处理方案，请您选择：',
      `我们为您提供以下处理方案，请您选择（本事件已登记退款 ${facts.refunds.count} 笔、共 ${formatYuan(facts.refunds.amountFen)} 元）：`,
    );
  }
  return [customer, partner, merchantChanged, bank];
}
