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
  return (await requestWithStatus<T>(path, options)).body;
}

/**
 * As `request`, with the status the server answered: for calls whose 200 and 201 mean different
 * things (a settlement run made now, or the one made before for the same date).
 */
export async function requestWithStatus<T>(
  path: string,
  options: RequestOptions = {},
): Promise<{ status: number; body: T }> {
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
  if (response.status === 204) return { status: 204, body: undefined as T };
  try {
    return { status: response.status, body: (await response.json()) as T };
  } catch {
    throw new ApiError({ status: response.status, code: 'bad_response' });
  }
}

/** A file the API answered: its content, the name the server gave it, and its headers. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
  headers: Headers;
}

function filenameOf(response: Response, fallback: string): string {
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // A malformed encoded name: the plain one, or the fallback, is used instead.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/**
 * Fetches a file (a CSV, say) with the session cookie. Failures are ApiErrors as for `request`,
 * so that a refusal is said in words instead of a problem document being saved as the file.
 */
export async function download(path: string, fallbackName: string): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, undefined), {
      credentials: 'same-origin',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error' });
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && problem.code === 'unauthenticated') {
      unauthenticatedListener?.();
    }
    throw problem;
  }
  return {
    blob: await response.blob(),
    filename: filenameOf(response, fallbackName),
    headers: response.headers,
  };
}

/** Hands a downloaded file to the browser to save under its name. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = file.filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked a moment later: some browsers read the URL after click() has returned.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
