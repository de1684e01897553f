/**
 * The switch's hot path: `POST /api/v1/authorize-check` answered before Fastify sees the
 * request, when the request is the common case and nothing about it needs Fastify.
 *
 * A switch asks before it approves each payment, thousands of times a second, with one bearer
 * token and a body of two short strings. Through Fastify each such request cost about 45 µs of
 * server CPU beyond the HTTP round trip itself (routing, the content-type parser, the hooks, a
 * child logger, validation and serialisation), as much as the round trip; the tail latency of
 * the check follows that cost (docs/adr/0019-authorize-check-fast-path.md).
 *
 * What is answered here is exactly what the route answers: the same token cache and role
 * check (src/http/auth.ts), the same registry index and `authorizeCheck`, the same body limits
 * and the same JSON. Anything else goes to Fastify untouched: another method or path, a query
 * string, chunked or large bodies, another content type, a session cookie instead of a token,
 * a token not yet in the cache (Fastify resolves it and fills the cache), a role that may not
 * check, no index. A body read here that is not the plain shape (malformed JSON, a missing or
 * long field, a number where a string goes) is handed to Fastify with `inject`, so that its
 * validation answers it in the same words as ever.
 *
 * What the fast path leaves out: Fastify's per-request log lines ("incoming request",
 * "request completed" at level info). A switch's checks would be most of the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Principal } from '../core/roles.js';
import { roleAllows } from '../core/roles.js';
import { authorizeCheck } from '../core/screening/authorize.js';
import type { RegistryView } from '../core/screening/registry-view.js';

export const AUTHORIZE_CHECK_PATH = '/api/v1/authorize-check';

/** Longer bodies go to Fastify: two fields of at most 16 and 32 characters fit well within. */
const BODY_BYTES_MAX = 1024;
/** The route's body limits (routes/transactions.ts builds its schema from them). */
export const TERMINAL_ID_MAX = 16;
export const MERCHANT_NO_MAX = 32;
const BACKSLASH = 0x5c;

export interface FastPathDeps {
  /** The registry index, or null while there is none (the route then answers 503). */
  index(): RegistryView | null;
  /** The principal of an `Authorization` header, from the token cache only; never throws. */
  cachedPrincipal(authorization: string): Principal | undefined;
  /** Fastify's answer to a request (its `inject`), for bodies read here but not plain. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * A request listener's front: answers the request and returns true, or returns false without
 * touching it (Fastify then handles it as ever).
 */
export function authorizeFastPath(
  deps: FastPathDeps,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    if (request.method !== 'POST' || request.url !== AUTHORIZE_CHECK_PATH) return false;
    const headers = request.headers;
    if (headers['transfer-encoding'] !== undefined) return false;
    const type = headers['content-type'];
    if (type !== 'application/json' && type?.toLowerCase() !== 'application/json; charset=utf-8') {
      return false;
    }
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= BODY_BYTES_MAX)) return false;
    const authorization = headers.authorization;
    if (authorization === undefined) return false;
    const principal = deps.cachedPrincipal(authorization);
    if (!principal || !roleAllows(principal.role, 'authorize.check')) return false;
    const index = deps.index();
    if (!index) return false;

    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => response.destroy());
    request.on('end', () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const fields = plainFields(body);
      if (!fields) {
        handOver(deps, request, response, body);
        return;
      }
      const answer = authorizeCheck(index, fields.terminalId.toUpperCase(), fields.merchantNo);
      // The route's response schema, in its order: allow, reasons, settlementHeld.
      const json = JSON.stringify({
        allow: answer.allow,
        reasons: answer.reasons,
        settlementHeld: answer.settlementHeld,
      });
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
      });
      response.end(json);
    });
    return true;
  };
}

/** The two fields when the body is a JSON object with both as strings within their limits. */
function plainFields(body: Buffer): { terminalId: string; merchantNo: string } | null {
  // Escapes, and keys Fastify's JSON parser refuses (prototype poisoning) at any depth, are
  // left to Fastify: it answers them in its own words.
  if (body.includes(BACKSLASH) || body.includes('proto') || body.includes('constructor')) {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { terminalId, merchantNo } = parsed as Record<string, unknown>;
  if (typeof terminalId !== 'string' || terminalId.length > TERMINAL_ID_MAX) return null;
  if (typeof merchantNo !== 'string' || merchantNo.length > MERCHANT_NO_MAX) return null;
  return { terminalId, merchantNo };
}

/** Fastify answers a body read here, through `inject`: the same validation, the same words. */
function handOver(
  deps: FastPathDeps,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'content-length' && name !== 'host') headers[name] = value;
  }
  deps
    .inject({
      method: 'POST',
      url: AUTHORIZE_CHECK_PATH,
      headers,
      payload: body,
      remoteAddress: request.socket.remoteAddress ?? '127.0.0.1',
    })
    .then(
      (answer) => {
        const out: Record<string, string | string[] | number> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value === undefined || HOP_BY_HOP.has(name)) continue;
          out[name] = value;
        }
        response.writeHead(answer.statusCode, out);
        response.end(answer.rawPayload);
      },
      () => response.destroy(),
    );
}

/** Headers of the connection, which the real server sets for itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);
