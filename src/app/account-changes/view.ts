/**
 * The outward shape of an account change (the console builds on it): masked numbers only, the
 * status shown (pending_documents computed from the attached documents), the documents still
 * needed, and the actions the caller may take. For merchant users, staff appear as `acquirer`
 * and the reuse of the account by another merchant is left out.
 */
import type { Principal } from '../../core/roles.js';
import {
  allowedActions,
  approvalRefusal,
  displayStatus,
  documentExpired,
  missingDocuments,
  unacceptedDocuments,
  type RequestFacts,
} from '../../core/account-changes/index.js';
import { businessDateOf } from '../../core/settlement/calendar.js';
import type { ApprovalRow, DocumentRow, RequestRow, VerificationRow } from './store.js';

export interface PreviousAccount {
  accountId: string;
  accountNumberMasked: string;
  accountName: string;
}

export interface RequestBundle {
  row: RequestRow;
  documents: DocumentRow[];
  approvals: ApprovalRow[];
  verification: VerificationRow | null;
  previous: PreviousAccount | null;
  /** The merchant's current registered name, for queues that list many merchants. */
  merchantName: string | null;
}

export function factsOf(bundle: RequestBundle, today: string): RequestFacts {
  const { row } = bundle;
  return {
    stage: row.status,
    requestedBy: row.requested_by,
    approvals: bundle.approvals.map((a) => ({ by: a.approver })),
    approvalsNeeded: row.approvals_needed,
    unacceptedDocuments: unacceptedDocuments(row.required_documents, bundle.documents, today),
    consentRecorded: row.consent_recorded_at !== null,
    attemptsLeft: row.attempts_left,
    verification: bundle.verification
      ? { method: bundle.verification.method, status: bundle.verification.status }
      : null,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentRequest(bundle: RequestBundle, principal: Principal, now: Date) {
  const { row, verification } = bundle;
  const today = businessDateOf(now);
  const merchantView = principal.role === 'merchant';
  const who = (username: string | null, staff = true) =>
    username === null ? null : merchantView && staff ? 'acquirer' : username;
  const requestedByStaff = row.requested_by_role !== 'merchant';
  const missing = missingDocuments(row.required_documents, bundle.documents, today);
  const facts = factsOf(bundle, today);
  const caller = { username: principal.username, role: principal.role };
  const riskReasons = merchantView
    ? row.risk_reasons.filter((r) => r !== 'account_used_by_other_merchant')
    : row.risk_reasons;
  const approveBlockedBy = approvalRefusal(facts, caller);
  return {
    id: row.id,
    merchantNo: row.merchant_no,
    merchantName: bundle.merchantName,
    incidentId: row.incident_id,
    status: displayStatus(row.status, missing),
    reason: row.reason,
    requestedBy: who(row.requested_by, requestedByStaff) ?? '',
    requestedAt: row.requested_at.toISOString(),
    account: {
      accountNumberMasked: row.account_number_masked,
      accountName: row.account_name,
      accountType: row.account_type,
      bankName: row.bank_name,
      bankCode: row.bank_code,
    },
    previousAccount: bundle.previous,
    nameCheck: row.name_check,
    checks: merchantView ? row.checks.filter((c) => c.code !== 'account_reuse') : row.checks,
    highRisk: merchantView ? riskReasons.length > 0 : row.high_risk,
    riskReasons,
    requiredDocuments: missing,
    documentsNeeded: row.required_documents,
    documents: bundle.documents.map((d) => ({
      id: d.id,
      type: d.type,
      status: d.status,
      fileName: d.fileName,
      uploadedAt: d.uploadedAt.toISOString(),
      reviewedAt: iso(d.reviewedAt),
      reviewNote: d.reviewNote,
      expiresOn: d.expiresOn,
      expired: documentExpired(d.expiresOn, today),
    })),
    consent: row.consent_channel
      ? {
          channel: row.consent_channel,
          reference: row.consent_reference,
          recordedBy:
            who(row.consent_recorded_by, row.consent_channel !== 'merchant_console') ?? '',
          recordedAt: iso(row.consent_recorded_at) ?? '',
        }
      : null,
    approvals: bundle.approvals.map((a) => ({
      by: who(a.approver) ?? '',
      at: a.at.toISOString(),
      note: merchantView ? null : a.note,
    })),
    approvalsNeeded: row.approvals_needed,
    rejection:
      row.rejected_at && row.rejected_by
        ? {
            by: who(row.rejected_by) ?? '',
            at: row.rejected_at.toISOString(),
            reason: row.rejection_reason ?? '',
          }
        : null,
    cancellation:
      row.cancelled_at && row.cancelled_by
        ? {
            by:
              who(row.cancelled_by, row.cancelled_by !== row.requested_by || requestedByStaff) ??
              '',
            at: row.cancelled_at.toISOString(),
            reason: row.cancel_reason ?? '',
          }
        : null,
    verification: verification
      ? {
          id: verification.id,
          method: verification.method,
          status: verification.status,
          attemptsLeft: row.attempts_left,
          startedAt: verification.started_at.toISOString(),
          sentAt: iso(verification.sent_at),
          runId: verification.run_id,
          terminalId: verification.terminal_id,
          // The amount of a micro-deposit is the secret the merchant proves it received: never
          // shown. A test transaction's amount is what the merchant must key in.
          amountToKeyFen:
            verification.method === 'test_transaction' ? verification.amount_fen : null,
        }
      : null,
    verifiedAt: iso(row.verified_at),
    lockedAt: iso(row.locked_at),
    completedAt: iso(row.completed_at),
    newAccountId: row.new_account_id,
    allowedActions: allowedActions(facts, caller),
    approveBlockedBy:
      approveBlockedBy === null || approveBlockedBy === 'forbidden' ? null : approveBlockedBy,
  };
}

export type AccountChangeView = ReturnType<typeof presentRequest>;
