/** A whole HTTP application on a test database, driven with `app.inject`. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/build-app.js';
import { DEFAULT_POLICY } from '../../src/core/screening/policy.js';
import { ensureAdminToken } from '../../src/app/users/authenticate.js';
import { createUser } from '../../src/app/users/create-user.js';
import type { Role } from '../../src/core/roles.js';
import { openTestDatabase, testContext, type TestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: FastifyInstance;
  tdb: TestDatabase;
  ctx: ReturnType<typeof testContext>['ctx'];
  /** Moves the application's clock forward (it stands still otherwise). */
  advance(ms: number): void;
  /** Creates a user and returns its bearer token. */
  tokenFor(
    username: string,
    role: Role,
    merchantNos?: string[],
    password?: string,
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    loginAttemptsMax?: number;
    evidenceDir?: string;
    /** Where the log goes and from which level; silent when absent. */
    log?: { level: 'info' | 'debug' | 'trace'; stream: NodeJS.WritableStream };
  } = {},
): Promise<TestApp> {
  const tdb = await openTestDatabase();
  const { ctx, advance } = testContext(tdb.db);
  await ensureAdminToken(ctx, ADMIN_TOKEN);
  const app = await buildApp(ctx, {
    logLevel: options.log?.level ?? 'silent',
    ...(options.log ? { logStream: options.log.stream } : {}),
    sessionTtlMs: 3600_000,
    secureCookies: false,
    loginAttemptsMax: options.loginAttemptsMax ?? 5,
    loginWindowMs: 60_000,
    consoleDir: null,
    version: 'v1',
    policy: DEFAULT_POLICY,
    ...(options.evidenceDir ? { evidenceDir: options.evidenceDir } : {}),
  });
  return {
    app,
    tdb,
    ctx,
    advance,
    async tokenFor(username, role, merchantNos = [], password) {
      const user = await createUser(ctx, null, {
        username,
        role,
        merchantNos,
        ...(password ? { password } : {}),
      });
      return user.token;
    },
    async close() {
      await app.close();
      await tdb.close();
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
