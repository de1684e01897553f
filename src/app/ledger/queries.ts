/** A merchant's ledger postings, newest first (the merchant page's ledger view). */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import type { Principal } from '../../core/roles.js';
import { DomainError } from '../../core/errors.js';
import { pageLimit } from '../pagination.js';
import { LEDGER_ACCOUNTS, type LedgerAccount } from '../../core/settlement/ledger.js';

interface PostingRow {
  journal_id: string;
  seq: number;
  kind: string;
  at: Date;
  actor: string;
  account: LedgerAccount;
  amount_fen: number;
  run_id: string | null;
  line_id: string | null;
  n: number;
}

function encode(n: number): string {
  return Buffer.from(String(n), 'utf8').toString('base64url');
}

function decode(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,15}$/.test(text)) throw new DomainError('validation_failed', 'Invalid cursor');
  return Number(text);
}

export async function listMerchantPostings(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
  query: { limit?: number; cursor?: string },
) {
  authorise(principal, 'ledger.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  const limit = pageLimit(query.limit);
  const offset = decode(query.cursor) ?? 0;
  // Offset paging: a merchant has a few postings a day, and postings never change or vanish,
  // so an offset names the same rows on every read except that new ones come in on top.
  const { rows } = await ctx.db.query<PostingRow>(
    `SELECT p.journal_id, p.seq, j.kind, j.at, j.actor, p.account, p.amount_fen, j.run_id, j.line_id
       FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
      WHERE p.merchant_no = $1
      ORDER BY j.at DESC, p.journal_id DESC, p.seq
      OFFSET $2 LIMIT $3`,
    [merchantNo, offset, limit + 1],
  );
  const items = rows.slice(0, limit).map((row) => ({
    journalId: row.journal_id,
    seq: row.seq,
    kind: row.kind,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    account: row.account,
    accountName: { zh: LEDGER_ACCOUNTS[row.account].zh, en: LEDGER_ACCOUNTS[row.account].en },
    /** Positive: debit; negative: credit. */
    amountFen: row.amount_fen,
    runId: row.run_id,
    lineId: row.line_id,
  }));
  return rows.length > limit ? { items, nextCursor: encode(offset + limit) } : { items };
}
