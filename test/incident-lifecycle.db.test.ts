/**
 * The incident lifecycle through the HTTP API, on incidents opened for real by ingest
 * (terminal used under another merchant): every action, each refusal with its code, the
 * held-money rule with a settlement run and a release during remediation, reopening, the audit
 * entries in order, the events in the outbox, merchant scope, validation limits, the queue's
 * filters and the dashboard's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord } from './support/fixtures.js';

let t: TestApp;

const M = {
  a: '710000000000001',
  b: '710000000000002',
  c: '710000000000003',
};
const AT = '2026-11-25T02:00:00Z';
const DAY = '2026-11-25';

const tokens: Record<string, string> = { admin: ADMIN_TOKEN };

interface Incident {
  id: string;
  status: string;
  severity: string;
  merchantNo: string;
  drill: boolean;
  assignee: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  containedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  openedAt: string;
  ackDueAt: string;
  ackOverdue: boolean;
  rootCause: { category: string; detail: string; operator?: string; recordedBy: string } | null;
  postMortem: { summary: string; lessons: string[] } | null;
  heldMoneyPlan: string | null;
  heldMoney: { holdActive: boolean; amountFen: number; lineCount: number };
  allowedTransitions: { to: string; action: string; blockedBy: string[] }[];
  containment: { settlementHeld: boolean; terminalsSuspended: string[] };
  timeline: { kind: string; actor: string; text: { zh: string; en: string } }[];
}
interface Problem {
  code: string;
  errors?: { path: string; code: string }[];
}

async function call<T = Incident>(
  method: 'GET' | 'POST',
  url: string,
  user: string,
  payload?: unknown,
): Promise<{ status: number; body: T }> {
  const headers = bearer(tokens[user] ?? '');
  const response = await t.app.inject(
    payload === undefined
      ? { method, url, headers }
      : { method, url, headers, payload: payload as Record<string, unknown> },
  );
  return { status: response.statusCode, body: response.json<T>() };
}

const act = (id: string, action: string, user: string, payload: unknown = {}) =>
  call('POST', `/api/v1/incidents/${id}/${action}`, user, payload);
const move = (id: string, user: string, to: string, extra: Record<string, unknown> = {}) =>
  act(id, 'transition', user, { to, ...extra });

async function expectRefused(
  response: Promise<{ status: number; body: unknown }>,
  status: number,
  code: string,
) {
  const { status: got, body } = await response;
  expect({ status: got, code: (body as Problem).code }).toEqual({ status, code });
}

let seq = 0;
async function mismatch(merchantNo: string, terminalId: string): Promise<string> {
  seq += 1;
  const { body } = await call<{ results: { outcome: string; decision: string }[] }>(
    'POST',
    '/api/v1/transactions',
    'admin',
    {
      transactions: [
        {
          id: `LC${String(seq).padStart(6, '0')}`,
          terminalId,
          merchantNo,
          type: 'purchase',
          amountFen: 10_000 * seq,
          occurredAt: AT,
        },
      ],
    },
  );
  expect(body.results[0]).toMatchObject({ outcome: 'accepted', decision: 'contain' });
  const list = await call<{ items: Incident[] }>(
    'GET',
    `/api/v1/incidents?merchantNo=${merchantNo}&active=true`,
    'admin',
  );
  const open = list.body.items[0];
  if (!open) throw new Error(`no open incident for ${merchantNo}`);
  return open.id;
}

async function auditActions(incidentId: string): Promise<string[]> {
  const { rows } = await t.tdb.db.query<{ action: string }>(
    `SELECT action FROM audit_entries WHERE entity_type = 'incident' AND entity_id = $1
      ORDER BY seq`,
    [incidentId],
  );
  return rows.map((r) => r.action);
}

async function outbox(incidentId: string) {
  const { rows } = await t.tdb.db.query<{
    type: string;
    drill: boolean;
    data: Record<string, unknown>;
  }>(`SELECT type, drill, data FROM outbox_events WHERE incident_id = $1 ORDER BY at, type`, [
    incidentId,
  ]);
  return rows;
}

beforeAll(async () => {
  t = await startTestApp();
  const imported = await call<{ failed: unknown[] }>('POST', '/api/v1/import', 'admin', {
    records: [
      enterpriseRecord({
        merchantNo: M.a,
        terminalIds: ['L0000001'],
        accountNumber: '1001234509000010001',
      }),
      enterpriseRecord({
        merchantNo: M.b,
        terminalIds: ['L0000002'],
        accountNumber: '1001234509000010002',
      }),
      enterpriseRecord({
        merchantNo: M.c,
        terminalIds: ['L0000003'],
        accountNumber: '1001234509000010003',
      }),
    ],
  });
  expect(imported.body.failed).toEqual([]);
  tokens.rita = await t.tokenFor('rita', 'risk');
  tokens.oscar = await t.tokenFor('oscar', 'ops');
  tokens.april = await t.tokenFor('april', 'approver');
  tokens.audrey = await t.tokenFor('audrey', 'auditor');
  tokens.sam = await t.tokenFor('sam', 'support');
  tokens.swit = await t.tokenFor('swit', 'switch');
  tokens.merchA = await t.tokenFor('merch-a', 'merchant', [M.a]);
  tokens.merchB = await t.tokenFor('merch-b', 'merchant', [M.b]);
});

afterAll(async () => {
  await t.close();
});

describe('incident lifecycle over HTTP', () => {
  let a: string;
  let c: string;

  it('opens a real incident that shows its lifecycle fields and the moves each role may make', async () => {
    a = await mismatch(M.a, 'L0000002');
    const risk = await call('GET', `/api/v1/incidents/${a}`, 'rita');
    expect(risk.status).toBe(200);
    expect(risk.body).toMatchObject({
      status: 'open',
      severity: 'P1',
      drill: false,
      assignee: null,
      acknowledgedAt: null,
      rootCause: null,
      postMortem: null,
      heldMoneyPlan: null,
      ackOverdue: false,
      heldMoney: { holdActive: true, amountFen: 0, lineCount: 0 },
    });
    expect(Date.parse(risk.body.ackDueAt) - Date.parse(risk.body.openedAt)).toBe(300_000);
    expect(risk.body.allowedTransitions).toEqual([
      { to: 'acknowledged', action: 'acknowledge', blockedBy: [] },
    ]);
    for (const user of ['april', 'audrey', 'sam', 'merchA']) {
      const seen = await call('GET', `/api/v1/incidents/${a}`, user);
      expect(seen.status).toBe(200);
      expect(seen.body.allowedTransitions).toEqual([]);
    }
  });

  it('keeps merchant users to their own incidents and lets them act on none', async () => {
    await expectRefused(call('GET', `/api/v1/incidents/${a}`, 'merchB'), 404, 'not_found');
    const listB = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'merchB');
    expect(listB.body.items).toEqual([]);
    const listA = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'merchA');
    expect(listA.body.items.map((i) => i.id)).toEqual([a]);
    await expectRefused(act(a, 'acknowledge', 'merchA'), 403, 'forbidden');
    await expectRefused(act(a, 'comment', 'merchA', { text: 'hi' }), 403, 'forbidden');
    await expectRefused(act(a, 'assign', 'merchA', { username: 'rita' }), 403, 'forbidden');
    await expectRefused(move(a, 'merchA', 'acknowledged'), 403, 'forbidden');
    await expectRefused(
      act(a, 'root-cause', 'merchA', { category: 'other', detail: 'x' }),
      403,
      'forbidden',
    );
    await expectRefused(call('GET', '/api/v1/incidents/stats', 'merchA'), 403, 'forbidden');
    await expectRefused(call('GET', '/api/v1/incidents/stats', 'swit'), 403, 'forbidden');
  });

  it('becomes overdue when nobody acknowledges it in time, and the queue can show only those', async () => {
    t.advance(301_000);
    const overdue = await call<{ items: Incident[] }>(
      'GET',
      '/api/v1/incidents?ackOverdue=true',
      'rita',
    );
    expect(overdue.body.items.map((i) => i.id)).toEqual([a]);
    expect(overdue.body.items[0]?.ackOverdue).toBe(true);
    const stats = await call<{ open: { total: number; ackOverdue: number } }>(
      'GET',
      '/api/v1/incidents/stats',
      'audrey',
    );
    expect(stats.body.open).toMatchObject({ total: 1, ackOverdue: 1 });
  });

  it('refuses moves out of the table and roles that may not acknowledge', async () => {
    await expectRefused(move(a, 'oscar', 'contained'), 409, 'invalid_transition');
    await expectRefused(move(a, 'rita', 'closed'), 409, 'invalid_transition');
    await expectRefused(act(a, 'acknowledge', 'audrey'), 403, 'forbidden');
    await expectRefused(act(a, 'acknowledge', 'sam'), 403, 'forbidden');
    await expectRefused(act(a, 'acknowledge', 'swit'), 403, 'forbidden');
    await expectRefused(act(a, 'acknowledge', 'april'), 403, 'forbidden');
    await expectRefused(move(a, 'oscar', 'unknown'), 422, 'validation_failed');
    await expectRefused(
      act('00000000-0000-4000-8000-000000000000', 'acknowledge', 'oscar'),
      404,
      'not_found',
    );
    await expectRefused(act('not-an-id', 'acknowledge', 'oscar'), 404, 'not_found');
  });

  it('is acknowledged once, which announces it and stops it being overdue', async () => {
    const acked = await act(a, 'acknowledge', 'oscar');
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'oscar',
      ackOverdue: false,
    });
    expect(acked.body.acknowledgedAt).not.toBeNull();
    expect(acked.body.timeline.at(-1)).toMatchObject({
      kind: 'acknowledged',
      actor: 'oscar',
      text: { zh: 'oscar 已确认事件', en: 'oscar acknowledged the incident' },
    });
    await expectRefused(act(a, 'acknowledge', 'rita'), 409, 'invalid_transition');
    const events = (await outbox(a)).filter((e) => e.type === 'incident.acknowledged');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      drill: false,
      data: { incidentId: a, merchantNo: M.a, severity: 'P1', status: 'acknowledged', by: 'oscar' },
    });
  });

  it('is assigned only to an existing user who works incidents', async () => {
    await expectRefused(act(a, 'assign', 'oscar', { username: 'nobody' }), 422, 'user_unknown');
    await expectRefused(
      act(a, 'assign', 'oscar', { username: 'merch-a' }),
      422,
      'assignee_not_allowed',
    );
    await expectRefused(
      act(a, 'assign', 'oscar', { username: 'audrey' }),
      422,
      'assignee_not_allowed',
    );
    await expectRefused(act(a, 'assign', 'sam', { username: 'rita' }), 403, 'forbidden');
    await expectRefused(act(a, 'assign', 'oscar', { username: '' }), 422, 'validation_failed');
    const assigned = await act(a, 'assign', 'oscar', { username: 'rita' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toBe('rita');
    expect(assigned.body.timeline.at(-1)?.text.zh).toBe('oscar 将事件指派给 rita');
    // The same assignee again changes and records nothing.
    const again = await act(a, 'assign', 'rita', { username: 'rita' });
    expect(again.body.timeline).toHaveLength(assigned.body.timeline.length);
    const mine = await call<{ items: Incident[] }>(
      'GET',
      '/api/v1/incidents?assignee=rita',
      'rita',
    );
    expect(mine.body.items.map((i) => i.id)).toEqual([a]);
  });

  it('takes comments of at most 2000 characters, from support too but not auditors', async () => {
    await expectRefused(act(a, 'comment', 'sam', { text: '' }), 422, 'validation_failed');
    await expectRefused(act(a, 'comment', 'sam', { text: '   ' }), 422, 'validation_failed');
    await expectRefused(
      act(a, 'comment', 'sam', { text: 'x'.repeat(2001) }),
      422,
      'validation_failed',
    );
    await expectRefused(act(a, 'comment', 'audrey', { text: 'ok' }), 403, 'forbidden');
    const long = '商'.repeat(2000);
    expect((await act(a, 'comment', 'sam', { text: long })).status).toBe(200);
    const commented = await act(a, 'comment', 'sam', { text: '商户来电，称未更换终端' });
    expect(commented.status).toBe(200);
    expect(commented.body.timeline.at(-1)).toMatchObject({
      kind: 'comment',
      actor: 'sam',
      text: { zh: 'sam 评论：商户来电，称未更换终端', en: 'sam: 商户来电，称未更换终端' },
    });
  });

  it('moves forward step by step, and back only with a note', async () => {
    const contained = await move(a, 'oscar', 'contained');
    expect(contained.body).toMatchObject({ status: 'contained' });
    expect(contained.body.containedAt).not.toBeNull();
    expect((await move(a, 'oscar', 'investigating')).body.status).toBe('investigating');
    expect((await move(a, 'rita', 'correcting')).body.status).toBe('correcting');
    await expectRefused(move(a, 'rita', 'investigating'), 422, 'note_required');
    await expectRefused(move(a, 'rita', 'investigating', { note: '  ' }), 422, 'note_required');
    await expectRefused(
      move(a, 'rita', 'investigating', { note: 'n'.repeat(2001) }),
      422,
      'validation_failed',
    );
    const back = await move(a, 'rita', 'investigating', { note: '终端绑定记录有误，重新调查' });
    expect(back.body.status).toBe('investigating');
    expect(back.body.timeline.at(-1)).toMatchObject({
      kind: 'status_changed',
      text: {
        zh: 'rita 将事件状态由「纠正中」改为「调查中」：终端绑定记录有误，重新调查',
        en: 'rita moved the incident from correcting to investigating: 终端绑定记录有误，重新调查',
      },
    });
    expect((await move(a, 'oscar', 'correcting')).body.status).toBe('correcting');
    await expectRefused(
      move(a, 'oscar', 'verifying', { heldMoneyPlan: 'later' }),
      422,
      'validation_failed',
    );
    expect((await move(a, 'oscar', 'verifying')).body.status).toBe('verifying');
    await expectRefused(move(a, 'oscar', 'closed'), 409, 'invalid_transition');
  });

  it('will not resolve without a root cause, nor by operations', async () => {
    await expectRefused(move(a, 'april', 'resolved'), 409, 'root_cause_required');
    await expectRefused(move(a, 'oscar', 'resolved'), 403, 'forbidden');
    const seen = await call('GET', `/api/v1/incidents/${a}`, 'april');
    expect(seen.body.allowedTransitions).toEqual([
      {
        to: 'resolved',
        action: 'resolve',
        blockedBy: ['root_cause_required', 'held_money_plan_required'],
      },
    ]);
  });

  it('records a root cause; an operator error names an existing user', async () => {
    await expectRefused(
      act(a, 'root-cause', 'oscar', { category: 'operator_error', detail: '绑定错误' }),
      422,
      'operator_required',
    );
    await expectRefused(
      act(a, 'root-cause', 'oscar', {
        category: 'operator_error',
        detail: '绑定错误',
        operator: 'ghost',
      }),
      422,
      'user_unknown',
    );
    await expectRefused(
      act(a, 'root-cause', 'oscar', { category: 'bank_side', detail: 'x', operator: 'oscar' }),
      422,
      'validation_failed',
    );
    await expectRefused(
      act(a, 'root-cause', 'oscar', { category: 'weather', detail: 'x' }),
      422,
      'validation_failed',
    );
    await expectRefused(
      act(a, 'root-cause', 'oscar', { category: 'other', detail: 'd'.repeat(2001) }),
      422,
      'validation_failed',
    );
    await expectRefused(
      act(a, 'root-cause', 'april', { category: 'other', detail: 'x' }),
      403,
      'forbidden',
    );
    const recorded = await act(a, 'root-cause', 'rita', {
      category: 'operator_error',
      detail: '运维在终端迁移时把终端 L0000002 绑定到了错误的商户',
      operator: 'oscar',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.rootCause).toMatchObject({
      category: 'operator_error',
      operator: 'oscar',
      recordedBy: 'rita',
    });
    expect(recorded.body.timeline.at(-1)?.text.zh).toBe(
      'rita 记录根本原因（操作失误，由 oscar 的变更引起）：运维在终端迁移时把终端 L0000002 绑定到了错误的商户',
    );
  });

  it('holds the money a run holds, and releases it once remediating', async () => {
    const run = await call<{ lines: { merchantNo: string; status: string; amountFen: number }[] }>(
      'POST',
      '/api/v1/settlement-runs',
      'admin',
      { businessDate: DAY },
    );
    expect(run.status).toBe(201);
    const line = run.body.lines.find((l) => l.merchantNo === M.a);
    expect(line?.status).toBe('held');
    const verifying = await call('GET', `/api/v1/incidents/${a}`, 'april');
    expect(verifying.body.heldMoney).toEqual({
      holdActive: true,
      amountFen: line?.amountFen,
      lineCount: 1,
    });
    await expectRefused(move(a, 'april', 'resolved'), 409, 'held_money_plan_required');
    const release = (user: string) =>
      call('POST', `/api/v1/merchants/${M.a}/settlement-hold/release`, user, {
        reason: '账户已核实',
      });
    await expectRefused(release('april'), 409, 'open_containment');
    expect((await move(a, 'oscar', 'remediating')).body.status).toBe('remediating');
    expect((await release('april')).status).toBe(200);
    const released = await call('GET', `/api/v1/incidents/${a}`, 'april');
    expect(released.body.heldMoney).toEqual({ holdActive: false, amountFen: 0, lineCount: 0 });
    expect(released.body.allowedTransitions).toEqual([
      { to: 'resolved', action: 'resolve', blockedBy: [] },
    ]);
  });

  it('resolves once nothing is held any more, and announces it', async () => {
    const resolved = await move(a, 'april', 'resolved', { note: '已纠正并放行' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', heldMoneyPlan: null });
    expect(resolved.body.resolvedAt).not.toBeNull();
    expect(resolved.body.timeline.at(-1)?.kind).toBe('resolved');
    const events = (await outbox(a)).filter((e) => e.type === 'incident.resolved');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      drill: false,
      data: {
        incidentId: a,
        status: 'resolved',
        from: 'remediating',
        by: 'april',
        rootCauseCategory: 'operator_error',
        heldMoneyPlan: false,
      },
    });
  });

  it('closes only with a post-mortem holding 1 to 20 lessons', async () => {
    await expectRefused(move(a, 'april', 'closed'), 409, 'post_mortem_required');
    const pm = (payload: unknown, user = 'rita') => act(a, 'post-mortem', user, payload);
    await expectRefused(pm({ summary: 's', lessons: [] }), 422, 'validation_failed');
    await expectRefused(
      pm({ summary: 's', lessons: Array.from({ length: 21 }, (_, i) => `l${String(i)}`) }),
      422,
      'validation_failed',
    );
    await expectRefused(pm({ summary: 's', lessons: ['x'.repeat(501)] }), 422, 'validation_failed');
    await expectRefused(pm({ summary: 's', lessons: ['  '] }), 422, 'validation_failed');
    await expectRefused(pm({ summary: '', lessons: ['a'] }), 422, 'validation_failed');
    await expectRefused(pm({ summary: 's', lessons: ['a'] }, 'april'), 403, 'forbidden');
    const lessons = Array.from({ length: 20 }, (_, i) => `教训 ${String(i + 1)}`);
    const recorded = await pm({ summary: '终端迁移缺少复核', lessons });
    expect(recorded.status).toBe(200);
    expect(recorded.body.postMortem).toMatchObject({ summary: '终端迁移缺少复核', lessons });
    await expectRefused(move(a, 'oscar', 'closed'), 403, 'forbidden');
    const closed = await move(a, 'april', 'closed');
    expect(closed.body).toMatchObject({ status: 'closed', allowedTransitions: [] });
    expect(closed.body.closedAt).not.toBeNull();
  });

  it('is final once closed', async () => {
    for (const to of ['resolved', 'investigating', 'open', 'acknowledged']) {
      await expectRefused(move(a, 'admin', to), 409, 'invalid_transition');
    }
    await expectRefused(act(a, 'comment', 'rita', { text: 'late' }), 409, 'incident_closed');
    await expectRefused(act(a, 'assign', 'rita', { username: 'oscar' }), 409, 'incident_closed');
    await expectRefused(
      act(a, 'root-cause', 'rita', { category: 'other', detail: 'x' }),
      409,
      'incident_closed',
    );
    await expectRefused(
      act(a, 'post-mortem', 'rita', { summary: 's', lessons: ['a'] }),
      409,
      'incident_closed',
    );
    await expectRefused(
      act(a, 'severity', 'rita', { severity: 'P2', reason: 'x' }),
      409,
      'incident_closed',
    );
  });

  it('shows the merchant user what happened to its money and terminals, not the staff work', async () => {
    const staff = await call<Incident & { relatedMerchantNos: string[] }>(
      'GET',
      `/api/v1/incidents/${a}`,
      'rita',
    );
    const own = await call<Incident & { relatedMerchantNos: string[] }>(
      'GET',
      `/api/v1/incidents/${a}`,
      'merchA',
    );
    expect(own.status).toBe(200);
    // Staff see who did what and why; the merchant user does not.
    expect(staff.body.rootCause).not.toBeNull();
    expect(staff.body.postMortem).not.toBeNull();
    expect(staff.body.assignee).not.toBeNull();
    expect(staff.body.timeline.some((e) => e.kind === 'comment')).toBe(true);
    expect(own.body).toMatchObject({
      status: staff.body.status,
      rootCause: null,
      postMortem: null,
      heldMoneyPlan: null,
      assignee: null,
      acknowledgedBy: null,
      relatedMerchantNos: [],
    });
    const kinds = own.body.timeline.map((e) => e.kind);
    expect(kinds).toContain('opened');
    expect(kinds).toContain('terminal_suspended');
    for (const internal of ['comment', 'assigned', 'root_cause', 'post_mortem']) {
      expect(kinds).not.toContain(internal);
    }
    const staffNames = new Set(staff.body.timeline.map((e) => e.actor));
    staffNames.delete('screening');
    for (const entry of own.body.timeline) {
      expect(staffNames.has(entry.actor) && entry.actor !== 'acquirer', entry.actor).toBe(false);
      for (const name of staffNames) {
        expect(entry.text.zh, entry.kind).not.toContain(name);
        expect(entry.text.en, entry.kind).not.toContain(name);
      }
    }
    const listed = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'merchA');
    expect(listed.body.items[0]).toMatchObject({ assignee: null, acknowledgedBy: null });
  });

  it('wrote every action to the audit chain, in order, and the chain verifies', async () => {
    expect(await auditActions(a)).toEqual([
      'incident.opened',
      'incident.acknowledged',
      'incident.assigned',
      'incident.commented',
      'incident.commented',
      'incident.contained',
      'incident.investigation_started',
      'incident.correction_started',
      'incident.cause_revisited',
      'incident.correction_started',
      'incident.verification_started',
      'incident.root_cause_recorded',
      'incident.remediation_started',
      'incident.resolved',
      'incident.post_mortem_recorded',
      'incident.closed',
    ]);
    const { rows } = await t.tdb.db.query<{ before: unknown; after: unknown }>(
      `SELECT before, after FROM audit_entries
        WHERE entity_id = $1 AND action = 'incident.resolved'`,
      [a],
    );
    expect(rows[0]).toMatchObject({
      before: { status: 'remediating' },
      after: { status: 'resolved', note: '已纠正并放行', moneyHeld: false },
    });
    const verify = await call<{ ok: boolean }>('GET', '/api/v1/audit/verify', 'audrey');
    expect(verify.body.ok).toBe(true);
  });

  it('resolves with money still held only with a plan, which is recorded', async () => {
    c = await mismatch(M.c, 'L0000001');
    for (const to of ['acknowledged', 'contained', 'investigating']) {
      expect((await move(c, 'rita', to)).status).toBe(200);
    }
    await act(c, 'root-cause', 'rita', { category: 'fraud', detail: '不法分子借用他人终端收款' });
    await expectRefused(move(c, 'rita', 'resolved'), 409, 'held_money_plan_required');
    const plan = '暂停资金待公安机关出具意见后退回持卡人';
    const resolved = await move(c, 'rita', 'resolved', { heldMoneyPlan: plan });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', heldMoneyPlan: plan });
    expect(resolved.body.heldMoney.holdActive).toBe(true);
    expect(resolved.body.timeline.at(-1)?.text.zh).toContain(`暂停资金处理方案：${plan}`);
    const events = (await outbox(c)).filter((e) => e.type === 'incident.resolved');
    expect(events[0]?.data).toMatchObject({ heldMoneyPlan: true, from: 'investigating' });
  });

  it('is reopened by risk with a note, not by approvers, and not while another is open', async () => {
    await expectRefused(move(c, 'april', 'investigating', { note: 'x' }), 403, 'forbidden');
    await expectRefused(move(c, 'rita', 'investigating'), 422, 'note_required');
    const reopened = await move(c, 'rita', 'investigating', { note: '又发现同类交易' });
    expect(reopened.body).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect(reopened.body.heldMoneyPlan).toBeNull();
    expect(reopened.body.timeline.at(-1)?.kind).toBe('reopened');
    const again = await move(c, 'rita', 'resolved', { heldMoneyPlan: '同上' });
    expect(again.body.status).toBe('resolved');
    // A new real incident for the merchant: the resolved one may no longer be reopened.
    const next = await mismatch(M.c, 'L0000002');
    expect(next).not.toBe(c);
    const seen = await call('GET', `/api/v1/incidents/${c}`, 'rita');
    expect(seen.body.allowedTransitions).toContainEqual({
      to: 'investigating',
      action: 'reopen',
      blockedBy: ['note_required', 'incident_already_open'],
    });
    await expectRefused(
      move(c, 'rita', 'investigating', { note: 'again' }),
      409,
      'incident_already_open',
    );
  });

  it('changes severity with a reason, by risk', async () => {
    const open = await call<{ items: Incident[] }>(
      'GET',
      `/api/v1/incidents?merchantNo=${M.c}&active=true`,
      'rita',
    );
    const id = open.body.items[0]?.id ?? '';
    await expectRefused(
      act(id, 'severity', 'oscar', { severity: 'P3', reason: 'x' }),
      403,
      'forbidden',
    );
    await expectRefused(
      act(id, 'severity', 'rita', { severity: 'P3', reason: '' }),
      422,
      'validation_failed',
    );
    await expectRefused(
      act(id, 'severity', 'rita', { severity: 'P0', reason: 'x' }),
      422,
      'validation_failed',
    );
    await expectRefused(
      act(id, 'severity', 'rita', { severity: 'P1', reason: 'x' }),
      409,
      'invalid_state',
    );
    const changed = await act(id, 'severity', 'rita', { severity: 'P3', reason: '金额小，已控制' });
    expect(changed.body.severity).toBe('P3');
    expect(Date.parse(changed.body.ackDueAt) - Date.parse(changed.body.openedAt)).toBe(3_600_000);
    expect(changed.body.timeline.at(-1)?.text.en).toBe(
      'rita changed the severity from P1 to P3: 金额小，已控制',
    );
    const p3 = await call<{ items: Incident[] }>('GET', '/api/v1/incidents?severity=P3', 'rita');
    expect(p3.body.items.map((i) => i.id)).toEqual([id]);
    expect((await auditActions(id)).at(-1)).toBe('incident.severity_changed');
  });

  it('filters the queue by when incidents were opened', async () => {
    const all = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'rita');
    expect(all.body.items).toHaveLength(3);
    const first = all.body.items.at(-1);
    if (!first) throw new Error('no incident');
    const before = await call<{ items: Incident[] }>(
      'GET',
      `/api/v1/incidents?openedBefore=${encodeURIComponent(new Date(Date.parse(first.openedAt) + 1).toISOString())}`,
      'rita',
    );
    expect(before.body.items.map((i) => i.id)).toEqual([a]);
    const after = await call<{ items: Incident[] }>(
      'GET',
      `/api/v1/incidents?openedAfter=${encodeURIComponent(new Date(Date.parse(first.openedAt) + 1).toISOString())}`,
      'rita',
    );
    expect(after.body.items.map((i) => i.id).sort()).toEqual(
      all.body.items
        .filter((i) => i.id !== a)
        .map((i) => i.id)
        .sort(),
    );
    await expectRefused(
      call('GET', '/api/v1/incidents?openedAfter=yesterday', 'rita'),
      422,
      'validation_failed',
    );
  });

  it('gives the dashboard its figures', async () => {
    const stats = await call<{
      open: { total: number; bySeverity: Record<string, number>; ackOverdue: number };
      meanTimeToAcknowledgeSeconds: number | null;
      acknowledgedInWindow: number;
      meanTimeToResolveSeconds: number | null;
      resolvedInWindow: number;
      held: { amountFen: number; lineCount: number; merchantsOnHold: number; activeHolds: number };
      alertsByRule: { days: string[]; rules: { rule: string; counts: number[]; total: number }[] };
    }>('GET', '/api/v1/incidents/stats', 'april');
    expect(stats.status).toBe(200);
    // Open: the second incident of C, now P3. Incident A was acknowledged 301 s after it
    // opened; C at once. A was resolved at 301 s, C at 0 s (its last resolution).
    expect(stats.body.open).toEqual({
      total: 1,
      bySeverity: { P1: 0, P2: 0, P3: 1, P4: 0 },
      ackOverdue: 0,
    });
    expect(stats.body.acknowledgedInWindow).toBe(2);
    expect(stats.body.meanTimeToAcknowledgeSeconds).toBe(151);
    expect(stats.body.resolvedInWindow).toBe(2);
    expect(stats.body.meanTimeToResolveSeconds).toBe(151);
    // C's hold is active; A's held line was released. No line of C is held: the run came first.
    expect(stats.body.held).toEqual({
      amountFen: 0,
      lineCount: 0,
      merchantsOnHold: 1,
      activeHolds: 1,
    });
    expect(stats.body.alertsByRule.days).toHaveLength(14);
    expect(stats.body.alertsByRule.days.at(-1)).toBe('2026-11-26');
    const mismatchAlerts = stats.body.alertsByRule.rules.find(
      (r) => r.rule === 'terminal_merchant_mismatch',
    );
    expect(mismatchAlerts?.counts.at(-1)).toBe(3);
    expect(mismatchAlerts?.total).toBe(3);
  });
});
