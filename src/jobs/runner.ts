/**
 * The job runner: works the durable queue in `jobs` (ADR 11). Every instance runs one; a job is
 * claimed with `FOR UPDATE SKIP LOCKED` and a lease, so two instances never work the same job
 * at once, and a job whose worker died is taken again when its lease runs out. Handlers run
 * outside the claiming transaction and open their own; up to `concurrency` run at a time, so one
 * slow webhook endpoint holds one slot and nothing else.
 *
 * A handler that throws is retried with backoff until its attempts are spent, then the job is
 * marked failed (kept, with its last error). A handler may also ask to run again later by
 * throwing `RetryLater`, which does not count as a failure in the log.
 */
import type { AppContext } from '../app/context.js';
import { JOBS_CHANNEL } from '../app/jobs.js';

export interface Job {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** Including this one: 1 on the first run. */
  attempts: number;
  runAt: Date;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface HandlerOptions {
  /** After this many failed attempts the job is marked failed. Default 10. */
  attemptsMax?: number;
  /** The wait before attempt n + 1 after attempt n failed. Default: 2^n seconds, at most 1 h. */
  backoffMs?: (attempt: number) => number;
}

/** Thrown by a handler to run the job again at `at`, its attempt not counted as failed. */
export class RetryLater extends Error {
  constructor(
    readonly at: Date,
    message = 'retry later',
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export interface RunnerLog {
  error(data: unknown, message: string): void;
  warn?(data: unknown, message: string): void;
}

interface Registered {
  handler: JobHandler;
  attemptsMax: number;
  backoffMs: (attempt: number) => number;
}

interface JobRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  run_at: Date;
}

export const ERROR_LENGTH_MAX = 1000;

function defaultBackoff(attempt: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.min(attempt, 22));
}

export class JobRunner {
  private readonly handlers = new Map<string, Registered>();
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly log: RunnerLog;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly ctx: AppContext,
    options: { concurrency?: number; pollMs?: number; leaseMs?: number; log: RunnerLog },
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.log = options.log;
  }

  register(kind: string, handler: JobHandler, options: HandlerOptions = {}): this {
    this.handlers.set(kind, {
      handler,
      attemptsMax: options.attemptsMax ?? 10,
      backoffMs: options.backoffMs ?? defaultBackoff,
    });
    return this;
  }

  /** Starts working the queue in the background until `stop`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.ctx.db.listen(JOBS_CHANNEL, () => this.poke());
    this.loop = this.work();
  }

  /** Stops claiming jobs and waits for the ones in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.unlisten?.();
    this.unlisten = null;
  }

  /**
   * Runs every job due now, one after another, until none is left; returns how many ran.
   * For one-shot commands and tests; a serving process uses `start`.
   */
  async runDue(options: { limit?: number } = {}): Promise<number> {
    const limit = options.limit ?? 10_000;
    let ran = 0;
    while (ran < limit) {
      const job = await this.claim();
      if (!job) break;
      await this.execute(job);
      ran += 1;
    }
    return ran;
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async work(): Promise<void> {
    while (this.running) {
      let claimed: Job | null = null;
      if (this.inFlight.size < this.concurrency) {
        try {
          claimed = await this.claim();
        } catch (error) {
          if (this.running) this.log.error({ err: error }, 'job claim failed');
        }
      }
      if (claimed) {
        const run = this.execute(claimed).finally(() => {
          this.inFlight.delete(run);
          this.poke();
        });
        this.inFlight.add(run);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async claim(): Promise<Job | null> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return null;
    const now = this.ctx.now();
    const { rows } = await this.ctx.db.query<JobRow>(
      `UPDATE jobs SET attempts = attempts + 1, locked_until = $2
        WHERE id = (
          SELECT id FROM jobs
           WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1
             AND (locked_until IS NULL OR locked_until < $1)
             AND kind = ANY($3::text[])
           ORDER BY run_at, id
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, payload, attempts, run_at`,
      [now, new Date(now.getTime() + this.leaseMs), kinds],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      payload: row.payload,
      attempts: row.attempts,
      runAt: row.run_at,
    };
  }

  private async execute(job: Job): Promise<void> {
    const registered = this.handlers.get(job.kind);
    try {
      if (!registered) throw new Error(`no handler for job kind ${job.kind}`);
      await registered.handler(job);
      await this.ctx.db.query(
        'UPDATE jobs SET done_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1',
        [job.id, this.ctx.now()],
      );
    } catch (error) {
      await this.reschedule(job, registered, error).catch((failure: unknown) =>
        this.log.error({ err: failure, jobId: job.id }, 'job could not be rescheduled'),
      );
    }
  }

  private async reschedule(
    job: Job,
    registered: Registered | undefined,
    error: unknown,
  ): Promise<void> {
    const now = this.ctx.now();
    const message = (error instanceof Error ? error.message : String(error)).slice(
      0,
      ERROR_LENGTH_MAX,
    );
    if (error instanceof RetryLater) {
      await this.ctx.db.query(
        `UPDATE jobs SET run_at = $2, locked_until = NULL, last_error = $3,
           attempts = attempts - 1 WHERE id = $1`,
        [job.id, error.at, message],
      );
      return;
    }
    const spent = !registered || job.attempts >= registered.attemptsMax;
    if (spent) {
      this.log.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed for good');
      await this.ctx.db.query(
        'UPDATE jobs SET failed_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1',
        [job.id, now, message],
      );
      return;
    }
    this.log.warn?.({ jobId: job.id, kind: job.kind, error: message }, 'job will be retried');
    await this.ctx.db.query(
      'UPDATE jobs SET run_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1',
      [job.id, new Date(now.getTime() + registered.backoffMs(job.attempts)), message],
    );
  }
}
