/**
 * Verifying a new account and completing the change: the micro-deposit goes out in the next
 * payout file (after the lines, purpose 账户验证, its id in 明细号), in the ledger as it goes and
 * as the bank answers (paid, returned), `ledger/verify` balanced at each step; the merchant
 * confirms the amount (refused before it went out); three wrong amounts lock the change; a
 * returned deposit fails the verification and another may be started; a test transaction is
 * matched when it arrives. Completion writes the registry as versions, emits account.changed
 * (the merchant's bell), and tells the incident; the velocity limit counts completed changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import { MERCHANTS, seedIncident } from './support/evidence.js';
import { parseCsv } from '../src/core/settlement/results-file.js';
import { JobRunner } from '../src/jobs/runner.js';
import { registerJobHandlers } from '../src/jobs/handlers.js';
import { insertJournals } from '../src/app/ledger/journals.js';
import { microDepositJournal } from '../src/core/settlement/ledger.js';
import {
  call,
  provideDocuments,
  staffUsers,
  type ChangeBody,
  type Headers,
  type Users,
} from './support/account-changes.js';

const C = '892000000000003';
const D = '892000000000004';
const NEW_A = '3300440055006600773';
const NEW_C = '4400550066007700884';

let t: TestApp;
let evidenceDir: string;
let u: Users;
const admin = bearer(ADMIN_TOKEN);
let merchantA: Headers;
let merchantC: Headers;
let merchantD: Headers;
let incidentId: string;
let runId: string;
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

async function ledgerBalanced(): Promise<Record<string, number>> {
  const verdict = await call<{
    balanced: boolean;
    problems: unknown[];
    totals: Record<string, number>;
  }>(t, 'GET', '/api/v1/ledger/verify', admin);
  expect(verdict.body.problems).toEqual([]);
  expect(verdict.body.balanced).toBe(true);
  return verdict.body.totals;
}

/** The payout file of the run, parsed: rows after the header. */
async function payoutRows(): Promise<string[][]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/settlement-runs/${runId}/payout-file`,
    headers: u.ops,
  });
  expect(response.statusCode).toBe(200);
  const rows = parseCsv(response.body).filter((r) => r.some((c) => c !== ''));
  return rows.slice(1);
}

function fen(yuan: string): number {
  const [whole = '0', cents = '0'] = yuan.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

/** Asks for a change, provides its documents and consent, and has it approved. */
async function approvedChange(
  merchantNo: string,
  uploader: Headers,
  account: { accountNumber: string; accountName: string; accountType: 'corporate' | 'personal' },
): Promise<ChangeBody> {
  const created = await req('POST', `/api/v1/merchants/${merchantNo}/account-changes`, u.ops, {
    ...account,
    bankCode: '102100099996',
    reason: '原结算账户已销户',
    consent: { channel: 'signed_form', reference: `SF-${merchantNo}` },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await provideDocuments(t, created.body, uploader, u.approver2);
  let view = created.body;
  for (const approver of [u.approver1, admin].slice(0, created.body.approvalsNeeded)) {
    t.advance(1_000);
    const approved = await req('POST', `/api/v1/account-changes/${view.id}/approve`, approver, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    view = approved.body;
  }
  expect(view.status).toBe('pending_verification');
  return view;
}

beforeAll(async () => {
  evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-micro-deposits-'));
  t = await startTestApp({ evidenceDir });
  ({ incidentId } = await seedIncident(t.app, admin));
  const imported = await call<{ failed: unknown[] }>(t, 'POST', '/api/v1/import', admin, {
    records: [
      enterpriseRecord({
        merchantNo: C,
        name: '杭州示例超市有限公司',
        terminalIds: ['MD000003'],
        legalIdNumber: IDS.residentIdValid4,
        accountNumber: '1001234509000055555',
      }),
      {
        ...microRecord({ merchantNo: D, personName: '李梅', legalIdNumber: IDS.residentIdValid2 }),
        terminals: [
          {
            terminalId: 'MD000004',
            serialNumber: 'SNMD04',
            model: 'PAX A920',
            firmwareVersion: 'V2.3.1',
          },
        ],
      },
    ],
  });
  expect(imported.body.failed).toEqual([]);
  const ingested = await call<{ results: { outcome: string }[] }>(
    t,
    'POST',
    '/api/v1/transactions',
    admin,
    {
      transactions: [
        {
          id: 'md-c-1',
          terminalId: 'MD000003',
          merchantNo: C,
          type: 'purchase',
          amountFen: 88_800,
          occurredAt: '2026-11-25T04:00:00Z',
        },
      ],
    },
  );
  expect(ingested.body.results.map((r) => r.outcome)).toEqual(['accepted']);
  u = await staffUsers(t);
  merchantA = bearer(await t.tokenFor('merchant-a', 'merchant', [MERCHANTS.a]));
  merchantC = bearer(await t.tokenFor('merchant-c', 'merchant', [C]));
  merchantD = bearer(await t.tokenFor('merchant-d', 'merchant', [D]));
  const run = await call<{ id: string; lines: { merchantNo: string; status: string }[] }>(
    t,
    'POST',
    '/api/v1/settlement-runs',
    u.ops,
    { businessDate: '2026-11-25' },
  );
  expect(run.status).toBe(201);
  runId = run.body.id;
});

afterAll(async () => {
  await t.close();
  fs.rmSync(evidenceDir, { recursive: true, force: true });
});

describe('a change during an incident, verified by micro-deposit', () => {
  let change: ChangeBody;
  let depositId: string;
  let amount: number;

  it('links the open incident and needs two approvers', async () => {
    change = await approvedChange(MERCHANTS.a, merchantA, {
      accountNumber: NEW_A,
      accountName: '北京示例餐饮管理有限公司',
      accountType: 'corporate',
    });
    expect(change).toMatchObject({
      incidentId,
      highRisk: true,
      riskReasons: ['open_incident'],
      approvalsNeeded: 2,
    });
  });

  it('refuses to confirm before the deposit has gone out', async () => {
    const notStarted = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantA,
      { amountFen: 12 },
    );
    expect(notStarted.status).toBe(409);
    expect(notStarted.body).toMatchObject({ code: 'invalid_state' });
    const started = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification`,
      merchantA,
      {
        method: 'micro_deposit',
      },
    );
    expect(started.status).toBe(200);
    expect(started.body.verification).toMatchObject({
      method: 'micro_deposit',
      status: 'awaiting_file',
      attemptsLeft: 3,
      runId: null,
      amountToKeyFen: null,
    });
    depositId = started.body.verification?.id ?? '';
    const early = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantA,
      { amountFen: 12 },
    );
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'verification_not_sent' });
    expect(JSON.stringify(started.body)).not.toMatch(/"amountFen"/);
  });

  it('sends it in the next payout file after the lines, in flight in the ledger', async () => {
    const before = await ledgerBalanced();
    const rows = await payoutRows();
    const deposit = rows.find((r) => r[1] === depositId);
    expect(deposit).toBeDefined();
    expect(rows.at(-1)).toBe(deposit);
    expect(rows.filter((r) => r[10]?.startsWith('结算款')).map((r) => r[2])).toEqual([C]);
    expect(deposit?.slice(2, 8)).toEqual([
      MERCHANTS.a,
      NEW_A,
      '北京示例餐饮管理有限公司',
      '对公',
      '102100099996',
      '',
    ]);
    expect(deposit?.[9]).toBe('CNY');
    expect(deposit?.[10]).toBe('账户验证');
    amount = fen(deposit?.[8] ?? '');
    expect(amount).toBeGreaterThanOrEqual(1);
    expect(amount).toBeLessThanOrEqual(99);
    const totals = await ledgerBalanced();
    expect(totals.verification_in_flight).toBe((before.verification_in_flight ?? 0) - amount);
    expect(totals.verification_expense).toBe((before.verification_expense ?? 0) + amount);
    const view = await req('GET', `/api/v1/account-changes/${change.id}`, merchantA);
    expect(view.body.verification).toMatchObject({ status: 'sent', runId, attemptsLeft: 3 });
    expect(view.body.allowedActions).toEqual(['cancel', 'confirm']);

    // Downloaded again before the bank answers: the same row, no second journal.
    const again = await payoutRows();
    expect(again.find((r) => r[1] === depositId)?.[8]).toBe(deposit?.[8]);
    const { rows: journals } = await t.ctx.db.query<{ id: string }>(
      "SELECT id FROM ledger_journals WHERE kind = 'micro_deposit' AND id LIKE $1",
      [`microdeposit:${depositId}:%`],
    );
    expect(journals).toHaveLength(1);
    await ledgerBalanced();
  });

  it("records the bank's answer with the lines' and counts a wrong amount", async () => {
    const otherMerchant = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantC,
      { amountFen: amount },
    );
    expect(otherMerchant.status).toBe(404);
    const auditor = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      u.auditor,
      { amountFen: amount },
    );
    expect(auditor.status).toBe(403);
    const wrong = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantA,
      { amountFen: (amount % 99) + 1 },
    );
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({
      matched: false,
      attemptsLeft: 2,
      status: 'pending_verification',
    });
    const lines = await call<{ items: { id: string; merchantNo: string }[] }>(
      t,
      'GET',
      `/api/v1/settlement-runs/${runId}/lines`,
      admin,
    );
    const lineC = lines.body.items.find((l) => l.merchantNo === C)?.id ?? '';
    const results = await call<{
      applied: number;
      results: { lineId: string; outcome: string; lineStatus?: string }[];
    }>(t, 'POST', '/api/v1/settlement-results', u.ops, {
      results: [
        { lineId: depositId, status: 'paid', bankReference: 'MD-0001' },
        { lineId: lineC, status: 'paid', bankReference: 'B-0001' },
      ],
    });
    expect(results.status).toBe(200);
    expect(results.body.applied).toBe(2);
    expect(results.body.results.map((r) => [r.lineId, r.outcome, r.lineStatus])).toEqual([
      [depositId, 'applied', 'paid'],
      [lineC, 'applied', 'paid'],
    ]);
    const twice = await call<{ unchanged: number }>(
      t,
      'POST',
      '/api/v1/settlement-results',
      u.ops,
      {
        results: [{ lineId: depositId, status: 'paid' }],
      },
    );
    expect(twice.body.unchanged).toBe(1);
    const totals = await ledgerBalanced();
    expect(totals.verification_in_flight ?? 0).toBe(0);
    expect(totals.verification_expense).toBe(amount);
  });

  it('completes the change with the right amount: registry versions, event, bell, timeline', async () => {
    t.advance(60_000);
    const right = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantA,
      { amountFen: amount },
    );
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ matched: true, attemptsLeft: 2, status: 'completed' });
    const view = await req('GET', `/api/v1/account-changes/${change.id}`, admin);
    expect(view.body).toMatchObject({
      status: 'completed',
      verification: { status: 'confirmed' },
      allowedActions: [],
    });
    expect(view.body.newAccountId).toEqual(expect.any(String));

    const { rows: versions } = await t.ctx.db.query<{
      account_id: string;
      status: string;
      account_number_masked: string;
      closed: boolean;
    }>(
      `SELECT account_id, status, account_number_masked, valid_to IS NOT NULL AS closed
         FROM settlement_accounts WHERE merchant_no = $1 ORDER BY version_id`,
      [MERCHANTS.a],
    );
    expect(versions.map((v) => [v.account_number_masked, v.status, v.closed])).toEqual([
      ['****2345', 'active', true],
      ['****2345', 'superseded', false],
      ['****0773', 'active', false],
    ]);
    expect(versions[2]?.account_id).toBe(view.body.newAccountId);
    const merchant = await call<{
      settlementAccount: { accountNumberMasked: string; status: string };
    }>(t, 'GET', `/api/v1/merchants/${MERCHANTS.a}`, merchantA);
    expect(merchant.body.settlementAccount).toMatchObject({
      accountNumberMasked: '****0773',
      status: 'active',
    });

    const { rows: events } = await t.ctx.db.query<{
      merchant_no: string;
      incident_id: string;
      data: Record<string, unknown>;
    }>("SELECT merchant_no, incident_id, data FROM outbox_events WHERE type = 'account.changed'");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      merchant_no: MERCHANTS.a,
      incident_id: incidentId,
      data: {
        accountChangeId: change.id,
        accountNumberMasked: '****0773',
        previousAccountNumberMasked: '****2345',
        coolingOffUntil: new Date(t.ctx.now().getTime() + 24 * 3_600_000).toISOString(),
      },
    });
    const runner = registerJobHandlers(
      new JobRunner(t.ctx, { log: { error: () => undefined } }),
      t.ctx,
      { evidenceDir: null },
    );
    await runner.runDue();
    const bell = await call<{ items: { type: string }[] }>(
      t,
      'GET',
      '/api/v1/notifications',
      merchantA,
    );
    expect(bell.body.items.map((n) => n.type)).toContain('account.changed');
    const otherBell = await call<{ items: { type: string }[] }>(
      t,
      'GET',
      '/api/v1/notifications',
      merchantC,
    );
    expect(otherBell.body.items.map((n) => n.type)).not.toContain('account.changed');

    const incident = await call<{ timeline: { kind: string; text: { zh: string; en: string } }[] }>(
      t,
      'GET',
      `/api/v1/incidents/${incidentId}`,
      admin,
    );
    expect(
      incident.body.timeline.map((e) => e.kind).filter((k) => k.startsWith('account_change')),
    ).toEqual([
      'account_change_requested',
      'account_change_approved',
      'account_change_approved',
      'account_change_verified',
      'account_change_completed',
    ]);
    const completed = incident.body.timeline.find((e) => e.kind === 'account_change_completed');
    expect(completed?.text.zh).toContain('****0773');
    expect(completed?.text.en).toContain('****2345');
    await ledgerBalanced();
  });

  it("holds the next line to the new account for the policy's cooling-off period", async () => {
    const run = await call<{
      lines: {
        merchantNo: string;
        status: string;
        holdReasons: string[];
        accountNumberMasked: string;
      }[];
    }>(t, 'POST', '/api/v1/settlement-runs', u.ops, { businessDate: '2026-11-26' });
    expect(run.status).toBe(201);
    const line = run.body.lines.find((l) => l.merchantNo === MERCHANTS.a);
    expect(line).toMatchObject({ status: 'held', accountNumberMasked: '****0773' });
    expect(line?.holdReasons).toContain('account_cooling_off');
    expect(line?.holdReasons).not.toContain('account_not_verified');
    await ledgerBalanced();
  });
});

describe('three wrong amounts lock the change', () => {
  it('locks, audits and refuses any further amount', async () => {
    const change = await approvedChange(C, merchantC, {
      accountNumber: NEW_C,
      accountName: '杭州示例超市有限公司',
      accountType: 'corporate',
    });
    const started = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification`,
      merchantC,
    );
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const rows = await payoutRows();
    const verificationId = (await req('GET', `/api/v1/account-changes/${change.id}`, merchantC))
      .body.verification?.id;
    const deposit = rows.find((r) => r[1] === verificationId);
    const amount = fen(deposit?.[8] ?? '');
    const wrong = [1, 2, 3].map((k) => ((amount + k - 1) % 99) + 1);
    const answers = [];
    for (const amountFen of wrong) {
      const answer = await req(
        'POST',
        `/api/v1/account-changes/${change.id}/verification/confirm`,
        merchantC,
        { amountFen },
      );
      answers.push(answer.body);
    }
    expect(answers).toEqual([
      { matched: false, attemptsLeft: 2, status: 'pending_verification' },
      { matched: false, attemptsLeft: 1, status: 'pending_verification' },
      { matched: false, attemptsLeft: 0, status: 'locked' },
    ]);
    const fourth = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantC,
      { amountFen: amount },
    );
    expect(fourth.status).toBe(409);
    expect(fourth.body).toMatchObject({ code: 'invalid_state' });
    const view = await req('GET', `/api/v1/account-changes/${change.id}`, merchantC);
    expect(view.body).toMatchObject({
      status: 'locked',
      verification: { status: 'locked', attemptsLeft: 0 },
      allowedActions: [],
      completedAt: null,
    });
    const cancel = await req('POST', `/api/v1/account-changes/${change.id}/cancel`, u.ops, {
      reason: '锁定后撤销',
    });
    expect(cancel.status).toBe(409);
    const { rows: audit } = await t.ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_id = $1 AND action LIKE 'account_change.%'
        ORDER BY seq`,
      [change.id],
    );
    expect(audit.map((a) => a.action).slice(-4)).toEqual([
      'account_change.confirmation_failed',
      'account_change.confirmation_failed',
      'account_change.confirmation_failed',
      'account_change.locked',
    ]);
    // The account in force is still the old one.
    const { rows: accounts } = await t.ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM settlement_accounts WHERE merchant_no = $1 AND status = 'superseded'",
      [C],
    );
    expect(accounts[0]?.n).toBe(0);
    // A locked change leaves room for a new request.
    await ledgerBalanced();
  });
});

describe('a returned deposit, a test transaction, and the velocity limit', () => {
  it('fails the verification on a return and lets another one start', async () => {
    const change = await approvedChange(D, merchantD, {
      accountNumber: IDS.cardCcb,
      accountName: '李梅',
      accountType: 'personal',
    });
    const started = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification`,
      merchantD,
    );
    const depositId = started.body.verification?.id ?? '';
    const sent = (await payoutRows()).find((r) => r[1] === depositId);
    const amount = fen(sent?.[8] ?? '');
    const before = await ledgerBalanced();
    const returned = await call<{
      results: { outcome: string; lineStatus?: string; returnCode?: string }[];
    }>(t, 'POST', '/api/v1/settlement-results', u.ops, {
      results: [{ lineId: depositId, status: 'returned', reason: '账户已冻结，交易被拒绝' }],
    });
    expect(returned.body.results).toEqual([
      expect.objectContaining({
        outcome: 'applied',
        lineStatus: 'returned',
        returnCode: 'account_frozen',
      }),
    ]);
    const totals = await ledgerBalanced();
    expect(totals.verification_in_flight).toBe((before.verification_in_flight ?? 0) + amount);
    expect(totals.verification_expense).toBe((before.verification_expense ?? 0) - amount);
    const view = await req('GET', `/api/v1/account-changes/${change.id}`, merchantD);
    expect(view.body).toMatchObject({
      status: 'pending_verification',
      verification: { id: depositId, status: 'returned' },
    });
    expect(view.body.allowedActions).toEqual(['cancel', 'start_verification']);
    const confirm = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification/confirm`,
      merchantD,
      { amountFen: 5 },
    );
    expect(confirm.status).toBe(409);

    const noTerminal = await req(
      'POST',
      `/api/v1/account-changes/${change.id}/verification`,
      merchantD,
      {
        method: 'test_transaction',
        terminalId: 'MD000003',
      },
    );
    expect(noTerminal.status).toBe(409);
    expect(noTerminal.body).toMatchObject({ code: 'no_active_terminal' });
    const test = await req('POST', `/api/v1/account-changes/${change.id}/verification`, merchantD, {
      method: 'test_transaction',
    });
    expect(test.status).toBe(200);
    const amountToKey = test.body.verification?.amountToKeyFen ?? 0;
    expect(test.body.verification).toMatchObject({
      method: 'test_transaction',
      status: 'awaiting_transaction',
      terminalId: 'MD000004',
    });
    expect(amountToKey).toBeGreaterThanOrEqual(101);
    expect(amountToKey).toBeLessThanOrEqual(999);

    // Another amount or a declined one does not match; the approved one does, on reading.
    t.advance(5 * 60_000);
    await call(t, 'POST', '/api/v1/transactions', admin, {
      transactions: [
        {
          id: 'md-d-wrong',
          terminalId: 'MD000004',
          merchantNo: D,
          type: 'purchase',
          amountFen: amountToKey + 1,
          occurredAt: t.ctx.now().toISOString(),
        },
        {
          id: 'md-d-declined',
          terminalId: 'MD000004',
          merchantNo: D,
          type: 'purchase',
          status: 'declined',
          amountFen: amountToKey,
          occurredAt: t.ctx.now().toISOString(),
        },
      ],
    });
    const waiting = await req('GET', `/api/v1/account-changes/${change.id}`, merchantD);
    expect(waiting.body.status).toBe('pending_verification');
    await call(t, 'POST', '/api/v1/transactions', admin, {
      transactions: [
        {
          id: 'md-d-test',
          terminalId: 'MD000004',
          merchantNo: D,
          type: 'purchase',
          amountFen: amountToKey,
          occurredAt: t.ctx.now().toISOString(),
        },
      ],
    });
    const matched = await req('GET', `/api/v1/account-changes/${change.id}`, merchantD);
    expect(matched.body).toMatchObject({
      status: 'completed',
      verification: { status: 'matched', method: 'test_transaction' },
    });
  });

  it('matches a test transaction from the job too, then refuses a third change in the window', async () => {
    t.advance(3_600_000);
    const second = await approvedChange(D, merchantD, {
      accountNumber: IDS.cardAbc,
      accountName: '李梅',
      accountType: 'personal',
    });
    const test = await req('POST', `/api/v1/account-changes/${second.id}/verification`, merchantD, {
      method: 'test_transaction',
    });
    t.advance(10_000);
    await call(t, 'POST', '/api/v1/transactions', admin, {
      transactions: [
        {
          id: 'md-d-test-2',
          terminalId: 'MD000004',
          merchantNo: D,
          type: 'purchase',
          amountFen: test.body.verification?.amountToKeyFen ?? 0,
          occurredAt: t.ctx.now().toISOString(),
        },
      ],
    });
    t.advance(30_000);
    const runner = registerJobHandlers(
      new JobRunner(t.ctx, { log: { error: () => undefined } }),
      t.ctx,
      { evidenceDir: null },
    );
    await runner.runDue();
    const { rows } = await t.ctx.db.query<{ status: string }>(
      'SELECT status FROM account_change_requests WHERE id = $1',
      [second.id],
    );
    expect(rows[0]?.status).toBe('completed');
    const { rows: versions } = await t.ctx.db.query<{ masked: string; status: string }>(
      `SELECT account_number_masked AS masked, status FROM settlement_accounts
        WHERE merchant_no = $1 AND valid_to IS NULL ORDER BY version_id`,
      [D],
    );
    expect(versions.map((v) => v.status)).toEqual(['superseded', 'superseded', 'active']);
    expect(versions[2]?.masked).toBe('622848*********0018');

    const third = await req('POST', `/api/v1/merchants/${D}/account-changes`, u.ops, {
      accountNumber: IDS.cardIcbc,
      accountName: '李梅',
      accountType: 'personal',
      reason: '第三次变更',
    });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'velocity_limit' });
    // Thirty days after the first, the window has room again.
    t.advance(31 * 24 * 3_600_000);
    const later = await req('POST', `/api/v1/merchants/${D}/account-changes`, u.ops, {
      accountNumber: IDS.cardIcbc,
      accountName: '李梅',
      accountType: 'personal',
      reason: '一个月后再次变更',
    });
    expect(later.status).toBe(201);
  });

  it('keeps every full number out of the database and every answer but the payout file', async () => {
    await ledgerBalanced();
    const dump = await t.tdb.dumpText();
    expect(dump).toContain('****0773');
    for (const secret of [NEW_A, NEW_C, IDS.cardCcb, IDS.cardAbc]) {
      expect(dump).not.toContain(secret);
      for (const body of bodies) expect(body).not.toContain(secret);
    }
    const audit = await call<{ ok: boolean }>(t, 'GET', '/api/v1/audit/verify', admin);
    expect(audit.body.ok).toBe(true);
  });
});

describe('ledger verification of micro-deposits', () => {
  it('finds a micro-deposit journal that no deposit explains', async () => {
    await insertJournals(
      t.ctx.db,
      [
        microDepositJournal({
          depositId: '00000000-0000-4000-8000-00000000d0d0',
          merchantNo: D,
          amountFen: 7,
        }),
      ],
      { at: t.ctx.now(), actor: 'test' },
    );
    const verdict = await call<{
      balanced: boolean;
      problems: {
        code: string;
        journalId?: string;
        account?: string;
        expectedFen?: number;
        actualFen?: number;
      }[];
    }>(t, 'GET', '/api/v1/ledger/verify', admin);
    expect(verdict.body.balanced).toBe(false);
    const [expense, inFlight] = verdict.body.problems.slice(1);
    expect((expense?.actualFen ?? 0) - (expense?.expectedFen ?? 0)).toBe(7);
    expect((inFlight?.actualFen ?? 0) - (inFlight?.expectedFen ?? 0)).toBe(-7);
    expect(verdict.body.problems).toEqual([
      expect.objectContaining({
        code: 'micro_deposit_mismatch',
        journalId: 'microdeposit:00000000-0000-4000-8000-00000000d0d0:sent',
      }),
      expect.objectContaining({ code: 'micro_deposit_mismatch', account: 'verification_expense' }),
      expect.objectContaining({
        code: 'micro_deposit_mismatch',
        account: 'verification_in_flight',
      }),
    ]);
  });
});
