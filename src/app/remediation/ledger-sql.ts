/**
 * SQL shared by the settlement run and the ledger verification about re-settled money (and
 * money a recovery case passed through to the merchant, below): a
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

/** SQL condition on remediations `a`: its advance (a re-settlement or a refund) stands. */
export function advanceStands(a: string): string {
  return `(${a}.action IN ('resettle', 'refund') AND ${a}.journal_id IS NOT NULL
    AND ${a}.reversal_journal_id IS NULL)`;
}

/**
 * Money a recovery case received beyond what was advanced on its payments: the merchant's own
 * money, owed to it (Cr merchant_released by the receipt's journal), per merchant: columns
 * (merchant_no, fen).
 */
export const PASSED_THROUGH_BY_MERCHANT = `
SELECT p.merchant_no, sum(p.amount_fen)::bigint AS fen FROM recovery_passthroughs p
 GROUP BY p.merchant_no`;

/** The part of it still waiting for the merchant's next run, like re-settled money. */
export const PASSED_THROUGH_WAITING_BY_MERCHANT = `
SELECT p.merchant_no, sum(p.amount_fen)::bigint AS fen FROM recovery_passthroughs p
 WHERE p.absorbed_by IS NULL GROUP BY p.merchant_no`;

/**
 * After a run's lines are inserted: the passed-through money each line took is marked as taken
 * by it, once. $1 the run id.
 */
export const MARK_PASSED_THROUGH_ABSORBED = `
UPDATE recovery_passthroughs p SET absorbed_by = n.id
  FROM settlement_lines n
 WHERE n.run_id = $1 AND p.merchant_no = n.merchant_no AND p.absorbed_by IS NULL`;
