/**
 * Escalation and e-mail for real: a local SMTP server on port 0 receives the e-mails, a local
 * receiver verifies the webhooks. A P1 incident that nobody acknowledges escalates on schedule
 * to the next level by webhook and by e-mail, goes round again, and stops once acknowledged;
 * each notification is in the incident's timeline. Policies and users' addresses are checked
 * and audited; a drill escalates on the console only; a refused e-mail is retried.
 */
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer } from './support/app.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';
import {
  startMailServer,
  startNotificationTestApp,
  startReceiver,
  type MailServer,
  type NotificationTestApp,
  type Receiver,
} from './support/notifications.js';
import { emitEvent } from '../src/app/events.js';
import { JobRunner } from '../src/jobs/runner.js';
import { registerJobHandlers } from '../src/jobs/handlers.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../src/app/notifications/settings.js';
import { RETRY_DELAYS_SECONDS } from '../src/core/notifications/retry.js';

let t: NotificationTestApp;
let mail: MailServer;
let receiver: Receiver;
const admin = bearer(ADMIN_TOKEN);
const PAN = IDS.cardIcbc;
const M = { a: '910000000000001', b: '910000000000002', c: '910000000000003' };

beforeAll(async () => {
  mail = await startMailServer();
  receiver = await startReceiver();
  t = await startNotificationTestApp({
    mail: { smtpUrl: mail.url, from: 'SettleGuard <guard@example.com>' },
    publicUrl: 'https://guard.example.com',
  });
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: admin,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: M.a, terminalIds: ['X0000001'] }),
        enterpriseRecord({
          merchantNo: M.b,
          terminalIds: ['X0000002'],
          legalIdNumber: IDS.residentIdValid2,
          accountNumber: '1001234509000088888',
        }),
        enterpriseRecord({
          merchantNo: M.c,
          terminalIds: ['X0000003'],
          legalIdNumber: IDS.residentIdValid3,
          accountNumber: '1001234509000077777',
        }),
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 3, failed: [] });
});

afterAll(async () => {
  await t.close();
  await receiver.close();
  await mail.close();
});

beforeEach(() => {
  mail.mails.length = 0;
  mail.refusing = false;
  receiver.received.length = 0;
  receiver.mode = 'ok';
});

async function createUser(username: string, role: string, email?: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin,
    payload: { username, role, ...(email ? { email } : {}) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; token: string; email: string | null }>();
}

async function putPolicy(severity: string, body: object): Promise<LightMyRequestResponse> {
  return await t.app.inject({
    method: 'PUT',
    url: `/api/v1/escalation-policies/${severity}`,
    headers: admin,
    payload: body,
  });
}

interface TimelineEntry {
  kind: string;
  actor: string;
  text: { zh: string; en: string };
}

async function timeline(incidentId: string): Promise<TimelineEntry[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/${incidentId}`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ timeline: TimelineEntry[] }>().timeline;
}

async function pages(userId: string, incidentId: string) {
  const { rows } = await t.ctx.db.query<{ kind: string; drill: boolean; title: { zh: string } }>(
    `SELECT kind, drill, title FROM notifications
      WHERE user_id = $1 AND incident_id = $2 AND kind = 'page' ORDER BY id`,
    [userId, incidentId],
  );
  return rows;
}

/** An incident opened as containment opens one: the row, and its event in the same commit. */
async function openIncident(options: { merchantNo: string; severity: string; drill?: boolean }) {
  const id = crypto.randomUUID();
  const title = {
    zh: `测试事件：商户 ${options.merchantNo}`,
    en: `Test: merchant ${options.merchantNo}`,
  };
  await t.ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO incidents (id, merchant_no, status, severity, title, drill, opened_at, updated_at)
       VALUES ($1, $2, 'open', $3, $4, $5, $6, $6)`,
      [
        id,
        options.merchantNo,
        options.severity,
        JSON.stringify(title),
        options.drill ?? false,
        t.ctx.now(),
      ],
    );
    await emitEvent(t.ctx, tx, {
      type: 'incident.opened',
      merchantNo: options.merchantNo,
      incidentId: id,
      drill: options.drill ?? false,
      data: { incidentId: id, merchantNo: options.merchantNo, severity: options.severity, title },
    });
  });
  return id;
}

describe("users' e-mail addresses", () => {
  it('are taken at creation and set or cleared by an admin, checked and audited masked', async () => {
    const created = await createUser('mail-user', 'risk', 'Zhang.San@Example.COM');
    expect(created.email).toBe('Zhang.San@example.com');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { username: 'mail-bad', role: 'risk', email: 'not an address' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ errors: { path: string; code: string }[] }>().errors).toContainEqual(
      expect.objectContaining({ path: 'email', code: 'email_format' }),
    );
    const patch = (username: string, email: unknown, headers = admin) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${username}`,
        headers,
        payload: { email },
      });
    const changed = await patch('mail-user', 'li.si@example.cn');
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ username: 'mail-user', email: 'li.si@example.cn' });
    expect((await patch('mail-user', 'a@b')).json()).toMatchObject({ code: 'email_format' });
    expect((await patch('nobody-here', 'x@example.com')).statusCode).toBe(404);
    const risk = bearer(created.token);
    expect((await patch('mail-user', 'x@example.com', risk)).statusCode).toBe(403);
    expect((await patch('mail-user', null)).json()).toMatchObject({ email: null });
    const audit = await t.ctx.db.query<{ before: unknown; after: unknown }>(
      `SELECT a.before, a.after FROM audit_entries a JOIN users u ON u.id::text = a.entity_id
        WHERE u.username = 'mail-user' AND a.action = 'user.email_changed' ORDER BY a.seq`,
    );
    expect(audit.rows.map((r) => [r.before, r.after])).toEqual([
      [{ email: 'Z***@example.com' }, { email: 'l***@example.cn' }],
      [{ email: 'l***@example.cn' }, { email: null }],
    ]);
  });
});

describe('escalation policies', () => {
  it('default to the risk officers with 5 minutes for P1, and are checked before they are set', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/escalation-policies',
      headers: admin,
    });
    const p1 = list.json<{ items: { severity: string; isDefault: boolean; levels: unknown[] }[] }>()
      .items[0];
    expect(p1).toMatchObject({
      severity: 'P1',
      isDefault: true,
      levels: [{ notify: ['role:risk'], ackTimeoutSeconds: 300 }, expect.anything()],
    });
    await createUser('policy-risk', 'risk');
    const level = { notify: ['policy-risk'], ackTimeoutSeconds: 300 };
    const refused = async (body: object, code: string) => {
      const response = await putPolicy('P3', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json<{ code: string }>().code).toBe(code);
    };
    await refused({ levels: [], repeat: 0 }, 'validation_failed');
    await refused(
      { levels: Array.from({ length: 11 }, () => level), repeat: 0 },
      'validation_failed',
    );
    await refused(
      { levels: [{ ...level, ackTimeoutSeconds: 29 }], repeat: 0 },
      'validation_failed',
    );
    await refused(
      { levels: [{ ...level, ackTimeoutSeconds: 86_401 }], repeat: 0 },
      'validation_failed',
    );
    await refused({ levels: [level], repeat: 11 }, 'validation_failed');
    await refused({ levels: [{ ...level, notify: [] }], repeat: 0 }, 'validation_failed');
    await refused(
      { levels: [{ ...level, notify: ['role:switch'] }], repeat: 0 },
      'validation_failed',
    );
    await refused(
      { levels: [{ ...level, notify: ['no-such-user'] }], repeat: 0 },
      'notify_target_unknown',
    );
    await refused(
      { levels: [{ ...level, notify: ['00000000-0000-4000-8000-000000000000'] }], repeat: 0 },
      'notify_target_unknown',
    );
    const risk = bearer(await t.tokenFor('policy-risk-2', 'risk'));
    const forbidden = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/escalation-policies/P3',
      headers: risk,
      payload: { levels: [level], repeat: 0 },
    });
    expect(forbidden.statusCode).toBe(403);
    const set = await putPolicy('P3', {
      levels: [{ notify: ['policy-risk', 'ops@example.com', 'role:ops'], ackTimeoutSeconds: 600 }],
      repeat: 1,
    });
    expect(set.statusCode, set.body).toBe(200);
    const one = await t.app.inject({
      method: 'GET',
      url: '/api/v1/escalation-policies/P3',
      headers: risk,
    });
    expect(one.json()).toMatchObject({
      severity: 'P3',
      isDefault: false,
      repeat: 1,
      updatedBy: 'admin',
      levels: [{ notify: ['policy-risk', 'ops@example.com', 'role:ops'], ackTimeoutSeconds: 600 }],
    });
    const audit = await t.ctx.db.query(
      `SELECT 1 FROM audit_entries WHERE action = 'escalation_policy.updated' AND entity_id = 'P3'`,
    );
    expect(audit.rowCount).toBe(1);
  });
});

describe('a P1 incident nobody acknowledges', () => {
  it('escalates on schedule by webhook and e-mail, repeats, and stops when acknowledged', async () => {
    const first = await createUser('oncall-risk', 'risk', 'oncall.risk@example.com');
    const boss = await createUser('oncall-boss', 'admin', 'boss@example.com');
    // The endpoint takes acknowledgements by subscription; escalations reach it by the policy.
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin,
      payload: { url: receiver.url, events: ['incident.acknowledged'] },
    });
    const endpoint = hook.json<{ id: string; secret: string }>();
    receiver.secret = endpoint.secret;
    const policy = await putPolicy('P1', {
      levels: [
        { notify: ['oncall-risk'], ackTimeoutSeconds: 300 },
        { notify: ['oncall-boss', endpoint.id, 'duty@bank.example.com'], ackTimeoutSeconds: 600 },
      ],
      repeat: 1,
    });
    expect(policy.statusCode, policy.body).toBe(200);

    // A card of merchant A's terminal paid to merchant B: screening contains and opens a P1.
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transactions',
      headers: admin,
      payload: {
        transactions: [
          {
            id: 'esc-1',
            terminalId: 'X0000001',
            merchantNo: M.b,
            type: 'purchase',
            amountFen: 123_456,
            occurredAt: '2026-11-26T07:59:00Z',
            pan: PAN,
          },
        ],
      },
    });
    expect(ingest.json()).toMatchObject({
      results: [{ outcome: 'accepted', decision: 'contain' }],
    });
    const { rows } = await t.ctx.db.query<{ id: string; severity: string }>(
      `SELECT id, severity FROM incidents WHERE merchant_no = $1 AND status = 'open'`,
      [M.b],
    );
    const incident = rows[0];
    expect(incident?.severity).toBe('P1');
    const incidentId = incident?.id ?? '';

    // Opened: level 1 is told at once, on the console and by e-mail; nobody else yet.
    await t.drain();
    expect(mail.mails.map((m) => m.to)).toEqual([['oncall.risk@example.com']]);
    expect(await pages(first.id, incidentId)).toHaveLength(1);
    expect(await pages(boss.id, incidentId)).toHaveLength(0);
    expect(receiver.received).toEqual([]);
    const [page] = mail.mails;
    expect(page?.from).toBe('guard@example.com');
    expect(page?.subject).toMatch(/^\[SettleGuard\] P1 事件待确认：/);
    expect(page?.subject).toContain('P1 incident to acknowledge');
    expect(page?.text.indexOf('需要确认')).toBeLessThan(
      page?.text.indexOf('needs acknowledging') ?? 0,
    );
    expect(page?.text).toContain(`https://guard.example.com/incidents/${incidentId}`);
    expect(page?.text).toContain(M.b);
    for (const m of mail.mails) {
      expect(m.raw).not.toContain(PAN);
      expect(m.text).not.toContain(PAN);
      expect(m.text).not.toContain('1001234509000088888');
    }

    // Not a second before its time.
    t.advanceMs(299_000);
    await t.drain();
    expect(mail.mails).toHaveLength(1);
    expect(receiver.received).toEqual([]);

    // Five minutes without acknowledgement: level 2, by e-mail and by webhook.
    t.advanceMs(1_000);
    await t.drain();
    expect(
      mail.mails
        .slice(1)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['boss@example.com', 'duty@bank.example.com']);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      verified: true,
      parsed: { type: 'incident.escalated', data: { incidentId, level: 2, round: 1 } },
    });
    expect(await pages(boss.id, incidentId)).toHaveLength(1);
    const escalatedEvents = await t.ctx.db.query(
      `SELECT data FROM outbox_events WHERE type = 'incident.escalated' AND incident_id = $1`,
      [incidentId],
    );
    expect(escalatedEvents.rowCount).toBe(1);

    // Ten more minutes: round 2 starts again at level 1.
    t.advanceMs(600_000);
    await t.drain();
    expect(mail.mails.map((m) => m.to[0])).toEqual([
      'oncall.risk@example.com',
      expect.any(String),
      expect.any(String),
      'oncall.risk@example.com',
    ]);
    expect(await pages(first.id, incidentId)).toHaveLength(2);

    // Acknowledged: nothing more is sent, at the next step or ever.
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/acknowledge`,
      headers: admin,
      payload: {},
    });
    expect(ack.statusCode, ack.body).toBe(200);
    await t.drain();
    const acknowledgedHooks = receiver.received.filter(
      (r) => r.parsed.type === 'incident.acknowledged',
    );
    expect(acknowledgedHooks).toHaveLength(1);
    t.advanceMs(3_600_000);
    await t.drain();
    expect(mail.mails).toHaveLength(4);
    expect(receiver.received.filter((r) => r.parsed.type === 'incident.escalated')).toHaveLength(1);
    const stopped = await t.ctx.db.query<{ stop_reason: string }>(
      'SELECT stop_reason FROM escalations WHERE incident_id = $1',
      [incidentId],
    );
    expect(stopped.rows[0]?.stop_reason).toBe('acknowledged');

    // The timeline says who was told what, when.
    const entries = await timeline(incidentId);
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'notification_sent')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(2);
    expect(kinds).toContain('escalation_stopped');
    const told = entries.filter((e) => e.kind === 'notification_sent').map((e) => e.text.en);
    expect(told[0]).toBe('Notified oncall-risk (console, e-mail), escalation level 1 round 1');
    expect(told).toContain('Notified d***@bank.example.com (e-mail), escalation level 2 round 1');
    expect(told).toContain(`Notified webhook ${endpoint.id} (webhook), escalation level 2 round 1`);

    // Every e-mail is in the delivery log, sent.
    const log = await t.ctx.db.query<{ status: string }>(
      'SELECT status FROM email_deliveries WHERE incident_id = $1',
      [incidentId],
    );
    expect(log.rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('runs its policy out and stops when the last round is done', async () => {
    await createUser('p4-risk', 'risk');
    await putPolicy('P4', { levels: [{ notify: ['p4-risk'], ackTimeoutSeconds: 60 }], repeat: 2 });
    const incidentId = await openIncident({ merchantNo: '910000000000004', severity: 'P4' });
    await t.drain();
    // The queue's acknowledgement deadline is the policy's first level, not P4's default 4 h.
    const shown = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}`,
      headers: admin,
    });
    const incident = shown.json<{ openedAt: string; ackDueAt: string; ackOverdue: boolean }>();
    expect(Date.parse(incident.ackDueAt) - Date.parse(incident.openedAt)).toBe(60_000);
    t.advanceMs(61_000);
    const overdue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents?ackOverdue=true',
      headers: admin,
    });
    expect(overdue.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(
      incidentId,
    );
    t.advanceMs(-61_000);
    for (let i = 0; i < 5; i += 1) {
      t.advanceMs(60_000);
      await t.drain();
    }
    const steps = await t.ctx.db.query<{ level: number; round: number }>(
      'SELECT level, round FROM escalation_steps WHERE incident_id = $1 ORDER BY round, level',
      [incidentId],
    );
    expect(steps.rows.map((s) => [s.level, s.round])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    const stopped = await t.ctx.db.query<{ stop_reason: string }>(
      'SELECT stop_reason FROM escalations WHERE incident_id = $1',
      [incidentId],
    );
    expect(stopped.rows[0]?.stop_reason).toBe('exhausted');
  });
});

describe('a drill', () => {
  it('escalates on the console only: no e-mail, no webhook', async () => {
    const trainee = await createUser('drill-risk', 'risk', 'drill.risk@example.com');
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: admin,
      payload: { url: receiver.url, events: ['*'] },
    });
    const endpoint = hook.json<{ id: string; secret: string }>();
    receiver.secret = endpoint.secret;
    await putPolicy('P2', {
      levels: [
        { notify: ['drill-risk', 'duty@bank.example.com'], ackTimeoutSeconds: 60 },
        { notify: [endpoint.id], ackTimeoutSeconds: 60 },
      ],
      repeat: 0,
    });
    const incidentId = await openIncident({ merchantNo: M.a, severity: 'P2', drill: true });
    await t.drain();
    t.advanceMs(60_000);
    await t.drain();
    expect(mail.mails).toEqual([]);
    expect(receiver.received).toEqual([]);
    const external = await t.ctx.db.query(
      `SELECT 1 FROM email_deliveries WHERE incident_id = $1
       UNION ALL SELECT 1 FROM webhook_deliveries WHERE incident_id = $1`,
      [incidentId],
    );
    expect(external.rowCount).toBe(0);
    const traineePages = await pages(trainee.id, incidentId);
    expect(traineePages).toHaveLength(1);
    expect(traineePages[0]?.drill).toBe(true);
    expect(traineePages[0]?.title.zh).toMatch(/^【演练】/);
    const entries = await timeline(incidentId);
    expect(entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['notification_sent', 'notification_skipped', 'escalated']),
    );
  });
});

describe('e-mail', () => {
  it('refused by the server is retried on schedule and logged', async () => {
    const user = await createUser('retry-risk', 'risk', 'retry@example.com');
    await putPolicy('P3', {
      levels: [{ notify: ['retry-risk'], ackTimeoutSeconds: 3600 }],
      repeat: 0,
    });
    mail.refusing = true;
    const incidentId = await openIncident({ merchantNo: '910000000000005', severity: 'P3' });
    await t.drain();
    const row = async () =>
      (
        await t.ctx.db.query<{ id: string; status: string; attempts: number; last_error: string }>(
          `SELECT id, status, attempts, last_error FROM email_deliveries
            WHERE incident_id = $1 AND username = 'retry-risk'`,
          [incidentId],
        )
      ).rows[0];
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row())?.last_error).toMatch(/451/);
    mail.refusing = false;
    t.advanceMs(RETRY_DELAYS_SECONDS[0] * 1000);
    await t.drain();
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mail.mails.map((m) => m.to)).toEqual([['retry@example.com']]);
    const attempts = await t.ctx.db.query<{ succeeded: boolean }>(
      'SELECT succeeded FROM email_attempts WHERE delivery_id = $1 ORDER BY id',
      [(await row())?.id],
    );
    expect(attempts.rows.map((a) => a.succeeded)).toEqual([false, true]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/v1/email-deliveries?incidentId=${incidentId}`,
      headers: admin,
    });
    expect(log.json()).toMatchObject({
      items: [
        { toMasked: 'r***@example.com', username: 'retry-risk', status: 'sent', attemptCount: 2 },
      ],
    });
    expect(log.body).not.toContain('retry@example.com');
    expect(await pages(user.id, incidentId)).toHaveLength(1);
  });

  it('is off without an SMTP server: people are paged on the console, and the timeline says so', async () => {
    const runner = registerJobHandlers(
      new JobRunner(t.ctx, { log: { error: () => undefined } }),
      t.ctx,
      { evidenceDir: null, notifications: DEFAULT_NOTIFICATION_SETTINGS },
    );
    const user = await createUser('nomail-risk', 'risk', 'nomail@example.com');
    await putPolicy('P3', {
      levels: [{ notify: ['nomail-risk', 'desk@example.com'], ackTimeoutSeconds: 3600 }],
      repeat: 0,
    });
    const incidentId = await openIncident({ merchantNo: '910000000000006', severity: 'P3' });
    await runner.runDue();
    expect(mail.mails).toEqual([]);
    expect(await pages(user.id, incidentId)).toHaveLength(1);
    const entries = await timeline(incidentId);
    expect(entries.map((e) => e.text.en)).toEqual(
      expect.arrayContaining([
        'Notified nomail-risk (console), escalation level 1 round 1',
        'Not notified: d***@example.com (e-mail is not configured); level 1 round 1',
      ]),
    );
  });
});
