/**
 * The few calls the simulator makes to a SettleGuard server, as any client would: JSON over
 * HTTP with a bearer token. A problem answer becomes an `ApiError` with its code.
 */
import type { ImportRecord } from '../core/registry.js';
import type { TransactionInput } from '../core/transaction.js';

/** Bound on one call; an ingest batch of 1,000 takes well under this. */
const REQUEST_TIMEOUT_MS = 120_000;
/** Pages read of one list at most (500 items each). */
export const LIST_PAGES_MAX = 40;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface IngestResultView {
  id: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  decision?: 'ok' | 'review' | 'contain';
  alerts?: string[];
  error?: { code: string; message: string };
}

export interface ImportResultView {
  imported: number;
  failed: { index: number; code: string; message: string }[];
}

export interface AlertView {
  id: string;
  rule: string;
  merchantNo: string;
  terminalId: string | null;
  transactionId: string | null;
  incidentId: string | null;
  createdAt: string;
}

export interface IncidentView {
  id: string;
  status: string;
  merchantNo: string;
  drill?: boolean;
  containment: { terminalsSuspended: string[]; settlementHeld: boolean };
}

export interface TerminalView {
  terminalId: string;
  merchantNo: string;
  status: string;
}

export interface AuthorizeView {
  allow: boolean;
  reasons: string[];
  settlementHeld: boolean;
}

export interface SettlementLineView {
  id: string;
  merchantNo: string;
  businessDate: string;
  transactionCount: number;
  lateTransactionCount: number;
  purchasesFen: number;
  deductionsFen: number;
  netFen: number;
  feeRatePpm: number;
  feeFen: number;
  carriedInFen: number;
  releasedInFen: number;
  amountFen: number;
  status: string;
  holdReasons: string[];
  returnCode: string | null;
}

export interface SettlementRunView {
  id: string;
  businessDate: string;
}

export interface ResultsView {
  applied: number;
  unchanged: number;
  rejected: number;
  results: { lineId: string; outcome: string; lineStatus?: string; returnCode?: string }[];
}

export interface LedgerVerifyView {
  balanced: boolean;
  problems: { code: string; message: string }[];
}

export interface MerchantView {
  merchantNo: string;
  settlementAccount: null | { status: string };
}

export interface AccountChangeView {
  id: string;
  merchantNo: string;
  status: string;
  requiredDocuments: string[];
  documentsNeeded: string[];
  approvalsNeeded: number;
  approvals: { by: string }[];
  verification: null | {
    method: string;
    status: string;
    terminalId: string | null;
    amountToKeyFen: number | null;
  };
  completedAt: string | null;
}

export interface UserView {
  id: string;
  username: string;
  role: string;
  token: string;
}

type FetchLike = typeof fetch;

export class ApiClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #fetch: FetchLike;

  constructor(options: { baseUrl: string; token: string; fetch?: FetchLike }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const { text } = await this.#send(method, path, body);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  /** The same server, as another user. */
  as(token: string): ApiClient {
    return new ApiClient({ baseUrl: this.#baseUrl, token, fetch: this.#fetch });
  }

  /** The answer's status and text; a problem answer throws `ApiError`. */
  async #send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    let response: Response;
    const form = body instanceof FormData;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          // A form sets its own multipart content type, with its boundary.
          ...(body === undefined || form ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused, timed out) is its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new Error(
        `${method} ${this.#baseUrl}${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let parsed: unknown = null;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        parsed = null;
      }
      const problem = (parsed ?? {}) as { code?: string; title?: string; detail?: string };
      throw new ApiError(
        response.status,
        problem.code ?? 'http_error',
        `${method} ${path}: ${String(response.status)} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? text.slice(0, 200)}`.trim(),
      );
    }
    return { status: response.status, text };
  }

  importRecords(records: readonly ImportRecord[]): Promise<ImportResultView> {
    return this.#call('POST', '/api/v1/import', { records });
  }

  suspendTerminal(terminalId: string, reason: string): Promise<TerminalView> {
    return this.#call('POST', `/api/v1/terminals/${encodeURIComponent(terminalId)}/suspend`, {
      reason,
    });
  }

  async ingest(transactions: readonly TransactionInput[]): Promise<IngestResultView[]> {
    const body = await this.#call<{ results: IngestResultView[] }>('POST', '/api/v1/transactions', {
      transactions,
    });
    return body.results;
  }

  terminal(terminalId: string): Promise<TerminalView> {
    return this.#call('GET', `/api/v1/terminals/${encodeURIComponent(terminalId)}`);
  }

  authorizeCheck(terminalId: string, merchantNo: string): Promise<AuthorizeView> {
    return this.#call('POST', '/api/v1/authorize-check', { terminalId, merchantNo });
  }

  /** Every page of a list, up to LIST_PAGES_MAX pages. */
  async #list<T>(path: string, query: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < LIST_PAGES_MAX; page += 1) {
      const params = new URLSearchParams({ ...query, limit: '500' });
      if (cursor) params.set('cursor', cursor);
      const body = await this.#call<{ items: T[]; nextCursor?: string }>(
        'GET',
        `${path}?${params.toString()}`,
      );
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  }

  alerts(query: { rule?: string; merchantNo?: string }): Promise<AlertView[]> {
    return this.#list('/api/v1/alerts', query);
  }

  incidents(query: { merchantNo: string }): Promise<IncidentView[]> {
    return this.#list('/api/v1/incidents', query);
  }

  merchant(merchantNo: string): Promise<MerchantView> {
    return this.#call('GET', `/api/v1/merchants/${encodeURIComponent(merchantNo)}`);
  }

  /** A settlement run for the date; `created` is false when the date had its run already. */
  async settle(businessDate: string): Promise<{ run: SettlementRunView; created: boolean }> {
    const { status, text } = await this.#send('POST', '/api/v1/settlement-runs', { businessDate });
    return { run: JSON.parse(text) as SettlementRunView, created: status === 201 };
  }

  runLines(runId: string): Promise<SettlementLineView[]> {
    return this.#list(`/api/v1/settlement-runs/${encodeURIComponent(runId)}/lines`, {});
  }

  async payoutFile(runId: string): Promise<string> {
    const { text } = await this.#send(
      'GET',
      `/api/v1/settlement-runs/${encodeURIComponent(runId)}/payout-file`,
    );
    return text;
  }

  settlementResults(
    results: readonly { lineId: string; status: 'paid' | 'returned'; reason?: string }[],
  ): Promise<ResultsView> {
    return this.#call('POST', '/api/v1/settlement-results', { results });
  }

  ledgerVerify(): Promise<LedgerVerifyView> {
    return this.#call('GET', '/api/v1/ledger/verify');
  }

  createUser(username: string, role: string): Promise<UserView> {
    return this.#call('POST', '/api/v1/users', { username, role });
  }

  /** A document of the merchant's, uploaded as a file (multipart). */
  uploadDocument(
    merchantNo: string,
    input: { type: string; bytes: Uint8Array; fileName: string; contentType: string },
  ): Promise<{ id: string; status: string }> {
    const form = new FormData();
    form.append('type', input.type);
    form.append('file', new Blob([input.bytes], { type: input.contentType }), input.fileName);
    return this.#call(
      'POST',
      `/api/v1/merchants/${encodeURIComponent(merchantNo)}/documents`,
      form,
    );
  }

  reviewDocument(
    id: string,
    input: { result: 'accepted' | 'rejected'; note?: string },
  ): Promise<{ id: string; status: string }> {
    return this.#call('POST', `/api/v1/documents/${encodeURIComponent(id)}/review`, input);
  }

  requestAccountChange(
    merchantNo: string,
    input: {
      accountNumber: string;
      accountName: string;
      accountType: string;
      bankCode?: string;
      reason: string;
      consent?: { channel: string; reference?: string };
    },
  ): Promise<AccountChangeView> {
    return this.#call(
      'POST',
      `/api/v1/merchants/${encodeURIComponent(merchantNo)}/account-changes`,
      input,
    );
  }

  merchantAccountChanges(merchantNo: string): Promise<AccountChangeView[]> {
    return this.#list(`/api/v1/merchants/${encodeURIComponent(merchantNo)}/account-changes`, {});
  }

  /** An account change; reading it also matches an awaited test transaction. */
  accountChange(id: string): Promise<AccountChangeView> {
    return this.#call('GET', `/api/v1/account-changes/${encodeURIComponent(id)}`);
  }

  attachDocuments(id: string, documentIds: readonly string[]): Promise<AccountChangeView> {
    return this.#call('POST', `/api/v1/account-changes/${encodeURIComponent(id)}/documents`, {
      documentIds,
    });
  }

  approveAccountChange(id: string, note: string): Promise<AccountChangeView> {
    return this.#call('POST', `/api/v1/account-changes/${encodeURIComponent(id)}/approve`, {
      note,
    });
  }

  startVerification(
    id: string,
    input: { method: 'test_transaction' | 'micro_deposit'; terminalId?: string },
  ): Promise<AccountChangeView> {
    return this.#call(
      'POST',
      `/api/v1/account-changes/${encodeURIComponent(id)}/verification`,
      input,
    );
  }
}
