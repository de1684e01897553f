/**
 * One database interface over the two engines SettleGuard runs on: embedded PGlite (a folder,
 * for trials and small sites) and a PostgreSQL server through `pg` (production). Same SQL
 * dialect, same migrations. Repositories take a `Queryable` so that they run inside or outside
 * a transaction alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * `COPY … FROM STDIN` (`sql` names the table and columns, text format) of `data`, sent piece
   * after piece; returns the rows copied. Bulk ingest uses it: PostgreSQL parses and stores
   * COPY rows at about half the cost of the same rows as parameters (see docs/adr/0010).
   * Optional: wrappers may leave it out, and callers then insert with parameters.
   */
  copyFrom?(sql: string, data: readonly string[]): Promise<number>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `handler` with the payload of every NOTIFY on `channel` (from any instance, this one
   * included), until the returned function is called.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// int8 (bigint) columns come back from `pg` as strings by default; SettleGuard keeps every
// int8 it reads (sequence numbers, fen amounts) inside Number.MAX_SAFE_INTEGER, and PGlite
// returns numbers, so both engines are made to agree on numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`int8 ${value} exceeds safe integer`);
  return parsed;
});

/** The rows of a PostgreSQL server, through a small pool. */
export function openPostgres(options: {
  url: string;
  /** Schema to use instead of `public` (tests isolate themselves this way). */
  schema?: string;
  poolSizeMax?: number;
}): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSizeMax ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async copyFrom(sql: string, data: readonly string[]) {
      const client = await pool.connect();
      try {
        return await copyWithClient(client, sql, data);
      } finally {
        client.release();
      }
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            const result = await client.query(sql, params as unknown[]);
            return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
          },
          async exec(sql: string) {
            await client.query(sql);
          },
          copyFrom: (sql: string, data: readonly string[]) => copyWithClient(client, sql, data),
        };
        const value = await work(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, handler) {
      const client = new pg.Client({
        connectionString: options.url,
        ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) handler(message.payload ?? '');
      });
      // A dropped listening connection must not take the process down; the index is rebuilt
      // on the next start, and the error is visible to whoever watches the pool.
      client.on('error', () => undefined);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end();
      };
    },
    async close() {
      await pool.end();
    },
  };
}

async function copyWithClient(
  client: pg.PoolClient,
  sql: string,
  data: readonly string[],
): Promise<number> {
  const stream = client.query(copyFromStdin(`${sql} FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    // Several pieces rather than one string of hundreds of kilobytes: V8 keeps a string that
    // large outside the young generation, and only a full collection frees it.
    for (const piece of data) stream.write(piece, 'utf8');
    stream.end();
  });
  return stream.rowCount;
}

/**
 * Embedded PGlite. `dataDir` null keeps everything in memory (tests). A lock file holding the
 * process id guards the folder: two processes writing one PGlite folder corrupt it.
 */
export async function openPglite(options: { dataDir: string | null }): Promise<Database> {
  const releaseLock = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  } catch (error) {
    releaseLock();
    throw error;
  }
  const wrap = (runner: Pick<PGlite, 'query' | 'exec'>): Required<Queryable> => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query<Row>(sql, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT: count the rows when there are any.
      return {
        rows: result.rows,
        rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
      };
    },
    async exec(sql: string) {
      await runner.exec(sql);
    },
    async copyFrom(sql: string, data: readonly string[]) {
      // PGlite reads COPY input from a blob standing in for the file /dev/blob.
      const result = await runner.query(`${sql} FROM '/dev/blob'`, [], {
        blob: new Blob([...data]),
      });
      return result.affectedRows ?? 0;
    },
  });
  const outside = wrap(db);
  return {
    kind: 'pglite',
    query: (sql, params) => outside.query(sql, params),
    exec: (sql) => outside.exec(sql),
    copyFrom: (sql, data) => outside.copyFrom(sql, data),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(wrap(tx)));
    },
    async listen(channel, handler) {
      const unsubscribe = await db.listen(channel, handler);
      return async () => {
        await unsubscribe();
      };
    },
    async close() {
      try {
        await db.close();
      } finally {
        releaseLock();
      }
    },
  };
}

const LOCK_FILE = 'settleguard.pid';

function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dataDir, '..', `${path.basename(dataDir)}.${LOCK_FILE}`);
  if (fs.existsSync(lockPath)) {
    const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${holder}. ` +
          'Stop it first, or point SETTLEGUARD_DATA_DIR elsewhere.',
      );
    }
  }
  fs.writeFileSync(lockPath, String(process.pid), { mode: 0o600 });
  return () => {
    try {
      if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      // The lock file is already gone: nothing to release.
    }
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string | null;
}): Promise<Database> {
  return options.databaseUrl
    ? openPostgres({ url: options.databaseUrl })
    : openPglite({ dataDir: options.dataDir });
}
