import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { login, logout } from '../../app/users/authenticate.js';
import { changePassword } from '../../app/users/change-password.js';
import { DomainError } from '../../core/errors.js';
import { principalOf, SESSION_COOKIE } from '../auth.js';
import { LoginLimiter } from '../login-limiter.js';

const SessionSchema = Type.Object({
  username: Type.String(),
  role: Type.String(),
  merchantNos: Type.Array(Type.String()),
});

export function sessionRoutes(
  ctx: AppContext,
  options: {
    sessionTtlMs: number;
    secureCookies: boolean;
    loginAttemptsMax: number;
    loginWindowMs: number;
  },
): FastifyPluginAsyncTypebox {
  const limiter = new LoginLimiter(options.loginAttemptsMax, options.loginWindowMs);
  return async (app) => {
    app.post(
      '/api/v1/session',
      {
        config: { public: true },
        schema: {
          tags: ['session'],
          summary: 'Console login with a password; sets an HttpOnly session cookie',
          body: Type.Object({
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          }),
          response: { 200: SessionSchema },
        },
      },
      async (request, reply) => {
        const key = `${request.ip}|${request.body.username.toLowerCase()}`;
        if (!limiter.take(key, ctx.now().getTime())) {
          throw new DomainError('rate_limited', 'Too many login attempts; wait and try again');
        }
        const session = await login(ctx, { ...request.body, sessionTtlMs: options.sessionTtlMs });
        limiter.reset(key);
        reply.setCookie(SESSION_COOKIE, session.sessionId, {
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookies,
          path: '/',
          expires: session.expiresAt,
        });
        const { username, role, merchantNos } = session.principal;
        return { username, role, merchantNos: [...merchantNos] };
      },
    );

    app.get(
      '/api/v1/session',
      {
        schema: {
          tags: ['session'],
          summary: 'The signed-in user',
          response: { 200: SessionSchema },
        },
      },
      async (request) => {
        const { username, role, merchantNos } = principalOf(request);
        return { username, role, merchantNos: [...merchantNos] };
      },
    );

    app.post(
      '/api/v1/session/password',
      {
        schema: {
          tags: ['session'],
          summary: 'Change one’s own password; signs out every session of the user',
          body: Type.Object({
            currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
            newPassword: Type.String({ minLength: 1, maxLength: 200 }),
          }),
        },
      },
      async (request, reply) => {
        await changePassword(ctx, principalOf(request), request.body);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.delete(
      '/api/v1/session',
      { config: { public: true }, schema: { tags: ['session'], summary: 'Sign out' } },
      async (request, reply) => {
        const session = request.cookies[SESSION_COOKIE];
        if (session) await logout(ctx, session);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );
  };
}
