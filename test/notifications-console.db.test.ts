/**
 * The console's notification bell: each user's own notifications (staff for every event, a
 * merchant's users for their merchant's only), read and unread, and the live stream over a real
 * HTTP server with the console's session cookie, as EventSource uses it: a notification written
 * after the stream opened arrives on it; a reconnect with Last-Event-ID gets what it missed;
 * streams per user are capped and freed when they close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer } from './support/app.js';
import { enterpriseRecord } from './support/fixtures.js';
import { startNotificationTestApp, type NotificationTestApp } from './support/notifications.js';
import { emitEvent } from '../src/app/events.js';
import type { EventInput } from '../src/core/events.js';
import { STREAMS_PER_USER_MAX } from '../src/app/notifications/notification-hub.js';

let t: NotificationTestApp;
let baseUrl: string;
const MERCHANT = '920000000000001';
const OTHER = '920000000000002';
let staff: { authorization: string };
let merchantUser: { authorization: string };
let cookie: string;

beforeAll(async () => {
  t = await startNotificationTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  staff = bearer(await t.tokenFor('bell-risk', 'risk', [], 'bell-password-123'));
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: bearer(ADMIN_TOKEN),
    payload: { records: [enterpriseRecord({ merchantNo: MERCHANT })] },
  });
  expect(imported.json()).toMatchObject({ imported: 1 });
  merchantUser = bearer(await t.tokenFor('bell-merchant', 'merchant', [MERCHANT]));
  const login = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bell-risk', password: 'bell-password-123' }),
  });
  expect(login.status).toBe(200);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^sg_session=/);
});

afterAll(async () => {
  await t.close();
});

async function emit(input: EventInput) {
  const event = await t.ctx.db.transaction((tx) => emitEvent(t.ctx, tx, input));
  await t.drain();
  return event;
}

const suspended = (merchantNo: string, terminalId: string, drill = false): EventInput => ({
  type: 'terminal.suspended',
  merchantNo,
  drill,
  data: { terminalId, merchantNo, reason: '测试', by: 'risk1' },
});

interface Bell {
  items: {
    id: string;
    type: string;
    title: { zh: string };
    drill: boolean;
    readAt: string | null;
  }[];
  nextCursor?: string;
  unreadCount: number;
}

async function bell(headers: { authorization: string }, query = ''): Promise<Bell> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/notifications${query}`,
    headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Bell>();
}

describe('the bell', () => {
  it("lists the caller's own, newest first; merchant users see their merchant's events only", async () => {
    await emit(suspended(MERCHANT, 'B0000001'));
    await emit(suspended(OTHER, 'B0000002'));
    await emit(suspended(MERCHANT, 'B0000003', true));
    const mine = await bell(staff);
    expect(mine.items.map((n) => n.title.zh)).toEqual([
      '【演练】终端 B0000003 已暂停',
      '终端 B0000002 已暂停',
      '终端 B0000001 已暂停',
    ]);
    expect(mine.items[0]?.drill).toBe(true);
    expect(mine.unreadCount).toBe(3);
    const theirs = await bell(merchantUser);
    expect(theirs.items.map((n) => n.title.zh)).toEqual(['终端 B0000001 已暂停']);
  });

  it('marks some or all read, and pages with a cursor', async () => {
    const before = await bell(staff, '?unread=true');
    const newest = before.items[0]?.id ?? '';
    const read = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: staff,
      payload: { ids: [newest] },
    });
    expect(read.json()).toEqual({ updated: 1, unreadCount: before.unreadCount - 1 });
    expect((await bell(staff, '?unread=true')).items.map((n) => n.id)).not.toContain(newest);
    // Someone else's notification is not theirs to mark.
    const others = await bell(merchantUser);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: staff,
      payload: { ids: [others.items[0]?.id] },
    });
    expect(foreign.json()).toMatchObject({ updated: 0 });
    expect((await bell(merchantUser)).unreadCount).toBe(1);
    const first = await bell(staff, '?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await bell(staff, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((n) => n.id)).not.toContain(first.items[0]?.id);
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: staff,
      payload: { all: true },
    });
    expect(all.json()).toMatchObject({ unreadCount: 0 });
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read',
      headers: staff,
      payload: {},
    });
    expect(empty.statusCode).toBe(422);
  });
});

interface Frame {
  event: string;
  id?: string;
  data?: unknown;
}

/** Reads server-sent events from a fetch body, frame by frame. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<Frame> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Frame = { event: 'message' };
          let comment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            comment = false;
            const [field, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (field === 'event') frame.event = value;
            if (field === 'id') frame.id = value;
            if (field === 'data') frame.data = JSON.parse(value) as unknown;
            if (field === 'retry') frame.event = 'retry';
          }
          if (!comment) return frame;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function openStream(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/notifications/stream`, {
    headers: { cookie, accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  return { response, controller };
}

describe('the live stream', () => {
  it('pushes a new notification to the signed-in console as it is written', async () => {
    const { response, controller } = await openStream();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = sseReader(response.body as ReadableStream<Uint8Array>);
    expect((await frames.next()).event).toBe('retry');
    expect(await frames.next()).toEqual({ event: 'ready', data: { unreadCount: 0 } });
    const event = await emit(suspended(OTHER, 'B0000004'));
    const pushed = await frames.next();
    expect(pushed.event).toBe('notification');
    expect(pushed.data).toMatchObject({
      type: 'terminal.suspended',
      eventId: event.id,
      title: { zh: '终端 B0000004 已暂停', en: 'Terminal B0000004 suspended' },
      readAt: null,
    });
    expect(pushed.id).toBe((pushed.data as { id: string }).id);
    controller.abort();
    await frames.cancel().catch(() => undefined);

    // Reconnecting with the last id seen gets what was written in between.
    await emit(suspended(OTHER, 'B0000005'));
    const again = await openStream({ 'last-event-id': pushed.id ?? '' });
    const replay = sseReader(again.response.body as ReadableStream<Uint8Array>);
    expect((await replay.next()).event).toBe('retry');
    const missed = await replay.next();
    expect(missed.event).toBe('notification');
    expect(missed.data).toMatchObject({ title: { zh: '终端 B0000005 已暂停' } });
    expect((await replay.next()).event).toBe('ready');
    again.controller.abort();
    await replay.cancel().catch(() => undefined);
  });

  it('refuses a stream without a session, and caps the streams of one user', async () => {
    const anonymous = await fetch(`${baseUrl}/api/v1/notifications/stream`);
    expect(anonymous.status).toBe(401);
    // A slot is freed when the server sees the stream close, a moment after the client
    // closes it: opening waits for a free slot, a little at a time, rather than guessing.
    const openOne = async () => {
      for (let i = 0; i < 100; i += 1) {
        const stream = await openStream();
        if (stream.response.status === 200) {
          const frames = sseReader(stream.response.body as ReadableStream<Uint8Array>);
          await frames.next();
          await frames.next();
          return stream;
        }
        expect(stream.response.status).toBe(429);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no stream slot was freed');
    };
    // Twice over: the streams closed in the first round free their slots for the second.
    for (let round = 0; round < 2; round += 1) {
      const open = [];
      for (let i = 0; i < STREAMS_PER_USER_MAX; i += 1) open.push(await openOne());
      const refused = await openStream();
      expect(refused.response.status).toBe(429);
      expect(((await refused.response.json()) as { code: string }).code).toBe('rate_limited');
      for (const stream of open) stream.controller.abort();
    }
  });
});
