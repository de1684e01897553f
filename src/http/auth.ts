/**
 * Authentication for every `/api` route: a bearer token (scripts, the switch) or the console's
 * session cookie. Routes declare `config: { public: true }` to opt out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { authenticateSession, authenticateToken } from '../app/users/authenticate.js';
import { DomainError } from '../core/errors.js';
import type { Principal } from '../core/roles.js';

export const SESSION_COOKIE = 'sg_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

/**
 * Bearer tokens already seen, for a short while: the switch asks authorize-check thousands of
 * times a second with one token, and a database round trip for each would be most of its
 * cost. A token's role change or revocation takes effect within TOKEN_CACHE_TTL_MS.
 */
export const TOKEN_CACHE_TTL_MS = 30_000;
const TOKEN_CACHE_ENTRIES_MAX = 10_000;

export class TokenCache {
  readonly #entries = new Map<string, { principal: Principal; expiresMs: number }>();

  get(token: string, nowMs: number): Principal | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresMs <= nowMs) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, nowMs: number): void {
    if (this.#entries.size >= TOKEN_CACHE_ENTRIES_MAX) this.#entries.clear();
    this.#entries.set(token, { principal, expiresMs: nowMs + TOKEN_CACHE_TTL_MS });
  }
}

export function registerAuth(
  app: FastifyInstance,
  ctx: AppContext,
  tokens: TokenCache = new TokenCache(),
): void {
  app.decorateRequest('principal', null);
  // A callback hook rather than an async one: a token already in the cache (nearly every
  // request of a switch) is resolved without a promise or a turn of the microtask queue.
  app.addHook('preHandler', (request, _reply, done) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config.public) {
      done();
      return;
    }
    let known: Principal | undefined;
    try {
      known = cachedPrincipal(request, tokens);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (known) {
      request.principal = known;
      done();
      return;
    }
    resolvePrincipal(ctx, request, tokens).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });
}

const BEARER = /^Bearer\s+(\S{10,200})$/i;

/** The bearer token of the request; throws when the header is there but malformed. */
function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new DomainError('unauthenticated', 'Malformed Authorization header');
  return match[1];
}

/**
 * The principal of an `Authorization` header whose bearer token is in the cache, without I/O;
 * undefined for anything else, a malformed header included (Fastify's hook refuses that).
 */
export function cachedBearerPrincipal(
  authorization: string,
  tokens: TokenCache,
): Principal | undefined {
  const match = BEARER.exec(authorization);
  return match?.[1] ? tokens.get(match[1], Date.now()) : undefined;
}

/** The principal of a bearer token in the cache, without I/O. */
function cachedPrincipal(request: FastifyRequest, tokens: TokenCache): Principal | undefined {
  const token = bearerToken(request);
  return token === null ? undefined : tokens.get(token, Date.now());
}

async function resolvePrincipal(
  ctx: AppContext,
  request: FastifyRequest,
  tokens: TokenCache,
): Promise<Principal> {
  const token = bearerToken(request);
  if (token !== null) {
    const nowMs = Date.now();
    const known = tokens.get(token, nowMs);
    if (known) return known;
    const principal = await authenticateToken(ctx, token);
    tokens.set(token, principal, nowMs);
    return principal;
  }
  const session = request.cookies[SESSION_COOKIE];
  if (session && session.length <= 200) return authenticateSession(ctx, session);
  throw new DomainError('unauthenticated', 'Sign in or send a bearer token');
}

/** The principal of an authenticated route (the hook has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'Not signed in');
  return request.principal;
}
