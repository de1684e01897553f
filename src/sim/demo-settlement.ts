/**
 * Settlement for the demo's first start: the business dates of the demo traffic that have
 * ended are settled, and the bank's answers for the oldest run are recorded (every ready line
 * paid, one returned as the account closed), so that the console opens on runs with ready,
 * held, paid and returned lines, money held by reason, and merchants with balances. Runs,
 * results and the ledger go through the same use cases as the API's.
 */
import type { AppContext } from '../app/context.js';
import { createRun } from '../app/settlement/create-run.js';
import { recordResults } from '../app/settlement/record-results.js';
import { businessDayWindow } from '../core/settlement/calendar.js';
import type { SettlementPolicy } from '../core/settlement/policy.js';

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
const DEMO_ACTOR = 'demo';

export interface DemoSettlementSummary {
  runs: { businessDate: string; lines: number; ready: number; held: number }[];
  paid: number;
  returned: number;
}

/** The business dates (China time) from `days` before now that have ended, oldest first. */
export function endedBusinessDates(now: Date, days: number): string[] {
  const dates: string[] = [];
  for (let back = days; back >= 1; back -= 1) {
    const date = new Date(now.getTime() - back * DAY_MS + CST_OFFSET_MS).toISOString().slice(0, 10);
    if (businessDayWindow(date).end.getTime() <= now.getTime() && !dates.includes(date)) {
      dates.push(date);
    }
  }
  return dates;
}

export async function seedDemoSettlement(
  ctx: AppContext,
  policy: SettlementPolicy,
  options: { days?: number } = {},
): Promise<DemoSettlementSummary> {
  const summary: DemoSettlementSummary = { runs: [], paid: 0, returned: 0 };
  const dates = endedBusinessDates(ctx.now(), options.days ?? 2);
  const runIds: string[] = [];
  for (const businessDate of dates) {
    const { run } = await createRun(ctx, null, policy, {
      businessDate,
      trigger: 'manual',
      actor: DEMO_ACTOR,
    });
    runIds.push(run.id);
    const { rows } = await ctx.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM settlement_lines WHERE run_id = $1 GROUP BY status`,
      [run.id],
    );
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    summary.runs.push({
      businessDate,
      lines: rows.reduce((n, r) => n + r.n, 0),
      ready: count('ready'),
      held: count('held'),
    });
  }
  const oldest = runIds[0];
  if (oldest === undefined) return summary;
  const { rows: ready } = await ctx.db.query<{ id: string }>(
    `SELECT id FROM settlement_lines WHERE run_id = $1 AND status = 'ready' ORDER BY merchant_no`,
    [oldest],
  );
  const answers = ready.map((line, index) =>
    index === Math.floor(ready.length / 2)
      ? { lineId: line.id, status: 'returned' as const, reason: '收款账户已销户' }
      : { lineId: line.id, status: 'paid' as const, bankReference: `DEMO${String(index)}` },
  );
  for (let start = 0; start < answers.length; start += 1000) {
    const outcome = await recordResults(ctx, null, answers.slice(start, start + 1000), {
      actor: DEMO_ACTOR,
    });
    for (const r of outcome.results) {
      if (r.lineStatus === 'paid') summary.paid += 1;
      if (r.lineStatus === 'returned') summary.returned += 1;
    }
  }
  return summary;
}
