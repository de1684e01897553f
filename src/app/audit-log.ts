/**
 * Reading the audit trail: entries in the order they were written (by sequence number), filtered
 * by merchant, entity, action or actor, a page at a time. What an entry holds before and after
 * is what was recorded: masked presentations, never a full number (ARCHITECTURE.md).
 */
import type { AppContext } from './context.js';
import { authorise } from './context.js';
import { DomainError, issue } from '../core/errors.js';
import type { Principal } from '../core/roles.js';
import { pageLimit } from './pagination.js';

export interface AuditQuery {
  merchantNo?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  /** The previous page's `nextCursor`: entries after the last one shown. */
  cursor?: string;
  limit?: number;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  merchantNo: string | null;
  before: unknown;
  after: unknown;
}

interface Row {
  seq: string | number;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  merchant_no: string | null;
  before: unknown;
  after: unknown;
}

export const AUDIT_FILTER_LENGTH_MAX = 100;

export async function listAuditEntries(
  ctx: AppContext,
  principal: Principal,
  query: AuditQuery,
): Promise<{ items: AuditEntryView[]; nextCursor?: string }> {
  authorise(principal, 'audit.read');
  const filters: [keyof AuditQuery, string][] = [
    ['merchantNo', 'merchant_no'],
    ['entityType', 'entity_type'],
    ['entityId', 'entity_id'],
    ['action', 'action'],
    ['actor', 'actor'],
  ];
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [key, column] of filters) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || value.length > AUDIT_FILTER_LENGTH_MAX) {
      throw new DomainError('validation_failed', `${key} is too long`, [
        issue(key, 'validation_failed', `At most ${AUDIT_FILTER_LENGTH_MAX} characters`),
      ]);
    }
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  let afterSeq = 0;
  if (query.cursor !== undefined && query.cursor !== '') {
    if (!/^[0-9]{1,15}$/.test(query.cursor))
      throw new DomainError('validation_failed', 'Invalid cursor');
    afterSeq = Number(query.cursor);
  }
  params.push(afterSeq);
  where.push(`seq > $${params.length}`);
  const limit = pageLimit(query.limit);
  params.push(limit + 1);
  const { rows } = await ctx.db.query<Row>(
    `SELECT seq, at, actor, action, entity_type, entity_id, merchant_no, before, after
       FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit).map((r): AuditEntryView => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    merchantNo: r.merchant_no,
    before: r.before,
    after: r.after,
  }));
  const last = page.at(-1);
  return rows.length > limit && last
    ? { items: page, nextCursor: String(last.seq) }
    : { items: page };
}
