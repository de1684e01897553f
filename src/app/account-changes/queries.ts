/**
 * Reading account changes: one, a merchant's, and the staff queue (keyset paged, newest
 * first), each with its documents, approvals and latest verification. Scoped: a merchant user
 * sees its own merchants' changes; anything else is not found.
 */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { stageOfStatus, type Status } from '../../core/account-changes/index.js';
import { businessDateOf } from '../../core/settlement/calendar.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';
import { UUID } from '../settlement/queries.js';
import {
  approvalsOf,
  attachedDocuments,
  findRequest,
  latestVerifications,
  REQUEST_COLUMNS,
  type RequestRow,
} from './store.js';
import { presentRequest, type PreviousAccount, type RequestBundle } from './view.js';
import { matchTestTransactions } from './verification.js';

export async function loadBundles(
  q: Queryable,
  rows: readonly RequestRow[],
): Promise<RequestBundle[]> {
  const ids = rows.map((r) => r.id);
  // One after the other: inside a transaction `q` is one connection, and the driver queues
  // concurrent queries on it only with a deprecation warning (an error from pg 9).
  const documents = await attachedDocuments(q, ids);
  const approvals = await approvalsOf(q, ids);
  const verifications = await latestVerifications(q, ids);
  const previousIds = [
    ...new Set(rows.map((r) => r.previous_account_id).filter((x) => x !== null)),
  ];
  const previous = new Map<string, PreviousAccount>();
  if (previousIds.length > 0) {
    const { rows: accounts } = await q.query<{
      account_id: string;
      account_number_masked: string;
      account_name: string;
    }>(
      `SELECT DISTINCT ON (account_id) account_id, account_number_masked, account_name
         FROM settlement_accounts WHERE account_id = ANY($1::uuid[])
        ORDER BY account_id, valid_from DESC, version_id DESC`,
      [previousIds],
    );
    for (const a of accounts) {
      previous.set(a.account_id, {
        accountId: a.account_id,
        accountNumberMasked: a.account_number_masked,
        accountName: a.account_name,
      });
    }
  }
  const merchantNos = [...new Set(rows.map((r) => r.merchant_no))];
  const { rows: merchants } = await q.query<{ merchant_no: string; name: string }>(
    'SELECT merchant_no, name FROM merchants WHERE merchant_no = ANY($1::text[]) AND valid_to IS NULL',
    [merchantNos],
  );
  const names = new Map(merchants.map((m) => [m.merchant_no, m.name]));
  return rows.map((row) => ({
    row,
    merchantName: names.get(row.merchant_no) ?? null,
    documents: documents.get(row.id) ?? [],
    approvals: approvals.get(row.id) ?? [],
    verification: verifications.get(row.id) ?? null,
    previous: row.previous_account_id ? (previous.get(row.previous_account_id) ?? null) : null,
  }));
}

export async function loadBundle(q: Queryable, id: string): Promise<RequestBundle | undefined> {
  const row = UUID.test(id) ? await findRequest(q, id) : undefined;
  if (!row) return undefined;
  const [bundle] = await loadBundles(q, [row]);
  return bundle;
}

export async function getAccountChange(
  ctx: AppContext,
  principal: Principal,
  id: string,
  options: { coolingOffHours: number },
) {
  authorise(principal, 'account_changes.read');
  let bundle = await loadBundle(ctx.db, id);
  if (!bundle) throw new DomainError('not_found', 'Account change not found');
  ensureInScope(principal, bundle.row.merchant_no, 'Account change');
  // A test transaction may have arrived since the job last looked: look now.
  if (bundle.verification?.status === 'awaiting_transaction') {
    const matched = await matchTestTransactions(ctx, { ...options, requestId: bundle.row.id });
    if (matched > 0) bundle = (await loadBundle(ctx.db, id)) ?? bundle;
  }
  return presentRequest(bundle, principal, ctx.now());
}

/** The SQL condition "a required document is missing" on `r`, with today at `$param`. */
function missingSql(param: string): string {
  return `EXISTS (SELECT 1 FROM unnest(r.required_documents) AS t(type)
    WHERE NOT EXISTS (
      SELECT 1 FROM account_change_documents a JOIN merchant_documents d ON d.id = a.document_id
       WHERE a.request_id = r.id AND d.type = t.type
         AND d.status IN ('accepted', 'pending_review')
         AND (d.expires_on IS NULL OR d.expires_on >= ${param}::date)))`;
}

export async function listAccountChanges(
  ctx: AppContext,
  principal: Principal,
  query: { status?: Status; merchantNo?: string; limit?: number; cursor?: string },
) {
  authorise(principal, 'account_changes.read');
  const scope = merchantScope(principal);
  if (query.merchantNo && scope && !scope.includes(query.merchantNo)) {
    return { items: [] };
  }
  const limit = pageLimit(query.limit);
  const cursor = decodeTimeCursor(query.cursor);
  const now = ctx.now();
  const params: unknown[] = [
    cursor?.at ?? null,
    cursor?.id ?? null,
    limit + 1,
    businessDateOf(now),
  ];
  const where: string[] = [
    '($1::timestamptz IS NULL OR (r.requested_at, r.id) < ($1::timestamptz, $2::uuid))',
  ];
  if (query.status) {
    const { stage, missing } = stageOfStatus(query.status);
    params.push(stage);
    where.push(`r.status = $${params.length}`);
    if (missing === true) where.push(missingSql('$4'));
    if (missing === false) where.push(`NOT ${missingSql('$4')}`);
  }
  if (query.merchantNo) {
    params.push(query.merchantNo);
    where.push(`r.merchant_no = $${params.length}`);
  }
  if (scope) {
    params.push([...scope]);
    where.push(`r.merchant_no = ANY($${params.length}::text[])`);
  }
  const { rows } = await ctx.db.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS.split(',')
      .map((c) => `r.${c.trim()}`)
      .join(', ')}
       FROM account_change_requests r
      WHERE ${where.join(' AND ')} AND $4::date IS NOT NULL
      ORDER BY r.requested_at DESC, r.id DESC LIMIT $3`,
    params,
  );
  const bundles = await loadBundles(ctx.db, rows.slice(0, limit));
  const page = timePage(
    rows,
    limit,
    (r) => ({ at: r.requested_at, id: r.id }),
    (r) => r.id,
  );
  const byId = new Map(bundles.map((b) => [b.row.id, b]));
  return {
    items: page.items.flatMap((id) => {
      const b = byId.get(id);
      return b ? [presentRequest(b, principal, now)] : [];
    }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export async function listMerchantAccountChanges(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
  query: { limit?: number; cursor?: string },
) {
  authorise(principal, 'account_changes.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  return listAccountChanges(ctx, principal, { ...query, merchantNo });
}
