/**
 * Writes journals built by core/settlement/ledger.ts, many at once (one statement per table
 * whatever their number). A journal id recorded before is skipped with all its postings: a
 * movement is recorded once, however often it is asked for.
 */
import type { Queryable } from '../../storage/database.js';
import type { Journal } from '../../core/settlement/ledger.js';

export async function insertJournals(
  tx: Queryable,
  journals: readonly Journal[],
  options: { at: Date; actor: string },
): Promise<Set<string>> {
  const withPostings = journals.filter((j) => j.postings.length > 0);
  if (withPostings.length === 0) return new Set();
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ledger_journals (id, kind, merchant_no, run_id, line_id, at, actor)
     SELECT j.id, j.kind, j.merchant_no, j.run_id, j.line_id, $6::timestamptz, $7::text
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[])
         AS j (id, kind, merchant_no, run_id, line_id)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      withPostings.map((j) => j.id),
      withPostings.map((j) => j.kind),
      withPostings.map((j) => j.merchantNo),
      withPostings.map((j) => j.runId),
      withPostings.map((j) => j.lineId),
      options.at,
      options.actor,
    ],
  );
  const inserted = new Set(rows.map((r) => r.id));
  const postings = withPostings
    .filter((j) => inserted.has(j.id))
    .flatMap((j) =>
      j.postings.map((p, i) => ({ journalId: j.id, seq: i + 1, merchantNo: j.merchantNo, ...p })),
    );
  if (postings.length > 0) {
    await tx.query(
      `INSERT INTO ledger_postings (journal_id, seq, account, merchant_no, amount_fen)
       SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::bigint[])`,
      [
        postings.map((p) => p.journalId),
        postings.map((p) => p.seq),
        postings.map((p) => p.account),
        postings.map((p) => p.merchantNo),
        postings.map((p) => p.amountFen),
      ],
    );
  }
  return inserted;
}
