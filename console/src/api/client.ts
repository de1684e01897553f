import type { FieldWarning, ProblemBody } from './types';

/**
 * A failed call to the API. `code` is the server's stable problem code, or `network_error` when
 * the server could not be reached, or `bad_response` when it answered something unreadable.
 * Screens translate `code`; `detail` is only shown when the code is unknown to the console.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: readonly FieldWarning[];

  constructor(options: {
    status: number;
    code: string;
    detail?: string | undefined;
    errors?: readonly FieldWarning[];
  }) {
    super(options.detail ?? options.code);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.detail = options.detail;
    this.errors = options.errors ?? [];
  }
}

const API_BASE = '/api/v1';
const REQUEST_TIMEOUT_MS = 30_000;

type UnauthenticatedListener = () => void;
let unauthenticatedListener: UnauthenticatedListener | undefined;

/**
 * Registers the one function told when any call answers 401, so that an expired session sends
 * the user back to the login page from wherever they are. Returns an unregister function.
 */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListener = listener;
  return () => {
    if (unauthenticatedListener === listener) unauthenticatedListener = undefined;
  };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Do not report a 401 to the session (the login form and the session probe expect one). */
  expectUnauthenticated?: boolean;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search === '' ? '' : `?${search}`}`;
}

async function readProblem(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall back to the status alone.
    body = {};
  }
  return new ApiError({
    status: response.status,
    code: typeof body.code === 'string' ? body.code : `http_${response.status}`,
    detail: body.detail ?? body.title,
    errors: Array.isArray(body.errors) ? body.errors : [],
  });
}

/** Calls the API with the session cookie and returns the parsed JSON body (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    // An abort by the caller is not a failure to report; let it through as it is.
    if (options.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'network_error' });
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    // Only a session that is gone ends the console session; a wrong password typed into a
    // form (invalid_credentials, also a 401) is that form's own error.
    if (
      response.status === 401 &&
      problem.code === 'unauthenticated' &&
      !options.expectUnauthenticated
    ) {
      unauthenticatedListener?.();
    }
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({ status: response.status, code: 'bad_response' });
  }
}
