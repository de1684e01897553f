/**
 * Starts SettleGuard: database, migrations, keys, the admin token, the demo portfolio on a
 * first start, and the HTTP server. Used by `main.ts` and by tests that need a whole server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from './app/context.js';
import { Vault } from './app/vault.js';
import { ensureAdminToken } from './app/users/authenticate.js';
import { ensureInitialAdmin } from './app/users/initial-admin.js';
import { loadDemoPortfolio } from './app/registry/load-demo.js';
import { buildApp } from './http/build-app.js';
import { openDatabase, type Database } from './storage/database.js';
import { loadMasterKey } from './storage/key-file.js';
import { migrate } from './storage/migrate.js';
import { projectPath } from './project-root.js';
import { RegistryIndex } from './app/screening/registry-index.js';
import { DEFAULT_POLICY, type ScreeningPolicy } from './core/screening/policy.js';
import { startIso8583Listener, type Iso8583Listener } from './ingest/iso8583-listener.js';
import { startJetStreamConsumer } from './ingest/jetstream.js';
import { seedDemoTransactions } from './sim/demo-incidents.js';
import { seedDemoSettlement } from './sim/demo-settlement.js';
import { seedDemoPlaybook } from './sim/demo-playbook.js';
import { DEFAULT_SETTLEMENT_POLICY, type SettlementPolicy } from './core/settlement/policy.js';
import { startSettlementScheduler } from './app/settlement/scheduler.js';
import { JobRunner } from './jobs/runner.js';
import { registerJobHandlers } from './jobs/handlers.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from './app/notifications/settings.js';

export interface BootOptions {
  port: number;
  host: string;
  databaseUrl?: string | null;
  /** Folder of the embedded database and key file; null: in memory (tests). */
  dataDir: string | null;
  demo: boolean;
  adminToken?: string | null;
  masterKey?: string | null;
  keyFile?: string;
  logLevel?: string;
  sessionTtlMs?: number;
  loginAttemptsMax?: number;
  loginWindowMs?: number;
  secureCookies?: boolean;
  consoleDir?: string | null;
  policy?: ScreeningPolicy;
  /** Listen for mirrored ISO 8583 traffic on this TCP port. */
  iso8583Port?: number | null;
  iso8583Encoding?: 'bcd' | 'ascii';
  /** Consume the JetStream transaction stream of this NATS server. */
  natsUrl?: string | null;
  /** Settlement cycles, fee rates, cooling-off; the default when absent. */
  settlementPolicy?: SettlementPolicy;
  /** Make scheduled settlement runs in this process (off unless asked: tests boot too). */
  settlementSchedule?: boolean;
  /** Work the job queue (notifications, escalation, evidence) in this process. Default on. */
  jobs?: boolean;
  /** How long a claimed job stays its worker's before another instance may take it. */
  jobLeaseMs?: number;
  /** Where evidence files are kept; default `<dataDir>/evidence`, or none in memory. */
  evidenceDir?: string | null;
  /** SMTP server of notification e-mails; none: e-mail is off. */
  smtpUrl?: string | null;
  mailFrom?: string | null;
  /** The console's public address, for links in e-mails. */
  publicUrl?: string | null;
  /** Account changes per merchant and window; the default (2 in 30 days) when absent. */
  accountChangePolicy?: { max: number; windowDays: number };
}

export interface Running {
  url: string;
  iso8583: Iso8583Listener | null;
  app: FastifyInstance;
  ctx: AppContext;
  jobs: JobRunner;
  close(): Promise<void>;
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Opens the database, applies migrations and checks the key against the one it was made with. */
export async function openStore(options: {
  databaseUrl?: string | null;
  dataDir: string | null;
  masterKey?: string | null;
  keyFile?: string;
}): Promise<{ db: Database; vault: Vault }> {
  const db = await openDatabase({
    databaseUrl: options.databaseUrl ?? null,
    dataDir: options.dataDir ? path.join(options.dataDir, 'pglite') : null,
  });
  try {
    await migrate(db);
    // A database in memory gets a key in memory: both end with the process.
    const keyFile =
      options.keyFile ?? (options.dataDir ? path.join(options.dataDir, 'master.key') : null);
    const key =
      keyFile === null && !options.masterKey
        ? crypto.randomBytes(32)
        : loadMasterKey({ masterKey: options.masterKey ?? null, keyFile: keyFile ?? '' }).key;
    const vault = new Vault(key);
    await checkKey(db, vault);
    return { db, vault };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function checkKey(db: Database, vault: Vault): Promise<void> {
  const check = vault.keyCheck();
  await db.query(
    "INSERT INTO settings (key, value) VALUES ('key_check', $1) ON CONFLICT (key) DO NOTHING",
    [check],
  );
  const { rows } = await db.query<{ value: string }>(
    "SELECT value FROM settings WHERE key = 'key_check'",
  );
  if (rows[0]?.value !== check) {
    throw new Error(
      'The master key is not the one this database was created with; account numbers could not be read. ' +
        'Set SETTLEGUARD_MASTER_KEY (or the key file) to the original key.',
    );
  }
}

export async function boot(options: BootOptions): Promise<Running> {
  const { db, vault } = await openStore(options);
  const index = new RegistryIndex({ policy: options.policy ?? DEFAULT_POLICY });
  const ctx = createContext({ db, vault, index });
  try {
    if (options.adminToken) await ensureAdminToken(ctx, options.adminToken);
    const app = await buildApp(ctx, {
      logLevel: options.logLevel ?? 'warn',
      sessionTtlMs: options.sessionTtlMs ?? 8 * 3600_000,
      secureCookies: options.secureCookies ?? false,
      loginAttemptsMax: options.loginAttemptsMax ?? 10,
      loginWindowMs: options.loginWindowMs ?? 300_000,
      consoleDir:
        options.consoleDir === undefined ? projectPath('console', 'dist') : options.consoleDir,
      version: packageVersion(),
      policy: options.policy ?? DEFAULT_POLICY,
      settlementPolicy: options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY,
      evidenceDir: evidenceDirOf(options),
      ...(options.accountChangePolicy ? { accountChangePolicy: options.accountChangePolicy } : {}),
    });
    let demoLoaded = false;
    if (!options.databaseUrl && options.dataDir) {
      demoLoaded = await firstStart(ctx, app, { demo: options.demo, dataDir: options.dataDir });
    }
    // The index is built after the demo so that it holds it; from here on it follows every
    // registry change announced by any instance.
    await index.loadAll(db);
    await index.follow(db, (error) =>
      app.log.error({ err: error }, 'registry index refresh failed'),
    );
    app.log.info(index.size, 'Registry index loaded');
    if (demoLoaded) {
      // A couple of days of traffic over the demo, faults included, so that the console
      // shows real alerts and incidents from the first start.
      const traffic = await seedDemoTransactions(ctx, { policy: options.policy ?? DEFAULT_POLICY });
      app.log.info(traffic, 'Screened the demo traffic');
      // Settle the demo's past days, with the bank's answers for the first, so that runs,
      // held money and balances are there from the first start.
      const settled = await seedDemoSettlement(
        ctx,
        options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY,
      );
      app.log.info(settled, 'Settled the demo days');
      // Incidents at different points of the playbook, and a drill, as a team leaves them.
      app.log.info(
        await seedDemoPlaybook(ctx, { evidenceDir: evidenceDirOf(options) }),
        'Worked the demo incidents',
      );
    }
    await app.listen({ port: options.port, host: options.host });
    const iso8583 =
      options.iso8583Port === undefined || options.iso8583Port === null
        ? null
        : await startIso8583Listener(ctx, {
            port: options.iso8583Port,
            host: options.host,
            encoding: options.iso8583Encoding ?? 'bcd',
            policy: options.policy ?? DEFAULT_POLICY,
            log: app.log,
          });
    const stream = options.natsUrl
      ? await startJetStreamConsumer(ctx, {
          url: options.natsUrl,
          policy: options.policy ?? DEFAULT_POLICY,
          log: app.log,
        })
      : null;
    const settlement = options.settlementSchedule
      ? startSettlementScheduler(ctx, {
          policy: options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY,
          log: app.log,
        })
      : null;
    const notifications = notificationSettingsOf(options);
    if (notifications.mail) {
      app.log.info(`E-mail notifications go through ${redactUrl(notifications.mail.smtpUrl)}`);
    } else {
      app.log.info('E-mail notifications are off: SETTLEGUARD_SMTP_URL is not set');
    }
    const jobs = registerJobHandlers(
      new JobRunner(ctx, { log: app.log, leaseMs: options.jobLeaseMs ?? 60_000 }),
      ctx,
      {
        evidenceDir: evidenceDirOf(options),
        notifications,
        settlementPolicy: options.settlementPolicy ?? DEFAULT_SETTLEMENT_POLICY,
      },
    );
    if (options.jobs ?? true) await jobs.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
    return {
      url: `http://${shownHost}:${port}`,
      iso8583,
      app,
      ctx,
      jobs,
      async close() {
        await jobs.stop();
        await settlement?.stop();
        await stream?.stop();
        await iso8583?.stop();
        await app.close();
        await index.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export function notificationSettingsOf(options: {
  smtpUrl?: string | null;
  mailFrom?: string | null;
  publicUrl?: string | null;
}): NotificationSettings {
  return {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    mail:
      options.smtpUrl && options.mailFrom
        ? { smtpUrl: options.smtpUrl, from: options.mailFrom }
        : null,
    publicUrl: options.publicUrl ?? null,
  };
}

/** A URL without its password, for the log. */
function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function evidenceDirOf(options: {
  evidenceDir?: string | null;
  dataDir: string | null;
}): string | null {
  if (options.evidenceDir !== undefined) return options.evidenceDir;
  return options.dataDir ? path.join(options.dataDir, 'evidence') : null;
}

/**
 * Once per embedded installation: load the demo portfolio into an empty registry (unless
 * declined with --no-demo, which is remembered) and hand out the first console password.
 */
async function firstStart(
  ctx: AppContext,
  app: FastifyInstance,
  options: { demo: boolean; dataDir: string },
): Promise<boolean> {
  const decided = await ctx.db.query("SELECT 1 FROM settings WHERE key = 'demo'");
  let loaded = false;
  if (decided.rowCount === 0) {
    const empty = (await ctx.db.query('SELECT 1 FROM merchants LIMIT 1')).rowCount === 0;
    const load = options.demo && empty;
    loaded = load;
    if (load) {
      const result = await loadDemoPortfolio(ctx);
      app.log.info(
        { imported: result.imported, refused: result.failed.length },
        'Loaded the demo portfolio',
      );
    }
    await ctx.db.query("INSERT INTO settings (key, value) VALUES ('demo', $1)", [
      load ? 'loaded' : 'skipped',
    ]);
  }
  const password = await ensureInitialAdmin(ctx);
  if (password) {
    const file = path.join(options.dataDir, 'initial-admin-password.txt');
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
    process.stdout.write(
      `Sign in to the console as "admin" with the password ${password}\n` +
        `(kept in ${file}; change it in the console under 修改密码 and delete the file).\n`,
    );
  }
  return loaded;
}
