/**
 * The payments an incident affected (`GET /incidents/{id}/affected-transactions`), read from
 * the source rows each time:
 * - settled to the wrong account: approved purchases in a paid settlement line of the
 *   incident's merchant that either are the transactions of the incident's alerts, or went to
 *   an account of the merchant that is no longer in force (superseded by a completed account
 *   change, or closed), the lines made at most AFFECTED_LOOKBACK_DAYS before the incident
 *   opened;
 * - payout returned: returned lines of the merchant in the same window;
 * - customer saw failure: declined transactions of the merchant or on the incident's
 *   terminals since the incident opened.
 * Each with the remediations it has. Drills touch no money: their list is empty.
 */
import type { Queryable } from '../../storage/database.js';
import { takenByRun } from '../settlement/late-sql.js';
import {
  AFFECTED_ITEMS_MAX,
  AFFECTED_KINDS,
  AFFECTED_LOOKBACK_DAYS,
  type AffectedKind,
  type RemediationAction,
  type RemediationStatus,
} from '../../core/remediation/remediation.js';

export interface AffectedRow {
  kind: AffectedKind;
  transaction_id: string | null;
  line_id: string | null;
  merchant_no: string;
  terminal_id: string | null;
  amount_fen: number;
  occurred_at: Date;
  rrn: string | null;
  stan: string | null;
  pan_masked: string | null;
  account_id: string | null;
  account_number_masked: string | null;
  account_name: string | null;
  line_status: string | null;
  released: boolean;
}

/**
 * Parameters: $1 incident id, $2 transaction id or null, $3 line id or null (one payment only),
 * $4 at most this many per kind.
 */
const AFFECTED_SQL = `
WITH inc AS (SELECT id, merchant_no, opened_at FROM incidents WHERE id = $1 AND NOT drill),
alert_txns AS (
  SELECT DISTINCT transaction_id AS id FROM alerts
   WHERE incident_id = $1 AND transaction_id IS NOT NULL
     -- Rules about the terminal or software, or a volume jump, say nothing of where the money
     -- went: their payments are not misrouted for that.
     AND rule NOT IN ('post_change_spike', 'firmware_outdated')),
gone_accounts AS (
  SELECT DISTINCT a.account_id FROM settlement_accounts a JOIN inc ON a.merchant_no = inc.merchant_no
   WHERE NOT EXISTS (SELECT 1 FROM settlement_accounts c
                      WHERE c.account_id = a.account_id AND c.valid_to IS NULL
                        AND c.status <> 'superseded')),
wrong AS (
  SELECT 'settled_to_wrong_account'::text AS kind, t.id AS transaction_id, l.id AS line_id,
         t.merchant_no, t.terminal_id, t.amount_fen, t.occurred_at, t.rrn, t.stan, t.pan_masked,
         l.account_id, l.account_number_masked, l.account_name, l.status AS line_status,
         false AS released
    FROM inc
    JOIN settlement_lines l ON l.merchant_no = inc.merchant_no AND l.status = 'paid'
     AND l.created_at >= inc.opened_at - interval '${AFFECTED_LOOKBACK_DAYS} days'
    JOIN settlement_runs r ON r.id = l.run_id
    JOIN transactions t ON t.merchant_no = l.merchant_no AND ${takenByRun('t', 'r')}
   WHERE t.type = 'purchase' AND $3::uuid IS NULL AND ($2::text IS NULL OR t.id = $2)
     AND (t.id IN (SELECT id FROM alert_txns)
          OR l.account_id IN (SELECT account_id FROM gone_accounts))),
returned AS (
  SELECT 'payout_returned'::text, NULL::text, l.id, l.merchant_no, NULL::text, l.amount_fen,
         COALESCE(l.returned_at, l.created_at), NULL::text, NULL::text, NULL::text,
         l.account_id, l.account_number_masked, l.account_name, l.status,
         l.release_id IS NOT NULL
    FROM inc
    JOIN settlement_lines l ON l.merchant_no = inc.merchant_no AND l.status = 'returned'
   WHERE COALESCE(l.returned_at, l.created_at)
           >= inc.opened_at - interval '${AFFECTED_LOOKBACK_DAYS} days'
     AND $2::text IS NULL AND ($3::uuid IS NULL OR l.id = $3)),
failed AS (
  SELECT 'customer_saw_failure'::text, t.id, NULL::uuid, t.merchant_no, t.terminal_id,
         t.amount_fen, t.occurred_at, t.rrn, t.stan, t.pan_masked, NULL::uuid, NULL::text,
         NULL::text, NULL::text, false
    FROM inc
    -- Since the incident began: it opens when its first offending payment is screened, which
    -- may be after that payment happened (a batch sent late, a file read the next morning).
    JOIN transactions t ON t.status = 'declined'
     AND t.occurred_at >= LEAST(inc.opened_at, (SELECT min(occurred_at) FROM transactions
                                                 WHERE id IN (SELECT id FROM alert_txns)))
     AND (t.merchant_no = inc.merchant_no
          OR t.terminal_id IN (SELECT terminal_id FROM incident_terminals WHERE incident_id = $1))
   WHERE $3::uuid IS NULL AND ($2::text IS NULL OR t.id = $2)),
everything AS (
  SELECT * FROM wrong UNION ALL SELECT * FROM returned UNION ALL SELECT * FROM failed),
numbered AS (
  SELECT e.*, row_number() OVER (PARTITION BY e.kind ORDER BY e.occurred_at, e.transaction_id, e.line_id) AS n,
         count(*) OVER (PARTITION BY e.kind)::int AS kind_count,
         sum(e.amount_fen) OVER (PARTITION BY e.kind)::bigint AS kind_fen
    FROM everything e)
SELECT * FROM numbered WHERE n <= $4 ORDER BY kind, n`;

export interface AffectedQuery {
  transactionId?: string | null;
  lineId?: string | null;
}

export interface AffectedResult {
  rows: AffectedRow[];
  totals: Record<AffectedKind, { count: number; amountFen: number }>;
}

export async function readAffected(
  db: Queryable,
  incidentId: string,
  query: AffectedQuery = {},
): Promise<AffectedResult> {
  const { rows } = await db.query<AffectedRow & { kind_count: number; kind_fen: number }>(
    AFFECTED_SQL,
    [incidentId, query.transactionId ?? null, query.lineId ?? null, AFFECTED_ITEMS_MAX],
  );
  const totals = Object.fromEntries(
    AFFECTED_KINDS.map((k) => [k, { count: 0, amountFen: 0 }]),
  ) as AffectedResult['totals'];
  for (const r of rows) totals[r.kind] = { count: r.kind_count, amountFen: r.kind_fen };
  return {
    rows: rows.map((r) => ({ ...r, amount_fen: r.amount_fen })),
    totals,
  };
}

/** One affected payment of the incident, or null when it is none of them. */
export async function findAffected(
  db: Queryable,
  incidentId: string,
  target: { transactionId?: string | null; lineId?: string | null },
): Promise<AffectedRow | null> {
  const { rows } = await readAffected(db, incidentId, target);
  return rows[0] ?? null;
}

export interface RemediationRef {
  id: string;
  action: RemediationAction;
  status: RemediationStatus;
}

export function targetKey(r: { transaction_id: string | null; line_id: string | null }): string {
  return r.transaction_id !== null ? `t:${r.transaction_id}` : `l:${r.line_id ?? ''}`;
}
