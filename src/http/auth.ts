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

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/') || request.routeOptions.config.public) return;
    request.principal = await resolvePrincipal(ctx, request);
  });
}

async function resolvePrincipal(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header);
    if (!match?.[1]) throw new DomainError('unauthenticated', 'Malformed Authorization header');
    return authenticateToken(ctx, match[1]);
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
