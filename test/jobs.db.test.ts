/** The job queue and the outbox: durable, retried with backoff, claimed once, append-only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testContext, type TestDatabase } from './support/database.js';
import { enqueueJob } from '../src/app/jobs.js';
import { emitEvent, DISPATCH_EVENT_JOB } from '../src/app/events.js';
import { JobRunner, RetryLater, type Job } from '../src/jobs/runner.js';

let tdb: TestDatabase;
const log = { error: () => undefined, warn: () => undefined };

beforeAll(async () => {
  tdb = await openTestDatabase();
});

afterAll(async () => {
  await tdb.close();
});

async function jobRow(id: number) {
  const { rows } = await tdb.db.query<{
    attempts: number;
    done_at: Date | null;
    failed_at: Date | null;
    run_at: Date;
    last_error: string | null;
  }>('SELECT attempts, done_at, failed_at, run_at, last_error FROM jobs WHERE id = $1', [id]);
  return rows[0];
}

async function lastJobId(): Promise<number> {
  const { rows } = await tdb.db.query<{ id: number }>('SELECT max(id)::int AS id FROM jobs');
  return rows[0]?.id ?? 0;
}

describe('job runner', () => {
  it('runs a due job once, leaves a future one, and marks the first done', async () => {
    const { ctx, advance } = testContext(tdb.db);
    const seen: Job[] = [];
    const runner = new JobRunner(ctx, { log }).register('t.once', async (job) => {
      seen.push(job);
    });
    await tdb.db.transaction(async (tx) => {
      await enqueueJob(tx, { kind: 't.once', payload: { n: 1 }, runAt: ctx.now() }, ctx.now());
      await enqueueJob(
        tx,
        { kind: 't.once', payload: { n: 2 }, runAt: new Date(ctx.now().getTime() + 60_000) },
        ctx.now(),
      );
    });
    expect(await runner.runDue()).toBe(1);
    expect(seen.map((j) => j.payload)).toEqual([{ n: 1 }]);
    expect(await runner.runDue()).toBe(0);
    advance(60_000);
    expect(await runner.runDue()).toBe(1);
    expect(seen.map((j) => j.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await jobRow(await lastJobId()))?.done_at).not.toBeNull();
  });

  it('a job rolled back with its transaction does not exist', async () => {
    const { ctx } = testContext(tdb.db);
    const before = await lastJobId();
    await expect(
      tdb.db.transaction(async (tx) => {
        await enqueueJob(tx, { kind: 't.rolled', runAt: ctx.now() }, ctx.now());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await lastJobId()).toBe(before);
  });

  it('retries a failing job with backoff and gives up after its attempts, keeping the error', async () => {
    const { ctx, advance } = testContext(tdb.db);
    let calls = 0;
    const runner = new JobRunner(ctx, { log }).register(
      't.fail',
      async () => {
        calls += 1;
        throw new Error(`endpoint down (${calls})`);
      },
      { attemptsMax: 3, backoffMs: (n) => n * 1000 },
    );
    await tdb.db.transaction((tx) =>
      enqueueJob(tx, { kind: 't.fail', runAt: ctx.now() }, ctx.now()),
    );
    const id = await lastJobId();
    expect(await runner.runDue()).toBe(1);
    let row = await jobRow(id);
    expect(row?.attempts).toBe(1);
    expect(row?.run_at.getTime()).toBe(ctx.now().getTime() + 1000);
    expect(row?.last_error).toBe('endpoint down (1)');
    expect(await runner.runDue()).toBe(0);
    advance(1000);
    expect(await runner.runDue()).toBe(1);
    row = await jobRow(id);
    expect(row?.run_at.getTime()).toBe(ctx.now().getTime() + 2000);
    advance(2000);
    expect(await runner.runDue()).toBe(1);
    row = await jobRow(id);
    expect(row?.failed_at).not.toBeNull();
    expect(row?.last_error).toBe('endpoint down (3)');
    advance(3_600_000);
    expect(await runner.runDue()).toBe(0);
    expect(calls).toBe(3);
  });

  it('RetryLater moves the job without spending an attempt', async () => {
    const { ctx, advance } = testContext(tdb.db);
    let calls = 0;
    const runner = new JobRunner(ctx, { log }).register(
      't.later',
      async () => {
        calls += 1;
        if (calls === 1) throw new RetryLater(new Date(ctx.now().getTime() + 5000), 'not yet');
      },
      { attemptsMax: 1 },
    );
    await tdb.db.transaction((tx) =>
      enqueueJob(tx, { kind: 't.later', runAt: ctx.now() }, ctx.now()),
    );
    const id = await lastJobId();
    await runner.runDue();
    expect((await jobRow(id))?.failed_at).toBeNull();
    advance(5000);
    await runner.runDue();
    expect((await jobRow(id))?.done_at).not.toBeNull();
    expect(calls).toBe(2);
  });

  it('takes again a job whose worker died once its lease runs out, and only then', async () => {
    const { ctx, advance } = testContext(tdb.db);
    const ran: number[] = [];
    const dying = new JobRunner(ctx, { log, leaseMs: 30_000 }).register('t.lease', async () => {
      await new Promise<never>(() => undefined);
    });
    await tdb.db.transaction((tx) =>
      enqueueJob(tx, { kind: 't.lease', runAt: ctx.now() }, ctx.now()),
    );
    const id = await lastJobId();
    // The first worker claims it and never finishes (as if killed).
    void dying.runDue({ limit: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = new JobRunner(ctx, { log }).register('t.lease', async (job) => {
      ran.push(job.id);
    });
    expect(await second.runDue()).toBe(0);
    advance(30_001);
    expect(await second.runDue()).toBe(1);
    expect(ran).toEqual([id]);
  });

  it('a dedupe key adds a job once', async () => {
    const { ctx } = testContext(tdb.db);
    const added = await tdb.db.transaction(async (tx) => {
      const a = await enqueueJob(tx, { kind: 't.d', runAt: ctx.now(), dedupeKey: 'k1' }, ctx.now());
      const b = await enqueueJob(tx, { kind: 't.d', runAt: ctx.now(), dedupeKey: 'k1' }, ctx.now());
      return [a, b];
    });
    expect(added).toEqual([1, 0]);
  });

  it('a started runner is woken by a job committed elsewhere and works it', async () => {
    const { ctx } = testContext(tdb.db);
    let resolveRan: (job: Job) => void = () => undefined;
    const ran = new Promise<Job>((resolve) => {
      resolveRan = resolve;
    });
    const runner = new JobRunner(ctx, { log, pollMs: 60_000 }).register('t.wake', async (job) => {
      resolveRan(job);
    });
    await runner.start();
    try {
      await tdb.db.transaction((tx) =>
        enqueueJob(tx, { kind: 't.wake', payload: { x: 'y' }, runAt: ctx.now() }, ctx.now()),
      );
      const job = await ran;
      expect(job.payload).toEqual({ x: 'y' });
    } finally {
      await runner.stop();
    }
  });
});

describe('outbox', () => {
  it('writes the event and its dispatch job in the caller transaction', async () => {
    const { ctx } = testContext(tdb.db);
    const event = await tdb.db.transaction((tx) =>
      emitEvent(ctx, tx, {
        type: 'terminal.suspended',
        data: { terminalId: 'T0000001' },
        merchantNo: '520000000000001',
      }),
    );
    const { rows } = await tdb.db.query<{ type: string; data: unknown; merchant_no: string }>(
      'SELECT type, data, merchant_no FROM outbox_events WHERE id = $1',
      [event.id],
    );
    expect(rows).toEqual([
      {
        type: 'terminal.suspended',
        data: { terminalId: 'T0000001' },
        merchant_no: '520000000000001',
      },
    ]);
    const jobs = await tdb.db.query<{ payload: unknown }>(
      'SELECT payload FROM jobs WHERE kind = $1',
      [DISPATCH_EVENT_JOB],
    );
    expect(jobs.rows.map((r) => r.payload)).toContainEqual({ eventId: event.id });
  });

  it('refuses to change or delete an event', async () => {
    await expect(tdb.db.query("UPDATE outbox_events SET type = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(tdb.db.query('DELETE FROM outbox_events')).rejects.toThrow(/append-only/);
  });
});
