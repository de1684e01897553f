/**
 * The service killed with SIGKILL in the middle of a stream of batches loses no transaction
 * whose batch was acknowledged, and leaves no half batch: each batch is one commit.
 */
import { startServerProcess } from './support/server-process.js';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/storage/database.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/database.js';
import { enterpriseRecord } from './support/fixtures.js';

const TOKEN = 'crash-test-admin-token-0123';
const BATCH = 500;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-crash-'));
let server: TestDatabase | null = null;
const children: ChildProcess[] = [];

async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const started = await startServerProcess(env);
  children.push(started.child);
  return started;
}

function batch(n: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    id: `crash-${n}-${i}`,
    terminalId: 'K0000001',
    merchantNo: '800000000000001',
    type: 'purchase',
    amountFen: 100 + i,
    occurredAt: '2026-11-25T10:00:00Z',
  }));
}

/** Fails with a name instead of hanging until the test's own timeout. */
async function within<T>(ms: number, label: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label}: no answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when the child has exited, also when it already had. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
});

describe('kill -9 during ingest', () => {
  it('keeps every acknowledged batch and no half batch', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SETTLEGUARD_ADMIN_TOKEN: TOKEN,
      SETTLEGUARD_DATA_DIR: path.join(work, 'data'),
      SETTLEGUARD_MASTER_KEY: 'a'.repeat(64),
    };
    delete env.DATABASE_URL;
    if (TEST_DATABASE_URL) {
      server = await openTestDatabase();
      env.DATABASE_URL = server.url ?? '';
    }
    const first = await start(env);
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const imported = await fetch(`${first.url}/api/v1/import`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        records: [enterpriseRecord({ merchantNo: '800000000000001', terminalIds: ['K0000001'] })],
      }),
    });
    expect(((await imported.json()) as { imported: number }).imported).toBe(1);

    const acknowledged: number[] = [];
    const sent: number[] = [];
    const failures: string[] = [];
    let next = 0;
    let running = 2;
    // Two senders keep batches in flight; the kill lands while some are being committed.
    const sender = async () => {
      for (;;) {
        const n = next++;
        sent.push(n);
        try {
          const response = await fetch(`${first.url}/api/v1/transactions`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ transactions: batch(n) }),
          });
          if (response.status !== 200) {
            failures.push(`batch ${n}: HTTP ${response.status} ${await response.text()}`);
            running -= 1;
            return;
          }
          const body = (await response.json()) as { results: { outcome: string }[] };
          if (body.results.every((r) => r.outcome === 'accepted')) acknowledged.push(n);
          else failures.push(`batch ${n}: not all accepted`);
        } catch (error) {
          failures.push(`batch ${n}: ${String(error)}`);
          running -= 1;
          return;
        }
      }
    };
    const senders = [sender(), sender()];
    const deadline = Date.now() + 90_000;
    while (acknowledged.length < 6 && running > 0) {
      if (Date.now() > deadline)
        throw new Error(`only ${acknowledged.length} batches acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(failures).toEqual([]);
    first.child.kill('SIGKILL');
    await within(30_000, 'senders after the kill', Promise.all(senders));
    await within(10_000, 'server exit after SIGKILL', exited(first.child));

    // Count what survived, per batch, straight from the database.
    let counts: Map<number, number>;
    const query = `SELECT split_part(id, '-', 2)::int AS n, count(*)::int AS c FROM transactions GROUP BY 1`;
    if (server) {
      counts = new Map(
        (await server.db.query<{ n: number; c: number }>(query)).rows.map((r) => [r.n, r.c]),
      );
    } else {
      const db = await openPglite({ dataDir: path.join(work, 'data', 'pglite') });
      try {
        counts = new Map(
          (await db.query<{ n: number; c: number }>(query)).rows.map((r) => [r.n, r.c]),
        );
      } finally {
        await db.close();
      }
    }
    for (const n of acknowledged) expect(counts.get(n), `acknowledged batch ${n}`).toBe(BATCH);
    for (const n of sent) expect([0, BATCH], `batch ${n}`).toContain(counts.get(n) ?? 0);
    expect(sent.length).toBeGreaterThan(acknowledged.length);

    // And the service starts again on what it left, and answers the lost batch as new.
    const second = await start(env);
    const lost = sent.find((n) => !counts.has(n));
    if (lost !== undefined) {
      const response = await fetch(`${second.url}/api/v1/transactions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ transactions: batch(lost) }),
      });
      const body = (await response.json()) as { results: { outcome: string }[] };
      expect(body.results.every((r) => r.outcome === 'accepted')).toBe(true);
    }
    second.child.kill('SIGTERM');
    await within(30_000, 'second server exit after SIGTERM', exited(second.child));
    // Two server starts and a stream of batches: give it room on a loaded two-core machine.
  }, 180_000);
});
