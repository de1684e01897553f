/**
 * Webhooks for real: a local receiver on port 0 verifies every message with its own
 * implementation of the Standard Webhooks scheme. Each event arrives once per subscribed
 * endpoint, signed; a receiver that is down (closed port, then 500) gets every event later,
 * exactly once, with the same webhook-id; the schedule gives up after more than a day and a
 * manual redelivery sends it again; the delivery log shows each attempt; drills never leave.
 * Time is the test's: the clock is moved and due jobs are run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer } from './support/app.js';
import {
  startNotificationTestApp,
  startReceiver,
  type NotificationTestApp,
  type Receiver,
} from './support/notifications.js';
import { emitEvent } from '../src/app/events.js';
import type { EventInput } from '../src/core/events.js';
import { JobRunner } from '../src/jobs/runner.js';
import { registerJobHandlers } from '../src/jobs/handlers.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../src/app/notifications/settings.js';
import { RETRY_DELAYS_SECONDS, retryWindowSeconds } from '../src/core/notifications/retry.js';

let t: NotificationTestApp;
let receiver: Receiver;
const admin = bearer(ADMIN_TOKEN);

beforeAll(async () => {
  t = await startNotificationTestApp();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await t.close();
});

beforeEach(async () => {
  // Each test starts with no endpoint listening for anything and a receiver that answers.
  await t.ctx.db.query('UPDATE webhook_endpoints SET disabled_at = $1, disabled_by = $2', [
    t.ctx.now(),
    'test',
  ]);
  await t.drain();
  receiver.received.length = 0;
  receiver.mode = 'ok';
});

async function emit(input: EventInput) {
  return t.ctx.db.transaction((tx) => emitEvent(t.ctx, tx, input));
}

async function register(
  events: string[],
  options: { url?: string; secret?: string } = {},
): Promise<{ id: string; secret: string }> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: admin,
    payload: {
      url: options.url ?? receiver.url,
      events,
      ...(options.secret ? { secret: options.secret } : {}),
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const created = response.json<{ id: string; secret: string }>();
  receiver.secret = created.secret;
  return created;
}

interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  attempts: {
    trigger: string;
    succeeded: boolean;
    httpStatus: number | null;
    error: string | null;
  }[];
}

async function deliveries(endpointId: string): Promise<Delivery[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/webhooks/${endpointId}/deliveries`,
    headers: admin,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Delivery[] }>().items;
}

const suspended = (terminalId: string): EventInput => ({
  type: 'terminal.suspended',
  merchantNo: '900000000000001',
  data: { terminalId, merchantNo: '900000000000001', reason: '测试', by: 'risk1' },
});

describe('registering an endpoint', () => {
  it('answers a whsec_ secret of 24 random bytes once and keeps it sealed', async () => {
    const created = await register(['*']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(24);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin });
    expect(list.body).not.toContain(created.secret);
    expect(list.json<{ items: { id: string; active: boolean }[] }>().items).toContainEqual(
      expect.objectContaining({ id: created.id, active: true }),
    );
    const dump = await t.tdb.dumpText();
    expect(dump).not.toContain(created.secret);
    expect(dump).not.toContain(created.secret.slice(6));
    const audit = await t.ctx.db.query<{ after: unknown }>(
      `SELECT after FROM audit_entries WHERE action = 'webhook.created' AND entity_id = $1`,
      [created.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows[0]?.after)).not.toContain('whsec_');
  });

  it('takes a given secret, and refuses bad URLs, unknown types, bad secrets and other roles', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect((await register(['incident.opened'], { secret })).secret).toBe(secret);
    const refused = async (payload: Record<string, unknown>, path: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin,
        payload: { url: receiver.url, events: ['*'], ...payload },
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
        path,
      );
    };
    await refused({ url: 'ftp://example.com/hook' }, 'url');
    await refused({ url: 'https://user:pass@example.com/hook' }, 'url');
    await refused({ url: 'not a url' }, 'url');
    await refused({ url: `https://example.com/${'a'.repeat(2049)}` }, 'url');
    await refused({ events: ['incident.exploded'] }, 'events.0');
    await refused({ events: [] }, 'events');
    await refused({ secret: 'whsec_short' }, 'secret');
    await refused({ secret: 'no-prefix' }, 'secret');
    const risk = bearer(await t.tokenFor('risk-webhooks', 'risk'));
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: risk,
      payload: { url: receiver.url, events: ['*'] },
    });
    expect(forbidden.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: risk });
    expect(list.statusCode).toBe(403);
  });
});

describe('delivering', () => {
  it('sends each event once to each subscribed endpoint, signed by the scheme', async () => {
    const all = await register(['*']);
    const onlySuspensions = await register(['terminal.suspended'], { secret: all.secret });
    const off = await register(['*'], { secret: all.secret });
    const disabled = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${off.id}`,
      headers: admin,
    });
    expect(disabled.statusCode).toBe(204);

    const first = await emit(suspended('W0000001'));
    const second = await emit({
      type: 'settlement.held',
      merchantNo: '900000000000001',
      data: { merchantNo: '900000000000001', reason: { zh: '测试', en: 'test' } },
    });
    await t.drain();

    const byId = (id: string) => receiver.received.filter((r) => r.id === id);
    expect(byId(first.id)).toHaveLength(2);
    expect(byId(second.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(3);
    for (const message of receiver.received) {
      expect(message.verified).toBe(true);
      expect(message.timestamp).toBe(String(Math.floor(t.ctx.now().getTime() / 1000)));
      expect(message.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Object.keys(message.parsed).sort()).toEqual(['data', 'timestamp', 'type']);
    }
    expect(byId(first.id)[0]?.parsed).toEqual({
      type: 'terminal.suspended',
      timestamp: first.at,
      data: { terminalId: 'W0000001', merchantNo: '900000000000001', reason: '测试', by: 'risk1' },
    });
    expect((await deliveries(onlySuspensions.id)).map((d) => d.messageId)).toEqual([first.id]);
    expect(await deliveries(off.id)).toEqual([]);

    // The dispatch run again (a retried job) adds no delivery and sends nothing twice.
    await t.ctx.db.query(
      `INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ('event.dispatch', $1, $2, $2)`,
      [JSON.stringify({ eventId: first.id }), t.ctx.now()],
    );
    await t.drain();
    expect(receiver.received).toHaveLength(3);
    expect(await deliveries(all.id)).toHaveLength(2);
  });

  it('a receiver down (closed port, then 500) gets every event later, once, same webhook-id', async () => {
    const endpoint = await register(['*']);
    await receiver.down();
    const events = [
      await emit(suspended('W0000002')),
      await emit(suspended('W0000003')),
      await emit(suspended('W0000004')),
    ];
    await t.drain();
    expect(receiver.received).toEqual([]);
    let log = await deliveries(endpoint.id);
    expect(log.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    expect(log[0]?.attempts[0]).toMatchObject({ succeeded: false, httpStatus: null });
    expect(log[0]?.attempts[0]?.error).toMatch(/ECONNREFUSED|fetch failed/);

    // Nothing is tried again before its time.
    t.advanceMs(RETRY_DELAYS_SECONDS[0] * 1000 - 1000);
    await t.drain();
    expect((await deliveries(endpoint.id)).every((d) => d.attempts.length === 1)).toBe(true);

    await receiver.up();
    receiver.mode = 'error';
    t.advanceMs(1000);
    await t.drain();
    log = await deliveries(endpoint.id);
    expect(log.every((d) => d.attempts.at(-1)?.httpStatus === 500)).toBe(true);
    expect(log.every((d) => d.status === 'pending' && d.attemptCount === 2)).toBe(true);

    receiver.mode = 'ok';
    t.advanceMs(RETRY_DELAYS_SECONDS[1] * 1000);
    await t.drain();
    expect(receiver.received.map((r) => r.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    log = await deliveries(endpoint.id);
    expect(log.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(log[0]?.attempts.map((a) => [a.succeeded, a.httpStatus])).toEqual([
      [false, null],
      [false, 500],
      [true, 204],
    ]);

    // A day later nothing has come twice.
    t.advanceMs(86_400_000);
    await t.drain();
    expect(receiver.received).toHaveLength(3);
  });

  it('gives up after more than a day of retries; a manual redelivery sends it, audited', async () => {
    expect(retryWindowSeconds()).toBeGreaterThan(86_400);
    const endpoint = await register(['terminal.suspended']);
    receiver.mode = 'error';
    const event = await emit(suspended('W0000005'));
    const started = t.ctx.now().getTime();
    await t.drain();
    for (const delaySeconds of RETRY_DELAYS_SECONDS) {
      expect((await deliveries(endpoint.id))[0]?.status).toBe('pending');
      t.advanceMs(delaySeconds * 1000);
      await t.drain();
    }
    const [failed] = await deliveries(endpoint.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.attemptCount).toBe(RETRY_DELAYS_SECONDS.length + 1);
    expect(t.ctx.now().getTime() - started).toBeGreaterThan(86_400_000);
    t.advanceMs(86_400_000);
    await t.drain();
    expect((await deliveries(endpoint.id))[0]?.attemptCount).toBe(RETRY_DELAYS_SECONDS.length + 1);
    expect(receiver.received).toEqual([]);

    const risk = bearer(await t.tokenFor('risk-redeliver', 'risk'));
    const url = `/api/v1/webhooks/${endpoint.id}/deliveries/${failed?.id}/redeliver`;
    expect((await t.app.inject({ method: 'POST', url, headers: risk })).statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
      headers: admin,
    });
    expect(unknown.statusCode).toBe(404);

    receiver.mode = 'ok';
    const asked = await t.app.inject({ method: 'POST', url, headers: admin });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toEqual({ deliveryId: failed?.id, status: 'failed', queued: true });
    const again = await t.app.inject({ method: 'POST', url, headers: admin });
    expect(again.json()).toMatchObject({ queued: false });
    await t.drain();
    expect(receiver.received.map((r) => r.id)).toEqual([event.id]);
    expect(receiver.received[0]?.verified).toBe(true);
    const [redelivered] = await deliveries(endpoint.id);
    expect(redelivered?.status).toBe('delivered');
    expect(redelivered?.attempts.at(-1)).toMatchObject({ trigger: 'manual', succeeded: true });
    const audit = await t.ctx.db.query(
      `SELECT 1 FROM audit_entries WHERE action = 'webhook.redelivery_requested' AND entity_id = $1`,
      [failed?.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('sends a signed test message on request', async () => {
    const endpoint = await register(['incident.opened']);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/test`,
      headers: admin,
    });
    expect(response.statusCode, response.body).toBe(202);
    await t.drain();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      id: response.json<{ messageId: string }>().messageId,
      verified: true,
      parsed: { type: 'webhook.test' },
    });
  });

  it('stops sending to a disabled endpoint, and its pending deliveries fail', async () => {
    const endpoint = await register(['*']);
    receiver.mode = 'error';
    await emit(suspended('W0000006'));
    await t.drain();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: admin,
    });
    expect(removed.statusCode).toBe(204);
    receiver.mode = 'ok';
    t.advanceMs(60_000);
    await emit(suspended('W0000007'));
    await t.drain();
    expect(receiver.received).toEqual([]);
    const log = await deliveries(endpoint.id);
    expect(log.map((d) => d.status)).toEqual(['failed']);
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/test`,
      headers: admin,
    });
    expect(test.statusCode).toBe(409);
  });

  it('never sends the events of a drill', async () => {
    const endpoint = await register(['*']);
    await emit({ ...suspended('W0000008'), drill: true });
    await t.drain();
    expect(receiver.received).toEqual([]);
    expect(await deliveries(endpoint.id)).toEqual([]);
    const bell = await t.ctx.db.query<{ drill: boolean; title: { zh: string } }>(
      `SELECT n.drill, n.title FROM notifications n JOIN outbox_events e ON e.id = n.event_id
        WHERE e.drill LIMIT 1`,
    );
    expect(bell.rows[0]?.drill).toBe(true);
    expect(bell.rows[0]?.title.zh).toMatch(/^【演练】/);
  });
});

describe('a slow endpoint', () => {
  it('times out without holding up deliveries to other endpoints', async () => {
    const other = await startReceiver();
    try {
      const slow = await register(['terminal.suspended']);
      const fast = await register(['terminal.suspended'], { url: other.url, secret: slow.secret });
      other.secret = slow.secret;
      receiver.mode = 'hang';
      // A runner of its own, working in the background as a server does, with a timeout far
      // longer than the fast delivery needs.
      const runner = registerJobHandlers(
        new JobRunner(t.ctx, { log: { error: () => undefined }, pollMs: 20 }),
        t.ctx,
        {
          evidenceDir: null,
          notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, webhookTimeoutMs: 60_000 },
        },
      );
      const event = await emit(suspended('W0000009'));
      await runner.start();
      try {
        for (let i = 0; i < 400 && other.received.length === 0; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(other.received.map((r) => [r.id, r.verified])).toEqual([[event.id, true]]);
        // The fast delivery is logged once its answer is in, a moment after the receiver
        // has the message: wait for that, not for the slow one.
        let fastStatus: string | undefined;
        for (let i = 0; i < 400 && fastStatus !== 'delivered'; i += 1) {
          fastStatus = (await deliveries(fast.id))[0]?.status;
          if (fastStatus !== 'delivered') await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(fastStatus).toBe('delivered');
        // The slow one is still waiting for its answer: no attempt is logged yet.
        expect((await deliveries(slow.id))[0]?.attempts).toEqual([]);
      } finally {
        // Ending the hanging request ends the slow attempt, so the runner can stop.
        await receiver.down();
        await runner.stop();
        await receiver.up();
      }
      const [slowDelivery] = await deliveries(slow.id);
      expect(slowDelivery?.status).toBe('pending');
      expect(slowDelivery?.attempts[0]?.succeeded).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('an attempt that gets no answer ends at the timeout and is retried', async () => {
    const endpoint = await register(['terminal.suspended']);
    receiver.mode = 'hang';
    const runner = registerJobHandlers(
      new JobRunner(t.ctx, { log: { error: () => undefined } }),
      t.ctx,
      {
        evidenceDir: null,
        notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, webhookTimeoutMs: 200 },
      },
    );
    await emit(suspended('W0000010'));
    await runner.runDue();
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery?.status).toBe('pending');
    expect(delivery?.attempts[0]?.error).toBe('Timed out after 200 ms');
    receiver.mode = 'ok';
    t.advanceMs(RETRY_DELAYS_SECONDS[0] * 1000);
    await runner.runDue();
    expect((await deliveries(endpoint.id))[0]?.status).toBe('delivered');
  });
});
