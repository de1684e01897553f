import { describe, expect, it } from 'vitest';
import {
  contactTimelineText,
  HOTLINE_PLACEHOLDER,
  messageTemplates,
  TEMPLATE_IDS,
  type TemplateFacts,
} from './contacts.js';

const BARE: TemplateFacts = {
  incident: { reference: 'SG-20261126-ABCDEF12', openedAt: '2026-11-26T07:30:00Z' },
  merchant: { merchantNo: '880000000000001', name: '北京示例餐饮管理有限公司' },
  affected: null,
  oldAccount: null,
  newAccount: null,
  coolingOffHours: 24,
  recovery: null,
  refunds: null,
  now: '2026-11-26T08:00:00Z',
};

const FULL: TemplateFacts = {
  ...BARE,
  affected: {
    count: 3,
    amountFen: 1_234_567,
    firstAt: '2026-11-24T16:30:00Z',
    lastAt: '2026-11-26T07:30:00Z',
  },
  oldAccount: { masked: '****9999', accountName: '上海示例贸易有限公司', bankName: '中国工商银行' },
  newAccount: { masked: '****2345', bankName: '中国建设银行', completedAt: '2026-11-27T02:00:00Z' },
  recovery: { amountFen: 56_789, accountMasked: '****9999', accountName: '上海示例贸易有限公司' },
  refunds: { count: 2, amountFen: 20_000 },
};

const byId = (facts: TemplateFacts) =>
  Object.fromEntries(messageTemplates(facts).map((t) => [t.id, t]));

describe('messageTemplates', () => {
  it('answers the four templates in a fixed order, each for its party, titled in both languages', () => {
    const items = messageTemplates(BARE);
    expect(items.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    expect(items.map((t) => t.party)).toEqual(['customer', 'partner', 'merchant', 'bank']);
    for (const t of items) {
      expect(t.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(t.title.en).toMatch(/^[A-Z]/);
      expect(t.text).toContain('SG-20261126-ABCDEF12');
      expect(t.text).toContain('2026-11-26');
    }
  });

  it('leaves what is not known as visible placeholders, never a guess', () => {
    const t = byId(BARE);
    expect(t.customer_apology!.text).toContain(
      '您于 【待填：交易日期】 在「北京示例餐饮管理有限公司」',
    );
    expect(t.partner_notice!.text).toContain('涉及交易【待填：笔数及金额】');
    expect(t.partner_notice!.text).toContain('商户结算账户的更正正在办理中');
    expect(t.merchant_account_changed!.text).toContain('新结算账户为 【待填：新结算账户】');
    expect(t.merchant_account_changed!.text).toContain('原结算账户 【待填：原收款账户】');
    expect(t.bank_recovery_request!.text).toContain('致【待填：开户银行】：');
    expect(t.bank_recovery_request!.text).toContain('共计 【待填：错付金额】');
    for (const template of Object.values(t)) {
      expect(template.text).toContain(HOTLINE_PLACEHOLDER);
      expect(template.text).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('fills amounts in yuan, dates in China time, and the masked accounts of the change', () => {
    const t = byId(FULL);
    // 16:30 UTC on the 24th is already the 25th in China.
    expect(t.customer_apology!.text).toContain('您于 2026-11-25 至 2026-11-26 在');
    expect(t.customer_apology!.text).toContain('本事件已登记退款 2 笔、共 200.00 元');
    expect(t.partner_notice!.text).toContain('涉及交易 3 笔、金额 12,345.67 元');
    expect(t.partner_notice!.text).toContain('2026-11-27 10:00 经核验变更为 中国建设银行 ****2345');
    expect(t.partner_notice!.text).toContain('此前登记的收款账户（中国工商银行 ****9999）');
    expect(t.merchant_account_changed!.text).toContain(
      '已于 2026-11-27 10:00 办理完成：新结算账户为 中国建设银行 ****2345；原结算账户 中国工商银行 ****9999 已停止使用',
    );
    expect(t.merchant_account_changed!.text).toContain('24 小时内为冷静期');
    expect(t.bank_recovery_request!.text).toContain('致中国工商银行：');
    expect(t.bank_recovery_request!.text).toContain(
      '共计 567.89 元错误划入贵行账户 ****9999（户名：上海示例贸易有限公司）',
    );
  });
});

describe('contactTimelineText', () => {
  it('says who was contacted and how, without the summary', () => {
    expect(contactTimelineText({ party: 'bank', partyName: null, channel: 'letter' })).toEqual({
      zh: '通过信函联系银行，已记录',
      en: 'Contacted the bank by letter; logged',
    });
    expect(
      contactTimelineText({ party: 'partner', partyName: '上海某供应链公司', channel: 'wechat' }),
    ).toEqual({
      zh: '通过微信联系合作方（上海某供应链公司），已记录',
      en: 'Contacted the partner (上海某供应链公司) by WeChat; logged',
    });
  });
});
