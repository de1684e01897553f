import { ApiError, download, request, requestWithStatus } from './client';
import type {
  Alert,
  CaseFileSubmission,
  ConsoleNotification,
  CreatedWebhook,
  EscalationPolicy,
  EvidenceItem,
  EvidenceVerification,
  IncidentSeverity,
  IncidentStats,
  IncidentStatus,
  RootCauseCategory,
  Webhook,
  WebhookDelivery,
  HeldByReason,
  LedgerEntry,
  LedgerVerification,
  LineStatus,
  SettlementBalance,
  SettlementCycle,
  SettlementLine,
  SettlementRelease,
  SettlementResultInput,
  SettlementResultsResponse,
  SettlementRun,
  SettlementRunWithLines,
  IncidentDetail,
  IncidentSummary,
  MerchantDetail,
  MerchantSummary,
  Page,
  Session,
  SettlementAccountVersion,
  TerminalSummary,
  Transaction,
} from './types';

/** Page size of the console's lists; the server accepts up to 500. */
export const PAGE_SIZE = 50;

export const sessionApi = {
  current: (signal?: AbortSignal) =>
    request<Session>('/session', { signal, expectUnauthenticated: true }),
  login: (username: string, password: string) =>
    request<Session>('/session', {
      method: 'POST',
      body: { username, password },
      expectUnauthenticated: true,
    }),
  logout: () => request<undefined>('/session', { method: 'DELETE', expectUnauthenticated: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<undefined>('/session/password', {
      method: 'POST',
      body: { currentPassword, newPassword },
    }),
};

export interface MerchantFilter {
  q?: string | undefined;
  type?: string | undefined;
  status?: string | undefined;
}

export interface TerminalFilter {
  q?: string | undefined;
  merchantNo?: string | undefined;
  status?: string | undefined;
}

export const merchantApi = {
  list: (filter: MerchantFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<MerchantSummary>>('/merchants', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  get: (merchantNo: string, signal?: AbortSignal) =>
    request<MerchantDetail>(`/merchants/${encodeURIComponent(merchantNo)}`, { signal }),
  accountHistory: (merchantNo: string, signal?: AbortSignal) =>
    request<Page<SettlementAccountVersion>>(
      `/merchants/${encodeURIComponent(merchantNo)}/settlement-accounts`,
      { signal },
    ),
};

export const terminalApi = {
  list: (filter: TerminalFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<TerminalSummary>>('/terminals', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  /** Stops (`suspend`) or allows again (`resume`) transactions on a terminal (admin, risk). */
  changeStatus: (terminalId: string, action: 'suspend' | 'resume', reason: string) =>
    request<TerminalSummary>(`/terminals/${encodeURIComponent(terminalId)}/${action}`, {
      method: 'POST',
      body: { reason },
    }),
};

export interface AlertFilter {
  merchantNo?: string | undefined;
  rule?: string | undefined;
  severity?: string | undefined;
  /** RFC 3339: only alerts raised at or after this time. */
  since?: string | undefined;
}

export const alertApi = {
  list: (
    filter: AlertFilter,
    cursor: string | undefined,
    signal?: AbortSignal,
    limit: number = PAGE_SIZE,
  ) =>
    request<Page<Alert>>('/alerts', {
      query: { ...filter, limit, cursor },
      signal,
    }),
};

export interface IncidentFilter {
  merchantNo?: string | undefined;
  status?: string | undefined;
  severity?: string | undefined;
  assignee?: string | undefined;
  /** RFC 3339: only incidents opened before this time (older than an age). */
  openedBefore?: string | undefined;
  openedAfter?: string | undefined;
  /** Only incidents still being worked (not resolved or closed). */
  active?: 'true' | undefined;
  /** `true` drills only, `all` both; absent or `false`, real incidents only. */
  drill?: 'true' | 'false' | 'all' | undefined;
  ackOverdue?: 'true' | undefined;
}

const incidentRoute = (id: string, rest = '') =>
  `/incidents/${encodeURIComponent(id)}${rest === '' ? '' : `/${rest}`}`;

/** What a transition may carry besides its target. */
export interface TransitionInput {
  to: IncidentStatus;
  note?: string | undefined;
  heldMoneyPlan?: string | undefined;
}

export const incidentApi = {
  list: (filter: IncidentFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<IncidentSummary>>('/incidents', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  get: (id: string, signal?: AbortSignal) => request<IncidentDetail>(incidentRoute(id), { signal }),
  stats: (signal?: AbortSignal) => request<IncidentStats>('/incidents/stats', { signal }),
  acknowledge: (id: string) =>
    request<IncidentDetail>(incidentRoute(id, 'acknowledge'), { method: 'POST', body: {} }),
  assign: (id: string, username: string) =>
    request<IncidentDetail>(incidentRoute(id, 'assign'), { method: 'POST', body: { username } }),
  comment: (id: string, text: string) =>
    request<IncidentDetail>(incidentRoute(id, 'comment'), { method: 'POST', body: { text } }),
  transition: (id: string, input: TransitionInput) =>
    request<IncidentDetail>(incidentRoute(id, 'transition'), {
      method: 'POST',
      body: withoutEmpty({ ...input }),
    }),
  rootCause: (
    id: string,
    input: { category: RootCauseCategory; detail: string; operator?: string | undefined },
  ) =>
    request<IncidentDetail>(incidentRoute(id, 'root-cause'), {
      method: 'POST',
      body: withoutEmpty({ ...input }),
    }),
  postMortem: (id: string, input: { summary: string; lessons: string[] }) =>
    request<IncidentDetail>(incidentRoute(id, 'post-mortem'), { method: 'POST', body: input }),
  severity: (id: string, severity: IncidentSeverity, reason: string) =>
    request<IncidentDetail>(incidentRoute(id, 'severity'), {
      method: 'POST',
      body: { severity, reason },
    }),
};

/** The body without its undefined and empty-string fields (optional inputs left blank). */
function withoutEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/** Largest evidence file the console offers to send; the server has its own limit. */
export const EVIDENCE_FILE_BYTES_MAX = 10 * 1024 * 1024;
const UPLOAD_TIMEOUT_MS = 120_000;

/**
 * Sends a multipart form (an evidence file) with the session cookie. A refusal is an ApiError
 * with the server's code, as for JSON calls.
 */
async function upload<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error' });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem = (body ?? {}) as { code?: unknown; detail?: string; title?: string };
    throw new ApiError({
      status: response.status,
      code: typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
      detail: problem.detail ?? problem.title,
    });
  }
  if (body === undefined) throw new ApiError({ status: response.status, code: 'bad_response' });
  return body as T;
}

export type CaseFileFormat = 'pdf' | 'json';

export const evidenceApi = {
  list: (incidentId: string, signal?: AbortSignal) =>
    request<Page<EvidenceItem>>(incidentRoute(incidentId, 'evidence'), { signal }),
  add: (incidentId: string, file: File, note: string) => {
    const form = new FormData();
    // The note first: a streaming parser reads fields in order and the file is the big part.
    if (note !== '') form.append('note', note);
    form.append('file', file, file.name);
    return upload<EvidenceItem>(incidentRoute(incidentId, 'evidence'), form);
  },
  /** The offline-checkable bundle: files named by hash, manifest, SHA256SUMS (a tar). */
  bundle: (incidentId: string) =>
    download(incidentRoute(incidentId, 'evidence/export'), `evidence-${incidentId}.tar`),
  verify: (incidentId: string, signal?: AbortSignal) =>
    request<EvidenceVerification>(incidentRoute(incidentId, 'evidence/verify'), { signal }),
  content: (incidentId: string, evidenceId: string, fallbackName: string) =>
    download(
      incidentRoute(incidentId, `evidence/${encodeURIComponent(evidenceId)}/content`),
      fallbackName,
    ),
  caseFile: (incidentId: string, format: CaseFileFormat) =>
    download(
      `${incidentRoute(incidentId, 'case-file')}?format=${format}`,
      `case-file-${incidentId}.${format}`,
    ),
  recordSent: (
    incidentId: string,
    input: {
      sentTo: string;
      channel: string;
      reference?: string | undefined;
      sentAt?: string | undefined;
    },
  ) =>
    request<CaseFileSubmission>(incidentRoute(incidentId, 'case-file/sent'), {
      method: 'POST',
      body: withoutEmpty({ ...input }),
    }),
  submissions: (incidentId: string, signal?: AbortSignal) =>
    request<Page<CaseFileSubmission>>(incidentRoute(incidentId, 'case-file/submissions'), {
      signal,
    }),
};

export const drillApi = {
  /**
   * Starts a drill (admin, risk): a practice incident on a real merchant (the one given, or one
   * the server picks) that touches nothing real.
   */
  start: (scenario: string, merchantNo?: string) =>
    request<IncidentDetail>('/drills', {
      method: 'POST',
      body: withoutEmpty({ scenario, merchantNo }),
    }),
};

const webhookRoute = (id: string, rest = '') =>
  `/webhooks/${encodeURIComponent(id)}${rest === '' ? '' : `/${rest}`}`;

export const webhookApi = {
  list: (signal?: AbortSignal) => request<Page<Webhook>>('/webhooks', { signal }),
  create: (input: { url: string; events: string[]; description?: string | undefined }) =>
    request<CreatedWebhook>('/webhooks', { method: 'POST', body: withoutEmpty({ ...input }) }),
  disable: (id: string) => request<undefined>(webhookRoute(id), { method: 'DELETE' }),
  deliveries: (id: string, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<WebhookDelivery>>(webhookRoute(id, 'deliveries'), {
      query: { limit: PAGE_SIZE, cursor },
      signal,
    }),
  redeliver: (id: string, deliveryId: string) =>
    request<{ deliveryId: string; status: string; queued: boolean }>(
      webhookRoute(id, `deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
      { method: 'POST' },
    ),
  test: (id: string) =>
    request<{ deliveryId: string; messageId: string }>(webhookRoute(id, 'test'), {
      method: 'POST',
    }),
};

export const escalationApi = {
  get: (severity: IncidentSeverity, signal?: AbortSignal) =>
    request<EscalationPolicy>(`/escalation-policies/${severity}`, { signal }),
  put: (severity: IncidentSeverity, policy: Pick<EscalationPolicy, 'levels' | 'repeat'>) =>
    request<EscalationPolicy>(`/escalation-policies/${severity}`, {
      method: 'PUT',
      body: policy,
    }),
};

/** What marking notifications read answers: how many changed, how many are left unread. */
export interface NotificationsRead {
  updated: number;
  unreadCount: number;
}

/** Most notifications the bell lists. */
export const NOTIFICATIONS_SHOWN_MAX = 20;

export const notificationApi = {
  list: (unreadOnly: boolean, signal?: AbortSignal) =>
    request<Page<ConsoleNotification> & { unreadCount: number }>('/notifications', {
      query: { unread: unreadOnly ? 'true' : undefined, limit: NOTIFICATIONS_SHOWN_MAX },
      signal,
    }),
  markRead: (ids: string[]) =>
    request<NotificationsRead>('/notifications/read', { method: 'POST', body: { ids } }),
  markAllRead: () =>
    request<NotificationsRead>('/notifications/read', { method: 'POST', body: { all: true } }),
  /** The live stream's URL, for EventSource (the session cookie goes with it). */
  streamUrl: '/api/v1/notifications/stream',
};

export interface TransactionFilter {
  merchantNo?: string | undefined;
  terminalId?: string | undefined;
  decision?: string | undefined;
}

export const transactionApi = {
  list: (filter: TransactionFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<Transaction>>('/transactions', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
};

export interface SettlementLineFilter {
  status?: LineStatus | undefined;
  merchantNo?: string | undefined;
}

/** Lines across runs: by status, hold reason (`settlement_returned` for returns), merchant. */
export interface AllLinesFilter extends SettlementLineFilter {
  reason?: string | undefined;
  /** Only money on hold: held or returned, not yet released. */
  onHold?: boolean | undefined;
}

/** Most bank results the server takes in one call; a longer file is sent in several. */
export const SETTLEMENT_RESULTS_BATCH_MAX = 1000;

/** Page size of the settlement lists on a merchant's page, below its other sections. */
const MERCHANT_SETTLEMENT_PAGE = 20;

const merchantRoute = (merchantNo: string, rest: string) =>
  `/merchants/${encodeURIComponent(merchantNo)}/${rest}`;

export const settlementApi = {
  listRuns: (cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<SettlementRun>>('/settlement-runs', {
      query: { limit: PAGE_SIZE, cursor },
      signal,
    }),
  /** Settles a business date (admin, ops): 201 a new run, 200 the run made before for that date. */
  createRun: (businessDate: string, cycle: SettlementCycle | undefined) =>
    requestWithStatus<SettlementRunWithLines>('/settlement-runs', {
      method: 'POST',
      body: cycle === undefined ? { businessDate } : { businessDate, cycle },
    }),
  getRun: (runId: string, signal?: AbortSignal) =>
    request<SettlementRunWithLines>(`/settlement-runs/${encodeURIComponent(runId)}`, { signal }),
  runLines: (
    runId: string,
    filter: SettlementLineFilter,
    cursor: string | undefined,
    signal?: AbortSignal,
  ) =>
    request<Page<SettlementLine>>(`/settlement-runs/${encodeURIComponent(runId)}/lines`, {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  /** The payout file (CSV with full account numbers): admin and ops only, audited by the server. */
  /** Lines of every run, newest business date first. */
  lines: (filter: AllLinesFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<SettlementLine>>('/settlement-lines', {
      query: {
        status: filter.status,
        reason: filter.reason,
        merchantNo: filter.merchantNo,
        onHold: filter.onHold === true ? 'true' : undefined,
        limit: PAGE_SIZE,
        cursor,
      },
      signal,
    }),
  payoutFile: (runId: string) =>
    download(`/settlement-runs/${encodeURIComponent(runId)}/payout-file`, `payout-${runId}.csv`),
  recordResults: (results: SettlementResultInput[]) =>
    request<SettlementResultsResponse>('/settlement-results', {
      method: 'POST',
      body: { results },
    }),
  /** Releases a merchant's held money (admin, approver). */
  releaseHold: (merchantNo: string, reason: string) =>
    request<SettlementRelease>(merchantRoute(merchantNo, 'settlement-hold/release'), {
      method: 'POST',
      body: { reason },
    }),
  balance: (merchantNo: string, signal?: AbortSignal) =>
    request<SettlementBalance>(merchantRoute(merchantNo, 'settlement-balance'), { signal }),
  merchantLines: (merchantNo: string, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<SettlementLine>>(merchantRoute(merchantNo, 'settlement-lines'), {
      query: { limit: MERCHANT_SETTLEMENT_PAGE, cursor },
      signal,
    }),
  ledgerEntries: (merchantNo: string, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<LedgerEntry>>(merchantRoute(merchantNo, 'ledger-entries'), {
      query: { limit: MERCHANT_SETTLEMENT_PAGE, cursor },
      signal,
    }),
  heldByReason: (signal?: AbortSignal) =>
    request<HeldByReason>('/settlement-holds/summary', { signal }),
  /** Checks the whole ledger (admin, auditor, ops). */
  verifyLedger: (signal?: AbortSignal) => request<LedgerVerification>('/ledger/verify', { signal }),
};

/** The multipart sender, for modules of their own (documents, in api/correction.ts). */
export { upload as uploadForm };

/** One entry of the audit trail, as recorded (masked presentations only). */
export interface AuditEntry {
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

export interface AuditFilter {
  merchantNo?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
}

export const auditApi = {
  /** Oldest first, as written; the cursor is the last sequence number shown. */
  list: (filter: AuditFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<AuditEntry>>('/audit', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
};
