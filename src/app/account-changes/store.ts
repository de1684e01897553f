/**
 * SQL of account changes: the request row, its attached documents, approvals and
 * verifications. Thin: the rules are in core/account-changes.
 */
import type { Queryable } from '../../storage/database.js';
import type {
  AttachedDocument,
  ConsentChannel,
  Stage,
  VerificationMethod,
  VerificationStatus,
} from '../../core/account-changes/index.js';
import type { AccountCheck } from '../../core/account-changes/checks.js';
import type { RiskReason } from '../../core/account-changes/risk.js';
import type { NameCheck } from '../../core/registry-validation.js';

export interface RequestRow {
  id: string;
  merchant_no: string;
  incident_id: string | null;
  status: Stage;
  reason: string;
  account_fp: string;
  account_number_masked: string;
  account_name: string;
  account_type: 'corporate' | 'personal';
  bank_code: string | null;
  bank_name: string | null;
  name_check: NameCheck;
  warnings: { path: string; code: string; message: string }[];
  checks: AccountCheck[];
  required_documents: string[];
  high_risk: boolean;
  risk_reasons: RiskReason[];
  approvals_needed: number;
  previous_account_id: string | null;
  requested_by: string;
  requested_by_role: string;
  requested_at: Date;
  consent_channel: ConsentChannel | null;
  consent_reference: string | null;
  consent_recorded_by: string | null;
  consent_recorded_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  attempts_left: number;
  verified_at: Date | null;
  locked_at: Date | null;
  new_account_id: string | null;
  completed_at: Date | null;
  updated_at: Date;
}

export const REQUEST_COLUMNS = `id, merchant_no, incident_id, status, reason, account_fp,
  account_number_masked, account_name, account_type, bank_code, bank_name, name_check, warnings,
  checks, required_documents, high_risk, risk_reasons, approvals_needed, previous_account_id,
  requested_by, requested_by_role, requested_at, consent_channel, consent_reference,
  consent_recorded_by, consent_recorded_at, rejected_by, rejected_at, rejection_reason,
  cancelled_by, cancelled_at, cancel_reason, attempts_left, verified_at, locked_at,
  new_account_id, completed_at, updated_at`;

export async function findRequest(
  q: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<RequestRow | undefined> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM account_change_requests WHERE id = $1${
      options.forUpdate ? ' FOR UPDATE' : ''
    }`,
    [id],
  );
  return rows[0];
}

export interface DocumentRow extends AttachedDocument {
  id: string;
  merchantNo: string;
  fileName: string;
  uploadedAt: Date;
  reviewedAt: Date | null;
  reviewNote: string | null;
  requestId: string;
}

/** The documents attached to each request, oldest first. */
export async function attachedDocuments(
  q: Queryable,
  requestIds: readonly string[],
): Promise<Map<string, DocumentRow[]>> {
  const out = new Map<string, DocumentRow[]>();
  if (requestIds.length === 0) return out;
  const { rows } = await q.query<{
    request_id: string;
    id: string;
    merchant_no: string;
    type: string;
    status: DocumentRow['status'];
    file_name: string;
    uploaded_at: Date;
    reviewed_at: Date | null;
    review_note: string | null;
    expires_on: string | null;
  }>(
    `SELECT a.request_id, d.id, d.merchant_no, d.type, d.status, d.file_name, d.uploaded_at,
            d.reviewed_at, d.review_note, d.expires_on::text AS expires_on
       FROM account_change_documents a JOIN merchant_documents d ON d.id = a.document_id
      WHERE a.request_id = ANY($1::uuid[])
      ORDER BY a.attached_at, d.uploaded_at, d.id`,
    [[...requestIds]],
  );
  for (const r of rows) {
    const list = out.get(r.request_id) ?? [];
    list.push({
      requestId: r.request_id,
      id: r.id,
      merchantNo: r.merchant_no,
      type: r.type,
      status: r.status,
      fileName: r.file_name,
      uploadedAt: r.uploaded_at,
      reviewedAt: r.reviewed_at,
      reviewNote: r.review_note,
      expiresOn: r.expires_on,
    });
    out.set(r.request_id, list);
  }
  return out;
}

export interface ApprovalRow {
  request_id: string;
  approver: string;
  at: Date;
  note: string | null;
}

export async function approvalsOf(
  q: Queryable,
  requestIds: readonly string[],
): Promise<Map<string, ApprovalRow[]>> {
  const out = new Map<string, ApprovalRow[]>();
  if (requestIds.length === 0) return out;
  const { rows } = await q.query<ApprovalRow>(
    `SELECT request_id, approver, at, note FROM account_change_approvals
      WHERE request_id = ANY($1::uuid[]) ORDER BY at, approver`,
    [[...requestIds]],
  );
  for (const r of rows) out.set(r.request_id, [...(out.get(r.request_id) ?? []), r]);
  return out;
}

export interface VerificationRow {
  id: string;
  request_id: string;
  merchant_no: string;
  method: VerificationMethod;
  status: VerificationStatus;
  amount_fen: number;
  terminal_id: string | null;
  run_id: string | null;
  sent_at: Date | null;
  paid_at: Date | null;
  returned_at: Date | null;
  return_code: string | null;
  matched_transaction_id: string | null;
  matched_at: Date | null;
  confirmed_at: Date | null;
  started_by: string;
  started_at: Date;
}

export const VERIFICATION_COLUMNS = `id, request_id, merchant_no, method, status, amount_fen,
  terminal_id, run_id, sent_at, paid_at, returned_at, return_code, matched_transaction_id,
  matched_at, confirmed_at, started_by, started_at`;

/**
 * The latest verification of each request: the one running, if any (there is at most one),
 * else the last started.
 */
export async function latestVerifications(
  q: Queryable,
  requestIds: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, VerificationRow>> {
  const out = new Map<string, VerificationRow>();
  if (requestIds.length === 0) return out;
  const { rows } = await q.query<VerificationRow>(
    `SELECT ${VERIFICATION_COLUMNS} FROM account_change_verifications
      WHERE request_id = ANY($1::uuid[])
      ORDER BY started_at, status NOT IN ('returned', 'cancelled'), id${
        options.forUpdate ? ' FOR UPDATE' : ''
      }`,
    [[...requestIds]],
  );
  for (const r of rows) out.set(r.request_id, r);
  return out;
}

/** The merchant's open incident (drills aside), if any. */
export async function openIncidentOf(q: Queryable, merchantNo: string): Promise<string | null> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM incidents
      WHERE merchant_no = $1 AND status NOT IN ('resolved', 'closed') AND NOT drill LIMIT 1`,
    [merchantNo],
  );
  return rows[0]?.id ?? null;
}
