/**
 * Reads of settlement: runs with their totals, lines (paged, scoped), a merchant's balance
 * from the ledger, and money on hold by reason. Every figure is integer fen.
 */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { decodeKeyCursor, decodeTimeCursor, keyPage, pageLimit, timePage } from '../pagination.js';
import {
  merchantBalance,
  type LedgerAccount,
  type MerchantBalance,
} from '../../core/settlement/ledger.js';
import {
  HOLD_REASON_NAMES,
  RETURNED_REASON,
  type LineStatus,
} from '../../core/settlement/screening.js';
import type { ReturnCode } from '../../core/settlement/returns.js';
import type { Cycle } from '../../core/settlement/calendar.js';
import { LATE_LOOKBACK_DAYS, takenByRun } from './late-sql.js';

export interface RunRow {
  id: string;
  business_date: string;
  cycle: Cycle;
  period_start: Date;
  period_end: Date;
  cutoff_at: Date;
  trigger: 'manual' | 'scheduled';
  created_by: string;
  created_at: Date;
}

const RUN_COLUMNS = `id, business_date::text AS business_date, cycle, period_start, period_end,
  cutoff_at, trigger, created_by, created_at`;

export async function findRun(q: Queryable, runId: string): Promise<RunRow | undefined> {
  if (!UUID.test(runId)) return undefined;
  const { rows } = await q.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE id = $1`,
    [runId],
  );
  return rows[0];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunTotals {
  lines: number;
  readyCount: number;
  readyFen: number;
  heldCount: number;
  heldFen: number;
  carriedCount: number;
  carriedFen: number;
  paidCount: number;
  paidFen: number;
  returnedCount: number;
  returnedFen: number;
  netFen: number;
  feesFen: number;
}

export async function runTotals(q: Queryable, runId: string): Promise<RunTotals> {
  const { rows } = await q.query<Record<string, number>>(
    `SELECT count(*)::int AS lines,
            count(*) FILTER (WHERE status = 'ready')::int AS ready_count,
            COALESCE(sum(amount_fen) FILTER (WHERE status = 'ready'), 0)::bigint AS ready_fen,
            count(*) FILTER (WHERE status = 'held')::int AS held_count,
            COALESCE(sum(amount_fen) FILTER (WHERE status = 'held'), 0)::bigint AS held_fen,
            count(*) FILTER (WHERE status = 'carried')::int AS carried_count,
            COALESCE(sum(amount_fen) FILTER (WHERE status = 'carried'), 0)::bigint AS carried_fen,
            count(*) FILTER (WHERE status = 'paid')::int AS paid_count,
            COALESCE(sum(amount_fen) FILTER (WHERE status = 'paid'), 0)::bigint AS paid_fen,
            count(*) FILTER (WHERE status = 'returned')::int AS returned_count,
            COALESCE(sum(amount_fen) FILTER (WHERE status = 'returned'), 0)::bigint AS returned_fen,
            COALESCE(sum(net_fen), 0)::bigint AS net_fen,
            COALESCE(sum(fee_fen), 0)::bigint AS fees_fen
       FROM settlement_lines WHERE run_id = $1`,
    [runId],
  );
  const r = rows[0] ?? {};
  const n = (key: string) => r[key] ?? 0;
  return {
    lines: n('lines'),
    readyCount: n('ready_count'),
    readyFen: n('ready_fen'),
    heldCount: n('held_count'),
    heldFen: n('held_fen'),
    carriedCount: n('carried_count'),
    carriedFen: n('carried_fen'),
    paidCount: n('paid_count'),
    paidFen: n('paid_fen'),
    returnedCount: n('returned_count'),
    returnedFen: n('returned_fen'),
    netFen: n('net_fen'),
    feesFen: n('fees_fen'),
  };
}

export function presentRun(run: RunRow, totals: RunTotals) {
  return {
    id: run.id,
    businessDate: run.business_date,
    cycle: run.cycle,
    trigger: run.trigger,
    periodStart: new Date(run.period_start).toISOString(),
    periodEnd: new Date(run.period_end).toISOString(),
    cutoffAt: new Date(run.cutoff_at).toISOString(),
    createdBy: run.created_by,
    createdAt: new Date(run.created_at).toISOString(),
    totals,
  };
}

export interface LineRow {
  id: string;
  run_id: string;
  merchant_no: string;
  business_date: string;
  transaction_count: number;
  late_transaction_count: number;
  late_net_fen: number;
  purchases_fen: number;
  deductions_fen: number;
  net_fen: number;
  fee_rate_ppm: number;
  fee_fen: number;
  released_in_fen: number;
  carried_in_fen: number;
  amount_fen: number;
  status: LineStatus;
  hold_reasons: string[];
  account_id: string | null;
  account_version_id: number | null;
  account_number_masked: string | null;
  account_name: string | null;
  bank_name: string | null;
  release_id: string | null;
  absorbed_by: string | null;
  paid_at: Date | null;
  returned_at: Date | null;
  return_code: ReturnCode | null;
  return_text: string | null;
  created_at: Date;
}

export const LINE_COLUMNS = `id, run_id, merchant_no, business_date::text AS business_date,
  transaction_count, late_transaction_count, late_net_fen, purchases_fen, deductions_fen, net_fen, fee_rate_ppm, fee_fen,
  released_in_fen, carried_in_fen, amount_fen, status, hold_reasons, account_id,
  account_version_id, account_number_masked, account_name, bank_name, release_id, absorbed_by,
  paid_at, returned_at, return_code, return_text, created_at`;

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function presentLine(row: LineRow) {
  return {
    id: row.id,
    runId: row.run_id,
    merchantNo: row.merchant_no,
    businessDate: row.business_date,
    transactionCount: row.transaction_count,
    lateTransactionCount: row.late_transaction_count,
    lateNetFen: row.late_net_fen,
    purchasesFen: row.purchases_fen,
    deductionsFen: row.deductions_fen,
    netFen: row.net_fen,
    feeRatePpm: row.fee_rate_ppm,
    feeFen: row.fee_fen,
    releasedInFen: row.released_in_fen,
    carriedInFen: row.carried_in_fen,
    amountFen: row.amount_fen,
    status: row.status,
    holdReasons: row.hold_reasons,
    accountId: row.account_id,
    accountNumberMasked: row.account_number_masked,
    accountName: row.account_name,
    bankName: row.bank_name,
    releaseId: row.release_id,
    absorbedByLineId: row.absorbed_by,
    paidAt: iso(row.paid_at),
    returnedAt: iso(row.returned_at),
    returnCode: row.return_code,
    returnText: row.return_text,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export type PresentedLine = ReturnType<typeof presentLine>;

function staffOnly(principal: Principal): void {
  authorise(principal, 'settlement.read');
}

export async function getRun(ctx: AppContext, principal: Principal, runId: string) {
  staffOnly(principal);
  const run = await findRun(ctx.db, runId);
  if (!run) throw new DomainError('not_found', 'Settlement run not found');
  return presentRun(run, await runTotals(ctx.db, run.id));
}

/** The run with its first page of lines (the shape POST /settlement-runs answers). */
export async function runWithLines(ctx: AppContext, principal: Principal, runId: string) {
  const run = await getRun(ctx, principal, runId);
  const page = await listRunLines(ctx, principal, runId, { limit: 500 });
  return {
    ...run,
    lines: page.items,
    ...(page.nextCursor ? { linesNextCursor: page.nextCursor } : {}),
  };
}

export async function listRuns(
  ctx: AppContext,
  principal: Principal,
  query: { limit?: number; cursor?: string },
) {
  staffOnly(principal);
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM settlement_runs
      WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [after?.at ?? null, after?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  const totals = await Promise.all(page.map((run) => runTotals(ctx.db, run.id)));
  const byId = new Map(page.map((run, i) => [run.id, totals[i]]));
  return timePage(
    rows,
    limit,
    (run) => ({ at: new Date(run.created_at), id: run.id }),
    (run) => presentRun(run, byId.get(run.id) as RunTotals),
  );
}

export async function listRunLines(
  ctx: AppContext,
  principal: Principal,
  runId: string,
  query: { status?: LineStatus; merchantNo?: string; limit?: number; cursor?: string },
) {
  staffOnly(principal);
  const run = await findRun(ctx.db, runId);
  if (!run) throw new DomainError('not_found', 'Settlement run not found');
  const limit = pageLimit(query.limit);
  const after = decodeKeyCursor(query.cursor);
  const { rows } = await ctx.db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} FROM settlement_lines
      WHERE run_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR merchant_no = $3)
        AND ($4::text IS NULL OR merchant_no > $4)
      ORDER BY merchant_no LIMIT $5`,
    [runId, query.status ?? null, query.merchantNo ?? null, after, limit + 1],
  );
  return keyPage(rows, limit, (row) => row.merchant_no, presentLine);
}

/**
 * Lines across runs, newest business date first, by status, hold reason and merchant: the list
 * behind the dashboard's money-on-hold tile (`onHold`: held or returned, not yet released).
 */
export async function listLines(
  ctx: AppContext,
  principal: Principal,
  query: {
    status?: LineStatus;
    reason?: string;
    merchantNo?: string;
    onHold?: boolean;
    limit?: number;
    cursor?: string;
  },
) {
  staffOnly(principal);
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} FROM settlement_lines
      WHERE ($1::text IS NULL OR status = $1)
        AND ($2::text IS NULL OR $2 = ANY(hold_reasons)
             OR ($2 = '${RETURNED_REASON}' AND status = 'returned'))
        AND ($3::text IS NULL OR merchant_no = $3)
        AND (NOT $4::boolean OR (status IN ('held', 'returned') AND release_id IS NULL))
        AND ($5::date IS NULL OR (business_date, merchant_no) < ($5::date, $6::text))
      ORDER BY business_date DESC, merchant_no DESC LIMIT $7`,
    [
      query.status ?? null,
      query.reason ?? null,
      query.merchantNo ?? null,
      query.onHold ?? false,
      after ? after.at.slice(0, 10) : null,
      after?.id ?? null,
      limit + 1,
    ],
  );
  return timePage(
    rows,
    limit,
    (row) => ({ at: new Date(`${row.business_date}T00:00:00Z`), id: row.merchant_no }),
    presentLine,
  );
}

/** A merchant's lines, newest business date first (the merchant page; merchant users too). */
export async function listMerchantLines(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
  query: { limit?: number; cursor?: string },
) {
  authorise(principal, 'ledger.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  const limit = pageLimit(query.limit);
  const after = query.cursor ? decodeLineCursor(query.cursor) : null;
  const { rows } = await ctx.db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} FROM settlement_lines
      WHERE merchant_no = $1 AND ($2::date IS NULL OR business_date < $2::date)
      ORDER BY business_date DESC LIMIT $3`,
    [merchantNo, after, limit + 1],
  );
  return keyPage(rows, limit, (row) => row.business_date.replace(/-/g, ''), presentLine);
}

function decodeLineCursor(cursor: string): string {
  const key = decodeKeyCursor(cursor) ?? '';
  if (!/^\d{8}$/.test(key)) throw new DomainError('validation_failed', 'Invalid cursor');
  return `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6)}`;
}

export interface PresentedBalance extends MerchantBalance {
  merchantNo: string;
  /** Approved transactions (net, before fees) that no run has taken yet. */
  unsettledFen: number;
  unsettledTransactionCount: number;
  /** Returned by the bank and not yet released (part of heldFen). */
  returnedFen: number;
  /** The active hold on the merchant, if any. */
  hold: null | {
    id: string;
    reason: string;
    placedAt: string;
    placedBy: string;
    incidentId: string | null;
  };
}

export async function merchantSettlementBalance(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
): Promise<PresentedBalance> {
  authorise(principal, 'ledger.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  const known = await ctx.db.query(
    `SELECT 1 FROM merchants WHERE merchant_no = $1
     UNION ALL SELECT 1 FROM settlement_lines WHERE merchant_no = $1 LIMIT 1`,
    [merchantNo],
  );
  if (known.rowCount === 0) throw new DomainError('not_found', 'Merchant not found');
  return balanceOf(ctx.db, merchantNo, ctx.now());
}

/**
 * A merchant's approved transactions of the last two months that no line took, by the run's
 * own rule (on time within its date and cutoff, or late within its arrival window).
 */
const UNSETTLED_SQL = `
SELECT count(*)::int AS n,
       COALESCE(sum(CASE WHEN t.type = 'purchase' THEN t.amount_fen ELSE -t.amount_fen END), 0)::bigint
         AS fen
  FROM transactions t
 WHERE t.merchant_no = $1 AND t.status = 'approved'
   AND t.occurred_at >= $2::timestamptz - interval '${2 * LATE_LOOKBACK_DAYS} days'
   AND NOT EXISTS (
     SELECT 1 FROM settlement_lines l JOIN settlement_runs r ON r.id = l.run_id
      WHERE l.merchant_no = t.merchant_no AND ${takenByRun('t', 'r')})`;

export async function balanceOf(
  q: Queryable,
  merchantNo: string,
  now: Date,
): Promise<PresentedBalance> {
  // Paid out is what payouts moved: the settlement_bank postings of the merchant's `paid` and
  // `returned` journals only. Refunds paid to cardholders, money recovered from a wrong
  // account and micro-deposits also post to settlement_bank under the merchant's number, but
  // they are not payouts to the merchant (ADR 17).
  const { rows } = await q.query<{ account: LedgerAccount; balance: number }>(
    `SELECT p.account, sum(p.amount_fen)::bigint AS balance
       FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
      WHERE p.merchant_no = $1
        AND (p.account <> 'settlement_bank' OR j.kind IN ('paid', 'returned'))
      GROUP BY p.account`,
    [merchantNo],
  );
  const balances: Partial<Record<LedgerAccount, number>> = {};
  for (const row of rows) balances[row.account] = row.balance;
  const returned = await q.query<{ fen: number }>(
    `SELECT COALESCE(sum(amount_fen), 0)::bigint AS fen FROM settlement_lines
      WHERE merchant_no = $1 AND status = 'returned' AND release_id IS NULL`,
    [merchantNo],
  );
  const hold = await q.query<{
    id: string;
    reason: string;
    placed_at: Date;
    placed_by: string;
    incident_id: string | null;
  }>(
    `SELECT id, reason, placed_at, placed_by, incident_id FROM settlement_holds
      WHERE merchant_no = $1 AND released_at IS NULL`,
    [merchantNo],
  );
  const h = hold.rows[0];
  const unsettled = await q.query<{ n: number; fen: number }>(UNSETTLED_SQL, [merchantNo, now]);
  return {
    merchantNo,
    ...merchantBalance(balances),
    unsettledFen: unsettled.rows[0]?.fen ?? 0,
    unsettledTransactionCount: unsettled.rows[0]?.n ?? 0,
    returnedFen: returned.rows[0]?.fen ?? 0,
    hold: h
      ? {
          id: h.id,
          reason: h.reason,
          placedAt: new Date(h.placed_at).toISOString(),
          placedBy: h.placed_by,
          incidentId: h.incident_id,
        }
      : null,
  };
}

/**
 * Money on hold by reason, for the dashboard tile: every held or returned line not yet
 * released. A line held for two reasons counts under each; `totalFen` counts it once.
 */
export async function heldByReason(ctx: AppContext, principal: Principal) {
  authorise(principal, 'ledger.read');
  const scope = merchantScope(principal);
  const { rows } = await ctx.db.query<{
    reason: string;
    lines: number;
    merchants: number;
    fen: number;
  }>(
    `WITH on_hold AS (
       SELECT merchant_no, amount_fen,
              CASE WHEN status = 'returned' THEN ARRAY['${RETURNED_REASON}']
                   WHEN cardinality(hold_reasons) = 0 THEN ARRAY['settlement_hold']
                   ELSE hold_reasons END AS reasons
         FROM settlement_lines
        WHERE status IN ('held', 'returned') AND release_id IS NULL
          AND ($1::text[] IS NULL OR merchant_no = ANY($1)))
     SELECT r.reason, count(*)::int AS lines, count(DISTINCT o.merchant_no)::int AS merchants,
            sum(o.amount_fen)::bigint AS fen
       FROM on_hold o CROSS JOIN LATERAL unnest(o.reasons) AS r (reason)
      GROUP BY r.reason ORDER BY fen DESC, r.reason`,
    [scope],
  );
  const total = await ctx.db.query<{ fen: number; lines: number; merchants: number }>(
    `SELECT COALESCE(sum(amount_fen), 0)::bigint AS fen, count(*)::int AS lines,
            count(DISTINCT merchant_no)::int AS merchants
       FROM settlement_lines WHERE status IN ('held', 'returned') AND release_id IS NULL
        AND ($1::text[] IS NULL OR merchant_no = ANY($1))`,
    [scope],
  );
  const t = total.rows[0];
  return {
    totalFen: t?.fen ?? 0,
    lineCount: t?.lines ?? 0,
    merchantCount: t?.merchants ?? 0,
    items: rows.map((row) => ({
      reason: row.reason,
      name: HOLD_REASON_NAMES[row.reason as keyof typeof HOLD_REASON_NAMES] ?? {
        zh: row.reason,
        en: row.reason,
      },
      lineCount: row.lines,
      merchantCount: row.merchants,
      amountFen: row.fen,
    })),
  };
}
