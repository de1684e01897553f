/**
 * Databases for tests: PGlite in memory by default; the PostgreSQL server when
 * SETTLEGUARD_TEST_DATABASE_URL is set (CI runs the database tests a second time that way).
 * Each test file gets a schema of its own on the server, dropped afterwards.
 */
import crypto from 'node:crypto';
import { openPglite, openPostgres, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { Vault } from '../../src/app/vault.js';
import { RegistryIndex } from '../../src/app/screening/registry-index.js';

export const TEST_DATABASE_URL = process.env.SETTLEGUARD_TEST_DATABASE_URL ?? null;

export interface TestDatabase {
  db: Database;
  /** The schema on the PostgreSQL server, or null on PGlite. */
  schema: string | null;
  /** A connection URL to the same data for a child process (PostgreSQL only). */
  url: string | null;
  /** What a dump of every table shows: used to prove a number is stored nowhere in clear. */
  dumpText(): Promise<string>;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  let db: Database;
  let drop: () => Promise<void> = async () => undefined;
  let schema: string | null = null;
  if (TEST_DATABASE_URL) {
    schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = openPostgres({ url: TEST_DATABASE_URL, poolSizeMax: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    db = openPostgres({ url: TEST_DATABASE_URL, schema, poolSizeMax: 4 });
    drop = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    };
  } else {
    db = await openPglite({ dataDir: null });
  }
  await migrate(db);
  const url = schema && TEST_DATABASE_URL ? withSearchPath(TEST_DATABASE_URL, schema) : null;
  return {
    db,
    schema,
    url,
    async dumpText() {
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      const parts: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table_name} t`);
        parts.push(...rows.rows.map((r) => r.row));
      }
      return parts.join('\n');
    },
    async close() {
      await db.close();
      await drop();
    },
  };
}

export function testVault(): Vault {
  return new Vault(crypto.randomBytes(32));
}

/** A context whose clock stands still unless the test moves it. */
export function testContext(db: Database, start = new Date('2026-11-26T08:00:00.000Z')) {
  let nowMs = start.getTime();
  // The index starts empty like the test database and follows it through registry changes.
  const ctx: AppContext = createContext({
    db,
    vault: testVault(),
    now: () => new Date(nowMs),
    index: new RegistryIndex(),
  });
  return {
    ctx,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/**
 * The PostgreSQL server for tests that need one whatever engine the rest runs on (pg_dump, two
 * instances on one server). On CI its absence is a failure; elsewhere such tests are skipped.
 */
export async function postgresForTests(): Promise<string | null> {
  const url = TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const probe = openPostgres({ url, poolSizeMax: 1 });
  try {
    await probe.query('SELECT 1');
    return url;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required at ${url} on CI: ${String(error)}`);
    }
    return null;
  } finally {
    await probe.close();
  }
}

/** A fresh schema on that server, migrated, dropped by `close`. */
export async function openPostgresSchema(url: string): Promise<TestDatabase> {
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = openPostgres({ url, poolSizeMax: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openPostgres({ url, schema, poolSizeMax: 4 });
  await migrate(db);
  const tdb: TestDatabase = {
    db,
    schema,
    url: withSearchPath(url, schema),
    dumpText: async () => '',
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
  return tdb;
}
