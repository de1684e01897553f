/**
 * Ledger verification: every journal balances; each line's net is what its transactions say
 * (those of its date received by its cutoff, and the late ones of earlier dates it took)
 * and its fee what its rate says; each merchant's money owed (pending, held, released, in
 * flight) equals its transactions less its fees and payouts; the ledger's in-flight, held and
 * released balances match the lines in those states; no line was paid twice; no approved
 * transaction is left out of every line once a run after its arrival should have taken it
 * (more than 31 days late, or a bug): every fen is somewhere. Remediation's money (ADR 17):
 * re-settled amounts, and money a recovery case received beyond what was advanced (passed
 * through), count as owed to the merchant and wait as released money until a run takes them;
 * the misrouted receivable is re-settled + refunded − (recovered − passed through) − written
 * off, per merchant and per recovery case; refunds owed are the refunds not yet paid. Everything is
 * recomputed from the source rows (transactions, lines, results), not from the ledger alone.
 * Problems are listed (at most PROBLEMS_MAX) with the figures that disagree.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { takenByRun } from '../settlement/late-sql.js';
import {
  PASSED_THROUGH_BY_MERCHANT,
  PASSED_THROUGH_WAITING_BY_MERCHANT,
  resettledStands,
  resettledWaiting,
} from '../remediation/ledger-sql.js';
import { verifyRemediationLedger } from '../remediation/verify-ledger.js';
import { verifyMicroDeposits } from './verify-micro-deposits.js';

export const PROBLEMS_MAX = 100;

export interface LedgerProblem {
  code:
    | 'journal_unbalanced'
    | 'posting_without_journal'
    | 'line_net_mismatch'
    | 'line_fee_mismatch'
    | 'merchant_payable_mismatch'
    | 'state_mismatch'
    | 'line_paid_twice'
    | 'released_money_paid'
    | 'transaction_unsettled'
    | 'receivable_mismatch'
    | 'refund_payable_mismatch'
    | 'recovery_case_mismatch'
    | 'remediation_journal_missing'
    | 'micro_deposit_mismatch';
  message: string;
  journalId?: string;
  lineId?: string;
  merchantNo?: string;
  account?: string;
  expectedFen?: number;
  actualFen?: number;
}

export interface LedgerVerdict {
  balanced: boolean;
  checkedAt: string;
  journals: number;
  postings: number;
  merchants: number;
  totals: Record<string, number>;
  problems: LedgerProblem[];
}

export async function verifyLedgerFor(
  ctx: AppContext,
  principal: Principal,
): Promise<LedgerVerdict> {
  authorise(principal, 'ledger.verify');
  return verifyLedger(ctx.db, ctx.now());
}

export async function verifyLedger(db: Queryable, at: Date): Promise<LedgerVerdict> {
  const problems: LedgerProblem[] = [];
  const add = (found: LedgerProblem[]) => {
    for (const p of found) if (problems.length < PROBLEMS_MAX) problems.push(p);
  };

  const unbalanced = await db.query<{ journal_id: string; total: number }>(
    `SELECT journal_id, sum(amount_fen)::bigint AS total FROM ledger_postings
      GROUP BY journal_id HAVING sum(amount_fen) <> 0 ORDER BY journal_id LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    unbalanced.rows.map((r) => ({
      code: 'journal_unbalanced',
      journalId: r.journal_id,
      expectedFen: 0,
      actualFen: r.total,
      message: `Journal ${r.journal_id} sums to ${r.total} fen`,
    })),
  );

  const orphans = await db.query<{ journal_id: string }>(
    `SELECT DISTINCT p.journal_id FROM ledger_postings p
      WHERE NOT EXISTS (SELECT 1 FROM ledger_journals j WHERE j.id = p.journal_id) LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    orphans.rows.map((r) => ({
      code: 'posting_without_journal',
      journalId: r.journal_id,
      message: `Postings of journal ${r.journal_id}, which does not exist`,
    })),
  );

  // Each line against its transactions, recomputed with the run's window and cutoff.
  const lineChecks = await db.query<{
    id: string;
    merchant_no: string;
    net_fen: number;
    fee_fen: number;
    recomputed_net: number;
    recomputed_fee: number;
  }>(
    `WITH recomputed AS (
       SELECT l.id,
              COALESCE(sum(CASE WHEN t.type = 'purchase' THEN t.amount_fen ELSE -t.amount_fen END), 0)::bigint AS net
         FROM settlement_lines l
         JOIN settlement_runs r ON r.id = l.run_id
         LEFT JOIN transactions t ON t.merchant_no = l.merchant_no AND ${takenByRun('t', 'r')}
        GROUP BY l.id)
     SELECT l.id, l.merchant_no, l.net_fen, l.fee_fen, c.net AS recomputed_net,
            CASE WHEN c.net > 0 THEN (c.net * l.fee_rate_ppm + 500000) / 1000000 ELSE 0 END
              AS recomputed_fee
       FROM settlement_lines l JOIN recomputed c ON c.id = l.id
      WHERE l.net_fen <> c.net
         OR l.fee_fen <> CASE WHEN c.net > 0 THEN (c.net * l.fee_rate_ppm + 500000) / 1000000 ELSE 0 END
      LIMIT $1`,
    [PROBLEMS_MAX],
  );
  for (const r of lineChecks.rows) {
    if (r.net_fen !== r.recomputed_net) {
      add([
        {
          code: 'line_net_mismatch',
          lineId: r.id,
          merchantNo: r.merchant_no,
          expectedFen: r.recomputed_net,
          actualFen: r.net_fen,
          message: `Line ${r.id}: net ${r.net_fen} fen, its transactions say ${r.recomputed_net}`,
        },
      ]);
    } else {
      add([
        {
          code: 'line_fee_mismatch',
          lineId: r.id,
          merchantNo: r.merchant_no,
          expectedFen: r.recomputed_fee,
          actualFen: r.fee_fen,
          message: `Line ${r.id}: fee ${r.fee_fen} fen, its rate says ${r.recomputed_fee}`,
        },
      ]);
    }
  }

  // Per merchant: owed in the ledger = transactions − fees − paid (from lines and results).
  const payable = await db.query<{ merchant_no: string; owed: number; expected: number }>(
    `WITH ledger AS (
       SELECT merchant_no, -sum(amount_fen)::bigint AS owed FROM ledger_postings
        WHERE account IN ('merchant_payable', 'merchant_held', 'merchant_released', 'payout_in_flight')
        GROUP BY merchant_no),
     source AS (
       SELECT merchant_no, sum(expected)::bigint AS expected FROM (
         SELECT merchant_no,
                (sum(net_fen) - sum(fee_fen) - COALESCE(sum(amount_fen) FILTER (WHERE status = 'paid'), 0))::bigint AS expected
           FROM settlement_lines GROUP BY merchant_no
         UNION ALL
         -- Re-settled money owed again to the merchant (remediation, ADR 17).
         SELECT m.merchant_no, sum(m.amount_fen)::bigint FROM remediations m
          WHERE ${resettledStands('m')} GROUP BY m.merchant_no
         UNION ALL
         -- Money a recovery case passed through to the merchant, owed to it (ADR 17).
         SELECT pt.merchant_no, pt.fen FROM (${PASSED_THROUGH_BY_MERCHANT}) pt) s
        GROUP BY merchant_no)
     SELECT COALESCE(l.merchant_no, s.merchant_no) AS merchant_no, COALESCE(l.owed, 0) AS owed,
            COALESCE(s.expected, 0) AS expected
       FROM ledger l FULL JOIN source s ON s.merchant_no = l.merchant_no
      WHERE COALESCE(l.owed, 0) <> COALESCE(s.expected, 0)
      ORDER BY 1 LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    payable.rows.map((r) => ({
      code: 'merchant_payable_mismatch',
      merchantNo: r.merchant_no,
      expectedFen: r.expected,
      actualFen: r.owed,
      message: `Merchant ${r.merchant_no}: the ledger owes ${r.owed} fen, transactions less fees and payouts say ${r.expected}`,
    })),
  );

  // The ledger's state balances against the lines in each state.
  const states = await db.query<{
    merchant_no: string;
    account: string;
    ledger: number;
    lines: number;
  }>(
    `WITH ledger AS (
       SELECT merchant_no, account, -sum(amount_fen)::bigint AS fen FROM ledger_postings
        WHERE account IN ('merchant_held', 'merchant_released', 'payout_in_flight')
        GROUP BY merchant_no, account),
     source AS (
       SELECT merchant_no, 'payout_in_flight' AS account, sum(amount_fen)::bigint AS fen
         FROM settlement_lines WHERE status = 'ready' GROUP BY merchant_no
       UNION ALL
       SELECT merchant_no, 'merchant_held', sum(amount_fen)::bigint FROM settlement_lines
        WHERE status IN ('held', 'returned') AND release_id IS NULL GROUP BY merchant_no
       UNION ALL
       SELECT merchant_no, 'merchant_released', sum(amount_fen)::bigint FROM settlement_lines
        WHERE release_id IS NOT NULL AND absorbed_by IS NULL GROUP BY merchant_no
       UNION ALL
       -- Re-settled money not yet taken by a run waits as released money (ADR 17).
       SELECT m.merchant_no, 'merchant_released', sum(m.amount_fen)::bigint FROM remediations m
        WHERE ${resettledWaiting('m')} GROUP BY m.merchant_no
       UNION ALL
       -- Passed-through recovery money not yet taken by a run, likewise (ADR 17).
       SELECT pt.merchant_no, 'merchant_released', pt.fen
         FROM (${PASSED_THROUGH_WAITING_BY_MERCHANT}) pt),
     lines AS (
       SELECT merchant_no, account, sum(fen)::bigint AS fen FROM source
        GROUP BY merchant_no, account)
     SELECT COALESCE(l.merchant_no, s.merchant_no) AS merchant_no,
            COALESCE(l.account, s.account) AS account,
            COALESCE(l.fen, 0) AS ledger, COALESCE(s.fen, 0) AS lines
       FROM ledger l FULL JOIN lines s ON s.merchant_no = l.merchant_no AND s.account = l.account
      WHERE COALESCE(l.fen, 0) <> COALESCE(s.fen, 0)
      ORDER BY 1, 2 LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    states.rows.map((r) => ({
      code: 'state_mismatch',
      merchantNo: r.merchant_no,
      account: r.account,
      expectedFen: r.lines,
      actualFen: r.ledger,
      message: `Merchant ${r.merchant_no}: ${r.account} is ${r.ledger} fen in the ledger, ${r.lines} by its lines`,
    })),
  );

  const twice = await db.query<{ line_id: string; n: number }>(
    `SELECT line_id, count(*)::int AS n FROM (
       SELECT line_id, 'result' AS source FROM settlement_results WHERE status = 'paid'
       UNION ALL
       SELECT line_id, 'journal' FROM ledger_journals WHERE kind = 'paid') p
      GROUP BY line_id
     HAVING count(*) FILTER (WHERE source = 'result') > 1
         OR count(*) FILTER (WHERE source = 'journal') > 1
      LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    twice.rows.map((r) => ({
      code: 'line_paid_twice',
      lineId: r.line_id,
      message: `Line ${r.line_id} was paid more than once`,
    })),
  );
  const releasedPaid = await db.query<{ id: string; merchant_no: string }>(
    `SELECT id, merchant_no FROM settlement_lines
      WHERE (release_id IS NOT NULL AND status NOT IN ('held', 'returned'))
         OR (absorbed_by IS NOT NULL AND status <> 'carried' AND release_id IS NULL)
      LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    releasedPaid.rows.map((r) => ({
      code: 'released_money_paid',
      lineId: r.id,
      merchantNo: r.merchant_no,
      message: `Line ${r.id} was taken into a later line but is not held, returned or carried: its money would go out twice`,
    })),
  );

  // Every approved transaction is in some line once its date was run and a run of the
  // merchant's cycle came after it arrived: nothing is left in no line. (A merchant's cycle is
  // the one its lines were made under; a merchant with no line yet is not judged.)
  const unsettled = await db.query<{
    id: string;
    merchant_no: string;
    amount_fen: number;
    business_date: string;
  }>(
    `WITH merchant_cycles AS (
       SELECT DISTINCT l.merchant_no, r.cycle
         FROM settlement_lines l JOIN settlement_runs r ON r.id = l.run_id)
     SELECT t.id, t.merchant_no, t.amount_fen,
            to_char((t.occurred_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')
              AS business_date
       FROM transactions t
       JOIN merchant_cycles mc ON mc.merchant_no = t.merchant_no
      WHERE t.status = 'approved'
        AND EXISTS (SELECT 1 FROM settlement_runs r0
                     WHERE r0.cycle = mc.cycle AND r0.period_start <= t.occurred_at
                       AND t.occurred_at < r0.period_end)
        AND EXISTS (SELECT 1 FROM settlement_runs r1
                     WHERE r1.cycle = mc.cycle AND r1.cutoff_at >= t.received_at)
        AND NOT EXISTS (SELECT 1 FROM settlement_runs r
                          JOIN settlement_lines l ON l.run_id = r.id AND l.merchant_no = t.merchant_no
                         WHERE ${takenByRun('t', 'r')})
      ORDER BY t.occurred_at, t.id
      LIMIT $1`,
    [PROBLEMS_MAX],
  );
  add(
    unsettled.rows.map((r) => ({
      code: 'transaction_unsettled',
      merchantNo: r.merchant_no,
      expectedFen: r.amount_fen,
      message: `Transaction ${r.id} of merchant ${r.merchant_no} (${r.amount_fen} fen, business date ${r.business_date}) is in no settlement line although its date was run after it arrived`,
    })),
  );

  add(await verifyMicroDeposits(db, PROBLEMS_MAX));

  // Remediation: receivables per merchant and per recovery case, refunds owed (ADR 17).
  add(await verifyRemediationLedger(db, PROBLEMS_MAX));

  const totals = await db.query<{ account: string; fen: number }>(
    'SELECT account, sum(amount_fen)::bigint AS fen FROM ledger_postings GROUP BY account ORDER BY account',
  );
  const counts = await db.query<{ journals: number; postings: number; merchants: number }>(
    `SELECT (SELECT count(*)::int FROM ledger_journals) AS journals,
            (SELECT count(*)::int FROM ledger_postings) AS postings,
            (SELECT count(DISTINCT merchant_no)::int FROM settlement_lines) AS merchants`,
  );
  const c = counts.rows[0];
  return {
    balanced: problems.length === 0,
    checkedAt: at.toISOString(),
    journals: c?.journals ?? 0,
    postings: c?.postings ?? 0,
    merchants: c?.merchants ?? 0,
    totals: Object.fromEntries(totals.rows.map((r) => [r.account, r.fen])),
    problems,
  };
}
