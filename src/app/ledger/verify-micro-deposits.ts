/**
 * The ledger's micro-deposits against the deposits themselves (account_change_verifications):
 * each deposit sent in a payout file has its `micro_deposit` journal of its amount, each paid
 * one its `micro_deposit_paid`, each returned one its `micro_deposit_returned`, and none of a
 * deposit not sent (nor of a deposit that does not exist); the verification in-flight balance
 * is what was sent and neither paid nor returned, the verification expense what was sent and
 * not returned. Recomputed from the deposits, not from the ledger alone.
 */
import type { Queryable } from '../../storage/database.js';
import type { LedgerProblem } from './verify.js';

export async function verifyMicroDeposits(db: Queryable, limit: number): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const { rows: journals } = await db.query<{
    id: string;
    merchant_no: string;
    movement: string;
    expected: number;
    actual: number;
  }>(
    `WITH expected AS (
       SELECT v.id, v.merchant_no, m.movement,
              CASE WHEN m.movement = 'sent' AND v.sent_at IS NOT NULL THEN v.amount_fen
                   WHEN m.movement = 'paid' AND v.sent_at IS NOT NULL AND v.paid_at IS NOT NULL THEN v.amount_fen
                   WHEN m.movement = 'returned' AND v.sent_at IS NOT NULL AND v.returned_at IS NOT NULL THEN v.amount_fen
                   ELSE 0 END AS fen
         FROM account_change_verifications v
         CROSS JOIN (VALUES ('sent'), ('paid'), ('returned')) AS m(movement)
        WHERE v.method = 'micro_deposit'),
     actual AS (
       SELECT j.id, COALESCE(sum(p.amount_fen) FILTER (WHERE p.amount_fen > 0), 0)::bigint AS fen
         FROM ledger_journals j JOIN ledger_postings p ON p.journal_id = j.id
        WHERE j.kind IN ('micro_deposit', 'micro_deposit_paid', 'micro_deposit_returned')
        GROUP BY j.id)
     SELECT e.id, e.merchant_no, e.movement, e.fen AS expected, COALESCE(a.fen, 0) AS actual
       FROM expected e LEFT JOIN actual a ON a.id = 'microdeposit:' || e.id || ':' || e.movement
      WHERE e.fen <> COALESCE(a.fen, 0)
      ORDER BY e.id, e.movement LIMIT $1`,
    [limit],
  );
  for (const r of journals) {
    problems.push({
      code: 'micro_deposit_mismatch',
      merchantNo: r.merchant_no,
      journalId: `microdeposit:${r.id}:${r.movement}`,
      expectedFen: r.expected,
      actualFen: r.actual,
      message: `Micro-deposit ${r.id}: its ${r.movement} journal moves ${r.actual} fen, the deposit says ${r.expected}`,
    });
  }
  // A micro-deposit journal for no deposit that went out (made up, or of a deleted deposit).
  const { rows: strays } = await db.query<{ id: string; merchant_no: string | null }>(
    `SELECT j.id, j.merchant_no FROM ledger_journals j
      WHERE j.kind IN ('micro_deposit', 'micro_deposit_paid', 'micro_deposit_returned')
        AND NOT EXISTS (
          SELECT 1 FROM account_change_verifications v
           WHERE v.method = 'micro_deposit' AND v.sent_at IS NOT NULL
             AND j.id IN ('microdeposit:' || v.id || ':sent', 'microdeposit:' || v.id || ':paid',
                          'microdeposit:' || v.id || ':returned'))
      ORDER BY j.id LIMIT $1`,
    [limit],
  );
  for (const r of strays) {
    problems.push({
      code: 'micro_deposit_mismatch',
      journalId: r.id,
      ...(r.merchant_no ? { merchantNo: r.merchant_no } : {}),
      message: `Journal ${r.id} moves a micro-deposit that never went out in a payout file`,
    });
  }
  const { rows: balances } = await db.query<{
    account: string;
    ledger: number;
    deposits: number;
  }>(
    `WITH ledger AS (
       SELECT account, sum(amount_fen)::bigint AS fen FROM ledger_postings
        WHERE account IN ('verification_in_flight', 'verification_expense') GROUP BY account),
     deposits AS (
       SELECT 'verification_in_flight' AS account,
              -COALESCE(sum(amount_fen) FILTER (WHERE sent_at IS NOT NULL AND paid_at IS NULL
                AND returned_at IS NULL), 0)::bigint AS fen
         FROM account_change_verifications WHERE method = 'micro_deposit'
       UNION ALL
       SELECT 'verification_expense',
              COALESCE(sum(amount_fen) FILTER (WHERE sent_at IS NOT NULL AND returned_at IS NULL), 0)::bigint
         FROM account_change_verifications WHERE method = 'micro_deposit')
     SELECT d.account, COALESCE(l.fen, 0) AS ledger, d.fen AS deposits
       FROM deposits d LEFT JOIN ledger l ON l.account = d.account
      WHERE COALESCE(l.fen, 0) <> d.fen
      ORDER BY d.account`,
  );
  for (const r of balances) {
    problems.push({
      code: 'micro_deposit_mismatch',
      account: r.account,
      expectedFen: r.deposits,
      actualFen: r.ledger,
      message: `${r.account} is ${r.ledger} fen in the ledger, ${r.deposits} by the micro-deposits`,
    });
  }
  return problems.slice(0, limit);
}
