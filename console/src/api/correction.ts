/**
 * Merchant documents and settlement-account changes (issue 6): the shapes the console reads
 * from `/api/v1/documents…` and `/api/v1/account-changes…`, and the calls that read and change
 * them. Kept apart from types.ts and endpoints.ts so that the screens of the correction work
 * can grow without touching what other screens share.
 */
import { download, request } from './client';
import { PAGE_SIZE, uploadForm } from './endpoints';
import type { AccountType, LocalizedText, Page } from './types';

export const DOCUMENT_TYPES = [
  'business_license',
  'legal_person_id_front',
  'legal_person_id_back',
  'account_opening_permit',
  'bank_card',
  'settlement_authorization',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['pending_review', 'accepted', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const COMPARISON_RESULTS = ['match', 'mismatch', 'expired', 'not_checked'] as const;
export type ComparisonResult = (typeof COMPARISON_RESULTS)[number];

/** What a reviewer read off a document; ID and account numbers come back masked. */
export interface DocumentFields {
  licenseNumber?: string | null;
  /** Masked by the server (the number itself is only kept as a fingerprint). */
  idNumber?: string | null;
  idNumberMasked?: string | null;
  holderName?: string | null;
  /** Masked by the server. */
  accountNumber?: string | null;
  accountNumberMasked?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
}

/** One field of a document compared with the registry when it was reviewed. */
export interface DocumentComparison {
  field: string;
  result: ComparisonResult;
  message: LocalizedText;
}

export interface MerchantDocument {
  id: string;
  merchantNo: string;
  type: DocumentType;
  sha256: string;
  contentType: string;
  sizeBytes: number;
  fileName: string;
  status: DocumentStatus;
  /** A staff member's name for staff; `acquirer` for a merchant user when staff uploaded. */
  uploadedBy: string;
  uploadedAt: string;
  review: { by: string; at: string; note: string | null } | null;
  fields: DocumentFields;
  comparisons: DocumentComparison[];
  expiresOn: string | null;
  expired: boolean;
}

/** What a reviewer sends: the result, the reason (required to reject) and what was read. */
export interface DocumentReviewInput {
  result: 'accepted' | 'rejected';
  note?: string | undefined;
  fields?: ReviewFields | undefined;
}

/** The fields a reviewer types in: numbers in full, once; the server keeps them sealed. */
export interface ReviewFields {
  licenseNumber?: string | undefined;
  idNumber?: string | undefined;
  holderName?: string | undefined;
  accountNumber?: string | undefined;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
}

export const ACCOUNT_CHANGE_STATUSES = [
  'pending_documents',
  'pending_approval',
  'pending_verification',
  'completed',
  'rejected',
  'locked',
  'cancelled',
] as const;
export type AccountChangeStatus = (typeof ACCOUNT_CHANGE_STATUSES)[number];

/** Statuses from which nothing more happens to a request. */
export const FINAL_ACCOUNT_CHANGE_STATUSES: readonly AccountChangeStatus[] = [
  'completed',
  'rejected',
  'locked',
  'cancelled',
];

export const CHECK_RESULTS = ['pass', 'warn', 'fail'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export interface AccountChangeCheck {
  code: string;
  result: CheckResult;
  message: LocalizedText;
}

export const VERIFICATION_METHODS = ['micro_deposit', 'test_transaction'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_STATUSES = [
  'awaiting_file',
  'sent',
  'paid',
  'returned',
  'awaiting_transaction',
  'matched',
  'confirmed',
  'locked',
  'cancelled',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export interface AccountChangeVerification {
  method: VerificationMethod;
  status: VerificationStatus;
  attemptsLeft: number;
  startedAt: string;
  /** When the micro-deposit went out in a payout file. */
  sentAt?: string | null;
  runId?: string | null;
  terminalId?: string | null;
  /** Test transaction only: the amount to key in on the terminal. */
  amountToKeyFen?: number | null;
}

export const CONSENT_CHANNELS = ['signed_form', 'phone_recorded', 'merchant_console'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const ACCOUNT_CHANGE_ACTIONS = [
  'approve',
  'reject',
  'cancel',
  'attach_documents',
  'record_consent',
  'start_verification',
  'confirm',
] as const;
export type AccountChangeAction = (typeof ACCOUNT_CHANGE_ACTIONS)[number];

/** A document as a change request lists it: what it is and where its review stands. */
export interface AttachedDocument {
  id: string;
  type: DocumentType;
  status: DocumentStatus;
  fileName?: string;
  uploadedAt?: string;
  reviewedAt?: string | null;
  /** The reviewer's note (the reason of a rejection). */
  reviewNote?: string | null;
  expiresOn?: string | null;
  expired?: boolean;
}

export interface AccountChange {
  id: string;
  merchantNo: string;
  /** Absent from the queue's rows on some servers: the merchant number is shown instead. */
  merchantName?: string | null;
  incidentId: string | null;
  status: AccountChangeStatus;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  account: {
    accountNumberMasked: string;
    accountName: string;
    accountType: AccountType;
    bankName: string | null;
    bankCode: string | null;
  };
  previousAccount: { accountId: string; accountNumberMasked: string; accountName: string } | null;
  checks: AccountChangeCheck[];
  highRisk: boolean;
  riskReasons: string[];
  /** Document types still missing (none attached that is accepted or awaiting review, unexpired). */
  requiredDocuments: DocumentType[];
  /** Every document type the change needs, missing or not (by merchant and account type). */
  documentsNeeded?: DocumentType[];
  documents: AttachedDocument[];
  consent: {
    channel: ConsentChannel;
    reference: string | null;
    recordedBy: string;
    recordedAt: string;
  } | null;
  approvals: { by: string; at: string; note: string | null }[];
  approvalsNeeded: number;
  rejection: { by: string; at: string; reason: string } | null;
  cancellation?: { by: string; at: string; reason: string } | null;
  verification: AccountChangeVerification | null;
  completedAt: string | null;
  newAccountId: string | null;
  allowedActions: AccountChangeAction[];
  /** Why approving would be refused to the caller now (four_eyes_violation…), or null. */
  approveBlockedBy?: string | null;
}

export interface AccountChangeInput {
  accountNumber: string;
  accountName: string;
  accountType: AccountType;
  bankCode?: string | undefined;
  reason: string;
  incidentId?: string | undefined;
  documentIds?: string[] | undefined;
  consent?: { channel: ConsentChannel; reference?: string | undefined } | undefined;
}

export interface MicroDepositConfirmation {
  matched: boolean;
  attemptsLeft: number;
  status: AccountChangeStatus;
}

export interface DocumentFilter {
  status?: DocumentStatus | undefined;
  type?: DocumentType | undefined;
  merchantNo?: string | undefined;
  expiringWithinDays?: number | undefined;
}

export interface AccountChangeFilter {
  status?: AccountChangeStatus | undefined;
  merchantNo?: string | undefined;
}

/** Largest document the console offers to send; the server has the same limit. */
export const DOCUMENT_FILE_BYTES_MAX = 10 * 1024 * 1024;

const documentRoute = (id: string, rest = '') =>
  `/documents/${encodeURIComponent(id)}${rest === '' ? '' : `/${rest}`}`;
const changeRoute = (id: string, rest = '') =>
  `/account-changes/${encodeURIComponent(id)}${rest === '' ? '' : `/${rest}`}`;
const merchantRoute = (merchantNo: string, rest: string) =>
  `/merchants/${encodeURIComponent(merchantNo)}/${rest}`;

/** The body without its undefined and empty-string fields (optional inputs left blank). */
function withoutEmpty<T extends object>(body: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<T>;
}

export const documentApi = {
  /** The staff queue: documents by status, merchant, or expiring within some days. */
  queue: (filter: DocumentFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<MerchantDocument>>('/documents', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  ofMerchant: (merchantNo: string, signal?: AbortSignal) =>
    request<{ items: MerchantDocument[] }>(merchantRoute(merchantNo, 'documents'), { signal }),
  get: (id: string, signal?: AbortSignal) =>
    request<MerchantDocument>(documentRoute(id), { signal }),
  /** The file itself (an ID card, say): not for support or auditors; the server decides. */
  file: (id: string, fallbackName: string) => download(documentRoute(id, 'file'), fallbackName),
  upload: (merchantNo: string, type: DocumentType, file: File) => {
    const form = new FormData();
    // The type first: a streaming parser reads fields in order and the file is the big part.
    form.append('type', type);
    form.append('file', file, file.name);
    return uploadForm<MerchantDocument>(merchantRoute(merchantNo, 'documents'), form);
  },
  review: (id: string, input: DocumentReviewInput) =>
    request<MerchantDocument>(documentRoute(id, 'review'), {
      method: 'POST',
      body: withoutEmpty({
        ...input,
        fields:
          input.fields === undefined || Object.keys(withoutEmpty(input.fields)).length === 0
            ? undefined
            : withoutEmpty(input.fields),
      }),
    }),
};

export const accountChangeApi = {
  queue: (filter: AccountChangeFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<AccountChange>>('/account-changes', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  ofMerchant: (merchantNo: string, signal?: AbortSignal) =>
    request<Page<AccountChange>>(merchantRoute(merchantNo, 'account-changes'), { signal }),
  get: (id: string, signal?: AbortSignal) => request<AccountChange>(changeRoute(id), { signal }),
  request: (merchantNo: string, input: AccountChangeInput) =>
    request<AccountChange>(merchantRoute(merchantNo, 'account-changes'), {
      method: 'POST',
      body: withoutEmpty(input),
    }),
  attachDocuments: (id: string, documentIds: string[]) =>
    request<AccountChange>(changeRoute(id, 'documents'), {
      method: 'POST',
      body: { documentIds },
    }),
  recordConsent: (id: string, channel: ConsentChannel, reference: string | undefined) =>
    request<AccountChange>(changeRoute(id, 'consent'), {
      method: 'POST',
      body: withoutEmpty({ channel, reference }),
    }),
  approve: (id: string, note: string | undefined) =>
    request<AccountChange>(changeRoute(id, 'approve'), {
      method: 'POST',
      body: withoutEmpty({ note }),
    }),
  reject: (id: string, reason: string) =>
    request<AccountChange>(changeRoute(id, 'reject'), { method: 'POST', body: { reason } }),
  cancel: (id: string, reason: string) =>
    request<AccountChange>(changeRoute(id, 'cancel'), { method: 'POST', body: { reason } }),
  startVerification: (id: string, method: VerificationMethod, terminalId?: string) =>
    request<AccountChange>(changeRoute(id, 'verification'), {
      method: 'POST',
      body: withoutEmpty({ method, terminalId }),
    }),
  confirm: (id: string, amountFen: number) =>
    request<MicroDepositConfirmation>(changeRoute(id, 'verification/confirm'), {
      method: 'POST',
      body: { amountFen },
    }),
};
