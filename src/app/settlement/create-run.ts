/**
 * A settlement run: one line per merchant of the cycle with money to settle on a business
 * date, each screened before it may be `ready`, with its ledger journal, all in one database
 * transaction and in set-based SQL (a handful of statements whatever the number of merchants).
 * The same date and cycle twice answers the first run: nothing is computed again. Money
 * re-settled by a remediation (app/remediation, ADR 17) waits in merchant_released and is taken
 * by the merchant's next line exactly like released held money.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { businessDayWindow, isBusinessDate, type Cycle } from '../../core/settlement/calendar.js';
import type { SettlementPolicy } from '../../core/settlement/policy.js';
import { SCREENING_CTES } from './screening-sql.js';
import { lockSettlementExclusive } from './settlement-lock.js';
import { LATE_TRANSACTIONS } from './late-sql.js';
import { findRun, runTotals, type RunRow } from './queries.js';
import {
  MARK_PASSED_THROUGH_ABSORBED,
  MARK_RESETTLED_ABSORBED,
  PASSED_THROUGH_WAITING_BY_MERCHANT,
  resettledWaiting,
} from '../remediation/ledger-sql.js';

export const SETTLEMENT_ACTOR = 'settlement';

export interface CreateRunInput {
  businessDate: string;
  /** The cycle whose merchants the run settles; the policy's default cycle when absent. */
  cycle?: Cycle;
  trigger: 'manual' | 'scheduled';
  /** Who asked, when there is no principal (the command line). */
  actor?: string;
}

export interface CreateRunOutcome {
  run: RunRow;
  created: boolean;
}

/**
 * Lines of the run in one statement. Parameters: $1 screening time (= cutoff), $2 cooling-off
 * hours, $3 run id, $4 period start, $5 period end, $6 cycle, $7 default cycle, $8/$9 merchants
 * with their own cycle, $10 default fee rate (ppm), $11/$12 MCC rates, $13/$14 merchant rates,
 * $15 business date, $16 created at, $17 late_from (the previous run's cutoff, or null).
 */
const INSERT_LINES = `
WITH settled AS (
  SELECT merchant_no, type, amount_fen, false AS late
    FROM transactions
   WHERE occurred_at >= $4 AND occurred_at < $5 AND received_at <= $1 AND status = 'approved'
  UNION ALL
  ${LATE_TRANSACTIONS}
),
day AS (
  SELECT merchant_no, count(*)::int AS transaction_count,
         COALESCE(sum(amount_fen) FILTER (WHERE type = 'purchase'), 0)::bigint AS purchases_fen,
         COALESCE(sum(amount_fen) FILTER (WHERE type <> 'purchase'), 0)::bigint AS deductions_fen,
         count(*) FILTER (WHERE late)::int AS late_transaction_count,
         COALESCE(sum(CASE WHEN type = 'purchase' THEN amount_fen ELSE -amount_fen END)
                    FILTER (WHERE late), 0)::bigint AS late_net_fen
    FROM settled
   GROUP BY merchant_no
),
waiting AS (
  SELECT merchant_no, sum(released_in_fen)::bigint AS released_in_fen,
         sum(carried_in_fen)::bigint AS carried_in_fen
    FROM (
      SELECT merchant_no,
             COALESCE(sum(amount_fen) FILTER (WHERE release_id IS NOT NULL), 0)::bigint
               AS released_in_fen,
             COALESCE(sum(amount_fen) FILTER (WHERE release_id IS NULL), 0)::bigint
               AS carried_in_fen
        FROM settlement_lines
       WHERE absorbed_by IS NULL AND (status = 'carried' OR release_id IS NOT NULL)
       GROUP BY merchant_no
      UNION ALL
      -- Money re-settled by a remediation is taken like released money (ADR 17).
      SELECT m.merchant_no, sum(m.amount_fen)::bigint, 0::bigint
        FROM remediations m
       WHERE ${resettledWaiting('m')}
       GROUP BY m.merchant_no
      UNION ALL
      -- Money a recovery case received beyond what was advanced: the merchant's (ADR 17).
      SELECT pt.merchant_no, pt.fen, 0::bigint FROM (${PASSED_THROUGH_WAITING_BY_MERCHANT}) pt
    ) w
   GROUP BY merchant_no
),
own_cycles AS (
  SELECT * FROM unnest($8::text[], $9::text[]) AS c (merchant_no, cycle)
),
pending AS (
  SELECT COALESCE(d.merchant_no, w.merchant_no) AS merchant_no,
         COALESCE(d.transaction_count, 0) AS transaction_count,
         COALESCE(d.purchases_fen, 0) AS purchases_fen,
         COALESCE(d.deductions_fen, 0) AS deductions_fen,
         COALESCE(d.late_transaction_count, 0) AS late_transaction_count,
         COALESCE(d.late_net_fen, 0) AS late_net_fen,
         COALESCE(w.released_in_fen, 0) AS released_in_fen,
         COALESCE(w.carried_in_fen, 0) AS carried_in_fen
    FROM day d FULL JOIN waiting w ON w.merchant_no = d.merchant_no
),
candidates AS (
  SELECT p.merchant_no, NULL::uuid AS line_account_id
    FROM pending p LEFT JOIN own_cycles oc ON oc.merchant_no = p.merchant_no
   WHERE COALESCE(oc.cycle, $7) = $6
),
${SCREENING_CTES},
mcc_rates AS (SELECT * FROM unnest($11::text[], $12::int[]) AS r (mcc, rate_ppm)),
merchant_rates AS (SELECT * FROM unnest($13::text[], $14::int[]) AS r (merchant_no, rate_ppm)),
priced AS (
  SELECT f.*, p.transaction_count, p.purchases_fen, p.deductions_fen, p.late_transaction_count,
         p.late_net_fen, p.released_in_fen,
         p.carried_in_fen, p.purchases_fen - p.deductions_fen AS net_fen,
         COALESCE(mr.rate_ppm, cr.rate_ppm, $10::int) AS fee_rate_ppm
    FROM facts f
    JOIN pending p ON p.merchant_no = f.merchant_no
    LEFT JOIN merchant_rates mr ON mr.merchant_no = f.merchant_no
    LEFT JOIN mcc_rates cr ON cr.mcc = f.mcc
),
-- The fee: net × rate / 1,000,000 rounded half-up to the fen, in bigint (core/settlement/fees.ts).
charged AS (
  SELECT q.*,
         CASE WHEN q.net_fen > 0 THEN (q.net_fen * q.fee_rate_ppm + 500000) / 1000000 ELSE 0 END
           AS fee_fen
    FROM priced q
),
amounts AS (
  SELECT c.*, c.net_fen - c.fee_fen + c.released_in_fen + c.carried_in_fen AS amount_fen
    FROM charged c
)
INSERT INTO settlement_lines (run_id, merchant_no, business_date, transaction_count,
  late_transaction_count, late_net_fen, purchases_fen, deductions_fen, net_fen, fee_rate_ppm, fee_fen, released_in_fen,
  carried_in_fen, amount_fen, status, hold_reasons, account_id, account_version_id,
  account_number_masked, account_name, bank_name, created_at)
SELECT $3, a.merchant_no, $15::date, a.transaction_count, a.late_transaction_count,
       a.late_net_fen, a.purchases_fen, a.deductions_fen,
       a.net_fen, a.fee_rate_ppm, a.fee_fen, a.released_in_fen, a.carried_in_fen, a.amount_fen,
       CASE WHEN a.amount_fen <= 0 THEN 'carried'
            WHEN cardinality(a.reasons) > 0 THEN 'held'
            ELSE 'ready' END,
       CASE WHEN a.amount_fen <= 0 THEN '{}'::text[] ELSE a.reasons END,
       a.account_id, a.account_version_id, a.account_number_masked, a.account_name, a.bank_name,
       $16
  FROM amounts a
 WHERE a.transaction_count > 0 OR a.released_in_fen <> 0 OR a.carried_in_fen <> 0
ON CONFLICT DO NOTHING`;

/** The money of earlier lines the new lines took over is marked as taken, once. */
const MARK_ABSORBED = `
UPDATE settlement_lines w SET absorbed_by = n.id
  FROM settlement_lines n
 WHERE n.run_id = $1 AND w.merchant_no = n.merchant_no AND w.run_id <> $1
   AND w.absorbed_by IS NULL AND (w.status = 'carried' OR w.release_id IS NOT NULL)`;

/** One journal per line; the postings are those of core/settlement/ledger.ts settlementJournal. */
const INSERT_JOURNALS = `
INSERT INTO ledger_journals (id, kind, merchant_no, run_id, line_id, at, actor)
SELECT 'line:' || id || ':settlement', 'settlement', merchant_no, run_id, id, $2, $3
  FROM settlement_lines WHERE run_id = $1`;

/**
 * A compound journal per line, one posting per account (three for a plain ready line): the
 * day's net captured, the fee earned, released money taken back, the line's amount into flight
 * or hold, and what remains on the merchant's payable (zero, unless the amount is carried or
 * earlier carried amounts are taken in).
 */
const INSERT_POSTINGS = `
INSERT INTO ledger_postings (journal_id, seq, account, merchant_no, amount_fen)
SELECT 'line:' || l.id || ':settlement', v.seq, v.account, l.merchant_no, v.amount_fen
  FROM settlement_lines l
 CROSS JOIN LATERAL (VALUES
   (1, 'clearing_receivable', l.net_fen),
   (2, 'fee_income', -l.fee_fen),
   (3, 'merchant_released', l.released_in_fen),
   (4, CASE WHEN l.status = 'ready' THEN 'payout_in_flight' ELSE 'merchant_held' END,
       CASE WHEN l.status IN ('ready', 'held') THEN -l.amount_fen ELSE 0 END),
   (5, 'merchant_payable',
       l.fee_fen - l.net_fen - l.released_in_fen
         + CASE WHEN l.status IN ('ready', 'held') THEN l.amount_fen ELSE 0 END)
 ) AS v (seq, account, amount_fen)
 WHERE l.run_id = $1 AND v.amount_fen <> 0`;

/**
 * Work memory for the run's transaction only: the run sorts and hashes 100,000-row sets, which
 * the default 4 MB would spill to disk.
 */
const RUN_WORK_MEM = '64MB';

export async function createRun(
  ctx: AppContext,
  principal: Principal | null,
  policy: SettlementPolicy,
  input: CreateRunInput,
): Promise<CreateRunOutcome> {
  if (principal) authorise(principal, 'settlement.run');
  if (!isBusinessDate(input.businessDate)) {
    throw new DomainError('validation_failed', 'businessDate must be a date YYYY-MM-DD', [
      issue('businessDate', 'validation_failed', 'A calendar date, YYYY-MM-DD'),
    ]);
  }
  const cycle = input.cycle ?? policy.defaultCycle;
  const actor = principal?.username ?? input.actor ?? SETTLEMENT_ACTOR;
  const requestedAt = ctx.now();
  const { start, end } = businessDayWindow(input.businessDate);
  if (start.getTime() > requestedAt.getTime()) {
    throw new DomainError(
      'validation_failed',
      `Business date ${input.businessDate} has not begun`,
      [issue('businessDate', 'validation_failed', 'The business date lies in the future')],
    );
  }
  return ctx.db.transaction(async (tx) => {
    // No ingest batch is between arrival and commit while the run reads; the cutoff is taken
    // once the lock is held (settlement-lock.ts). Then, as every settlement writer, the audit
    // lock: runs, releases and results are serialised, so a release cannot slip between a
    // run's lines and what they absorbed.
    await lockSettlementExclusive(tx);
    // After every earlier run's cutoff: a batch that committed after a run is stamped just
    // past that run's cutoff (receptionAfterRuns), and must be read by this one.
    const lastCutoff = await tx.query<{ cutoff: Date | null }>(
      'SELECT max(cutoff_at) AS cutoff FROM settlement_runs',
    );
    const afterLast = lastCutoff.rows[0]?.cutoff
      ? new Date(new Date(lastCutoff.rows[0].cutoff).getTime() + 1)
      : requestedAt;
    const at = laterOf(laterOf(ctx.now(), requestedAt), afterLast);
    await lockAuditChain(tx);
    await tx.query(`SET LOCAL work_mem = '${RUN_WORK_MEM}'`);
    const existing = await findRunByDate(tx, input.businessDate, cycle);
    if (existing) return { run: existing, created: false };
    const runId = ctx.newId();
    // Where the previous run of the cycle stopped reading arrivals: late transactions come from
    // there on. Runs are serialised by the audit lock, so these windows follow one another.
    const previous = await tx.query<{ cutoff: Date | null }>(
      'SELECT max(cutoff_at) AS cutoff FROM settlement_runs WHERE cycle = $1',
      [cycle],
    );
    const lateFrom = previous.rows[0]?.cutoff ?? null;
    await tx.query(
      `INSERT INTO settlement_runs (id, business_date, cycle, period_start, period_end, cutoff_at,
         late_from, trigger, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $6)`,
      [runId, input.businessDate, cycle, start, end, at, lateFrom, input.trigger, actor],
    );
    const ownCycles = Object.entries(policy.cycleByMerchant);
    const mccRates = Object.entries(policy.feeRatePpmByMcc);
    const merchantRates = Object.entries(policy.feeRatePpmByMerchant);
    await tx.query(INSERT_LINES, [
      at,
      policy.coolingOffHours,
      runId,
      start,
      end,
      cycle,
      policy.defaultCycle,
      ownCycles.map(([m]) => m),
      ownCycles.map(([, c]) => c),
      policy.feeRatePpmDefault,
      mccRates.map(([m]) => m),
      mccRates.map(([, r]) => r),
      merchantRates.map(([m]) => m),
      merchantRates.map(([, r]) => r),
      input.businessDate,
      at,
      lateFrom,
    ]);
    await tx.query(MARK_ABSORBED, [runId]);
    await tx.query(MARK_RESETTLED_ABSORBED, [runId]);
    await tx.query(MARK_PASSED_THROUGH_ABSORBED, [runId]);
    await tx.query(INSERT_JOURNALS, [runId, at, actor]);
    await tx.query(INSERT_POSTINGS, [runId]);
    const run = await findRun(tx, runId);
    if (!run) throw new Error('settlement run vanished after insert');
    await recordAudit(
      tx,
      {
        actor,
        action: 'settlement.run_created',
        entityType: 'settlement_run',
        entityId: runId,
        after: {
          businessDate: input.businessDate,
          cycle,
          trigger: input.trigger,
          totals: await runTotals(tx, runId),
        },
      },
      at,
    );
    return { run, created: true };
  });
}

async function findRunByDate(
  tx: Queryable,
  businessDate: string,
  cycle: Cycle,
): Promise<RunRow | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM settlement_runs WHERE business_date = $1 AND cycle = $2',
    [businessDate, cycle],
  );
  const id = rows[0]?.id;
  return id ? findRun(tx, id) : undefined;
}

function laterOf(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
