/**
 * Shared pieces of the benchmarks: the database to run on (a schema of its own on the
 * PostgreSQL server, dropped afterwards), a synthetic registry of any size written set-based,
 * synthetic transactions (mostly clean, a few percent faulty), the load-generating child
 * process, statistics and the result table.
 *
 * A benchmark, not a test: nothing here asserts a timing. The machines are shared; figures
 * vary from run to run, which is why each figure is printed beside a baseline measured in the
 * same run.
 */
import crypto from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildDemoPortfolio } from '../src/app/demo-portfolio.js';
import type { Queryable } from '../src/storage/database.js';
import type { MerchantType } from '../src/core/registry.js';
import type { TransactionStatus, TransactionType } from '../src/core/transaction.js';

// ---------------------------------------------------------------------------------------------
// Where to run

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The PostgreSQL server: BENCH_DATABASE_URL, else the test server's URL. */
export function serverUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.SETTLEGUARD_TEST_DATABASE_URL ??
    DEFAULT_DATABASE_URL
  );
}

/** The same server with `search_path` set to `schema` (what `openStore` and `migrate` use). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface BenchSchema {
  schema: string;
  /** URL whose connections work in the schema only. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty schema on the server; `drop()` removes it and everything in it. */
export async function createSchema(prefix = 'bench'): Promise<BenchSchema> {
  const base = serverUrl();
  const schema = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    url: withSearchPath(base, schema),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A master key for this run only (so that `openStore` creates no key file anywhere). */
export function randomMasterKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

export function randomToken(): string {
  return `bench-${crypto.randomBytes(24).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** Mulberry32, as in the demo portfolio: small, fast, deterministic from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 0x100000000).toString(16);
  return out.slice(0, length);
}

// ---------------------------------------------------------------------------------------------
// A synthetic registry

export interface SynthAccount {
  status: 'active' | 'pending_verification';
  accountFp: string;
  accountNumberMasked: string;
  accountName: string;
  accountType: 'corporate' | 'personal';
  nameCheckResult: 'match' | 'close_match' | 'no_match';
  validFrom: Date;
  /** Set when the account replaced an earlier one (the post-change rule watches these). */
  previousFp: string | null;
}

export interface SynthMerchant {
  merchantNo: string;
  name: string;
  type: MerchantType;
  mcc: string;
  legalPersonName: string;
  legalPersonFp: string;
  account: SynthAccount | null;
}

export interface SynthTerminal {
  terminalId: string;
  merchantNo: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  status: 'active' | 'suspended';
}

export interface SynthRegistry {
  merchants: SynthMerchant[];
  terminals: SynthTerminal[];
  /** How many records carry each planted fault. */
  faults: Record<string, number>;
}

/** Models of the demo portfolio, with versions at or above DEFAULT_POLICY's minimum. */
const MODELS: readonly { model: string; current: readonly string[]; outdated: string }[] = [
  { model: 'PAX A920', current: ['V2.3.1', 'V2.4.0', 'V2.1.7'], outdated: 'V1.9.3' },
  { model: 'PAX S910', current: ['V1.6.2', 'V1.8.0'], outdated: 'V1.4.9' },
  { model: '新大陆 N910', current: ['V2.2.0', 'V2.0.5'], outdated: 'V1.8.1' },
  { model: '新大陆 ME31', current: ['V1.7.2', 'V1.8.0', 'V1.6.8'], outdated: 'V1.1.0' },
  { model: '联迪 A8', current: ['V3.2.5', 'V3.1.0'], outdated: 'V2.9.9' },
];

let demoNames: { name: string; type: MerchantType; mcc: string; holder: string; legal: string }[] =
  [];

/** Realistic names from the demo portfolio generator (built once per process). */
function namePool(): typeof demoNames {
  if (demoNames.length === 0) {
    demoNames = buildDemoPortfolio({ seed: 20261126, size: 9999, today: new Date() }).map(
      (record) => ({
        name: record.merchant.name,
        type: record.merchant.type,
        mcc: record.merchant.mcc,
        holder: record.settlementAccount?.accountName ?? record.merchant.name,
        legal: record.merchant.legalPerson.name,
      }),
    );
  }
  return demoNames;
}

export function merchantNoOf(index: number): string {
  return `898${String(index).padStart(12, '0')}`;
}

export function terminalIdOf(index: number): string {
  return `T${String(index).padStart(7, '0')}`;
}

/**
 * A registry of `merchants` merchants and `terminals` terminals (each merchant has at least
 * one when there are enough). With `faulty`, a small share of records carries the faults the
 * rules look for: suspended terminals, outdated firmware, unverified accounts, holder names
 * that do not match, accounts shared by unrelated merchants, recent account changes.
 */
export function synthRegistry(options: {
  seed: number;
  merchants: number;
  terminals: number;
  faulty: boolean;
  now?: Date;
}): SynthRegistry {
  const random = mulberry32(options.seed);
  const now = (options.now ?? new Date()).getTime();
  const names = namePool();
  const faults: Record<string, number> = {
    suspended_terminal: 0,
    outdated_firmware: 0,
    unverified_account: 0,
    holder_name_mismatch: 0,
    shared_account: 0,
    recent_account_change: 0,
  };
  const roll = (share: number, fault: string): boolean => {
    if (!options.faulty || random() >= share) return false;
    faults[fault] = (faults[fault] ?? 0) + 1;
    return true;
  };
  const merchants: SynthMerchant[] = [];
  for (let i = 0; i < options.merchants; i += 1) {
    const base = names[i % names.length];
    if (!base) throw new Error('empty name pool');
    const round = Math.floor(i / names.length);
    const name = round === 0 ? base.name : `${base.name}第${round + 1}分店`;
    const corporate = base.type === 'enterprise';
    const changed = roll(0.01, 'recent_account_change');
    const account: SynthAccount = {
      status: roll(0.004, 'unverified_account') ? 'pending_verification' : 'active',
      accountFp: hex(random, 64),
      accountNumberMasked: corporate
        ? `1001********${String(randomInt(random, 0, 9999)).padStart(4, '0')}`
        : `622202*********${String(randomInt(random, 0, 9999)).padStart(4, '0')}`,
      accountName: corporate || base.type === 'individual_business' ? name : base.holder,
      accountType: corporate ? 'corporate' : 'personal',
      nameCheckResult: roll(0.002, 'holder_name_mismatch') ? 'no_match' : 'match',
      // Changed accounts took effect in the last few days: inside the post-change window.
      validFrom: new Date(
        changed
          ? now - randomInt(random, 1, 5) * 86_400_000
          : now - randomInt(random, 60, 900) * 86_400_000,
      ),
      previousFp: changed ? hex(random, 64) : null,
    };
    merchants.push({
      merchantNo: merchantNoOf(i),
      name,
      type: base.type,
      mcc: base.mcc,
      legalPersonName: base.legal,
      legalPersonFp: hex(random, 64),
      account,
    });
  }
  // A few groups of three unrelated merchants settling to one account.
  if (options.faulty) {
    const groups = Math.max(1, Math.floor(options.merchants / 5000));
    for (let g = 0; g < groups; g += 1) {
      const first = merchants[randomInt(random, 0, merchants.length - 1)];
      if (!first?.account) continue;
      for (let k = 0; k < 2; k += 1) {
        const other = merchants[randomInt(random, 0, merchants.length - 1)];
        if (!other?.account || other === first) continue;
        other.account.accountFp = first.account.accountFp;
        faults.shared_account = (faults.shared_account ?? 0) + 1;
      }
    }
  }
  const terminals: SynthTerminal[] = [];
  for (let i = 0; i < options.terminals; i += 1) {
    // Every merchant gets one terminal first; the rest go mostly to the larger merchants.
    const owner =
      i < options.merchants
        ? i
        : Math.floor(Math.pow(random(), 2) * Math.min(options.merchants, options.terminals));
    const kind = pick(random, MODELS);
    const outdated = roll(0.01, 'outdated_firmware');
    terminals.push({
      terminalId: terminalIdOf(i),
      merchantNo: merchantNoOf(owner),
      serialNumber: `SN${String(i).padStart(10, '0')}`,
      model: kind.model,
      firmwareVersion: outdated ? kind.outdated : pick(random, kind.current),
      status: roll(0.005, 'suspended_terminal') ? 'suspended' : 'active',
    });
  }
  return { merchants, terminals, faults };
}

const SEED_CHUNK = 10_000;

/**
 * Writes the registry set-based: one `INSERT … SELECT FROM unnest(…)` per 10,000 rows per
 * table (no per-record import path, no audit entries: this is test data, not an import).
 */
export async function seedRegistry(q: Queryable, registry: SynthRegistry): Promise<void> {
  for (let start = 0; start < registry.merchants.length; start += SEED_CHUNK) {
    const chunk = registry.merchants.slice(start, start + SEED_CHUNK);
    await q.query(
      `INSERT INTO merchants (merchant_no, name, type, status, legal_person_name,
         legal_person_id_enc, legal_person_id_fp, legal_person_id_masked, mcc, valid_from,
         recorded_by)
       SELECT u.merchant_no, u.name, u.type, 'active', u.legal, '\\x00'::bytea, u.fp,
              '110***********002X', u.mcc, now() - interval '1000 days', 'bench'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS u(merchant_no, name, type, legal, fp, mcc)`,
      [
        chunk.map((m) => m.merchantNo),
        chunk.map((m) => m.name),
        chunk.map((m) => m.type),
        chunk.map((m) => m.legalPersonName),
        chunk.map((m) => m.legalPersonFp),
        chunk.map((m) => m.mcc),
      ],
    );
    const withAccount = chunk.flatMap((m) => (m.account ? [{ m, a: m.account }] : []));
    const previous = withAccount.filter(({ a }) => a.previousFp !== null);
    if (previous.length > 0) {
      await q.query(
        `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
           account_number_masked, account_name, account_type, status, name_check, valid_from,
           valid_to, recorded_by)
         SELECT gen_random_uuid(), u.merchant_no, '\\x00'::bytea, u.fp, u.masked, u.name,
                u.type, 'superseded', '{"result":"match"}'::jsonb, u.until - interval '400 days',
                u.until, 'bench'
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                       $6::timestamptz[]) AS u(merchant_no, fp, masked, name, type, until)`,
        [
          previous.map(({ m }) => m.merchantNo),
          previous.map(({ a }) => a.previousFp),
          previous.map(({ a }) => a.accountNumberMasked),
          previous.map(({ a }) => a.accountName),
          previous.map(({ a }) => a.accountType),
          previous.map(({ a }) => a.validFrom),
        ],
      );
    }
    await q.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, status, name_check, valid_from,
         recorded_by)
       SELECT gen_random_uuid(), u.merchant_no, '\\x00'::bytea, u.fp, u.masked, u.name, u.type,
              u.status, jsonb_build_object('result', u.check), u.valid_from, 'bench'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::timestamptz[])
           AS u(merchant_no, fp, masked, name, type, status, "check", valid_from)`,
      [
        withAccount.map(({ m }) => m.merchantNo),
        withAccount.map(({ a }) => a.accountFp),
        withAccount.map(({ a }) => a.accountNumberMasked),
        withAccount.map(({ a }) => a.accountName),
        withAccount.map(({ a }) => a.accountType),
        withAccount.map(({ a }) => a.status),
        withAccount.map(({ a }) => a.nameCheckResult),
        withAccount.map(({ a }) => a.validFrom),
      ],
    );
  }
  for (let start = 0; start < registry.terminals.length; start += SEED_CHUNK) {
    const chunk = registry.terminals.slice(start, start + SEED_CHUNK);
    await q.query(
      `INSERT INTO terminals (terminal_id, merchant_no, serial_number, model, firmware_version,
         status, valid_from, recorded_by)
       SELECT u.terminal_id, u.merchant_no, u.serial, u.model, u.firmware, u.status,
              now() - interval '900 days', 'bench'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS u(terminal_id, merchant_no, serial, model, firmware, status)`,
      [
        chunk.map((t) => t.terminalId),
        chunk.map((t) => t.merchantNo),
        chunk.map((t) => t.serialNumber),
        chunk.map((t) => t.model),
        chunk.map((t) => t.firmwareVersion),
        chunk.map((t) => t.status),
      ],
    );
  }
  await q.query('ANALYZE merchants');
  await q.query('ANALYZE settlement_accounts');
  await q.query('ANALYZE terminals');
}

// ---------------------------------------------------------------------------------------------
// The real server

/** The server on the given database, a registry in its index, and a token of the switch role. */
export async function serverWithRegistry(
  databaseUrl: string | null,
  options: { merchants: number; terminals: number; registryFaults: boolean },
  seed: number,
) {
  const registry = synthRegistry({
    seed,
    merchants: options.merchants,
    terminals: options.terminals,
    faulty: options.registryFaults,
  });
  // Imported here so that the client process, which shares this module, loads no server code.
  const { boot } = await import('../src/boot.js');
  // Returned, so that more server processes can be started on the same data (ingest.ts).
  const masterKey = randomMasterKey();
  const { createUser } = await import('../src/app/users/create-user.js');
  const running = await boot({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: null,
    demo: false,
    adminToken: randomToken(),
    // A key for this run, so that no key file is read or written; the key file path is never
    // used then, but openStore makes an empty temporary folder for it unless one is named.
    masterKey,
    keyFile: path.join(os.tmpdir(), 'settleguard-bench-unused.key'),
    logLevel: 'warn',
    consoleDir: null,
  });
  try {
    const seedStart = performance.now();
    await seedRegistry(running.ctx.db, registry);
    const index = running.ctx.index;
    if (!index) throw new Error('the server has no registry index');
    await index.loadAll(running.ctx.db);
    const seedMs = performance.now() - seedStart;
    const user = await createUser(running.ctx, null, { username: 'bench-switch', role: 'switch' });
    log(
      `server at ${running.url} on ${running.ctx.db.kind}: index of ${index.size.terminals} terminals / ` +
        `${index.size.merchants} merchants (${String(Math.round(seedMs))} ms to seed and load)`,
    );
    return { running, registry, token: user.token, masterKey };
  } catch (error) {
    await running.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic transactions

/** What a load generator needs to know of the registry: terminal → merchant, merchant → name. */
export interface RegistrySketch {
  terminals: [terminalId: string, merchantNo: string][];
  names: Record<string, string>;
}

export function sketchOf(registry: SynthRegistry): RegistrySketch {
  const names: Record<string, string> = {};
  for (const m of registry.merchants) names[m.merchantNo] = m.name;
  return { terminals: registry.terminals.map((t) => [t.terminalId, t.merchantNo]), names };
}

export const TRANSACTION_FAULTS = [
  'clean',
  'foreign_merchant',
  'unknown_terminal',
  'unknown_merchant',
  'receipt_name',
] as const;
export type TransactionFault = (typeof TRANSACTION_FAULTS)[number];

export interface PlannedTransaction {
  terminalId: string;
  merchantNo: string;
  type: TransactionType;
  status: TransactionStatus;
  amountFen: number;
  occurredAtMs: number;
  merchantNameOnReceipt: string | null;
  fault: TransactionFault;
}

/**
 * Transactions on the registry: mostly clean (the terminal's own merchant, the registered name
 * on the receipt or none), `faultShare` of them faulty: a terminal used under another merchant,
 * an unknown terminal or merchant, a receipt showing another name. With `faultPool`, faults
 * come from that many misbehaving terminals only (as in life, where a few terminals go bad),
 * so that containment happens once per culprit rather than once per faulty transaction.
 */
export class TransactionPlanner {
  readonly #random: () => number;
  readonly #sketch: RegistrySketch;
  readonly #merchantNos: string[];
  readonly #faultShare: number;
  readonly #pool: { terminalId: string; merchantNo: string; receipt: string | null }[][] = [];
  readonly #now: number;

  constructor(options: {
    seed: number;
    sketch: RegistrySketch;
    faultShare: number;
    faultPool?: number;
    now?: number;
  }) {
    this.#random = mulberry32(options.seed);
    this.#sketch = options.sketch;
    this.#merchantNos = Object.keys(options.sketch.names);
    this.#faultShare = options.faultShare;
    this.#now = options.now ?? Date.now();
    if (options.faultPool !== undefined) {
      for (let kind = 1; kind < TRANSACTION_FAULTS.length; kind += 1) {
        const fault = TRANSACTION_FAULTS[kind] ?? 'clean';
        const pool: { terminalId: string; merchantNo: string; receipt: string | null }[] = [];
        for (let k = 0; k < options.faultPool; k += 1) pool.push(this.#faulty(fault));
        this.#pool[kind] = pool;
      }
    }
  }

  #terminal(): [string, string] {
    return pick(this.#random, this.#sketch.terminals);
  }

  #faulty(fault: TransactionFault): {
    terminalId: string;
    merchantNo: string;
    receipt: string | null;
  } {
    const [terminalId, merchantNo] = this.#terminal();
    const name = this.#sketch.names[merchantNo] ?? null;
    switch (fault) {
      case 'foreign_merchant': {
        let other = pick(this.#random, this.#merchantNos);
        if (other === merchantNo) other = pick(this.#random, this.#merchantNos);
        return { terminalId, merchantNo: other, receipt: this.#sketch.names[other] ?? null };
      }
      case 'unknown_terminal':
        return {
          terminalId: `U${String(randomInt(this.#random, 0, 9_999_999)).padStart(7, '0')}`,
          merchantNo,
          receipt: name,
        };
      case 'unknown_merchant':
        return {
          terminalId,
          merchantNo: `999${String(randomInt(this.#random, 0, 999_999_999_999)).padStart(12, '0')}`,
          receipt: null,
        };
      case 'receipt_name': {
        const other = pick(this.#random, this.#merchantNos);
        return { terminalId, merchantNo, receipt: this.#sketch.names[other] ?? '某某商店' };
      }
      case 'clean':
        return { terminalId, merchantNo, receipt: name };
    }
  }

  next(): PlannedTransaction {
    const random = this.#random;
    let fault: TransactionFault = 'clean';
    let place: { terminalId: string; merchantNo: string; receipt: string | null };
    if (random() < this.#faultShare) {
      const kind = randomInt(random, 1, TRANSACTION_FAULTS.length - 1);
      fault = TRANSACTION_FAULTS[kind] ?? 'clean';
      const pool = this.#pool[kind];
      place = pool ? pick(random, pool) : this.#faulty(fault);
    } else {
      place = this.#faulty('clean');
      // Some switches send no receipt name.
      if (random() < 0.2) place = { ...place, receipt: null };
    }
    const r = random();
    const type: TransactionType = r < 0.93 ? 'purchase' : r < 0.98 ? 'refund' : 'void';
    const status: TransactionStatus = random() < 0.97 ? 'approved' : 'declined';
    return {
      terminalId: place.terminalId,
      merchantNo: place.merchantNo,
      type,
      status,
      amountFen: randomInt(random, 100, 500_000),
      // Within the last six hours.
      occurredAtMs: this.#now - randomInt(random, 0, 6 * 3600_000),
      merchantNameOnReceipt: place.receipt,
      fault,
    };
  }

  /** A synthetic card number with a real BIN and a Luhn check digit (never printed). */
  pan(): string {
    let body = '622202';
    while (body.length < 15) body += String(randomInt(this.#random, 0, 9));
    return body + luhnDigit(body);
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i += 1) out += String(randomInt(this.#random, 0, 9));
    return out;
  }
}

function luhnDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i += 1) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

// ---------------------------------------------------------------------------------------------
// The load-generating child process

/** What the parent asks the client child to do (see client.ts). */
export type ClientCommand =
  | {
      cmd: 'prepare-ingest';
      sketch: RegistrySketch;
      seed: number;
      idPrefix: string;
      batchSize: number;
      warmupBatches: number;
      timedBatches: number;
      faultShare: number;
      faultPool: number;
    }
  | {
      cmd: 'run-ingest';
      url: string;
      token: string;
      phase: 'warmup' | 'timed';
      concurrency: number;
    }
  | {
      cmd: 'open-loop';
      url: string;
      path: string;
      token: string | null;
      sketch: RegistrySketch;
      seed: number;
      rate: number;
      durationMs: number;
      connections: number;
    };

export interface IngestRunResult {
  batches: number;
  transactions: number;
  elapsedMs: number;
  outcomes: Record<string, number>;
  decisions: Record<string, number>;
  httpErrors: number;
  firstError: string | null;
  /** Batches sent again after a 5xx (the whole batch was rolled back). */
  resent: number;
  firstResendCause: string | null;
  /** CPU time the client process used (its share of the two cores). */
  clientCpuMs: number;
  requestMs: { p50: number; p99: number; max: number };
}

export interface OpenLoopResult {
  scheduled: number;
  completed: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  achievedRate: number;
  /** CPU time the client process used. */
  clientCpuMs: number;
  /**
   * From when the request was due (its place in the schedule) to the last byte of the answer:
   * the generator's own lateness and any wait for a free connection count (no coordinated
   * omission).
   */
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  /**
   * How late the request was written, after its due time: the generator's timer granularity
   * and its own load, plus the wait for a free connection when all were busy.
   */
  dispatchLagMs: { p99: number; max: number };
  /** From writing the request to the last byte of the answer (the wait before it left excluded). */
  fromSendMs: { p50: number; p99: number; max: number };
  statuses: Record<string, number>;
}

export interface ClientHandle {
  call<T>(command: ClientCommand): Promise<T>;
  close(): Promise<void>;
}

/** Forks bench/client.ts (a second process, as a switch would be) and talks to it over IPC. */
export function startClient(): ClientHandle {
  const child: ChildProcess = fork(new URL('./client.ts', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited = false;
  child.on('message', (raw) => {
    const message = raw as { id: number; ok: boolean; value?: unknown; error?: string };
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(new Error(`client: ${message.error ?? 'failed'}`));
  });
  child.on('exit', (code) => {
    exited = true;
    for (const entry of waiting.values()) entry.reject(new Error(`client exited (${code})`));
    waiting.clear();
  });
  return {
    call<T>(command: ClientCommand): Promise<T> {
      if (exited) return Promise.reject(new Error('client has exited'));
      const id = nextId;
      nextId += 1;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: (v) => resolve(v as T), reject });
        child.send({ id, command });
      });
    },
    async close() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

/** The p-th percentile (0..1) of sorted values, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

export interface ResultRow {
  /** Number of the target (1–4). */
  id: string;
  measure: string;
  value: number;
  unit: string;
  /** `null`: a figure for information, no target. */
  target: { op: '>=' | '<'; value: number } | null;
  baselineLabel: string;
  baseline: number | null;
  /** value / baseline, how to read it is in the README. */
  ratio: number | null;
  notes: string[];
}

export function met(row: ResultRow): boolean | null {
  if (!row.target) return null;
  return row.target.op === '>=' ? row.value >= row.target.value : row.value < row.target.value;
}

export function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  if (unit === '×') return `${value.toFixed(2)}×`;
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded.toLocaleString('en-US')} ${unit}`;
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['#', 'measure', 'result', 'target', 'status', 'baseline (same run)', 'ratio'];
  const body = rows.map((row) => {
    const status = met(row);
    return [
      row.id,
      row.measure,
      formatNumber(row.value, row.unit),
      row.target ? `${row.target.op} ${formatNumber(row.target.value, row.unit)}` : '—',
      status === null ? 'info' : status ? 'met' : 'MISSED',
      row.baseline === null ? '—' : `${row.baselineLabel}: ${formatNumber(row.baseline, row.unit)}`,
      row.ratio === null ? '—' : row.ratio.toFixed(3),
    ];
  });
  const widths = header.map((h, i) =>
    Math.max(width(h), ...body.map((cells) => width(cells[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = rows.flatMap((row) => row.notes.map((n) => `  [${row.id}] ${n}`));
  return [line(header), rule, ...body.map(line), '', ...notes].join('\n');
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 2 : 1;
  return w;
}

export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `node ${process.version}, ${String(cpus.length)} CPU(s) ${cpus[0]?.model ?? ''}, ` +
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, a busy loop gets ${(cpuShare() * 100).toFixed(0)}% of a core`
  );
}

/**
 * Share of one core a busy loop gets over `ms` (CPU time / wall time): near 1 on an idle
 * machine, well below when other processes compete for the cores.
 */
export function cpuShare(ms = 500): number {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let x = 0;
  while (performance.now() - start < ms) x += Math.sqrt(x + 1);
  const cpu = process.cpuUsage(cpuStart);
  return x > 0 ? (cpu.user + cpu.system) / 1000 / (performance.now() - start) : 0;
}

/** CPU time of this process (all its threads) spent in `work`, in milliseconds. */
export async function withCpu<T>(work: () => Promise<T>): Promise<{ cpuMs: number; value: T }> {
  const start = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, value };
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Elapsed milliseconds of `work`, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}
