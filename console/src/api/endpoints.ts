import { request } from './client';
import type {
  Alert,
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
