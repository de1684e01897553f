/**
 * The ledger checks of remediation (called by app/ledger/verify.ts), recomputed from the
 * remediation tables:
 * - per merchant, misrouted_receivable = re-settled + refunded − recovered − written off
 *   (remediations whose journal stands, receipts less what they passed through to the
 *   merchant, write-offs);
 * - per merchant, cardholder_refund_payable = refunds not yet paid;
 * - per recovery case, the receivable on its journals (the advances of the payments it claims,
 *   its receipts, its write-off) = advanced − (recovered − passed through) − written off, and
 *   never below zero;
 * - per receipt, what its journal credited to merchant_released = what it passed through;
 * - every movement the tables record has its journal.
 */
import type { Queryable } from '../../storage/database.js';
import type { LedgerProblem } from '../ledger/verify.js';
import { advanceStands, resettledStands } from './ledger-sql.js';

export async function verifyRemediationLedger(
  db: Queryable,
  max: number,
): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];

  const receivable = await db.query<{ merchant_no: string; ledger: number; expected: number }>(
    `WITH ledger AS (
       SELECT merchant_no, sum(amount_fen)::bigint AS fen FROM ledger_postings
        WHERE account = 'misrouted_receivable' GROUP BY merchant_no),
     source AS (
       SELECT merchant_no, sum(fen)::bigint AS fen FROM (
         SELECT m.merchant_no, m.amount_fen AS fen FROM remediations m
          WHERE ${advanceStands('m')}
         UNION ALL
         SELECT c.merchant_no, -r.amount_fen FROM recovery_receipts r
           JOIN recovery_cases c ON c.id = r.case_id
         UNION ALL
         -- What a receipt passed through went to the merchant, not against the receivable.
         SELECT c.merchant_no, p.amount_fen FROM recovery_passthroughs p
           JOIN recovery_cases c ON c.id = p.case_id
         UNION ALL
         SELECT c.merchant_no, -c.written_off_fen FROM recovery_cases c
          WHERE c.written_off_fen > 0) s
        GROUP BY merchant_no)
     SELECT COALESCE(l.merchant_no, s.merchant_no) AS merchant_no,
            COALESCE(l.fen, 0) AS ledger, COALESCE(s.fen, 0) AS expected
       FROM ledger l FULL JOIN source s ON s.merchant_no = l.merchant_no
      WHERE COALESCE(l.fen, 0) <> COALESCE(s.fen, 0)
      ORDER BY 1 LIMIT $1`,
    [max],
  );
  for (const r of receivable.rows) {
    problems.push({
      code: 'receivable_mismatch',
      merchantNo: r.merchant_no,
      account: 'misrouted_receivable',
      expectedFen: r.expected,
      actualFen: r.ledger,
      message: `Merchant ${r.merchant_no}: misrouted_receivable is ${r.ledger} fen in the ledger; re-settled + refunded − recovered (less passed through) − written off say ${r.expected}`,
    });
  }

  const refunds = await db.query<{ merchant_no: string; ledger: number; expected: number }>(
    `WITH ledger AS (
       SELECT merchant_no, -sum(amount_fen)::bigint AS fen FROM ledger_postings
        WHERE account = 'cardholder_refund_payable' GROUP BY merchant_no),
     source AS (
       SELECT merchant_no, sum(amount_fen)::bigint AS fen FROM cardholder_refunds
        WHERE status = 'pending' GROUP BY merchant_no)
     SELECT COALESCE(l.merchant_no, s.merchant_no) AS merchant_no,
            COALESCE(l.fen, 0) AS ledger, COALESCE(s.fen, 0) AS expected
       FROM ledger l FULL JOIN source s ON s.merchant_no = l.merchant_no
      WHERE COALESCE(l.fen, 0) <> COALESCE(s.fen, 0)
      ORDER BY 1 LIMIT $1`,
    [max],
  );
  for (const r of refunds.rows) {
    problems.push({
      code: 'refund_payable_mismatch',
      merchantNo: r.merchant_no,
      account: 'cardholder_refund_payable',
      expectedFen: r.expected,
      actualFen: r.ledger,
      message: `Merchant ${r.merchant_no}: cardholder refunds payable are ${r.ledger} fen in the ledger, ${r.expected} by the refunds not yet paid`,
    });
  }

  // Per case: the journals that belong to it are the advances of the payments it claims (a
  // standing recover remediation on the same payment), its receipts and its write-off.
  const cases = await db.query<{
    id: string;
    merchant_no: string;
    ledger: number;
    expected: number;
  }>(
    `WITH claimed AS (
       SELECT c.id AS case_id, m.transaction_id, m.line_id
         FROM recovery_cases c
         JOIN remediations m ON m.recovery_case_id = c.id AND m.action = 'recover'
          AND m.status <> 'cancelled'),
     advances AS (
       SELECT cl.case_id, a.journal_id, a.amount_fen FROM claimed cl
         JOIN remediations a ON ${advanceStands('a')}
          AND (a.transaction_id = cl.transaction_id OR a.line_id = cl.line_id)),
     case_journals AS (
       SELECT case_id, journal_id FROM advances
       UNION ALL
       SELECT c.id, lj.id FROM recovery_cases c
         JOIN ledger_journals lj ON lj.id LIKE 'recovery:' || c.id || ':%'),
     ledger AS (
       SELECT cj.case_id, sum(p.amount_fen)::bigint AS fen
         FROM case_journals cj JOIN ledger_postings p ON p.journal_id = cj.journal_id
        WHERE p.account = 'misrouted_receivable' GROUP BY cj.case_id),
     expected AS (
       SELECT c.id AS case_id, c.merchant_no,
              (COALESCE((SELECT sum(amount_fen) FROM advances a WHERE a.case_id = c.id), 0)
               - COALESCE((SELECT sum(amount_fen) FROM recovery_receipts r WHERE r.case_id = c.id), 0)
               + COALESCE((SELECT sum(amount_fen) FROM recovery_passthroughs p
                            WHERE p.case_id = c.id), 0)
               - c.written_off_fen)::bigint AS fen
         FROM recovery_cases c)
     SELECT e.case_id AS id, e.merchant_no, COALESCE(l.fen, 0) AS ledger, e.fen AS expected
       FROM expected e LEFT JOIN ledger l ON l.case_id = e.case_id
      WHERE COALESCE(l.fen, 0) <> e.fen OR e.fen < 0
      ORDER BY 1 LIMIT $1`,
    [max],
  );
  for (const r of cases.rows) {
    problems.push({
      code: 'recovery_case_mismatch',
      merchantNo: r.merchant_no,
      account: 'misrouted_receivable',
      expectedFen: r.expected,
      actualFen: r.ledger,
      message:
        r.expected < 0
          ? `Recovery case ${r.id}: more was paid back against its receivable than was advanced (${r.expected} fen)`
          : `Recovery case ${r.id}: its receivable is ${r.ledger} fen in the ledger; advanced − recovered (less passed through) − written off say ${r.expected}`,
    });
  }

  // Per receipt: what its journal credited to merchant_released is what it passed through.
  const passed = await db.query<{
    id: string;
    merchant_no: string;
    ledger: number;
    expected: number;
  }>(
    `SELECT r.id, c.merchant_no,
            COALESCE((SELECT -sum(p.amount_fen) FROM ledger_postings p
                       WHERE p.journal_id = 'recovery:' || r.case_id || ':' || r.n
                         AND p.account = 'merchant_released'), 0)::bigint AS ledger,
            COALESCE(pt.amount_fen, 0)::bigint AS expected
       FROM recovery_receipts r
       JOIN recovery_cases c ON c.id = r.case_id
       LEFT JOIN recovery_passthroughs pt ON pt.receipt_id = r.id
      WHERE COALESCE((SELECT -sum(p.amount_fen) FROM ledger_postings p
                       WHERE p.journal_id = 'recovery:' || r.case_id || ':' || r.n
                         AND p.account = 'merchant_released'), 0)
            <> COALESCE(pt.amount_fen, 0)
      ORDER BY 1 LIMIT $1`,
    [max],
  );
  for (const r of passed.rows) {
    problems.push({
      code: 'recovery_case_mismatch',
      merchantNo: r.merchant_no,
      account: 'merchant_released',
      expectedFen: r.expected,
      actualFen: r.ledger,
      message: `Recovery receipt ${r.id}: its journal passed ${r.ledger} fen to the merchant; the receipt says ${r.expected}`,
    });
  }

  // Every movement recorded in the tables has its journal.
  const missing = await db.query<{ journal_id: string; merchant_no: string }>(
    `WITH wanted AS (
       SELECT m.journal_id, m.merchant_no FROM remediations m WHERE m.journal_id IS NOT NULL
       UNION ALL
       SELECT m.reversal_journal_id, m.merchant_no FROM remediations m
        WHERE m.reversal_journal_id IS NOT NULL
       UNION ALL
       SELECT 'remediation:' || f.remediation_id || ':refund_paid', f.merchant_no
         FROM cardholder_refunds f WHERE f.status = 'paid'
       UNION ALL
       SELECT 'recovery:' || r.case_id || ':' || r.n, c.merchant_no
         FROM recovery_receipts r JOIN recovery_cases c ON c.id = r.case_id
       UNION ALL
       SELECT 'recovery:' || c.id || ':write_off', c.merchant_no FROM recovery_cases c
        WHERE c.written_off_fen > 0
       UNION ALL
       -- A re-settlement that stands must have been posted: resettle of a settled payment.
       SELECT 'remediation:' || m.id || ':resettle', m.merchant_no FROM remediations m
        WHERE m.action = 'resettle' AND m.kind = 'settled_to_wrong_account'
          AND m.status <> 'cancelled' AND NOT ${resettledStands('m')})
     SELECT w.journal_id, w.merchant_no FROM wanted w
      WHERE NOT EXISTS (SELECT 1 FROM ledger_journals j WHERE j.id = w.journal_id)
      ORDER BY 1 LIMIT $1`,
    [max],
  );
  for (const r of missing.rows) {
    problems.push({
      code: 'remediation_journal_missing',
      journalId: r.journal_id,
      merchantNo: r.merchant_no,
      message: `Journal ${r.journal_id} of a remediation movement is not in the ledger`,
    });
  }
  return problems;
}
