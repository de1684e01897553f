/**
 * The settlement lock: a settlement run reads the transactions that have arrived by its
 * cutoff, so no batch may be half way between "arrived" and "committed" while a run reads.
 * Ingest batches hold it shared for their transaction; a run holds it exclusively, and takes
 * its cutoff only once it has it, so every batch stamped before the cutoff has committed and is
 * read, and a batch that waited for a run is re-stamped after that run's cutoff (it arrived
 * after it, and goes with the next run). Taken before the audit chain's lock by both sides.
 */
import type { Queryable } from '../../storage/database.js';

/** The advisory lock key (any fixed number no other lock of the project uses). */
export const SETTLEMENT_LOCK_KEY = 7_305_847_213;

export async function lockSettlementShared(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [SETTLEMENT_LOCK_KEY]);
}

export async function lockSettlementExclusive(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [SETTLEMENT_LOCK_KEY]);
}

/**
 * The reception time a batch stamped at `receivedAt` must carry once it holds the shared lock:
 * unchanged, unless a run's cutoff came after it while the batch waited; then the first
 * instant after that cutoff.
 */
export async function receptionAfterRuns(tx: Queryable, receivedAt: Date): Promise<Date> {
  const { rows } = await tx.query<{ cutoff: Date | null }>(
    'SELECT max(cutoff_at) AS cutoff FROM settlement_runs',
  );
  const cutoff = rows[0]?.cutoff ?? null;
  // A run visible here has committed before this batch, which holds the lock now: it did not
  // read the batch, even when its cutoff is the very instant of the stamp (two events in one
  // millisecond, or a still clock in tests). Unless the stamp is after that cutoff, it moves
  // to the first instant after it, so the next run takes it as late; otherwise the run and
  // ledger verification would both count it in a line that does not hold it.
  if (cutoff === null || new Date(cutoff).getTime() < receivedAt.getTime()) return receivedAt;
  return new Date(new Date(cutoff).getTime() + 1);
}
