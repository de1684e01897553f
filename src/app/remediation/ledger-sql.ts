/**
 * SQL shared by the settlement run and the ledger verification about re-settled money: a
 * `resettle` remediation that posted its journal (Dr misrouted_receivable / Cr
 * merchant_released) and was not reversed is owed to the merchant; until a run takes it
 * (`absorbed_by`), it waits in merchant_released like released held money.
 */

/** SQL condition on remediations `m`: its re-settled money stands (posted, not reversed). */
export function resettledStands(m: string): string {
  return `(${m}.action = 'resettle' AND ${m}.journal_id IS NOT NULL
    AND ${m}.reversal_journal_id IS NULL)`;
}

/** SQL condition on remediations `m`: its re-settled money waits for the merchant's next run. */
export function resettledWaiting(m: string): string {
  return `(${resettledStands(m)} AND ${m}.absorbed_by IS NULL)`;
}

/**
 * After a run's lines are inserted: the re-settled money each line took is marked as taken by
 * it, once. $1 the run id.
 */
export const MARK_RESETTLED_ABSORBED = `
UPDATE remediations m SET absorbed_by = n.id
  FROM settlement_lines n
 WHERE n.run_id = $1 AND m.merchant_no = n.merchant_no AND ${resettledWaiting('m')}`;
