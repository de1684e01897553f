/**
 * The Fastify application: plugins, authentication, routes, errors as problems, the OpenAPI
 * document and the built console with its single-page fallback.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app/context.js';
import type { ScreeningPolicy } from '../core/screening/policy.js';
import { cachedBearerPrincipal, registerAuth, TokenCache } from './auth.js';
import { authorizeFastPath } from './authorize-fast-path.js';
import { problem, sendProblem, toProblem } from './problem.js';
import { ProblemSchema } from './schemas.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { merchantRoutes } from './routes/merchants.js';
import { terminalRoutes } from './routes/terminals.js';
import { importRoutes } from './routes/import.js';
import { auditRoutes } from './routes/audit.js';
import { alertRoutes } from './routes/alerts.js';
import { accountRoutes } from './routes/accounts.js';
import { transactionRoutes } from './routes/transactions.js';
import { incidentRoutes } from './routes/incidents.js';
import { settlementRoutes } from './routes/settlement.js';
import { ledgerRoutes } from './routes/ledger.js';
import { evidenceRoutes } from './routes/evidence.js';
import { notificationRoutes } from './routes/notifications.js';
import { accountChangeRoutes } from './routes/account-changes.js';
import type { AccountChangePolicy } from '../app/account-changes/policy.js';
import { documentRoutes } from './routes/documents.js';
import { contactRoutes } from './routes/contacts.js';
import { remediationRoutes } from './routes/remediation.js';
import { DEFAULT_SETTLEMENT_POLICY, type SettlementPolicy } from '../core/settlement/policy.js';

export interface AppOptions {
  logLevel: string;
  sessionTtlMs: number;
  secureCookies: boolean;
  loginAttemptsMax: number;
  loginWindowMs: number;
  consoleDir: string | null;
  version: string;
  policy: ScreeningPolicy;
  /** Settlement cycles, fee rates, cooling-off; the default when absent. */
  settlementPolicy?: SettlementPolicy;
  /** Where log lines go (tests capture them); standard output by default. */
  logStream?: NodeJS.WritableStream;
  /** Folder of the content-addressed evidence files; null or absent: none (uploads answer 503). */
  evidenceDir?: string | null;
  /** Account changes: at most `max` in `windowDays` days per merchant; the default when absent. */
  accountChangePolicy?: AccountChangePolicy;
}

/** Default request body limit; routes that take batches raise their own. */
const BODY_BYTES_MAX = 1024 * 1024;

export async function buildApp(ctx: AppContext, options: AppOptions): Promise<FastifyInstance> {
  const tokens = new TokenCache();
  const app: FastifyInstance = Fastify({
    // The switch's authorize-check is answered in front of Fastify when it can be
    // (authorize-fast-path.ts); everything else is Fastify's.
    serverFactory: (handler, serverOptions) => {
      const fastPath = authorizeFastPath({
        index: () => ctx.index,
        cachedPrincipal: (authorization) => cachedBearerPrincipal(authorization, tokens),
        inject: (injected) => app.inject(injected),
      });
      const server = http.createServer((request, response) => {
        if (!fastPath(request, response)) handler(request, response);
      });
      // What Fastify sets on the servers it makes itself, from its options with their defaults.
      const number = (value: unknown, otherwise: number) =>
        typeof value === 'number' ? value : otherwise;
      server.keepAliveTimeout = number(serverOptions.keepAliveTimeout, 72_000);
      server.requestTimeout = number(serverOptions.requestTimeout, 0);
      server.setTimeout(number(serverOptions.connectionTimeout, 0));
      const perSocket = number(serverOptions.maxRequestsPerSocket, 0);
      if (perSocket > 0) server.maxRequestsPerSocket = perSocket;
      return server;
    },
    logger: {
      level: options.logLevel,
      // Tokens and session cookies never reach the log.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: BODY_BYTES_MAX,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SettleGuard API',
        description: 'SettleGuard (收款账户卫士) HTTP API v1',
        version: options.version,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'sg_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  app.addSchema(ProblemSchema);
  await app.register(cookie);
  registerAuth(app, ctx, tokens);

  app.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)));

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.kind };
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    sessionRoutes(ctx, {
      sessionTtlMs: options.sessionTtlMs,
      secureCookies: options.secureCookies,
      loginAttemptsMax: options.loginAttemptsMax,
      loginWindowMs: options.loginWindowMs,
    }),
  );
  await app.register(userRoutes(ctx));
  await app.register(merchantRoutes(ctx));
  await app.register(terminalRoutes(ctx));
  await app.register(importRoutes(ctx));
  await app.register(accountRoutes(ctx));
  await app.register(alertRoutes(ctx));
  await app.register(transactionRoutes(ctx, { policy: options.policy }));
  await app.register(incidentRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(
    settlementRoutes(ctx, { policy: options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY }),
  );
  await app.register(ledgerRoutes(ctx));
  await app.register(evidenceRoutes(ctx, { evidenceDir: options.evidenceDir ?? null }));
  await app.register(notificationRoutes(ctx));
  await app.register(
    accountChangeRoutes(ctx, {
      settlementPolicy: options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY,
      ...(options.accountChangePolicy ? { policy: options.accountChangePolicy } : {}),
    }),
  );
  await app.register(documentRoutes(ctx, { evidenceDir: options.evidenceDir ?? null }));
  await app.register(
    contactRoutes(ctx, {
      coolingOffHours: (options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY).coolingOffHours,
    }),
  );
  await app.register(remediationRoutes(ctx));

  const indexHtml =
    options.consoleDir && fs.existsSync(path.join(options.consoleDir, 'index.html'))
      ? options.consoleDir
      : null;
  if (indexHtml) {
    await app.register(fastifyStatic, { root: indexHtml, wildcard: false, index: false });
  } else if (options.consoleDir) {
    app.log.warn(`No built console in ${options.consoleDir}; run "npm run build" to serve it`);
  }

  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (indexHtml && wantsPage) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, problem('not_found', `No route ${request.method} ${request.url}`));
  });
  return app;
}
