import { request } from './client';
import type {
  MerchantDetail,
  MerchantSummary,
  Page,
  Session,
  SettlementAccountVersion,
  TerminalSummary,
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
};
