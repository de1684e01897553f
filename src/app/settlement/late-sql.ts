/**
 * Which transactions a line takes, in SQL shared by the run, the ledger verification and the
 * merchant balance: those of its business date received by the run's cutoff, and late ones.
 *
 * Late: transactions of earlier dates that arrived after their date's run go with the next run
 * of the cycle. Exactly once, because the runs of a cycle read arrivals in windows that follow
 * one another: (previous run's cutoff, this run's cutoff] (ADR 9).
 */

/** How far back a late transaction is still looked for. */
export const LATE_LOOKBACK_DAYS = 31;

/**
 * Transactions of other business dates that arrived after their date's run: they go with the
 * next run of the cycle. Exactly once, because the runs of a cycle read arrivals in windows
 * that follow one another: (previous run's cutoff, this run's cutoff]. That next run is
 * usually of a later date; when someone runs an older date by hand after newer ones, a late
 * transaction of a newer date that arrives in its window goes with it, rather than with no
 * run at all. Shared with the ledger verification, which recomputes every line.
 * Parameters: $1 cutoff, $4 period start, $5 period end, $6 cycle, $17 late_from (no late
 * transactions when null: there was no earlier run).
 */
export const LATE_TRANSACTIONS = `
  SELECT t.merchant_no, t.type, t.amount_fen, true AS late
    FROM transactions t
   WHERE $17::timestamptz IS NOT NULL
     AND t.received_at > $17::timestamptz AND t.received_at <= $1
     AND (t.occurred_at < $4 OR t.occurred_at >= $5)
     AND t.occurred_at >= $4::timestamptz - interval '${LATE_LOOKBACK_DAYS} days'
     AND t.status = 'approved'
     AND EXISTS (SELECT 1 FROM settlement_runs r2
                  WHERE r2.cycle = $6 AND r2.period_start <= t.occurred_at
                    AND t.occurred_at < r2.period_end AND r2.cutoff_at < t.received_at)`;

/** SQL condition: transaction `t` is one the line of run `r` (same merchant) takes. */
export function takenByRun(t: string, r: string): string {
  return `(${t}.status = 'approved' AND ${t}.received_at <= ${r}.cutoff_at
    AND ((${t}.occurred_at >= ${r}.period_start AND ${t}.occurred_at < ${r}.period_end)
         OR (${r}.late_from IS NOT NULL AND ${t}.received_at > ${r}.late_from
             AND (${t}.occurred_at < ${r}.period_start OR ${t}.occurred_at >= ${r}.period_end)
             AND ${t}.occurred_at >= ${r}.period_start - interval '${LATE_LOOKBACK_DAYS} days'
             AND EXISTS (SELECT 1 FROM settlement_runs r2
                          WHERE r2.cycle = ${r}.cycle AND r2.period_start <= ${t}.occurred_at
                            AND ${t}.occurred_at < r2.period_end
                            AND r2.cutoff_at < ${t}.received_at))))`;
}
