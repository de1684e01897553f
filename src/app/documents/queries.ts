/**
 * Reads of merchant documents: a merchant's documents, the staff's queue (by status, merchant,
 * type and expiry, keyset paged), one document, and its file. Metadata is for every staff role
 * and for merchant users of the merchant; the file (ID card images) only for those who check
 * documents and for the merchant's own users. Reading a file is audited.
 */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError } from '../../core/errors.js';
import {
  addDays,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  DOCUMENTS_PER_MERCHANT_MAX,
  EXPIRING_WITHIN_DAYS_MAX,
  type DocumentStatus,
  type DocumentType,
} from '../../core/documents.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';
import { EvidenceFileAltered, type EvidenceStore } from '../evidence/store.js';
import {
  DOCUMENT_COLUMNS,
  presentDocument,
  todayInChina,
  type DocumentRow,
  type MerchantDocument,
} from './rows.js';
import { DOCUMENT_ENTITY, merchantInScope, storeUnavailable } from './upload.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listMerchantDocuments(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
): Promise<{ items: MerchantDocument[] }> {
  authorise(principal, 'documents.read');
  const merchant = await merchantInScope(ctx.db, principal, merchantNo);
  const { rows } = await ctx.db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM merchant_documents WHERE merchant_no = $1
      ORDER BY uploaded_at, id LIMIT ${DOCUMENTS_PER_MERCHANT_MAX}`,
    [merchant.merchantNo],
  );
  const now = ctx.now();
  return { items: rows.map((row) => presentDocument(row, now, principal)) };
}

export interface DocumentQueueQuery {
  status?: DocumentStatus;
  merchantNo?: string;
  type?: DocumentType;
  /** Documents whose validity ends within this many days from today (expired ones included). */
  expiringWithinDays?: number;
  limit?: number;
  cursor?: string;
}

/** The queue, newest upload first. Merchant users see their own merchants' documents only. */
export async function listDocuments(
  ctx: AppContext,
  principal: Principal,
  query: DocumentQueueQuery,
): Promise<{ items: MerchantDocument[]; nextCursor?: string }> {
  authorise(principal, 'documents.read');
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scope = merchantScope(principal);
  if (scope) where.push(`merchant_no = ANY(${add([...scope])}::text[])`);
  if (query.merchantNo !== undefined) where.push(`merchant_no = ${add(query.merchantNo)}`);
  if (query.status !== undefined) {
    if (!(DOCUMENT_STATUSES as readonly string[]).includes(query.status)) {
      throw new DomainError('validation_failed', 'Unknown status');
    }
    where.push(`status = ${add(query.status)}`);
  }
  if (query.type !== undefined) {
    if (!(DOCUMENT_TYPES as readonly string[]).includes(query.type)) {
      throw new DomainError('validation_failed', 'Unknown document type');
    }
    where.push(`type = ${add(query.type)}`);
  }
  const now = ctx.now();
  if (query.expiringWithinDays !== undefined) {
    const days = query.expiringWithinDays;
    if (!Number.isInteger(days) || days < 0 || days > EXPIRING_WITHIN_DAYS_MAX) {
      throw new DomainError(
        'validation_failed',
        `expiringWithinDays is 0 to ${EXPIRING_WITHIN_DAYS_MAX}`,
      );
    }
    where.push(
      `expires_on IS NOT NULL AND expires_on <= ${add(addDays(todayInChina(now), days))}::date`,
    );
  }
  const cursor = decodeTimeCursor(query.cursor);
  if (cursor) {
    if (!UUID.test(cursor.id)) throw new DomainError('validation_failed', 'Invalid cursor');
    where.push(`(uploaded_at, id) < (${add(cursor.at)}::timestamptz, ${add(cursor.id)}::uuid)`);
  }
  const limit = pageLimit(query.limit);
  const { rows } = await ctx.db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM merchant_documents
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY uploaded_at DESC, id DESC LIMIT ${limit + 1}`,
    params,
  );
  return timePage(
    rows,
    limit,
    (row) => ({ at: row.uploaded_at, id: row.id }),
    (row) => presentDocument(row, now, principal),
  );
}

/** One row, or not found (unknown, or outside a merchant user's scope). */
export async function documentRowInScope(
  q: Queryable,
  principal: Principal,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DocumentRow> {
  if (!UUID.test(id)) throw new DomainError('not_found', 'Document not found');
  const { rows } = await q.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM merchant_documents WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Document not found');
  ensureInScope(principal, row.merchant_no, 'Document');
  return row;
}

export async function getDocument(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<MerchantDocument> {
  authorise(principal, 'documents.read');
  const row = await documentRowInScope(ctx.db, principal, id);
  return presentDocument(row, ctx.now(), principal);
}

/**
 * The document's bytes, hashed again before they are served: a file missing from the store or
 * changed on disk is not served. Each reading is audited (who looked at an ID card, when).
 */
export async function documentFile(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  id: string,
): Promise<{ document: MerchantDocument; bytes: Buffer }> {
  authorise(principal, 'documents.file');
  const row = await documentRowInScope(ctx.db, principal, id);
  if (!store) throw storeUnavailable();
  let bytes: Buffer | null;
  try {
    bytes = await store.read(row.sha256);
  } catch (error) {
    if (!(error instanceof EvidenceFileAltered)) throw error;
    throw new DomainError(
      'evidence_file_unavailable',
      `The file of document ${row.id} no longer matches its SHA-256`,
    );
  }
  if (!bytes) {
    throw new DomainError(
      'evidence_file_unavailable',
      `The file of document ${row.id} is missing from the store`,
    );
  }
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'document.file_read',
        entityType: DOCUMENT_ENTITY,
        entityId: row.id,
        merchantNo: row.merchant_no,
        after: { type: row.type, sha256: row.sha256 },
      },
      at,
    );
  });
  return { document: presentDocument(row, at, principal), bytes };
}
