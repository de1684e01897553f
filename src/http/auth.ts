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

class TokenCache {
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

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  const tokens = new TokenCache();
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config.public) return;
    request.principal = await resolvePrincipal(ctx, request, tokens);
  });
}

async function resolvePrincipal(
  ctx: AppContext,
  request: FastifyRequest,
  tokens: TokenCache,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header);
    if (!match?.[1]) throw new DomainError('unauthenticated', 'Malformed Authorization header');
    const token = match[1];
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
