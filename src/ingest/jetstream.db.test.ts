/**
 * The JetStream consumer against the real NATS server (nats://127.0.0.1:4222, or
 * SETTLEGUARD_TEST_NATS_URL). Each scenario uses a stream, subject and durable of its own,
 * named after this run, and deletes them afterwards. Where NATS is unreachable the file is
 * skipped on a developer's machine and fails on CI.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jetstream,
  jetstreamManager,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { AppContext } from '../app/context.js';
import { importPortfolio } from '../app/registry/import-portfolio.js';
import { DEFAULT_POLICY } from '../core/screening/policy.js';
import type { Database, Queryable } from '../storage/database.js';
import { openTestDatabase, testContext, type TestDatabase } from '../../test/support/database.js';
import { enterpriseRecord, IDS } from '../../test/support/fixtures.js';
import { startJetStreamConsumer, type JetStreamConsumer } from './jetstream.js';

const NATS_URL = process.env.SETTLEGUARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const RUN = crypto.randomBytes(4).toString('hex');
const PAN = '6222020200001234562';

const M = {
  clean: '600000000000101',
  other: '600000000000102',
  third: '600000000000103',
};

async function natsProblem(): Promise<string | null> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 2_000, maxReconnectAttempts: 0 });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const problem = await natsProblem();
if (problem !== null && process.env.CI === 'true') {
  throw new Error(
    `NATS with JetStream is not reachable at ${NATS_URL} (${problem}); the stream tests need it on CI.`,
  );
}

interface Names {
  stream: string;
  subject: string;
  durable: string;
  /** Subject a transaction of this merchant is published on. */
  on(merchantNo: string): string;
}

let scenarios = 0;
function names(): Names {
  scenarios += 1;
  const base = `sgtest.${RUN}.${scenarios}.transactions`;
  return {
    stream: `SG_TEST_${RUN}_${scenarios}`,
    subject: `${base}.>`,
    durable: `sg-test-${RUN}-${scenarios}`,
    on: (merchantNo) => `${base}.${merchantNo}`,
  };
}

function txn(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    terminalId: 'E0000101',
    merchantNo: M.clean,
    type: 'purchase',
    amountFen: 12_800,
    occurredAt: '2026-11-26T07:30:00Z',
    ...extra,
  };
}

class CapturingLog {
  readonly entries: { level: 'info' | 'error'; obj: object; msg: string }[] = [];
  info(obj: object, msg: string) {
    this.entries.push({ level: 'info', obj, msg });
  }
  error(obj: object, msg: string) {
    this.entries.push({ level: 'error', obj, msg });
  }
  errors(msg: string): Record<string, unknown>[] {
    return this.entries
      .filter((e) => e.level === 'error' && e.msg.includes(msg))
      .map((e) => e.obj as Record<string, unknown>);
  }
}

/** The database with a hook around each transaction; everything else passes through. */
function hookedDb(
  db: Database,
  around: <T>(work: (tx: Queryable) => Promise<T>, tx: Queryable) => Promise<T>,
): Database {
  return {
    kind: db.kind,
    query: <Row>(sql: string, params?: readonly unknown[]) => db.query<Row>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
      db.transaction((tx) => around(work, tx)),
    listen: (channel, handler) => db.listen(channel, handler),
    close: () => db.close(),
  };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(problem !== null)('JetStream transaction consumer', () => {
  let tdb: TestDatabase;
  let ctx: AppContext;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const streams: string[] = [];
  const running: JetStreamConsumer[] = [];

  async function start(
    n: Names,
    log: CapturingLog,
    options: { ctx?: AppContext; batchSize?: number } = {},
  ): Promise<JetStreamConsumer> {
    if (!streams.includes(n.stream)) streams.push(n.stream);
    const consumer = await startJetStreamConsumer(options.ctx ?? ctx, {
      url: NATS_URL,
      policy: DEFAULT_POLICY,
      stream: n.stream,
      subject: n.subject,
      durable: n.durable,
      log,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    running.push(consumer);
    return consumer;
  }

  /** Creates the stream and the durable as a first start would, and stops. */
  async function prepare(n: Names): Promise<void> {
    await (await start(n, new CapturingLog())).stop();
  }

  /** Publishes one after the other, so that stream sequence i holds payloads[i - 1]. */
  async function publish(n: Names, payloads: readonly (object | string)[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const p of payloads) {
      const merchantNo =
        typeof p === 'object' && 'merchantNo' in p ? String(p.merchantNo) : 'unknown';
      const ack = await js.publish(n.on(merchantNo), typeof p === 'string' ? p : JSON.stringify(p));
      seqs.push(ack.seq);
    }
    return seqs;
  }

  async function storedIds(prefix: string, q: Queryable = tdb.db): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      'SELECT id FROM transactions WHERE id LIKE $1 ORDER BY id',
      [`${prefix}%`],
    );
    return rows.map((r) => r.id);
  }

  const consumerInfo = (n: Names): Promise<ConsumerInfo> => jsm.consumers.info(n.stream, n.durable);

  /** Everything in the stream delivered and acknowledged, nothing waiting. */
  async function drained(n: Names, messages: number): Promise<boolean> {
    const info = await consumerInfo(n);
    return (
      info.ack_floor.stream_seq === messages && info.num_ack_pending === 0 && info.num_pending === 0
    );
  }

  beforeAll(async () => {
    tdb = await openTestDatabase();
    ctx = testContext(tdb.db).ctx;
    const imported = await importPortfolio(ctx, null, [
      enterpriseRecord({ merchantNo: M.clean, terminalIds: ['E0000101'] }),
      enterpriseRecord({
        merchantNo: M.other,
        terminalIds: ['E0000102'],
        legalIdNumber: IDS.residentIdValid2,
        accountNumber: '1001234509000099999',
      }),
      enterpriseRecord({
        merchantNo: M.third,
        terminalIds: ['E0000103'],
        legalIdNumber: IDS.residentIdValid4,
        accountNumber: '1001234509000088888',
      }),
    ]);
    expect(imported).toMatchObject({ imported: 3, failed: [] });
    nc = await connect({ servers: NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    if (jsm) {
      for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
    }
    await nc?.drain();
    await tdb?.close();
  });

  it('screens and stores each published transaction once, acknowledging only after the commit', async () => {
    const n = names();
    const log = new CapturingLog();
    // Before each commit: what the stream shows acknowledged, against what is committed.
    const beforeCommit: { committed: number; ackFloor: number; ackPending: number }[] = [];
    const observed: AppContext = {
      ...ctx,
      db: hookedDb(tdb.db, async (work, tx) => {
        const committed = (await storedIds('js1-', tx)).length;
        const result = await work(tx);
        const info = await consumerInfo(n);
        beforeCommit.push({
          committed,
          ackFloor: info.ack_floor.stream_seq,
          ackPending: info.num_ack_pending,
        });
        return result;
      }),
    };
    const payloads = [
      ...Array.from({ length: 20 }, (_, i) =>
        txn(`js1-${String(i).padStart(2, '0')}`, { pan: PAN, rrn: `00000000${1000 + i}` }),
      ),
      // Terminal E0000102 belongs to another merchant: the money would go elsewhere.
      txn('js1-mismatch', { terminalId: 'E0000102', merchantNo: M.third }),
    ];
    await prepare(n);
    await publish(n, payloads.slice(0, 10));
    await start(n, log, { ctx: observed });
    await publish(n, payloads.slice(10));

    await waitFor('21 transactions', async () => (await storedIds('js1-')).length === 21);
    await waitFor('all acknowledged', () => drained(n, 21));

    const { rows } = await tdb.db.query<{ id: string; decision: string; source: string }>(
      "SELECT id, decision, source, alerts FROM transactions WHERE id LIKE 'js1-%' ORDER BY id",
    );
    expect(rows).toHaveLength(21);
    expect(rows.every((r) => r.source === 'jetstream')).toBe(true);
    expect(rows.find((r) => r.id === 'js1-00')).toMatchObject({ decision: 'ok', alerts: [] });
    expect(rows.find((r) => r.id === 'js1-mismatch')).toMatchObject({
      decision: 'contain',
      alerts: ['terminal_merchant_mismatch'],
    });
    // Each message was acknowledged after its commit: never more acknowledged than committed.
    expect(beforeCommit.length).toBeGreaterThan(0);
    for (const seen of beforeCommit) {
      expect(seen.ackFloor).toBeLessThanOrEqual(seen.committed);
      expect(seen.ackPending).toBeGreaterThan(0);
    }
    expect(beforeCommit[0]?.ackFloor).toBe(0);
    expect(log.errors('')).toEqual([]);
    expect(await tdb.dumpText()).not.toContain(PAN);
  });

  it('shares the work between two instances on the same durable, storing each transaction once', async () => {
    const n = names();
    const log = new CapturingLog();
    const batches = [0, 0];
    const instance = (i: 0 | 1): AppContext => ({
      ...ctx,
      db: hookedDb(tdb.db, (work, tx) => {
        batches[i] = (batches[i] ?? 0) + 1;
        return work(tx);
      }),
    });
    await Promise.all([
      start(n, log, { ctx: instance(0), batchSize: 10 }),
      start(n, log, { ctx: instance(1), batchSize: 10 }),
    ]);
    const payloads = Array.from({ length: 300 }, (_, i) =>
      txn(`js2-${String(i).padStart(3, '0')}`),
    );
    await publish(n, payloads);

    await waitFor('300 transactions', async () => (await storedIds('js2-')).length === 300, 60_000);
    await waitFor('all acknowledged', () => drained(n, 300));
    expect(await storedIds('js2-')).toEqual(payloads.map((p) => p.id));
    expect(batches[0]).toBeGreaterThan(0);
    expect(batches[1]).toBeGreaterThan(0);
    expect(log.errors('')).toEqual([]);
  });

  it('stores a re-published or redelivered transaction once', async () => {
    const n = names();
    const log = new CapturingLog();
    // The first commit succeeds but its acknowledgement is lost (the instance "fails" right
    // after it): the message is redelivered and answered as a duplicate.
    let loseFirstAck = true;
    const flaky: AppContext = {
      ...ctx,
      db: hookedDb(tdb.db, (work, tx) => work(tx)),
    };
    const commit = flaky.db.transaction.bind(flaky.db);
    flaky.db.transaction = async <T>(work: (tx: Queryable) => Promise<T>) => {
      const result = await commit(work);
      if (loseFirstAck) {
        loseFirstAck = false;
        throw new Error('connection lost after commit');
      }
      return result;
    };
    await start(n, log, { ctx: flaky });
    await publish(n, [txn('js3-once')]);
    await waitFor('redelivered and acknowledged', () => drained(n, 1));
    expect((await consumerInfo(n)).delivered.consumer_seq).toBe(2);
    expect(log.errors('will be redelivered')).toEqual([
      expect.objectContaining({ messages: 1, firstSeq: 1 }),
    ]);

    await publish(n, [txn('js3-twice'), txn('js3-twice'), txn('js3-once')]);
    await waitFor('all acknowledged', () => drained(n, 4));
    expect(await storedIds('js3-')).toEqual(['js3-once', 'js3-twice']);
  });

  it('acknowledges a bad message, logging its sequence and code but no card number, and goes on', async () => {
    const n = names();
    const log = new CapturingLog();
    await start(n, log);
    await publish(n, [
      'not json {',
      txn('js4-good-1'),
      txn('js4-bad', { amountFen: -5, pan: PAN }),
      txn('js4-good-2', { pan: PAN }),
      txn('js4-good-1', { amountFen: 99 }),
    ]);
    await waitFor('all acknowledged', () => drained(n, 5));
    expect(await storedIds('js4-')).toEqual(['js4-good-1', 'js4-good-2']);
    expect(log.errors('not JSON')).toEqual([
      expect.objectContaining({ seq: 1, code: 'invalid_json' }),
    ]);
    expect(log.errors('refused')).toEqual([
      expect.objectContaining({ seq: 3, id: 'js4-bad', code: 'amount_invalid' }),
      expect.objectContaining({ seq: 5, id: 'js4-good-1', code: 'idempotency_mismatch' }),
    ]);
    expect(JSON.stringify(log.entries)).not.toContain(PAN);
  });

  it('does not acknowledge while the database is down, and stores everything once it is back', async () => {
    const n = names();
    const log = new CapturingLog();
    let down = true;
    const outage: AppContext = {
      ...ctx,
      db: hookedDb(tdb.db, (work, tx) => {
        if (down) return Promise.reject(new Error('database unavailable'));
        return work(tx);
      }),
    };
    await prepare(n);
    await publish(
      n,
      Array.from({ length: 5 }, (_, i) => txn(`js5-${i}`)),
    );
    await start(n, log, { ctx: outage });
    await waitFor('a failed attempt', () => log.errors('will be redelivered').length > 0);
    const during = await consumerInfo(n);
    expect(during.ack_floor.stream_seq).toBe(0);
    expect(await storedIds('js5-')).toEqual([]);

    down = false;
    await waitFor('five transactions', async () => (await storedIds('js5-')).length === 5);
    await waitFor('all acknowledged', () => drained(n, 5));
    expect((await consumerInfo(n)).delivered.consumer_seq).toBeGreaterThan(5);
  });

  it('stopped midway, has stored everything it acknowledged, and the rest follows on restart', async () => {
    const n = names();
    const log = new CapturingLog();
    const total = 1500;
    const payloads = Array.from({ length: total }, (_, i) =>
      txn(`js6-${String(i).padStart(4, '0')}`),
    );
    await prepare(n);
    const seqs = await publish(n, payloads);
    const idAt = new Map(seqs.map((seq, i) => [seq, payloads[i]!.id]));

    const first = await start(n, log, { batchSize: 50 });
    await waitFor('some transactions', async () => (await storedIds('js6-')).length >= 100);
    await first.stop();

    const stored = new Set(await storedIds('js6-'));
    expect(stored.size).toBeLessThan(total);
    // Nothing left in flight: every delivered message was committed, then acknowledged (the
    // server applies acknowledgements asynchronously, hence the wait).
    let info = await consumerInfo(n);
    await waitFor(
      'the acknowledgements',
      async () => {
        info = await consumerInfo(n);
        return info.num_ack_pending === 0 && info.ack_floor.stream_seq === stored.size;
      },
      5_000,
    );
    for (let seq = 1; seq <= info.ack_floor.stream_seq; seq++) {
      expect(stored.has(idAt.get(seq)!), `seq ${seq}`).toBe(true);
    }

    await start(n, log, { batchSize: 500 });
    await waitFor('all transactions', async () => (await storedIds('js6-')).length === total);
    await waitFor('all acknowledged', () => drained(n, total));
    const { rows } = await tdb.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM transactions WHERE id LIKE 'js6-%'",
    );
    expect(rows[0]?.n).toBe(total);
    expect(log.errors('')).toEqual([]);
  });
});
