/**
 * Making whole after an incident (issue 6): the payments it affected, what is done for each
 * (re-settle, recover, refund, re-transaction), the recovery case against the wrong account's
 * holder, cardholder refunds, and the contact log with its message templates. Kept apart from
 * endpoints.ts and types.ts so that the screens of issue 6 can be added without touching the
 * lines others edit at the same time.
 */
import { request } from './client';
import type { LocalizedText } from './types';

export const AFFECTED_KINDS = [
  'settled_to_wrong_account',
  'payout_returned',
  'customer_saw_failure',
] as const;
export type AffectedKind = (typeof AFFECTED_KINDS)[number];

export const REMEDIATION_ACTIONS = ['resettle', 'recover', 'refund', 'retransaction'] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

export const REMEDIATION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

/** A payment the incident touched, and what is being done about it (if anything yet). */
export interface AffectedTransaction {
  kind: AffectedKind;
  /** The kind in both languages, as the server names it. */
  kindName?: LocalizedText;
  transactionId?: string | null;
  lineId?: string | null;
  merchantNo: string;
  terminalId?: string | null;
  amountFen: number;
  occurredAt: string;
  rrn?: string | null;
  stan?: string | null;
  panMasked?: string | null;
  accountNumberMasked?: string | null;
  lineStatus?: string | null;
  /** A returned payout whose money was released again (to be paid in a later run). */
  released?: boolean;
  remediation: { id: string; action: RemediationAction; status: RemediationStatus } | null;
  /** Remediations of the payment when it has more than one (recover and resettle, say). */
  remediations?: { id: string; action: RemediationAction; status: RemediationStatus }[];
}

export interface AffectedTotal {
  count: number;
  amountFen: number;
}

export interface AffectedTransactions {
  items: AffectedTransaction[];
  /** Count and amount per kind and overall (all of them, even beyond the items listed). */
  totals?: Partial<Record<AffectedKind | 'all', AffectedTotal>> & {
    remediated?: number;
    unremediated?: number;
  };
}

/** One change to a remediation: who, when, and what changed. */
export interface RemediationUpdate {
  at: string;
  by: string;
  status?: RemediationStatus | null;
  owner?: string | null;
  dueDate?: string | null;
  note?: string | null;
}

/** A cardholder refund tied to the original payment's RRN and voucher number (STAN). */
export interface Refund {
  id: string;
  remediationId?: string | null;
  transactionId: string | null;
  rrn: string | null;
  stan: string | null;
  panMasked: string | null;
  amountFen: number;
  status: string;
  paidAt?: string | null;
  paidBy?: string | null;
  bankReference?: string | null;
  createdAt?: string;
}

export interface Remediation {
  id: string;
  incidentId: string;
  merchantNo?: string;
  kind?: AffectedKind;
  transactionId: string | null;
  lineId: string | null;
  action: RemediationAction;
  status: RemediationStatus;
  /** Absent for merchant users: the acquirer's staff are not named to them. */
  owner?: string | null;
  dueDate: string | null;
  note?: string | null;
  amountFen?: number | null;
  rrn?: string | null;
  stan?: string | null;
  panMasked?: string | null;
  /** The account the money went to, for a payment settled to the wrong account. */
  accountNumberMasked?: string | null;
  /** resettle: the settlement line that took the money. */
  settledInLineId?: string | null;
  createdBy?: string;
  createdAt: string;
  updatedAt?: string;
  /** Open or in progress without an owner or a due date: resolving is refused. */
  unassigned?: boolean;
  overdue?: boolean;
  updates?: RemediationUpdate[];
  refund?: Refund | null;
  recoveryCaseId?: string | null;
  retransactionId?: string | null;
}

export interface RecoveryReceipt {
  id: string;
  amountFen: number;
  /** The part beyond what was advanced: the merchant's own money, paid in its next run. */
  passedThroughFen?: number;
  reference: string;
  recordedBy?: string;
  recordedAt: string;
}

/** What the wrong account's holder owes back, what came back and what was written off. */
export const RECOVERY_CASE_STATUSES = ['open', 'recovered', 'written_off'] as const;

export interface RecoveryCase {
  id: string;
  incidentId: string;
  merchantNo?: string;
  status: string;
  remediationIds?: string[];
  closedAt?: string | null;
  accountNumberMasked?: string | null;
  accountName?: string | null;
  /** Claimed from the wrong holder: what was advanced on each payment, else the payment. */
  amountFen: number;
  /** What the acquirer advanced (re-settled or refunded) on the case's payments. */
  advancedFen?: number;
  recoveredFen: number;
  /** Of what was recovered, the part beyond the advance, passed on to the merchant. */
  passedThroughFen?: number;
  writtenOffFen: number;
  /** Advanced and not yet paid back or written off: what a write-off would write off. */
  receivableFen?: number;
  /** Open: amount − recovered − written off; 0 once closed. */
  outstandingFen: number;
  /** Closed: the part of the claim never advanced, neither received nor written off. */
  abandonedFen?: number;
  receipts: RecoveryReceipt[];
  writeOff?: { reason: string; amountFen: number; by?: string; at: string } | null;
  createdAt?: string;
}

export const CONTACT_PARTIES = ['customer', 'partner', 'merchant', 'bank'] as const;
export type ContactParty = (typeof CONTACT_PARTIES)[number];

export const CONTACT_CHANNELS = [
  'phone',
  'sms',
  'email',
  'wechat',
  'visit',
  'letter',
  'other',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface Contact {
  id: string;
  incidentId: string;
  party: ContactParty;
  partyName: string | null;
  channel: ContactChannel;
  summary: string;
  outcome: string | null;
  templateId: string | null;
  createdBy: string;
  createdAt: string;
}

/** A Chinese message filled from the incident, to send as it is or adapt. */
export interface MessageTemplate {
  id: string;
  party: ContactParty;
  title: LocalizedText;
  text: string;
}

export interface CreateRemediationInput {
  transactionId?: string | undefined;
  lineId?: string | undefined;
  action: RemediationAction;
  owner?: string | undefined;
  /** YYYY-MM-DD. */
  dueDate?: string | undefined;
  note?: string | undefined;
  /** A resettlement or refund of less than the whole payment (default: all of it). */
  amountFen?: number | undefined;
}

export interface UpdateRemediationInput {
  owner?: string | undefined;
  dueDate?: string | undefined;
  status?: RemediationStatus | undefined;
  note?: string | undefined;
  retransactionId?: string | undefined;
}

export interface ContactInput {
  party: ContactParty;
  partyName?: string | undefined;
  channel: ContactChannel;
  summary: string;
  outcome?: string | undefined;
  templateId?: string | undefined;
}

/** The body without its undefined and empty-string fields (optional inputs left blank). */
function withoutEmpty(body: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== undefined && value !== ''),
  );
}

const incidentRoute = (id: string, rest: string) => `/incidents/${encodeURIComponent(id)}/${rest}`;

export const remediationApi = {
  affected: (incidentId: string, signal?: AbortSignal) =>
    request<AffectedTransactions>(incidentRoute(incidentId, 'affected-transactions'), { signal }),
  list: (incidentId: string, signal?: AbortSignal) =>
    request<{ items: Remediation[] }>(incidentRoute(incidentId, 'remediations'), { signal }),
  create: (incidentId: string, input: CreateRemediationInput) =>
    request<Remediation>(incidentRoute(incidentId, 'remediations'), {
      method: 'POST',
      body: withoutEmpty(input),
    }),
  update: (remediationId: string, input: UpdateRemediationInput) =>
    request<Remediation>(`/remediations/${encodeURIComponent(remediationId)}`, {
      method: 'POST',
      body: withoutEmpty(input),
    }),
  recoveryCases: (incidentId: string, signal?: AbortSignal) =>
    request<{ items: RecoveryCase[] }>(incidentRoute(incidentId, 'recovery-cases'), { signal }),
  receipt: (caseId: string, input: { amountFen: number; reference: string }) =>
    request<RecoveryCase>(`/recovery-cases/${encodeURIComponent(caseId)}/receipts`, {
      method: 'POST',
      body: input,
    }),
  writeOff: (caseId: string, reason: string) =>
    request<RecoveryCase>(`/recovery-cases/${encodeURIComponent(caseId)}/write-off`, {
      method: 'POST',
      body: { reason },
    }),
  /** Records that a refund reached the cardholder (admin, ops); the remediation is then done. */
  refundPaid: (remediationId: string, bankReference: string) =>
    request<Remediation>(`/remediations/${encodeURIComponent(remediationId)}/refund-paid`, {
      method: 'POST',
      body: { bankReference },
    }),
};

export const contactApi = {
  list: (incidentId: string, signal?: AbortSignal) =>
    request<{ items: Contact[] }>(incidentRoute(incidentId, 'contacts'), { signal }),
  log: (incidentId: string, input: ContactInput) =>
    request<Contact>(incidentRoute(incidentId, 'contacts'), {
      method: 'POST',
      body: withoutEmpty(input),
    }),
  templates: (incidentId: string, signal?: AbortSignal) =>
    request<{ items: MessageTemplate[] }>(incidentRoute(incidentId, 'message-templates'), {
      signal,
    }),
};
