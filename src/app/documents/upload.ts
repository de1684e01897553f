/**
 * A merchant's document is uploaded: recognised by content (PNG, JPEG, WebP or PDF only), stored
 * content-addressed in the documents folder, then its row and audit entry written in one
 * transaction. Merchant users upload for their own merchants only (others are not found); staff
 * for any. The audit entry records the hash and the type, never the bytes.
 */
import { attachToOpenChange } from '../account-changes/request-change.js';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import {
  DOCUMENT_FILE_BYTES_MAX,
  DOCUMENT_TYPES,
  DOCUMENTS_PER_MERCHANT_MAX,
  documentContentType,
  type DocumentType,
} from '../../core/documents.js';
import { sanitiseFileName } from '../../core/evidence.js';
import type { Principal } from '../../core/roles.js';
import { findMerchant } from '../../storage/registry-repository.js';
import type { Queryable } from '../../storage/database.js';
import { EvidenceStore } from '../evidence/store.js';
import {
  DOCUMENT_COLUMNS,
  presentDocument,
  type DocumentRow,
  type MerchantDocument,
} from './rows.js';

export const DOCUMENT_ENTITY = 'merchant_document';

/**
 * The documents' file store: the `documents` folder inside the evidence folder, the same
 * content-addressed store with a root of its own, so that ID card images never end up in an
 * incident's evidence bundle and can be kept (and purged) on their own terms.
 */
export function documentStore(evidenceDir: string | null): EvidenceStore | null {
  return evidenceDir ? new EvidenceStore(path.join(evidenceDir, 'documents')) : null;
}

export function storeUnavailable(): DomainError {
  return new DomainError(
    'evidence_store_unavailable',
    'This server keeps no files: set SETTLEGUARD_EVIDENCE_DIR',
  );
}

/** The merchant as the principal may see it; unknown or outside the scope: not found. */
export async function merchantInScope(
  q: Queryable,
  principal: Principal,
  merchantNo: string,
): Promise<{ merchantNo: string }> {
  ensureInScope(principal, merchantNo, 'Merchant');
  if (!/^\d{15}$/.test(merchantNo)) throw new DomainError('not_found', 'Merchant not found');
  const merchant = await findMerchant(q, merchantNo);
  if (!merchant) throw new DomainError('not_found', 'Merchant not found');
  return { merchantNo: merchant.merchant_no };
}

export async function uploadDocument(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  input: { merchantNo: string; type: string; bytes: Buffer; fileName?: string },
): Promise<MerchantDocument> {
  authorise(principal, 'documents.upload');
  const merchant = await merchantInScope(ctx.db, principal, input.merchantNo);
  if (!(DOCUMENT_TYPES as readonly string[]).includes(input.type)) {
    throw new DomainError('validation_failed', 'Unknown document type', [
      issue('type', 'validation_failed', `One of ${DOCUMENT_TYPES.join(', ')}`),
    ]);
  }
  const type = input.type as DocumentType;
  if (!store) throw storeUnavailable();
  if (input.bytes.length === 0) {
    throw new DomainError('validation_failed', 'The file is empty', [
      issue('file', 'validation_failed', 'Send a file of at least one byte'),
    ]);
  }
  if (input.bytes.length > DOCUMENT_FILE_BYTES_MAX) {
    throw new DomainError(
      'payload_too_large',
      `A document may be at most ${DOCUMENT_FILE_BYTES_MAX} bytes`,
    );
  }
  const contentType = documentContentType(input.bytes);
  if (!contentType) {
    throw new DomainError(
      'unsupported_media_type',
      'Accepted documents are PNG, JPEG and WebP images and PDF, recognised by their content',
      [issue('file', 'unsupported_media_type', 'Not a PNG, JPEG, WebP or PDF')],
    );
  }
  const stored = await store.put(input.bytes);
  const at = ctx.now();
  const id = ctx.newId();
  const fileName = sanitiseFileName(input.fileName, contentType);
  const row = await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const count = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM merchant_documents WHERE merchant_no = $1',
      [merchant.merchantNo],
    );
    if ((count.rows[0]?.n ?? 0) >= DOCUMENTS_PER_MERCHANT_MAX) {
      throw new DomainError(
        'document_limit_reached',
        `A merchant may hold at most ${DOCUMENTS_PER_MERCHANT_MAX} documents`,
      );
    }
    const { rows } = await tx.query<DocumentRow>(
      `INSERT INTO merchant_documents (id, merchant_no, type, sha256, content_type, size_bytes,
         file_name, status, uploaded_by, uploaded_by_role, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending_review', $8, $9, $10)
       RETURNING ${DOCUMENT_COLUMNS}`,
      [
        id,
        merchant.merchantNo,
        type,
        stored.sha256,
        contentType,
        stored.sizeBytes,
        fileName,
        principal.username,
        principal.role,
        at,
      ],
    );
    const inserted = rows[0];
    if (!inserted) throw new Error('document row not returned');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'document.uploaded',
        entityType: DOCUMENT_ENTITY,
        entityId: id,
        merchantNo: merchant.merchantNo,
        after: {
          type,
          sha256: stored.sha256,
          contentType,
          sizeBytes: stored.sizeBytes,
          fileName,
          status: 'pending_review',
        },
      },
      at,
    );
    // Uploaded for a change in progress that needs it: attached to that change at once.
    const requestId = await attachToOpenChange(tx, {
      merchantNo: merchant.merchantNo,
      documentId: id,
      type,
      actor: principal.username,
      at,
    });
    if (requestId) {
      await recordAudit(
        tx,
        {
          actor: principal.username,
          action: 'account_change.documents_attached',
          entityType: 'account_change',
          entityId: requestId,
          merchantNo: merchant.merchantNo,
          after: { documentIds: [id], automatic: true },
        },
        at,
      );
    }
    return inserted;
  });
  return presentDocument(row, at, principal);
}
