import { download, request, requestWithStatus } from './client';
import type {
  Alert,
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
}

export const incidentApi = {
  list: (filter: IncidentFilter, cursor: string | undefined, signal?: AbortSignal) =>
    request<Page<IncidentSummary>>('/incidents', {
      query: { ...filter, limit: PAGE_SIZE, cursor },
      signal,
    }),
  get: (id: string, signal?: AbortSignal) =>
    request<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, { signal }),
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
