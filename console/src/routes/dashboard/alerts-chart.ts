/**
 * The alerts-by-rule chart's data, pure: the API's (day, rule, count) rows as one series per
 * rule over every day of the range, missing days counted as zero so that bars line up.
 */
export interface RuleSeries {
  rule: string;
  counts: number[];
}

export interface AlertsChartData {
  days: string[];
  series: RuleSeries[];
}

const DAY_MS = 86_400_000;

/** Every day from `first` to `last` (YYYY-MM-DD), both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= end; at += DAY_MS) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Series per rule, rules with the most alerts first (they take the bottom of each stack),
 * over the days of the rows or of `range` when given (a fixed window with empty days shown).
 */
export function alertsChartData(
  rows: readonly { day: string; rule: string; count: number }[],
  range?: { first: string; last: string },
): AlertsChartData {
  const sorted = rows.map((row) => row.day).sort();
  const first = range?.first ?? sorted[0];
  const last = range?.last ?? sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return { days: [], series: [] };
  const days = daysBetween(first, last);
  const index = new Map(days.map((day, position) => [day, position]));
  const byRule = new Map<string, number[]>();
  for (const row of rows) {
    const position = index.get(row.day);
    if (position === undefined) continue;
    let counts = byRule.get(row.rule);
    if (counts === undefined) {
      counts = days.map(() => 0);
      byRule.set(row.rule, counts);
    }
    counts[position] = (counts[position] ?? 0) + row.count;
  }
  const total = (counts: number[]) => counts.reduce((sum, count) => sum + count, 0);
  const series = [...byRule.entries()]
    .map(([rule, counts]) => ({ rule, counts }))
    .sort((a, b) => total(b.counts) - total(a.counts) || a.rule.localeCompare(b.rule));
  return { days, series };
}
