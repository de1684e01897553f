/**
 * THE crash test of notifications: a server process killed with SIGKILL after an event has
 * been committed, while its webhook receiver is still refusing it, delivers the event once the
 * server is started again, exactly once and verifiably signed. The event and its dispatch job
 * are written in the change's own commit; everything after is jobs in the database.
 */
import { startServerProcess } from './support/server-process.js';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/database.js';
import { enterpriseRecord } from './support/fixtures.js';
import { startReceiver, type Receiver } from './support/notifications.js';

const TOKEN = 'notify-crash-admin-token-0123';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-notify-crash-'));
const children: ChildProcess[] = [];
let server: TestDatabase | null = null;
let receiver: Receiver | null = null;

async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const started = await startServerProcess(env);
  children.push(started.child);
  return started;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Polls until `check` answers something, or fails naming what it waited for. */
async function waitFor<T>(label: string, ms: number, check: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${label}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await receiver?.close();
  await server?.close();
});

describe('kill -9 between an event and its delivery', () => {
  it('delivers the event after the restart, once, signed', async () => {
    receiver = await startReceiver();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SETTLEGUARD_ADMIN_TOKEN: TOKEN,
      SETTLEGUARD_DATA_DIR: path.join(work, 'data'),
      SETTLEGUARD_MASTER_KEY: 'b'.repeat(64),
      SETTLEGUARD_SETTLEMENT_SCHEDULE: 'false',
      // A job the killed server held is taken again after 15 s instead of a minute.
      SETTLEGUARD_JOB_LEASE_SECONDS: '15',
    };
    delete env.DATABASE_URL;
    delete env.SETTLEGUARD_SMTP_URL;
    delete env.SETTLEGUARD_MAIL_FROM;
    if (TEST_DATABASE_URL) {
      server = await openTestDatabase();
      env.DATABASE_URL = server.url ?? '';
    }
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const first = await start(env);
    const imported = await fetch(`${first.url}/api/v1/import`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        records: [enterpriseRecord({ merchantNo: '930000000000001', terminalIds: ['Q0000001'] })],
      }),
    });
    expect(((await imported.json()) as { imported: number }).imported).toBe(1);
    const created = await fetch(`${first.url}/api/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: receiver.url, events: ['terminal.suspended'] }),
    });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    receiver.secret = endpoint.secret;

    // The receiver refuses everything; the suspension commits its event; the server dies.
    receiver.mode = 'error';
    const suspended = await fetch(`${first.url}/api/v1/terminals/Q0000001/suspend`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ reason: '崩溃测试 crash test' }),
    });
    expect(suspended.status).toBe(200);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(receiver.received).toEqual([]);

    // Back up, with the receiver answering: the event arrives, once, signed.
    receiver.mode = 'ok';
    const second = await start(env);
    const message = await waitFor(
      'the delivery after the restart',
      150_000,
      async () => receiver?.received[0] ?? null,
    );
    expect(message.verified).toBe(true);
    expect(message.parsed).toMatchObject({
      type: 'terminal.suspended',
      data: { terminalId: 'Q0000001', merchantNo: '930000000000001' },
    });
    const delivered = await waitFor('the log to show it delivered', 30_000, async () => {
      const response = await fetch(`${second.url}/api/v1/webhooks/${endpoint.id}/deliveries`, {
        headers,
      });
      const log = (await response.json()) as { items: { status: string; messageId: string }[] };
      return log.items.every((d) => d.status === 'delivered') && log.items.length > 0
        ? log.items
        : null;
    });
    expect(delivered.map((d) => d.messageId)).toEqual([message.id]);
    expect(receiver.received.map((r) => r.id)).toEqual([message.id]);
    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(receiver.received).toHaveLength(1);
  }, 300_000);
});
