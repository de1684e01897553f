/**
 * The rows of `merchant_documents` and their outward shape. A merchant user sees the acquirer's
 * people as `acquirer`; the fingerprints kept in `fields` for matching never leave the server.
 */
import { chinaDate } from '../../core/case-file.js';
import {
  isExpired,
  presentFields,
  type Comparison,
  type DocumentContentType,
  type DocumentStatus,
  type DocumentType,
  type StoredFields,
} from '../../core/documents.js';
import type { Principal } from '../../core/roles.js';
import { ACQUIRER_ACTOR } from '../incidents/queries.js';

export interface DocumentRow {
  id: string;
  merchant_no: string;
  type: DocumentType;
  sha256: string;
  content_type: DocumentContentType;
  size_bytes: number;
  file_name: string;
  status: DocumentStatus;
  uploaded_by: string;
  uploaded_by_role: string;
  uploaded_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  fields: StoredFields;
  comparisons: Comparison[];
  /** `YYYY-MM-DD`, read as text so no time zone moves it. */
  expires_on: string | null;
}

export const DOCUMENT_COLUMNS = `id, merchant_no, type, sha256, content_type, size_bytes,
  file_name, status, uploaded_by, uploaded_by_role, uploaded_at, reviewed_by, reviewed_at,
  review_note, fields, comparisons, expires_on::text AS expires_on`;

export interface MerchantDocument {
  id: string;
  merchantNo: string;
  type: DocumentType;
  sha256: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  fileName: string;
  status: DocumentStatus;
  uploadedBy: string;
  uploadedAt: string;
  review: { by: string; at: string; note: string | null } | null;
  fields: ReturnType<typeof presentFields>;
  comparisons: Comparison[];
  expiresOn: string | null;
  expired: boolean;
}

/** Today in China, `YYYY-MM-DD`: the day documents expire by. */
export function todayInChina(now: Date): string {
  return chinaDate(now);
}

export function presentDocument(row: DocumentRow, now: Date, viewer?: Principal): MerchantDocument {
  const merchantView = viewer?.role === 'merchant';
  const uploadedBy =
    merchantView && row.uploaded_by_role !== 'merchant' ? ACQUIRER_ACTOR : row.uploaded_by;
  return {
    id: row.id,
    merchantNo: row.merchant_no,
    type: row.type,
    sha256: row.sha256,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    fileName: row.file_name,
    status: row.status,
    uploadedBy,
    uploadedAt: row.uploaded_at.toISOString(),
    review:
      row.reviewed_at && row.reviewed_by
        ? {
            // Reviewers are the acquirer's approvers and admins.
            by: merchantView ? ACQUIRER_ACTOR : row.reviewed_by,
            at: row.reviewed_at.toISOString(),
            note: row.review_note,
          }
        : null,
    fields: presentFields(row.fields),
    comparisons: row.comparisons,
    expiresOn: row.expires_on,
    expired: isExpired(row.expires_on, todayInChina(now)),
  };
}
