/**
 * `SETTLEGUARD_WORKERS=2`: the real `npm start` entry with two server processes on one port
 * and one PostgreSQL. A registry change made through one process reaches the other's index;
 * batches spread over both are each stored once; a process killed with SIGKILL is started again
 * while the other keeps answering; SIGTERM stops them all. PostgreSQL only: the embedded
 * database belongs to one process (the configuration refuses more, see config.test.ts).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/app/context.js';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { RegistryIndex } from '../src/app/screening/registry-index.js';
import { Vault } from '../src/app/vault.js';
import { openPostgresSchema, postgresForTests, type TestDatabase } from './support/database.js';
import { enterpriseRecord } from './support/fixtures.js';
import { startServerProcess } from './support/server-process.js';

const KEY = Buffer.alloc(32, 9);
const TOKEN = 'cluster-test-admin-token-0123';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-cluster-'));
let tdb: TestDatabase | null = null;
let server: { child: ChildProcess; url: string } | null = null;

/** The server processes the primary started (Linux: /proc; tsx's esbuild helper left out). */
function childrenOf(pid: number): number[] {
  return allChildrenOf(pid).filter((child) => {
    try {
      return fs.readFileSync(`/proc/${String(child)}/cmdline`, 'utf8').includes('main.ts');
    } catch {
      return false; // gone meanwhile
    }
  });
}

function allChildrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${String(pid)}/task`);
  return tasks
    .flatMap((task) =>
      fs
        .readFileSync(`/proc/${String(pid)}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    )
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One request on a connection of its own, so that the primary hands each to the next process.
 * Fails after 5 s without an answer: a connection the primary hands to a process at the moment
 * that process dies gets none (see src/cluster.ts).
 */
function request(
  method: string,
  route: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(route, server?.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Authorize-check asked `times` times, each on a new connection: both processes answer. Each
 * connection lost (no answer) is counted in `lost` and asked again, as a switch would.
 */
async function checks(times: number, lost = { count: 0 }): Promise<boolean[]> {
  const answers: boolean[] = [];
  while (answers.length < times) {
    let reply: Awaited<ReturnType<typeof request>>;
    try {
      reply = await request('POST', '/api/v1/authorize-check', {
        terminalId: 'W0000001',
        merchantNo: '910000000000001',
      });
    } catch (error) {
      lost.count += 1;
      if (lost.count > 2) throw error;
      continue;
    }
    expect(reply.status).toBe(200);
    answers.push(reply.body.allow === true);
  }
  return answers;
}

async function eventually(check: () => Promise<boolean>, label: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${label}: not within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

let url: string | null = null;
beforeAll(async () => {
  url = await postgresForTests();
  if (!url) return;
  tdb = await openPostgresSchema(url);
  server = await startServerProcess({
    ...process.env,
    DATABASE_URL: tdb.url ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    SETTLEGUARD_WORKERS: '2',
    SETTLEGUARD_MASTER_KEY: KEY.toString('base64'),
    SETTLEGUARD_ADMIN_TOKEN: TOKEN,
    SETTLEGUARD_DATA_DIR: work,
    SETTLEGUARD_SETTLEMENT_SCHEDULE: 'false',
    LOG_LEVEL: 'warn',
  });
}, 90_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) {
    for (const pid of childrenOf(server.child.pid ?? 0)) process.kill(pid, 'SIGKILL');
    server.child.kill('SIGKILL');
  }
  await tdb?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('two server processes on one port', () => {
  it('share registry changes and batches, survive a killed process and stop together', async (context) => {
    if (!tdb || !server) {
      context.skip();
      return;
    }
    const primary = server.child.pid ?? 0;
    const first = childrenOf(primary);
    expect(first).toHaveLength(2);

    // A merchant imported by another instance (this test): both processes learn of it.
    const ctx = createContext({ db: tdb.db, vault: new Vault(KEY), index: new RegistryIndex() });
    const imported = await importPortfolio(ctx, null, [
      enterpriseRecord({ merchantNo: '910000000000001', terminalIds: ['W0000001', 'W0000002'] }),
    ]);
    expect(imported.failed).toEqual([]);
    await eventually(async () => (await checks(6)).every(Boolean), 'both allow the new terminal');

    // Suspended through one process: the other refuses it too.
    const suspended = await request('POST', '/api/v1/terminals/W0000001/suspend', {
      reason: '集群测试',
    });
    expect(suspended.status).toBe(200);
    await eventually(async () => (await checks(6)).every((allow) => !allow), 'both refuse it');

    // Batches over many connections, one of them sent twice: each transaction stored once.
    const batch = (n: number) => ({
      transactions: Array.from({ length: 50 }, (_, i) => ({
        id: `cluster-${String(n)}-${String(i)}`,
        terminalId: 'W0000002',
        merchantNo: '910000000000001',
        type: 'purchase',
        amountFen: 100 + i,
        occurredAt: '2026-11-25T10:00:00Z',
      })),
    });
    const replies = await Promise.all(
      [1, 2, 3, 4, 5, 6, 1].map((n) => request('POST', '/api/v1/transactions', batch(n))),
    );
    for (const reply of replies) expect(reply.status).toBe(200);
    const outcomes = replies.flatMap((r) =>
      (r.body.results as { outcome: string }[]).map((x) => x.outcome),
    );
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(300);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(50);
    const stored = await tdb.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM transactions WHERE id LIKE 'cluster-%'",
    );
    expect(stored.rows[0]?.n).toBe(300);

    // One process killed: the other answers meanwhile, and the primary starts a new one.
    const [victim, survivor] = first as [number, number];
    process.kill(victim, 'SIGKILL');
    // At most the one connection handed to the dying process goes unanswered.
    const lost = { count: 0 };
    for (const allow of await checks(4, lost)) expect(allow).toBe(false);
    expect(lost.count).toBeLessThanOrEqual(1);
    await eventually(
      async () =>
        childrenOf(primary).filter((pid) => pid !== survivor && pid !== victim).length === 1,
      'a new process',
    );
    const [replacement] = childrenOf(primary).filter((pid) => pid !== survivor);
    // The new process loads the index at start: it refuses the suspended terminal as well.
    await eventually(
      async () => (await checks(6)).every((allow) => !allow),
      'all refuse after restart',
    );

    // SIGTERM to the primary: every process stops gracefully, and the primary exits 0.
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect(alive(survivor)).toBe(false);
    expect(alive(replacement ?? 0)).toBe(false);
  }, 120_000);
});
