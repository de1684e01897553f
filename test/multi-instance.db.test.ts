/**
 * Two instances on one PostgreSQL: a registry change made through one reaches the other's
 * in-memory index (LISTEN/NOTIFY), and the same transaction sent to both is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../src/app/context.js';
import { ingestTransactions } from '../src/app/ingest/ingest-transactions.js';
import { changeTerminalStatus } from '../src/app/registry/change-terminal-status.js';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { RegistryIndex } from '../src/app/screening/registry-index.js';
import { Vault } from '../src/app/vault.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import type { Principal } from '../src/core/roles.js';
import { openPostgres, type Database } from '../src/storage/database.js';
import { openPostgresSchema, postgresForTests, type TestDatabase } from './support/database.js';
import { enterpriseRecord } from './support/fixtures.js';

const risk: Principal = { userId: 'u-risk', username: 'risk1', role: 'risk', merchantNos: [] };
const key = Buffer.alloc(32, 7);
let tdb: TestDatabase | null = null;
let other: Database | null = null;
const instances: { ctx: AppContext; index: RegistryIndex }[] = [];
const errors: unknown[] = [];

async function instance(db: Database) {
  const index = new RegistryIndex();
  await index.loadAll(db);
  await index.follow(db, (error) => errors.push(error));
  const made = { ctx: createContext({ db, vault: new Vault(key), index }), index };
  instances.push(made);
  return made;
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let url: string | null = null;
beforeAll(async () => {
  url = await postgresForTests();
  if (!url) return;
  tdb = await openPostgresSchema(url);
  other = openPostgres({ url, schema: tdb.schema ?? '', poolSizeMax: 4 });
});
afterAll(async () => {
  for (const i of instances) await i.index.stop();
  await other?.close();
  await tdb?.close();
});

describe('two instances on one PostgreSQL', () => {
  it('share registry changes and store a transaction sent to both once', async (context) => {
    if (!tdb || !other) {
      context.skip();
      return;
    }
    const a = await instance(tdb.db);
    const b = await instance(other);
    await importPortfolio(a.ctx, null, [
      enterpriseRecord({ merchantNo: '900000000000001', terminalIds: ['M0000001', 'M0000002'] }),
    ]);
    await eventually(() => b.index.terminal('M0000001')?.status === 'active');

    await changeTerminalStatus(a.ctx, risk, {
      terminalId: 'M0000001',
      to: 'suspended',
      reason: '巡检',
    });
    await eventually(() => b.index.terminal('M0000001')?.status === 'suspended');

    const txn = {
      id: 'multi-1',
      terminalId: 'M0000002',
      merchantNo: '900000000000001',
      type: 'purchase',
      amountFen: 1000,
      occurredAt: '2026-11-25T10:00:00Z',
    };
    const [fromA, fromB] = await Promise.all([
      ingestTransactions(a.ctx, null, [txn], { source: 'api', policy: DEFAULT_POLICY }),
      ingestTransactions(b.ctx, null, [txn], { source: 'api', policy: DEFAULT_POLICY }),
    ]);
    expect([fromA[0]?.outcome, fromB[0]?.outcome].sort()).toEqual(['accepted', 'duplicate']);
    const stored = await tdb.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM transactions WHERE id = 'multi-1'",
    );
    expect(stored.rows[0]?.n).toBe(1);

    // Containment made by one instance reaches the other's index too.
    await ingestTransactions(
      b.ctx,
      null,
      [{ ...txn, id: 'multi-2', merchantNo: '900000000000009' }],
      {
        source: 'api',
        policy: DEFAULT_POLICY,
      },
    );
    await eventually(() => a.index.terminal('M0000002')?.status === 'suspended');
    expect(errors).toEqual([]);
  });
});
