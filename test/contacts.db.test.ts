/**
 * The contact log and the message templates of an incident through the HTTP API: who may log
 * and read (staff only; merchant users are refused even on their own incident), the entry as
 * answered and listed, its audit entry and internal timeline entry (hidden from the merchant),
 * the refusals with their codes, the table's refusal of changes, and templates filled from the
 * incident with masked numbers only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { IDS } from './support/fixtures.js';
import { MERCHANTS, OTHER_ACCOUNT, PAN, seedIncident } from './support/evidence.js';
import { verifyAuditTrail } from '../src/app/audit.js';

const admin = bearer(ADMIN_TOKEN);
let t: TestApp;
let incidentId: string;
let support: Record<string, string>;
let auditor: Record<string, string>;
let approver: Record<string, string>;
let merchantA: Record<string, string>;
let sw: Record<string, string>;
const responses: string[] = [];

interface Contact {
  id: string;
  incidentId: string;
  party: string;
  partyName: string | null;
  channel: string;
  summary: string;
  outcome: string | null;
  templateId: string | null;
  createdBy: string;
  createdAt: string;
}

async function call(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = admin,
  payload?: object,
) {
  const response = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  responses.push(response.body);
  return response;
}

interface Template {
  id: string;
  party: string;
  title: { zh: string; en: string };
  text: string;
}

const contactsUrl = () => `/api/v1/incidents/${incidentId}/contacts`;

beforeAll(async () => {
  t = await startTestApp();
  ({ incidentId } = await seedIncident(t.app, admin));
  support = bearer(await t.tokenFor('support-1', 'support'));
  auditor = bearer(await t.tokenFor('auditor-1', 'auditor'));
  approver = bearer(await t.tokenFor('approver-1', 'approver'));
  merchantA = bearer(await t.tokenFor('merchant-a', 'merchant', [MERCHANTS.a]));
  sw = bearer(await t.tokenFor('switch-1', 'switch'));
});
afterAll(async () => {
  await t.close();
});

describe('logging a contact', () => {
  it('records what support said to a cardholder, audited and on the internal timeline', async () => {
    const response = await call('POST', contactsUrl(), support, {
      party: 'customer',
      partyName: '李女士',
      channel: 'phone',
      summary: '  致电持卡人说明交易受影响，致歉并提供退款或重新交易两种方案。 ',
      outcome: '持卡人选择退款',
      templateId: 'customer_apology',
    });
    expect(response.statusCode).toBe(201);
    const contact = response.json<Contact>();
    expect(contact).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      incidentId,
      party: 'customer',
      partyName: '李女士',
      channel: 'phone',
      summary: '致电持卡人说明交易受影响，致歉并提供退款或重新交易两种方案。',
      outcome: '持卡人选择退款',
      templateId: 'customer_apology',
      createdBy: 'support-1',
      createdAt: '2026-11-26T08:00:00.000Z',
    });

    const audit = await t.tdb.db.query<{ actor: string; merchant_no: string; after: unknown }>(
      `SELECT actor, merchant_no, after FROM audit_entries
        WHERE action = 'incident.contact_logged' AND entity_id = $1`,
      [contact.id],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'support-1',
        merchant_no: MERCHANTS.a,
        after: {
          incidentId,
          party: 'customer',
          partyName: '李女士',
          channel: 'phone',
          summary: contact.summary,
          outcome: '持卡人选择退款',
          templateId: 'customer_apology',
        },
      },
    ]);

    const staffView = await call('GET', `/api/v1/incidents/${incidentId}`, approver);
    const entry = staffView
      .json<{ timeline: { kind: string; actor: string; text: { zh: string; en: string } }[] }>()
      .timeline.find((e) => e.kind === 'contact_logged');
    expect(entry).toEqual({
      at: '2026-11-26T08:00:00.000Z',
      kind: 'contact_logged',
      actor: 'support-1',
      text: {
        zh: '通过电话联系持卡人（李女士），已记录',
        en: 'Contacted the cardholder (李女士) by phone; logged',
      },
    });
    const merchantView = await call('GET', `/api/v1/incidents/${incidentId}`, merchantA);
    expect(merchantView.statusCode).toBe(200);
    expect(
      merchantView.json<{ timeline: { kind: string }[] }>().timeline.map((e) => e.kind),
    ).not.toContain('contact_logged');
  });

  it('lists the log in order for staff, never for merchant users or the switch', async () => {
    t.advance(60_000);
    const second = await call('POST', contactsUrl(), admin, {
      party: 'bank',
      channel: 'letter',
      summary: '向错误收款账户开户行发函，请求协助退回款项。',
      templateId: 'bank_recovery_request',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json<Contact>()).toMatchObject({ partyName: null, outcome: null });
    for (const who of [admin, support, auditor, approver]) {
      const list = await call('GET', contactsUrl(), who);
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: Contact[] }>().items.map((c) => [c.party, c.createdBy])).toEqual([
        ['customer', 'support-1'],
        ['bank', 'admin'],
      ]);
    }
    for (const who of [merchantA, sw]) {
      const list = await call('GET', contactsUrl(), who);
      expect(list.statusCode).toBe(403);
      expect(list.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it('is for admin, risk, ops and support only', async () => {
    const body = { party: 'merchant', channel: 'wechat', summary: '通知商户' };
    for (const who of [merchantA, auditor, approver, sw]) {
      const response = await call('POST', contactsUrl(), who, body);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it('refuses what is not a valid entry, with the field and code', async () => {
    const cases: [object, string][] = [
      [{ party: 'press', channel: 'phone', summary: 'x' }, 'party'],
      [{ party: 'customer', channel: 'pigeon', summary: 'x' }, 'channel'],
      [{ party: 'customer', channel: 'phone', summary: '' }, 'summary'],
      [{ party: 'customer', channel: 'phone', summary: '   ' }, 'summary'],
      [{ party: 'customer', channel: 'phone', summary: 'x'.repeat(2001) }, 'summary'],
      [{ party: 'customer', channel: 'phone', summary: 'x', templateId: 'nope' }, 'templateId'],
      [
        { party: 'customer', channel: 'phone', summary: 'x', partyName: 'n'.repeat(101) },
        'partyName',
      ],
      [{ party: 'customer', channel: 'phone' }, 'summary'],
    ];
    for (const [payload, path] of cases) {
      const response = await call('POST', contactsUrl(), support, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(422);
      const problem = response.json<{ code: string; errors: { path: string }[] }>();
      expect(problem.code).toBe('validation_failed');
      expect(new Set(problem.errors.map((e) => e.path))).toEqual(new Set([path]));
    }
    const unknown = await call(
      'POST',
      '/api/v1/incidents/00000000-0000-4000-8000-000000000000/contacts',
      support,
      { party: 'customer', channel: 'phone', summary: 'x' },
    );
    expect(unknown.statusCode).toBe(404);
    expect((await call('GET', '/api/v1/incidents/nope/contacts', support)).statusCode).toBe(404);
  });

  it('keeps the log append-only', async () => {
    await expect(
      t.tdb.db.query(`UPDATE incident_contacts SET summary = 'changed'`),
    ).rejects.toThrow(/append-only/);
    await expect(t.tdb.db.query('DELETE FROM incident_contacts')).rejects.toThrow(/append-only/);
  });
});

describe('message templates', () => {
  it('fills the four templates from the incident, masked, with placeholders for what is not known yet', async () => {
    const response = await call(
      'GET',
      `/api/v1/incidents/${incidentId}/message-templates`,
      support,
    );
    expect(response.statusCode).toBe(200);
    const items = response.json<{ items: Template[] }>().items;
    expect(items.map((i) => [i.id, i.party])).toEqual([
      ['customer_apology', 'customer'],
      ['partner_notice', 'partner'],
      ['merchant_account_changed', 'merchant'],
      ['bank_recovery_request', 'bank'],
    ]);
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    const ref = `SG-20261126-${incidentId.slice(0, 8).toUpperCase()}`;
    // The mismatched sale of 567.89 yuan on 26 November (China time), the merchant's name.
    expect(byId.customer_apology!.text).toContain(
      '您于 2026-11-26 在「北京示例餐饮管理有限公司」的刷卡交易',
    );
    expect(byId.customer_apology!.text).toContain(`编号 ${ref}`);
    expect(byId.customer_apology!.text).toContain('【收单机构客服热线】');
    expect(byId.partner_notice!.text).toContain('涉及交易 1 笔、金额 567.89 元');
    // No change has completed: the account in force is named masked, the new one a placeholder.
    expect(byId.partner_notice!.text).toContain('（****2345）');
    expect(byId.merchant_account_changed!.text).toContain('新结算账户为 【待填：新结算账户】');
    expect(byId.merchant_account_changed!.text).toContain('24 小时内为冷静期');
    expect(byId.bank_recovery_request!.text).toContain('共计 【待填：错付金额】');
    expect(byId.bank_recovery_request!.text).toContain('贵行账户 ****2345');
    for (const item of items) {
      expect(item.title.zh.length).toBeGreaterThan(0);
      expect(item.title.en.length).toBeGreaterThan(0);
    }
  });

  it('is refused to merchant users and the switch, and unknown incidents are not found', async () => {
    for (const who of [merchantA, sw]) {
      const response = await call('GET', `/api/v1/incidents/${incidentId}/message-templates`, who);
      expect(response.statusCode).toBe(403);
    }
    const unknown = await call(
      'GET',
      '/api/v1/incidents/00000000-0000-4000-8000-000000000000/message-templates',
      auditor,
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('templates after the change and the remediation', () => {
  // The account-change and remediation flows are tested in their own files; here their rows are
  // written directly, as their migrations define them, to check what the templates read of them.
  it('name the completed change’s accounts, the recovery claimed and the refunds recorded', async () => {
    const db = t.tdb.db;
    const at = new Date('2026-11-27T02:00:00Z');
    const previous = await db.query<{ account_id: string }>(
      `SELECT account_id FROM settlement_accounts WHERE merchant_no = $1 AND valid_to IS NULL`,
      [MERCHANTS.a],
    );
    const newNumber = '1001234509000056789';
    await db.query(
      `INSERT INTO account_change_requests (id, merchant_no, incident_id, status, reason,
         account_number_enc, account_fp, account_number_masked, account_name, account_type,
         bank_name, name_check, checks, required_documents, high_risk, approvals_needed,
         previous_account_id, requested_by, requested_by_role, requested_at, new_account_id,
         completed_at, updated_at)
       VALUES ($1, $2, $3, 'completed', '更正错误账户', $4, $5, '****6789',
         '北京示例餐饮管理有限公司', 'corporate', '中国建设银行', '{}', '[]', '{}', false, 1, $6,
         'ops-1', 'ops', $7, $8, $7, $7)`,
      [
        t.ctx.newId(),
        MERCHANTS.a,
        incidentId,
        t.ctx.vault.seal('account_number', newNumber),
        t.ctx.vault.fingerprint('account_number', newNumber),
        previous.rows[0]!.account_id,
        at,
        t.ctx.newId(),
      ],
    );
    const caseId = t.ctx.newId();
    await db.query(
      `INSERT INTO recovery_cases (id, incident_id, merchant_no, account_number_masked,
         account_name, status, created_at, created_by)
       VALUES ($1, $2, $3, '****9999', '上海示例贸易有限公司', 'open', $4, 'risk-1')`,
      [caseId, incidentId, MERCHANTS.a, at],
    );
    const refundRemediation = t.ctx.newId();
    for (const [id, action] of [
      [t.ctx.newId(), 'recover'],
      [refundRemediation, 'refund'],
    ] as const) {
      await db.query(
        `INSERT INTO remediations (id, incident_id, merchant_no, kind, transaction_id, action,
           status, amount_fen, recovery_case_id, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, 'settled_to_wrong_account', 'ev-mismatch-1', $4, 'open', 56789, $5,
           $6, 'risk-1', $6)`,
        [id, incidentId, MERCHANTS.a, action, action === 'recover' ? caseId : null, at],
      );
    }
    await db.query(
      `INSERT INTO cardholder_refunds (id, remediation_id, incident_id, merchant_no,
         transaction_id, amount_fen, status, created_at)
       VALUES ($1, $2, $3, $4, 'ev-mismatch-1', 56789, 'pending', $5)`,
      [t.ctx.newId(), refundRemediation, incidentId, MERCHANTS.a, at],
    );

    const response = await call(
      'GET',
      `/api/v1/incidents/${incidentId}/message-templates`,
      support,
    );
    expect(response.statusCode).toBe(200);
    const byId = Object.fromEntries(
      response.json<{ items: Template[] }>().items.map((i) => [i.id, i.text]),
    );
    expect(byId.merchant_account_changed).toContain(
      '已于 2026-11-27 10:00 办理完成：新结算账户为 中国建设银行 ****6789；原结算账户',
    );
    expect(byId.merchant_account_changed).toContain('****2345 已停止使用');
    expect(byId.merchant_account_changed).not.toContain('【待填：新结算账户】');
    expect(byId.partner_notice).toContain('经核验变更为 中国建设银行 ****6789');
    expect(byId.bank_recovery_request).toContain(
      '共计 567.89 元错误划入贵行账户 ****9999（户名：上海示例贸易有限公司）',
    );
    expect(byId.customer_apology).toContain('本事件已登记退款 1 笔、共 567.89 元');
    expect(`${await t.tdb.dumpText()}\n${responses.join('\n')}`).not.toContain(newNumber);
  });
});

describe('a closed incident', () => {
  it('takes no more contacts', async () => {
    // Closing through the lifecycle is the incident tests' business: set the status here.
    await t.tdb.db.query(`UPDATE incidents SET status = 'closed' WHERE id = $1`, [incidentId]);
    const response = await call('POST', contactsUrl(), support, {
      party: 'merchant',
      channel: 'phone',
      summary: '回访',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'incident_closed' });
  });
});

describe('at rest', () => {
  it('shows no full account or card number, and the audit chain verifies', async () => {
    const everything = `${await t.tdb.dumpText()}\n${responses.join('\n')}`;
    for (const secret of [IDS.corporateAccount, OTHER_ACCOUNT, PAN, IDS.residentIdValid]) {
      expect(everything).not.toContain(secret);
    }
    expect(await verifyAuditTrail(t.tdb.db)).toMatchObject({ ok: true });
  });
});
