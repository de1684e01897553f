/**
 * Adding durable jobs, inside the caller's transaction: the job exists only if the change that
 * asked for it commits. The job runner (`src/jobs/runner.ts`) of any instance works it; a
 * notification on JOBS_CHANNEL at commit wakes the runners at once instead of at their next
 * poll.
 */
import type { Queryable } from '../storage/database.js';

export const JOBS_CHANNEL = 'settleguard_jobs';

export interface NewJob {
  kind: string;
  payload?: Record<string, unknown>;
  runAt: Date;
  /** A job with the same key is not added again while the first one exists. */
  dedupeKey?: string;
}

/** Adds the jobs; returns how many were added (a duplicate key adds none). */
export async function enqueueJobs(
  tx: Queryable,
  jobs: readonly NewJob[],
  now: Date,
): Promise<number> {
  if (jobs.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO jobs (kind, payload, run_at, dedupe_key, created_at)
     SELECT kind, payload, run_at, dedupe_key, $5
       FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[], $4::text[])
         AS j(kind, payload, run_at, dedupe_key)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      jobs.map((j) => j.kind),
      jobs.map((j) => JSON.stringify(j.payload ?? {})),
      jobs.map((j) => j.runAt),
      jobs.map((j) => j.dedupeKey ?? null),
      now,
    ],
  );
  await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, '']);
  return rowCount;
}

export async function enqueueJob(tx: Queryable, job: NewJob, now: Date): Promise<number> {
  return enqueueJobs(tx, [job], now);
}
