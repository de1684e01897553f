/**
 * The account changes' job: `account_change.match_test_transaction { verificationId }`, queued
 * when a test transaction is started and run every 30 seconds until the purchase arrives, the
 * verification ends, or a week has passed (reading the request looks too).
 */
import type { AppContext } from '../context.js';
import type { JobDependencies } from '../../jobs/handlers.js';
import { RetryLater, type JobRunner } from '../../jobs/runner.js';
import { DEFAULT_SETTLEMENT_POLICY } from '../../core/settlement/policy.js';
import { UUID } from '../settlement/queries.js';
import {
  MATCH_GIVE_UP_MS,
  MATCH_POLL_MS,
  MATCH_TEST_TRANSACTION_JOB,
  matchTestTransactions,
} from './verification.js';

export function registerAccountChangeJobs(
  runner: JobRunner,
  ctx: AppContext,
  deps: JobDependencies,
): void {
  const coolingOffHours = (deps.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY).coolingOffHours;
  runner.register(MATCH_TEST_TRANSACTION_JOB, async (job) => {
    const verificationId = job.payload.verificationId;
    if (typeof verificationId !== 'string' || !UUID.test(verificationId)) return;
    await matchTestTransactions(ctx, { coolingOffHours, verificationId });
    const { rows } = await ctx.db.query<{ status: string; started_at: Date }>(
      'SELECT status, started_at FROM account_change_verifications WHERE id = $1',
      [verificationId],
    );
    const verification = rows[0];
    const now = ctx.now();
    if (
      verification?.status === 'awaiting_transaction' &&
      now.getTime() - verification.started_at.getTime() < MATCH_GIVE_UP_MS
    ) {
      throw new RetryLater(
        new Date(now.getTime() + MATCH_POLL_MS),
        'test transaction not yet seen',
      );
    }
  });
}
