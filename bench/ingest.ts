/**
 * Targets 2 and 4: HTTP batch ingest with screening and commit.
 *
 * The real server is started in this process with `boot` (on a fresh schema of the PostgreSQL
 * server, or on embedded PGlite in memory), and a registry is written set-based and loaded into
 * the index. On PostgreSQL, the server that is measured is then `npm start`'s own entry with
 * SETTLEGUARD_WORKERS set to the number of cores (src/cluster.ts; ADR 20), on the same schema
 * and key: as it would be deployed on this machine. The server in this process stays for the
 * setup and the checks. A second process (client.ts) POSTs batches of 1,000 transactions with
 * unique ids, a few requests in flight on keep-alive connections. After a warm-up (whose rows
 * are then truncated) a fixed count is timed from the first request to the last answer.
 *
 * Baselines, same rows into the same table (truncated first, indexes in place):
 * - PostgreSQL: `COPY transactions FROM STDIN` through psql's `\copy` of a CSV that psql
 *   itself wrote from the table after the HTTP run;
 * - PGlite (no COPY from a client here): multi-row `INSERT … SELECT FROM
 *   jsonb_populate_recordset(…)`, 10,000 rows a statement, on one connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Running } from '../src/boot.js';
import { projectPath } from '../src/project-root.js';
import type { Queryable } from '../src/storage/database.js';
import {
  createSchema,
  log,
  serverUrl,
  serverWithRegistry,
  sketchOf,
  startClient,
  type ClientHandle,
  type IngestRunResult,
  type ResultRow,
} from './support.js';

export const INGEST_TARGET_PER_S = 30_000;
export const INGEST_COPY_RATIO_TARGET = 1 / 3;

export interface IngestOptions {
  merchants: number;
  terminals: number;
  /** Timed transactions. */
  transactions: number;
  warmup: number;
  batchSize: number;
  /** Requests in flight. */
  concurrency: number;
  faultShare: number;
  /** Misbehaving terminals the faults come from. */
  faultPool: number;
  /** Plant faults in the registry too (unverified accounts, shared accounts, …). */
  registryFaults: boolean;
  /**
   * Server processes on the port (SETTLEGUARD_WORKERS); 1 serves from this process. PostgreSQL
   * only: the embedded database belongs to one process.
   */
  serverProcesses: number;
}

/** The target's measure: every transaction screened and committed, none faulty. */
export const INGEST_DEFAULTS: IngestOptions = {
  merchants: 10_000,
  terminals: 20_000,
  transactions: 200_000,
  warmup: 20_000,
  batchSize: 1000,
  concurrency: 2,
  faultShare: 0,
  faultPool: 25,
  registryFaults: false,
  // One a core, as `SETTLEGUARD_WORKERS=auto` would start on this machine.
  serverProcesses: Math.max(1, os.availableParallelism()),
};

/** A second, smaller run with faults: alerts, incidents and containment in the same commit. */
export const FAULTY_DEFAULTS: Partial<IngestOptions> = {
  transactions: 40_000,
  warmup: 10_000,
  faultShare: 0.02,
  registryFaults: true,
};

export const PGLITE_DEFAULTS: IngestOptions = {
  ...INGEST_DEFAULTS,
  transactions: 30_000,
  warmup: 5_000,
  serverProcesses: 1,
};

/** Where the client sends its batches, and the CPU the serving processes have used so far. */
interface Target {
  url: string;
  cpuMs(): number;
  processes: number;
}

/** The server in this process (`boot`), as the target. */
function inProcess(running: Running): Target {
  return {
    url: running.url,
    cpuMs: () => {
      const cpu = process.cpuUsage();
      return (cpu.user + cpu.system) / 1000;
    },
    processes: 1,
  };
}

/** CPU of a process and every process under it, from /proc (clock ticks of 1/100 s). */
function processTreeCpuMs(root: number): number {
  const all = processes();
  let ticks = 0;
  for (const [pid, proc] of all) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = all.get(p)?.parent) {
      if (p === root) {
        ticks += proc.ticks;
        break;
      }
    }
  }
  return ticks * 10;
}

/**
 * `npm start`'s entry with SETTLEGUARD_WORKERS=`processes`, on the same data and key as the
 * server in this process; resolves once it says where it runs.
 */
async function startServerProcesses(
  databaseUrl: string,
  masterKey: string,
  processes: number,
): Promise<Target & { close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-server-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, projectPath('src', 'main.ts'), '--no-demo'],
    {
      cwd: projectPath(),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        SETTLEGUARD_WORKERS: String(processes),
        SETTLEGUARD_MASTER_KEY: masterKey,
        SETTLEGUARD_DATA_DIR: dataDir,
        SETTLEGUARD_SETTLEMENT_SCHEDULE: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /running at (http:\/\/\S+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then(() => reject(new Error(`the server exited: ${out}`)));
    });
    const pid = child.pid ?? 0;
    return { url, cpuMs: () => processTreeCpuMs(pid), processes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Deadlocks detected so far in the whole database (other schemas included). */
async function deadlocks(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return rows[0]?.n ?? 0;
}

/**
 * CPU time (ms) used so far by the PostgreSQL server's processes on this machine, exited
 * backends included (the postmaster's reaped children); null when they cannot be seen (a
 * server elsewhere, no /proc). Every client of that server counts, other benchmarks' and
 * tests' too: a note, not a result.
 */
function postgresCpuMs(): number | null {
  let ticks = 0;
  let found = false;
  try {
    for (const [pid, proc] of processes()) {
      try {
        if (fs.readFileSync(`/proc/${String(pid)}/comm`, 'utf8').trim() !== 'postgres') continue;
      } catch {
        continue; // The process ended meanwhile.
      }
      ticks += proc.ticks;
      found = true;
    }
  } catch {
    return null;
  }
  // Linux counts in clock ticks of 1/100 s.
  return found ? ticks * 10 : null;
}

/**
 * Every process from /proc: its parent and its CPU in clock ticks (utime, stime, and the same
 * of its children that have ended).
 */
function processes(): Map<number, { parent: number; ticks: number }> {
  const found = new Map<number, { parent: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command in parentheses: state, ppid, … utime (14th field), stime, cutime, cstime.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.set(Number(entry), {
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

async function countRows(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM transactions');
  return rows[0]?.n ?? 0;
}

/** Warm-up, truncate, timed run; checks that every timed transaction was stored. */
async function httpIngest(
  client: ClientHandle,
  running: Running,
  target: Target,
  token: string,
  sketch: ReturnType<typeof sketchOf>,
  options: IngestOptions,
  label: string,
): Promise<IngestRunResult & { serverCpuMs: number; postgresCpuMs: number | null }> {
  const prepared = await client.call<{ timedBatches: number; bytes: number }>({
    cmd: 'prepare-ingest',
    sketch,
    seed: 303,
    idPrefix: `b${crypto.randomBytes(4).toString('hex')}`,
    batchSize: options.batchSize,
    warmupBatches: Math.ceil(options.warmup / options.batchSize),
    timedBatches: Math.ceil(options.transactions / options.batchSize),
    faultShare: options.faultShare,
    faultPool: options.faultPool,
  });
  log(
    `${label}: ${String(prepared.timedBatches)} batches ready in the client ` +
      `(${fmt(prepared.bytes / 1e6)} MB of JSON); warming up`,
  );
  const warm = await client.call<IngestRunResult>({
    cmd: 'run-ingest',
    url: target.url,
    token,
    phase: 'warmup',
    concurrency: options.concurrency,
  });
  if (warm.httpErrors > 0) throw new Error(`warm-up failed: ${warm.firstError ?? ''}`);
  await running.ctx.db.query('TRUNCATE transactions');
  if (running.ctx.db.kind === 'postgres') await running.ctx.db.query('CHECKPOINT');
  log(`${label}: timed run of ${fmt(options.transactions)} transactions`);
  const postgresBefore = postgresCpuMs();
  const serverBefore = target.cpuMs();
  const run = await client.call<IngestRunResult>({
    cmd: 'run-ingest',
    url: target.url,
    token,
    phase: 'timed',
    concurrency: options.concurrency,
  });
  const serverCpuMs = target.cpuMs() - serverBefore;
  if (run.httpErrors > 0) throw new Error(`ingest failed: ${run.firstError ?? ''}`);
  const stored = await countRows(running.ctx.db);
  if (stored !== (run.outcomes.accepted ?? 0)) {
    throw new Error(`${String(stored)} rows stored for ${String(run.outcomes.accepted)} accepted`);
  }
  const postgresAfter = postgresCpuMs();
  const postgres =
    postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore;
  return { ...run, serverCpuMs, postgresCpuMs: postgres };
}

function psql(args: string[]): Promise<{ stdout: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', serverUrl(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ stdout, ms });
      else reject(new Error(`psql exited with ${String(code)}: ${stderr.trim()}`));
    });
  });
}

/**
 * The same rows through COPY: psql writes the table to a CSV (masked card numbers and tokens
 * only, as stored), the table is truncated, and psql copies the file back in, timed.
 */
async function copyBaseline(running: Running, schema: string, rows: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-'));
  const file = path.join(dir, 'transactions.csv');
  try {
    await psql(['-c', `\\copy ${schema}.transactions TO '${file}' WITH (FORMAT csv)`]);
    const bytes = fs.statSync(file).size;
    await running.ctx.db.query('TRUNCATE transactions');
    await running.ctx.db.query('CHECKPOINT');
    const postgresBefore = postgresCpuMs();
    const { stdout, ms } = await psql([
      '-c',
      '\\timing on',
      '-c',
      `\\copy ${schema}.transactions FROM '${file}' WITH (FORMAT csv)`,
    ]);
    // psql's own timing of the COPY; the wall time of the psql process as a fallback.
    const timing = /Time: ([\d.]+) ms/.exec(stdout);
    const copyMs = timing?.[1] ? Number(timing[1]) : ms;
    const postgresAfter = postgresCpuMs();
    const postgres =
      postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore;
    const stored = await countRows(running.ctx.db);
    if (stored !== rows) throw new Error(`COPY stored ${String(stored)} of ${String(rows)} rows`);
    return { ms: copyMs, wallMs: ms, bytes, postgresCpuMs: postgres };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const BULK_ROWS = 10_000;

/** The same rows through multi-row INSERTs of 10,000 (JSON in, one statement per chunk). */
async function bulkInsertBaseline(running: Running, rows: number) {
  const db = running.ctx.db;
  const { rows: exported } = await db.query<{ j: string }>(
    'SELECT row_to_json(t)::text AS j FROM transactions t',
  );
  const chunks: string[] = [];
  for (let i = 0; i < exported.length; i += BULK_ROWS) {
    chunks.push(
      `[${exported
        .slice(i, i + BULK_ROWS)
        .map((r) => r.j)
        .join(',')}]`,
    );
  }
  await db.query('TRUNCATE transactions');
  if (db.kind === 'postgres') await db.query('CHECKPOINT');
  const start = performance.now();
  for (const chunk of chunks) {
    await db.query(
      'INSERT INTO transactions SELECT * FROM jsonb_populate_recordset(NULL::transactions, $1::jsonb)',
      [chunk],
    );
  }
  const ms = performance.now() - start;
  const stored = await countRows(db);
  if (stored !== rows) throw new Error(`bulk INSERT stored ${String(stored)} of ${String(rows)}`);
  return { ms };
}

function describe(
  run: IngestRunResult & { serverCpuMs: number; postgresCpuMs: number | null },
  options: IngestOptions,
  engine: 'pglite' | 'postgres',
): string {
  const outcomes = Object.entries(run.outcomes)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  const decisions = Object.entries(run.decisions)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  return (
    `${fmt(run.transactions)} transactions in ${String(run.batches)} POSTs of ${String(options.batchSize)}, ` +
    `${String(options.concurrency)} in flight, ${fmt(run.elapsedMs)} ms; outcomes: ${outcomes}; ` +
    `decisions: ${decisions}; ` +
    (options.serverProcesses > 1
      ? `${String(options.serverProcesses)} server processes (SETTLEGUARD_WORKERS), their CPU `
      : 'server process CPU ') +
    `${fmt((run.serverCpuMs * 1000) / run.transactions)} µs a transaction ` +
    `(${engine === 'pglite' ? 'PGlite included: it runs in this process' : "HTTP, validation, tokenising, screening, driver; PostgreSQL's own work not included"}); request p50 ${fmt(run.requestMs.p50)} ms, p99 ${fmt(run.requestMs.p99)} ms; ` +
    `client process ${fmt((run.clientCpuMs / run.elapsedMs) * 100)}% of a core` +
    (run.resent > 0
      ? `; ${String(run.resent)} POST(s) answered 5xx and sent again (first: ${run.firstResendCause ?? '?'})`
      : '')
  );
}

interface PostgresIngest {
  options: IngestOptions;
  run: IngestRunResult & { serverCpuMs: number; postgresCpuMs: number | null };
  rate: number;
  copy: { ms: number; wallMs: number; bytes: number; rate: number; postgresCpuMs: number | null };
  bulkRate: number | null;
  /** Deadlocks PostgreSQL detected in the database during warm-up and timed run. */
  deadlocksDuring: number;
}

/** One measurement on a fresh schema: boot, seed, warm up, time, then the COPY baseline. */
async function measurePostgres(options: IngestOptions, label: string): Promise<PostgresIngest> {
  const schema = await createSchema('bench_ingest');
  let running: Running | null = null;
  let client: ClientHandle | null = null;
  let processes: (Target & { close(): Promise<void> }) | null = null;
  try {
    const server = await serverWithRegistry(schema.url, options, 404);
    running = server.running;
    let target = inProcess(running);
    if (options.serverProcesses > 1) {
      processes = await startServerProcesses(schema.url, server.masterKey, options.serverProcesses);
      target = processes;
      // The server in this process only sets up and checks from here on: it neither follows
      // the registry (a refresh on every containment, on the database's CPU) nor works jobs.
      await running.jobs.stop();
      await running.ctx.index?.stop();
      log(`${label}: ${String(options.serverProcesses)} server processes at ${processes.url}`);
    }
    const { rows: where } = await running.ctx.db.query<{ s: string }>(
      'SELECT current_schema() AS s',
    );
    if (where[0]?.s !== schema.schema) {
      throw new Error(`the server works in ${where[0]?.s ?? '?'}, not in ${schema.schema}`);
    }
    client = startClient();
    const deadlocksBefore = await deadlocks(running.ctx.db);
    const run = await httpIngest(
      client,
      running,
      target,
      server.token,
      sketchOf(server.registry),
      options,
      label,
    );
    await client.close();
    client = null;
    // The statistics reach pg_stat_database within a second or so.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const deadlocksDuring = (await deadlocks(running.ctx.db)) - deadlocksBefore;
    const accepted = run.outcomes.accepted ?? 0;
    const rate = (accepted / run.elapsedMs) * 1000;
    log(`${label}: ${fmt(rate)} tx/s; COPY baseline`);
    const copy = await copyBaseline(running, schema.schema, accepted);
    const copyRate = (accepted / copy.ms) * 1000;
    log(`${label}: COPY ${fmt(copyRate)} rows/s`);
    let bulkRate: number | null = null;
    if (options.faultShare === 0) {
      const bulk = await bulkInsertBaseline(running, accepted);
      bulkRate = (accepted / bulk.ms) * 1000;
    }
    return { options, run, rate, copy: { ...copy, rate: copyRate }, bulkRate, deadlocksDuring };
  } finally {
    await client?.close();
    await processes?.close();
    await running?.close();
    await schema.drop();
  }
}

function trafficLabel(options: IngestOptions): string {
  return options.faultShare === 0 && !options.registryFaults
    ? 'clean traffic, clean registry'
    : `${String(options.faultShare * 100)}% faulty traffic${options.registryFaults ? ', registry with faults' : ''}`;
}

function postgresNotes(m: PostgresIngest): string[] {
  const { options, run, copy } = m;
  return [
    describe(run, options, 'postgres') +
      (m.deadlocksDuring > 0
        ? `; PostgreSQL reported ${String(m.deadlocksDuring)} deadlock(s) in the database during warm-up and run`
        : ''),
    `COPY of the same ${fmt(run.outcomes.accepted ?? 0)} rows (${fmt(copy.bytes / 1e6)} MB CSV) into the same ` +
      `table: ${fmt(copy.ms)} ms by psql's \\timing (${fmt(copy.wallMs)} ms with psql's start)` +
      (m.bulkRate === null
        ? ''
        : `; multi-row INSERT of 10,000 rows a statement: ${fmt(m.bulkRate)} rows/s`),
    ...(run.postgresCpuMs === null || copy.postgresCpuMs === null
      ? []
      : [
          `CPU of the PostgreSQL processes on this machine (any other client of the server included): ` +
            `${((run.postgresCpuMs * 1000) / run.transactions).toFixed(1)} µs a transaction for the HTTP run, ` +
            `${((copy.postgresCpuMs * 1000) / (run.outcomes.accepted ?? 1)).toFixed(1)} µs a row for the COPY; ` +
            `with the server's CPU, ${(((run.serverCpuMs + run.postgresCpuMs) * 1000) / run.transactions).toFixed(1)} µs a transaction in all`,
        ]),
    `registry ${fmt(options.merchants)} merchants / ${fmt(options.terminals)} terminals; ${trafficLabel(options)}` +
      (options.faultShare > 0
        ? ` (faults from ${String(options.faultPool)} culprits per kind: alerts, incidents, containment)`
        : ''),
  ];
}

export async function runIngestPostgres(
  partial: Partial<IngestOptions> = {},
  faulty: Partial<IngestOptions> | null = FAULTY_DEFAULTS,
): Promise<ResultRow[]> {
  const cleanOptions = { ...INGEST_DEFAULTS, ...partial };
  const clean = await measurePostgres(cleanOptions, 'ingest (PostgreSQL)');
  const ratio = clean.rate / clean.copy.rate;
  const rows: ResultRow[] = [
    {
      id: '2',
      measure:
        cleanOptions.serverProcesses > 1
          ? `HTTP batch ingest → PostgreSQL (screen + commit), ${String(cleanOptions.serverProcesses)} server processes`
          : 'HTTP batch ingest → PostgreSQL (screen + commit)',
      value: clean.rate,
      unit: 'tx/s',
      target: { op: '>=', value: INGEST_TARGET_PER_S },
      baselineLabel: 'COPY of the same rows',
      baseline: clean.copy.rate,
      ratio,
      notes: postgresNotes(clean),
    },
    {
      id: '2',
      measure: 'HTTP batch ingest rate / COPY rate',
      value: ratio,
      unit: '×',
      target: { op: '>=', value: INGEST_COPY_RATIO_TARGET },
      baselineLabel: '',
      baseline: null,
      ratio: null,
      notes: [],
    },
  ];
  if (cleanOptions.serverProcesses > 1) {
    // The same with one process, for comparison: what the second process adds.
    const one = await measurePostgres(
      { ...cleanOptions, serverProcesses: 1 },
      'ingest, one server process (PostgreSQL)',
    );
    rows.push({
      id: '2',
      measure: '  same, one server process',
      value: one.rate,
      unit: 'tx/s',
      target: null,
      baselineLabel: 'COPY of the same rows',
      baseline: one.copy.rate,
      ratio: one.rate / one.copy.rate,
      notes: postgresNotes(one).slice(0, 1),
    });
  }
  if (faulty) {
    const options = { ...INGEST_DEFAULTS, ...partial, ...faulty };
    const m = await measurePostgres(options, 'ingest with faults (PostgreSQL)');
    rows.push({
      id: '2',
      measure: `  same, ${trafficLabel(options)}`,
      value: m.rate,
      unit: 'tx/s',
      // Information, not the target (which the clean row measures): what containing
      // a merchant in nearly every batch costs. bench/README.md says why it is slower.
      target: null,
      baselineLabel: 'COPY of the same rows',
      baseline: m.copy.rate,
      ratio: m.rate / m.copy.rate,
      notes: postgresNotes(m),
    });
  }
  return rows;
}

export async function runIngestPglite(partial: Partial<IngestOptions> = {}): Promise<ResultRow[]> {
  const options = { ...PGLITE_DEFAULTS, ...partial };
  let running: Running | null = null;
  let client: ClientHandle | null = null;
  try {
    const server = await serverWithRegistry(null, options, 505);
    running = server.running;
    client = startClient();
    const run = await httpIngest(
      client,
      running,
      inProcess(running),
      server.token,
      sketchOf(server.registry),
      options,
      'ingest (PGlite)',
    );
    await client.close();
    client = null;
    const accepted = run.outcomes.accepted ?? 0;
    const rate = (accepted / run.elapsedMs) * 1000;
    log(`ingest (PGlite): ${fmt(rate)} tx/s; bulk INSERT baseline`);
    const bulk = await bulkInsertBaseline(running, accepted);
    const bulkRate = (accepted / bulk.ms) * 1000;
    return [
      {
        id: '4',
        measure: 'HTTP batch ingest → PGlite in memory (screen + commit)',
        value: rate,
        unit: 'tx/s',
        target: null,
        baselineLabel: 'bulk INSERT of the same rows',
        baseline: bulkRate,
        ratio: rate / bulkRate,
        notes: [
          describe(run, options, 'pglite'),
          `registry ${fmt(options.merchants)} merchants / ${fmt(options.terminals)} terminals; ${trafficLabel(options)}`,
          'PGlite runs inside the server process (one thread for HTTP, screening and the database), ' +
            'in memory, so no fsync. Baseline: INSERT … SELECT FROM jsonb_populate_recordset, 10,000 rows a statement ' +
            "(the pipeline's own rows go in with COPY from PGlite's /dev/blob)",
        ],
      },
    ];
  } finally {
    await client?.close();
    await running?.close();
  }
}
