/**
 * The dashboard's figures: `GET /api/v1/incidents/stats`. Open incidents by severity (and how
 * many are overdue for acknowledgement), mean time to acknowledge and to resolve over the
 * incidents opened in the last 30 days, money held, and alerts by rule per day over the last
 * 14 days. Drills are left out of every figure. Staff only: the figures cover every merchant,
 * and a merchant user sees its own incidents in the list instead.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { ackDueSql } from './queries.js';
import type { Principal } from '../../core/roles.js';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '../../core/incidents/lifecycle.js';

export const STATS_WINDOW_DAYS = 30;
export const ALERT_DAYS = 14;
const DAY_MS = 86_400_000;
/** Days are China Standard Time days (UTC+8 all year), as settlement's business dates are. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The `YYYY-MM-DD` China Standard Time dates of the last `count` days, oldest first. */
export function lastDays(now: Date, count: number): { days: string[]; startsAt: Date } {
  const todayStartMs = Math.floor((now.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    days.push(new Date(todayStartMs - i * DAY_MS).toISOString().slice(0, 10));
  }
  return { days, startsAt: new Date(todayStartMs - (count - 1) * DAY_MS - CST_OFFSET_MS) };
}

const ACK_DUE_SQL = ackDueSql('incidents');

export async function incidentStats(ctx: AppContext, principal: Principal) {
  authorise(principal, 'incidents.stats');
  const now = ctx.now();
  const windowStart = new Date(now.getTime() - STATS_WINDOW_DAYS * DAY_MS);
  const { days, startsAt } = lastDays(now, ALERT_DAYS);
  const [open, times, held, alerts] = await Promise.all([
    ctx.db.query<{ severity: IncidentSeverity; count: number; overdue: number }>(
      `SELECT severity, count(*)::int AS count,
              count(*) FILTER (WHERE status = 'open' AND acknowledged_at IS NULL
                                 AND ${ACK_DUE_SQL} < $1)::int AS overdue
         FROM incidents
        WHERE NOT drill AND status NOT IN ('resolved', 'closed')
        GROUP BY severity`,
      [now],
    ),
    ctx.db.query<{
      mtta: number | null;
      acknowledged: number;
      mttr: number | null;
      resolved: number;
      opened: number;
    }>(
      `SELECT avg(extract(epoch FROM acknowledged_at - opened_at))::float8 AS mtta,
              count(acknowledged_at)::int AS acknowledged,
              avg(extract(epoch FROM resolved_at - opened_at))::float8 AS mttr,
              count(resolved_at)::int AS resolved,
              count(*)::int AS opened
         FROM incidents
        WHERE NOT drill AND opened_at >= $1`,
      [windowStart],
    ),
    ctx.db.query<{
      amount_fen: number;
      line_count: number;
      merchants_on_hold: number;
      active_holds: number;
    }>(
      `SELECT (SELECT COALESCE(sum(amount_fen), 0)::bigint FROM settlement_lines
                WHERE status IN ('held', 'returned') AND release_id IS NULL) AS amount_fen,
              (SELECT count(*)::int FROM settlement_lines
                WHERE status IN ('held', 'returned') AND release_id IS NULL) AS line_count,
              (SELECT count(*)::int FROM (
                 SELECT merchant_no FROM settlement_holds WHERE released_at IS NULL
                 UNION
                 SELECT merchant_no FROM settlement_lines
                  WHERE status IN ('held', 'returned') AND release_id IS NULL) m
              ) AS merchants_on_hold,
              (SELECT count(*)::int FROM settlement_holds WHERE released_at IS NULL)
                AS active_holds`,
    ),
    ctx.db.query<{ rule: string; day: string; count: number }>(
      `SELECT rule,
              to_char((created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day,
              count(*)::int AS count
         FROM alerts
        WHERE NOT drill AND created_at >= $1 AND created_at <= $2
        GROUP BY 1, 2`,
      [startsAt, now],
    ),
  ]);

  const bySeverity = Object.fromEntries(INCIDENT_SEVERITIES.map((s) => [s, 0])) as Record<
    IncidentSeverity,
    number
  >;
  let overdue = 0;
  for (const row of open.rows) {
    bySeverity[row.severity] = row.count;
    overdue += row.overdue;
  }
  const series = new Map<string, number[]>();
  for (const row of alerts.rows) {
    const index = days.indexOf(row.day);
    if (index < 0) continue;
    const counts = series.get(row.rule) ?? days.map(() => 0);
    counts[index] = (counts[index] ?? 0) + row.count;
    series.set(row.rule, counts);
  }
  const time = times.rows[0];
  const money = held.rows[0];
  const round = (seconds: number | null | undefined) =>
    seconds === null || seconds === undefined ? null : Math.round(seconds);
  return {
    generatedAt: now.toISOString(),
    windowDays: STATS_WINDOW_DAYS,
    open: {
      total: Object.values(bySeverity).reduce((a, b) => a + b, 0),
      bySeverity,
      ackOverdue: overdue,
    },
    openedInWindow: time?.opened ?? 0,
    meanTimeToAcknowledgeSeconds: round(time?.mtta),
    acknowledgedInWindow: time?.acknowledged ?? 0,
    meanTimeToResolveSeconds: round(time?.mttr),
    resolvedInWindow: time?.resolved ?? 0,
    held: {
      amountFen: money?.amount_fen ?? 0,
      lineCount: money?.line_count ?? 0,
      merchantsOnHold: money?.merchants_on_hold ?? 0,
      activeHolds: money?.active_holds ?? 0,
    },
    alertsByRule: {
      days,
      rules: [...series.entries()]
        .map(([rule, counts]) => ({ rule, counts, total: counts.reduce((a, b) => a + b, 0) }))
        .sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule)),
    },
  };
}

export type IncidentStats = Awaited<ReturnType<typeof incidentStats>>;
