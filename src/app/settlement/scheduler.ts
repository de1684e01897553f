/**
 * Scheduled settlement: every minute, each cycle in use (the default and those given to single
 * merchants) is asked which business dates are due (core/settlement/calendar.ts) and the runs
 * missing for them are made. Runs are idempotent per date and cycle, so every instance may run
 * the scheduler: the second to arrive answers the first one's run. A date with nothing to
 * settle (no transaction, no money waiting) gets no run, so that a quiet week or a first start
 * leaves no empty runs behind.
 */
import type { AppContext } from '../context.js';
import {
  CYCLES,
  businessDayWindow,
  dueBusinessDates,
  type Cycle,
} from '../../core/settlement/calendar.js';
import type { SettlementPolicy } from '../../core/settlement/policy.js';
import { createRun } from './create-run.js';

/** How far back missed runs are made up after downtime. */
export const SCHEDULE_LOOKBACK_DAYS = 7;
export const SCHEDULE_INTERVAL_MS = 60_000;

export interface SchedulerLog {
  info(data: unknown, message: string): void;
  error(data: unknown, message: string): void;
}

export function cyclesInUse(policy: SettlementPolicy): Cycle[] {
  const used = new Set<Cycle>([policy.defaultCycle, ...Object.values(policy.cycleByMerchant)]);
  return CYCLES.filter((c) => used.has(c));
}

/** Makes the runs due at `ctx.now()`; returns the ids of the runs it created. */
export async function runDueSettlements(
  ctx: AppContext,
  policy: SettlementPolicy,
): Promise<string[]> {
  const now = ctx.now();
  const created: string[] = [];
  for (const cycle of cyclesInUse(policy)) {
    const dates = dueBusinessDates({
      cycle,
      now,
      runAtMinute: policy.runAtMinute[cycle],
      lookbackDays: SCHEDULE_LOOKBACK_DAYS,
      calendar: policy.calendar,
    });
    for (const businessDate of dates) {
      if (!(await needsRun(ctx, policy, businessDate, cycle))) continue;
      const outcome = await createRun(ctx, null, policy, {
        businessDate,
        cycle,
        trigger: 'scheduled',
      });
      if (outcome.created) created.push(outcome.run.id);
    }
  }
  return created;
}

/** True when no run exists yet and a merchant of the cycle has something to settle. */
async function needsRun(
  ctx: AppContext,
  policy: SettlementPolicy,
  businessDate: string,
  cycle: Cycle,
): Promise<boolean> {
  const { start, end } = businessDayWindow(businessDate);
  // A merchant is of the cycle when listed with it, or, for the default cycle, when not listed
  // with another one.
  const listed = Object.entries(policy.cycleByMerchant);
  const isDefault = cycle === policy.defaultCycle;
  const names = listed.filter(([, c]) => (isDefault ? c !== cycle : c === cycle)).map(([m]) => m);
  const member = isDefault
    ? 'NOT (merchant_no = ANY($5::text[]))'
    : 'merchant_no = ANY($5::text[])';
  const { rows } = await ctx.db.query<{ needed: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM settlement_runs WHERE business_date = $1 AND cycle = $2)
        AND (EXISTS (SELECT 1 FROM transactions
                      WHERE occurred_at >= $3 AND occurred_at < $4 AND ${member})
             OR EXISTS (SELECT 1 FROM settlement_lines WHERE absorbed_by IS NULL
                          AND (status = 'carried' OR release_id IS NOT NULL) AND ${member}
                          -- Money left by an earlier date waits for a later date's run; it
                          -- is no reason to run dates before it.
                          AND business_date < $1::date))
        AS needed`,
    [businessDate, cycle, start, end, names],
  );
  return rows[0]?.needed === true;
}

export function startSettlementScheduler(
  ctx: AppContext,
  options: { policy: SettlementPolicy; log: SchedulerLog; intervalMs?: number },
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runDueSettlements(ctx, options.policy)
      .then((created) => {
        if (created.length > 0)
          options.log.info({ runs: created }, 'Scheduled settlement runs made');
      })
      .catch((error: unknown) => {
        options.log.error({ err: error }, 'Scheduled settlement failed; retried next minute');
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? SCHEDULE_INTERVAL_MS);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
