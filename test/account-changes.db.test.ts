/**
 * Account changes through the HTTP API: the request with every check listed and the documents
 * it needs, refusals with their codes (invalid number, one at a time, four eyes, documents
 * missing, consent missing, a second approval by the same approver), a high-risk change that
 * needs two approvers, rejection and cancellation as terminal states, scoping (another
 * merchant's user gets 404), the queue, the audit trail, and no full account number anywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import {
  call,
  provideDocuments,
  reviewDocument,
  staffUsers,
  uploadDocument,
  type ChangeBody,
  type Headers,
  type Users,
} from './support/account-changes.js';

const M = { e: '891000000000001', o: '891000000000002', micro: '891000000000003' };
const OTHER_ACCOUNT = '1001234509000099999';
const NEW_E = '1100220033004400551';
const NEW_O = '2200330044005500662';

let t: TestApp;
let evidenceDir: string;
let u: Users;
const admin = bearer(ADMIN_TOKEN);
let merchantE: Headers;
let merchantO: Headers;
let merchantMicro: Headers;
const bodies: string[] = [];

async function req<T = ChangeBody>(
  method: 'GET' | 'POST',
  url: string,
  headers: Headers,
  payload?: unknown,
) {
  const reply = await call<T>(t, method, url, headers, payload);
  bodies.push(JSON.stringify(reply.body));
  return reply;
}

beforeAll(async () => {
  evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-account-changes-'));
  t = await startTestApp({ evidenceDir });
  const imported = await call<{ failed: unknown[] }>(t, 'POST', '/api/v1/import', admin, {
    records: [
      enterpriseRecord({ merchantNo: M.e, terminalIds: ['AC000001'] }),
      enterpriseRecord({
        merchantNo: M.o,
        name: '上海示例贸易有限公司',
        terminalIds: ['AC000002'],
        legalIdNumber: IDS.residentIdValid2,
        accountNumber: OTHER_ACCOUNT,
      }),
      microRecord({ merchantNo: M.micro }),
    ],
  });
  expect(imported.body.failed).toEqual([]);
  u = await staffUsers(t);
  merchantE = bearer(await t.tokenFor('merchant-e', 'merchant', [M.e]));
  merchantO = bearer(await t.tokenFor('merchant-o', 'merchant', [M.o]));
  merchantMicro = bearer(await t.tokenFor('merchant-micro', 'merchant', [M.micro]));
});

afterAll(async () => {
  await t.close();
  fs.rmSync(evidenceDir, { recursive: true, force: true });
});

describe('asking for an account change', () => {
  let change: ChangeBody;

  it('refuses an invalid number with its code and stores nothing', async () => {
    const bad = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, u.ops, {
      accountNumber: '12ab',
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
      reason: '原账户已销户',
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'corporate_account_format' });
    const personal = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, u.ops, {
      accountNumber: IDS.cardIcbc,
      accountName: '王建国',
      accountType: 'personal',
      reason: '改为法人个人账户',
    });
    expect(personal.status).toBe(422);
    expect(personal.body).toMatchObject({ code: 'account_type_not_allowed' });
    const list = await req<{ items: unknown[] }>('GET', `/api/v1/account-changes`, admin);
    expect(list.body.items).toEqual([]);
  });

  it('lists every check, the documents it needs, and what each caller may do', async () => {
    const created = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, u.ops, {
      accountNumber: NEW_E,
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
      bankCode: '102100099996',
      bankName: '中国工商银行',
      reason: '原基本户迁移至新开户行',
    });
    expect(created.status).toBe(201);
    change = created.body;
    expect(change).toMatchObject({
      merchantNo: M.e,
      merchantName: '北京示例餐饮管理有限公司',
      incidentId: null,
      status: 'pending_documents',
      requestedBy: 'ops1',
      account: {
        accountNumberMasked: '****0551',
        accountName: '北京示例餐饮管理有限公司',
        accountType: 'corporate',
      },
      previousAccount: { accountNumberMasked: '****2345' },
      highRisk: false,
      riskReasons: [],
      requiredDocuments: ['business_license', 'account_opening_permit'],
      documentsNeeded: ['business_license', 'account_opening_permit'],
      documents: [],
      consent: null,
      approvals: [],
      approvalsNeeded: 1,
      verification: null,
      completedAt: null,
      newAccountId: null,
      allowedActions: ['cancel', 'attach_documents', 'record_consent'],
    });
    expect(change.checks.map((c) => [c.code, c.result])).toEqual([
      ['account_number', 'pass'],
      ['account_type', 'pass'],
      ['bank', 'pass'],
      ['holder_name', 'pass'],
      ['account_reuse', 'pass'],
    ]);
    expect(change.checks[3]?.message.zh).toContain('一致');
    const asApprover = await req('GET', `/api/v1/account-changes/${change.id}`, u.approver1);
    expect(asApprover.body.allowedActions).toEqual(['reject']);
    expect(asApprover.body.approveBlockedBy).toBe('documents_missing');
  });

  it('takes one change per merchant at a time', async () => {
    const again = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, u.risk, {
      accountNumber: NEW_O,
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
      reason: '再次申请',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'account_change_in_progress' });
  });

  it("keeps a merchant's changes to its own users and staff", async () => {
    const other = await req('GET', `/api/v1/account-changes/${change.id}`, merchantO);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'not_found' });
    const otherList = await req('GET', `/api/v1/merchants/${M.e}/account-changes`, merchantO);
    expect(otherList.status).toBe(404);
    const queue = await req<{ items: ChangeBody[] }>('GET', '/api/v1/account-changes', merchantO);
    expect(queue.body.items).toEqual([]);
    const ask = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, merchantO, {
      accountNumber: NEW_O,
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
      reason: '冒名申请',
    });
    expect(ask.status).toBe(404);
    const approve = await req('POST', `/api/v1/account-changes/${change.id}/cancel`, merchantO, {
      reason: '不是我的',
    });
    expect(approve.status).toBe(404);
    const own = await req('GET', `/api/v1/account-changes/${change.id}`, merchantE);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: change.id, requestedBy: 'acquirer' });
    expect(own.body.allowedActions).toEqual(['cancel', 'attach_documents', 'record_consent']);
    const ownList = await req<{ items: ChangeBody[] }>(
      'GET',
      `/api/v1/merchants/${M.e}/account-changes`,
      merchantE,
    );
    expect(ownList.body.items.map((c) => c.id)).toEqual([change.id]);
    const support = await req('GET', `/api/v1/account-changes/${change.id}`, u.support);
    expect(support.status).toBe(200);
    expect(support.body.allowedActions).toEqual([]);
    const supportAsks = await req('POST', `/api/v1/merchants/${M.o}/account-changes`, u.support, {
      accountNumber: NEW_O,
      accountName: '上海示例贸易有限公司',
      accountType: 'corporate',
      reason: '客服代提',
    });
    expect(supportAsks.status).toBe(403);
    expect(supportAsks.body).toMatchObject({ code: 'forbidden' });
  });

  it('is approved only with every document accepted and consent recorded, never by its requester', async () => {
    const early = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/approve`,
      u.approver1,
      {},
    );
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'documents_missing' });

    // The merchant sends the documents: waiting for review, they are no longer missing.
    const licence = await uploadDocument(t, merchantE, M.e, 'business_license');
    const permit = await uploadDocument(t, merchantE, M.e, 'account_opening_permit');
    const foreign = await uploadDocument(t, merchantO, M.o, 'business_license');
    const wrongMerchant = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/documents`,
      merchantE,
      { documentIds: [foreign] },
    );
    expect(wrongMerchant.status).toBe(404);
    const attached = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/documents`,
      merchantE,
      {
        documentIds: [licence, permit],
      },
    );
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({ status: 'pending_approval', requiredDocuments: [] });
    expect(attached.body.documents.map((d) => [d.type, d.status])).toEqual([
      ['business_license', 'pending_review'],
      ['account_opening_permit', 'pending_review'],
    ]);
    const pending = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/approve`,
      u.approver1,
      {},
    );
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ code: 'documents_missing' });

    // A rejected document is missing again until a new one comes.
    await reviewDocument(t, u.approver2, permit, 'rejected');
    const afterRejection = await req('GET', `/api/v1/account-changes/${change.id}`, u.ops);
    expect(afterRejection.body).toMatchObject({
      status: 'pending_documents',
      requiredDocuments: ['account_opening_permit'],
    });
    const permit2 = await uploadDocument(t, merchantE, M.e, 'account_opening_permit');
    await req('POST', `/api/v1/account-changes/${change.id}/documents`, merchantE, {
      documentIds: [permit2],
    });
    await reviewDocument(t, u.approver2, licence);
    await reviewDocument(t, u.approver2, permit2);

    const noConsent = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/approve`,
      u.approver1,
      {},
    );
    expect(noConsent.status).toBe(409);
    expect(noConsent.body).toMatchObject({ code: 'consent_missing' });
    const noReference = await req('POST', `/api/v1/account-changes/${change.id}/consent`, u.ops, {
      channel: 'signed_form',
    });
    expect(noReference.status).toBe(422);
    const consent = await req('POST', `/api/v1/account-changes/${change.id}/consent`, u.ops, {
      channel: 'signed_form',
      reference: 'SF-2026-1126-01',
    });
    expect(consent.status).toBe(200);
    expect(consent.body.consent).toMatchObject({
      channel: 'signed_form',
      reference: 'SF-2026-1126-01',
      recordedBy: 'ops1',
    });

    const byOps = await req('POST', `/api/v1/account-changes/${change.id}/approve`, u.ops, {});
    expect(byOps.status).toBe(403);
    expect(byOps.body).toMatchObject({ code: 'forbidden' });
    const ready = await req('GET', `/api/v1/account-changes/${change.id}`, u.approver1);
    expect(ready.body.allowedActions).toEqual(['approve', 'reject']);
    expect(ready.body.approveBlockedBy).toBeNull();
    const approved = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/approve`,
      u.approver1,
      {
        note: '证照齐全，户名一致',
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'pending_verification',
      approvals: [{ by: 'appr1', note: '证照齐全，户名一致' }],
      verification: null,
    });
    const asMerchant = await req('GET', `/api/v1/account-changes/${change.id}`, merchantE);
    expect(asMerchant.body.approvals).toEqual([
      { by: 'acquirer', at: expect.any(String) as string, note: null },
    ]);
    expect(asMerchant.body.allowedActions).toEqual(['cancel', 'start_verification']);
    const twice = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/approve`,
      u.approver2,
      {},
    );
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'invalid_state' });
  });

  it('refuses the requester both approval and rejection (four eyes), and a rejection is final', async () => {
    const created = await req('POST', `/api/v1/merchants/${M.micro}/account-changes`, u.admin2, {
      accountNumber: IDS.cardCcb,
      accountName: '张丽',
      accountType: 'personal',
      reason: '原卡挂失换卡',
      consent: { channel: 'phone_recorded', reference: 'REC-88231' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      requiredDocuments: ['legal_person_id_front', 'legal_person_id_back', 'bank_card'],
      consent: { channel: 'phone_recorded', reference: 'REC-88231', recordedBy: 'admin2' },
    });
    const id = created.body.id;
    await provideDocuments(t, created.body, merchantMicro, u.approver1);
    const own = await req('POST', `/api/v1/account-changes/${id}/approve`, u.admin2, {});
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 'four_eyes_violation' });
    const ownReject = await req('POST', `/api/v1/account-changes/${id}/reject`, u.admin2, {
      reason: '自己驳回',
    });
    expect(ownReject.status).toBe(403);
    expect(ownReject.body).toMatchObject({ code: 'four_eyes_violation' });
    // A rejection says why: none is refused; `note`, as an approval has, is taken as the reason.
    const silent = await req('POST', `/api/v1/account-changes/${id}/reject`, u.approver1, {});
    expect(silent.status).toBe(422);
    expect(silent.body).toMatchObject({ code: 'validation_failed' });
    const rejected = await req('POST', `/api/v1/account-changes/${id}/reject`, u.approver1, {
      note: '银行卡照片与申请卡号不符',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejection: { by: 'appr1', reason: '银行卡照片与申请卡号不符' },
      allowedActions: [],
    });
    const seen = await req('GET', `/api/v1/account-changes/${id}`, merchantMicro);
    expect(seen.body.rejection).toMatchObject({
      by: 'acquirer',
      reason: '银行卡照片与申请卡号不符',
    });
    for (const [action, body] of [
      ['approve', {}],
      ['cancel', { reason: '撤销' }],
      ['verification', {}],
      ['consent', { channel: 'merchant_console' }],
    ] as const) {
      const after = await req(
        'POST',
        `/api/v1/account-changes/${id}/${action}`,
        merchantMicro,
        body,
      );
      expect(after.status, action).toBe(action === 'approve' ? 403 : 409);
    }
  });

  it('needs two different approvers for a high-risk change', async () => {
    const created = await req('POST', `/api/v1/merchants/${M.o}/account-changes`, u.ops, {
      accountNumber: NEW_O,
      accountName: '深圳某某科技有限公司',
      accountType: 'corporate',
      bankCode: '105100000017',
      reason: '商户要求结算至合作方账户',
      consent: { channel: 'signed_form', reference: 'SF-2026-1126-02' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending_documents',
      highRisk: true,
      riskReasons: ['name_no_match'],
      approvalsNeeded: 2,
      // The licence merchant O sent earlier (above) was taken by the request itself.
      requiredDocuments: ['account_opening_permit', 'settlement_authorization'],
    });
    expect(created.body.documents.map((d) => d.type)).toEqual(['business_license']);
    expect(created.body.checks.find((c) => c.code === 'holder_name')?.result).toBe('fail');
    const id = created.body.id;
    await provideDocuments(t, created.body, u.ops, u.approver2);
    const first = await req('POST', `/api/v1/account-changes/${id}/approve`, u.approver1, {});
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'pending_approval', approvals: [{ by: 'appr1' }] });
    const again = await req('POST', `/api/v1/account-changes/${id}/approve`, u.approver1, {});
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'four_eyes_violation' });
    t.advance(60_000);
    const second = await req('POST', `/api/v1/account-changes/${id}/approve`, admin, {});
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      status: 'pending_verification',
      approvals: [{ by: 'appr1' }, { by: 'admin' }],
    });
  });

  it("takes a merchant user's own request as its consent, and a cancellation is final", async () => {
    const cancelled = await req('POST', `/api/v1/account-changes/${change.id}/cancel`, merchantE, {
      reason: '新账户开户信息有误',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', allowedActions: [] });
    const own = await req('POST', `/api/v1/merchants/${M.e}/account-changes`, merchantE, {
      accountNumber: NEW_E,
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
      bankCode: '102100099996',
      reason: '更正开户行',
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({
      requestedBy: 'merchant-e',
      consent: { channel: 'merchant_console', reference: null, recordedBy: 'merchant-e' },
      status: 'pending_documents',
    });
  });

  it('answers the queue by shown status and merchant', async () => {
    const documents = await req<{ items: ChangeBody[] }>(
      'GET',
      '/api/v1/account-changes?status=pending_documents',
      u.auditor,
    );
    expect(documents.body.items.map((c) => c.merchantNo)).toEqual([M.e]);
    const verifying = await req<{ items: ChangeBody[] }>(
      'GET',
      '/api/v1/account-changes?status=pending_verification',
      u.approver1,
    );
    expect(verifying.body.items.map((c) => c.merchantNo)).toEqual([M.o]);
    const all = await req<{ items: ChangeBody[]; nextCursor?: string }>(
      'GET',
      '/api/v1/account-changes?limit=2',
      admin,
    );
    expect(all.body.items).toHaveLength(2);
    const rest = await req<{ items: ChangeBody[] }>(
      'GET',
      `/api/v1/account-changes?limit=2&cursor=${all.body.nextCursor ?? ''}`,
      admin,
    );
    expect([...all.body.items, ...rest.body.items].map((c) => c.status).sort()).toEqual([
      'cancelled',
      'pending_documents',
      'pending_verification',
      'rejected',
    ]);
    const byMerchant = await req<{ items: ChangeBody[] }>(
      'GET',
      `/api/v1/account-changes?merchantNo=${M.e}`,
      admin,
    );
    expect(byMerchant.body.items.map((c) => c.status)).toEqual(['pending_documents', 'cancelled']);
  });

  it('writes every step to the audit trail, in order', async () => {
    const { rows } = await t.ctx.db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_entries WHERE entity_type = 'account_change' AND entity_id = $1
        ORDER BY seq`,
      [change.id],
    );
    expect(rows.map((r) => `${r.action} ${r.actor}`)).toEqual([
      'account_change.requested ops1',
      // Each upload joins the change by itself; then the merchant names them all once more.
      'account_change.documents_attached merchant-e',
      'account_change.documents_attached merchant-e',
      'account_change.documents_attached merchant-e',
      'account_change.consent_recorded ops1',
      'account_change.approved appr1',
      'account_change.cancelled merchant-e',
    ]);
    const audit = await call<{ ok: boolean }>(t, 'GET', '/api/v1/audit/verify', admin);
    expect(audit.body.ok).toBe(true);
  });

  it('keeps every full number out of the database and every answer', async () => {
    const dump = await t.tdb.dumpText();
    expect(dump).toContain('****0551');
    for (const secret of [NEW_E, NEW_O, IDS.cardCcb, OTHER_ACCOUNT, IDS.corporateAccount]) {
      expect(dump).not.toContain(secret);
      for (const body of bodies) expect(body).not.toContain(secret);
    }
  });
});
