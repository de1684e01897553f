/**
 * Configuration, parsed and validated once at start. Nothing else in the program reads
 * `process.env`: everything it needs arrives through this object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICY, RULES, type ScreeningPolicy } from './core/screening/policy.js';
import { DECISIONS } from './core/transaction.js';
import {
  DEFAULT_SETTLEMENT_POLICY,
  parseSettlementPolicy,
  type SettlementPolicy,
} from './core/settlement/policy.js';

export interface Config {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** PostgreSQL server URL; when unset the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  /** Folder of the embedded database and of the key file. */
  dataDir: string;
  /** Load the demo portfolio on the first start of an empty embedded database. */
  demo: boolean;
  /** When set, the user `admin` (role admin) exists and this bearer token authenticates it. */
  adminToken: string | null;
  /** 32-byte master key, base64 or hex; when unset a key file in `dataDir` is used. */
  masterKey: string | null;
  /** Where the key file lives when no master key is given. */
  keyFile: string;
  /** Pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Session lifetime for console logins. */
  sessionTtlMs: number;
  /** Login attempts allowed per IP address and username in `loginWindowMs`. */
  loginAttemptsMax: number;
  loginWindowMs: number;
  /** Mark session cookies `Secure` (set behind HTTPS). */
  secureCookies: boolean;
  /** Folder of the built console; null disables serving it. */
  consoleDir: string | null;
  /** Screening policy: the default, overridden by SETTLEGUARD_POLICY_FILE (JSON). */
  policy: ScreeningPolicy;
  /** NATS server of the transaction stream; null: no stream consumer. */
  natsUrl: string | null;
  /** TCP port for mirrored ISO 8583 traffic; null: no listener. */
  iso8583Port: number | null;
  /** Field encoding of that traffic: CUP-style BCD or ASCII. */
  iso8583Encoding: 'bcd' | 'ascii';
  /** Settlement cycles, fee rates, cooling-off and calendar: SETTLEGUARD_SETTLEMENT_FILE. */
  settlementPolicy: SettlementPolicy;
  /** Make the scheduled settlement runs in this process. */
  settlementSchedule: boolean;
  /**
   * Folder of the content-addressed evidence files: SETTLEGUARD_EVIDENCE_DIR, by default
   * `<dataDir>/evidence`. With several instances on one PostgreSQL server it must be storage
   * they all share.
   */
  evidenceDir: string;
  /**
   * How long a job claimed by an instance stays its own: a job whose instance died is taken
   * again after this (SETTLEGUARD_JOB_LEASE_SECONDS, 15..3600, default 60). It must outlast the
   * longest handler (a webhook delivery times out after 10 s).
   */
  jobLeaseMs: number;
  /** SMTP server for e-mail notifications (`smtp://host:port`); null: e-mail is off. */
  smtpUrl: string | null;
  /** The From of notification e-mails; set together with smtpUrl. */
  mailFrom: string | null;
  /** The console's public address, for absolute links in e-mails; null: paths only. */
  publicUrl: string | null;
  /**
   * Account changes per merchant: at most `max` (SETTLEGUARD_ACCOUNT_CHANGE_MAX, default 2)
   * completed or in progress in `windowDays` days (SETTLEGUARD_ACCOUNT_CHANGE_WINDOW_DAYS, 30).
   */
  accountChangePolicy: { max: number; windowDays: number };
  /**
   * Server processes sharing the port (SETTLEGUARD_WORKERS: a number from 1 to 64, or `auto`
   * for one per core). More than one needs DATABASE_URL: the embedded database belongs to one
   * process. See src/cluster.ts.
   */
  workers: number;
  /**
   * This process's place among them, 0 for the first or only one: set by the cluster's primary
   * for each process it starts (SETTLEGUARD_WORKER_INDEX), never by hand.
   */
  workerIndex: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(options: {
  env: Env;
  argv?: readonly string[];
  cwd: string;
  projectRoot: string;
}): Config {
  const { env, argv = [], cwd, projectRoot } = options;
  const dataDir = path.resolve(cwd, env.SETTLEGUARD_DATA_DIR ?? './data');
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const adminToken = env.SETTLEGUARD_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('SETTLEGUARD_ADMIN_TOKEN must be at least 16 characters long');
  }
  const databaseUrl = env.DATABASE_URL || null;
  const workers = workersOf(env.SETTLEGUARD_WORKERS);
  if (workers > 1 && databaseUrl === null) {
    throw new ConfigError(
      `SETTLEGUARD_WORKERS=${String(workers)} needs DATABASE_URL: the embedded database can be opened by one process only`,
    );
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    demo: !argv.includes('--no-demo') && flag(env, 'SETTLEGUARD_DEMO', true),
    adminToken,
    masterKey: env.SETTLEGUARD_MASTER_KEY || null,
    keyFile: path.resolve(cwd, env.SETTLEGUARD_KEY_FILE ?? path.join(dataDir, 'master.key')),
    logLevel,
    sessionTtlMs: integer(env, 'SETTLEGUARD_SESSION_TTL_MINUTES', 480, 5, 7 * 24 * 60) * 60_000,
    loginAttemptsMax: integer(env, 'SETTLEGUARD_LOGIN_ATTEMPTS_MAX', 10, 1, 1000),
    loginWindowMs: integer(env, 'SETTLEGUARD_LOGIN_WINDOW_SECONDS', 300, 1, 86_400) * 1000,
    secureCookies: flag(env, 'SETTLEGUARD_SECURE_COOKIES', false),
    consoleDir: path.join(projectRoot, 'console', 'dist'),
    policy: env.SETTLEGUARD_POLICY_FILE
      ? loadPolicy(path.resolve(cwd, env.SETTLEGUARD_POLICY_FILE))
      : DEFAULT_POLICY,
    natsUrl: env.NATS_URL || null,
    iso8583Port: env.SETTLEGUARD_ISO8583_PORT
      ? integer(env, 'SETTLEGUARD_ISO8583_PORT', 0, 1, 65535)
      : null,
    iso8583Encoding: iso8583Encoding(env.SETTLEGUARD_ISO8583_ENCODING),
    settlementPolicy: env.SETTLEGUARD_SETTLEMENT_FILE
      ? loadSettlementPolicy(path.resolve(cwd, env.SETTLEGUARD_SETTLEMENT_FILE))
      : DEFAULT_SETTLEMENT_POLICY,
    settlementSchedule: flag(env, 'SETTLEGUARD_SETTLEMENT_SCHEDULE', true),
    evidenceDir: path.resolve(cwd, env.SETTLEGUARD_EVIDENCE_DIR || path.join(dataDir, 'evidence')),
    jobLeaseMs: integer(env, 'SETTLEGUARD_JOB_LEASE_SECONDS', 60, 15, 3600) * 1000,
    ...mailConfig(env),
    publicUrl: publicUrl(env.SETTLEGUARD_PUBLIC_URL),
    accountChangePolicy: {
      max: integer(env, 'SETTLEGUARD_ACCOUNT_CHANGE_MAX', 2, 1, 100),
      windowDays: integer(env, 'SETTLEGUARD_ACCOUNT_CHANGE_WINDOW_DAYS', 30, 1, 3650),
    },
    workers,
    workerIndex: integer(env, 'SETTLEGUARD_WORKER_INDEX', 0, 0, WORKERS_MAX - 1),
  };
}

const WORKERS_MAX = 64;

function workersOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return Math.min(os.availableParallelism(), WORKERS_MAX);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > WORKERS_MAX) {
    throw new ConfigError(
      `SETTLEGUARD_WORKERS must be auto or an integer from 1 to ${String(WORKERS_MAX)}, got "${raw}"`,
    );
  }
  return value;
}

const MAIL_FROM =
  /^(?:[^<>\r\n]{0,100}<[^\s<>@]{1,64}@[^\s<>@]{1,189}>|[^\s<>@]{1,64}@[^\s<>@]{1,189})$/;

/** E-mail is on when both the SMTP server and the From address are set; one alone is a mistake. */
function mailConfig(env: Env): { smtpUrl: string | null; mailFrom: string | null } {
  const smtpUrl = env.SETTLEGUARD_SMTP_URL || null;
  const mailFrom = env.SETTLEGUARD_MAIL_FROM?.trim() || null;
  if (smtpUrl === null && mailFrom === null) return { smtpUrl: null, mailFrom: null };
  if (smtpUrl === null || mailFrom === null) {
    throw new ConfigError(
      'Set SETTLEGUARD_SMTP_URL and SETTLEGUARD_MAIL_FROM together (or neither: e-mail off)',
    );
  }
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new ConfigError('SETTLEGUARD_SMTP_URL must be a URL like smtp://host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError('SETTLEGUARD_SMTP_URL must start with smtp:// or smtps://');
  }
  if (!MAIL_FROM.test(mailFrom)) {
    throw new ConfigError(
      'SETTLEGUARD_MAIL_FROM must be an address, optionally with a name: SettleGuard <alerts@example.com>',
    );
  }
  return { smtpUrl, mailFrom };
}

function publicUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    // Falls through to the error below.
  }
  throw new ConfigError(
    'SETTLEGUARD_PUBLIC_URL must be an http(s) URL like https://guard.example.com',
  );
}

function iso8583Encoding(raw: string | undefined): 'bcd' | 'ascii' {
  if (raw === undefined || raw === '' || raw === 'bcd') return 'bcd';
  if (raw === 'ascii') return 'ascii';
  throw new ConfigError(`SETTLEGUARD_ISO8583_ENCODING must be bcd or ascii, got "${raw}"`);
}

/** Reads the settlement policy file (JSON); every field is checked by name and format. */
export function loadSettlementPolicy(file: string): SettlementPolicy {
  try {
    return parseSettlementPolicy(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      `SETTLEGUARD_SETTLEMENT_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Reads a policy file: any part of the default may be given; rules and decisions are checked
 * by name so that a typo stops the start instead of silently screening less.
 */
export function loadPolicy(file: string): ScreeningPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `SETTLEGUARD_POLICY_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const given = parsed as Partial<ScreeningPolicy>;
  const decisions = { ...DEFAULT_POLICY.decisions };
  for (const [rule, decision] of Object.entries(given.decisions ?? {})) {
    if (!(RULES as readonly string[]).includes(rule)) {
      throw new ConfigError(`Policy: unknown rule "${rule}"; rules are ${RULES.join(', ')}`);
    }
    if (!(DECISIONS as readonly unknown[]).includes(decision)) {
      throw new ConfigError(
        `Policy: rule ${rule} has decision ${JSON.stringify(decision)}; use ok, review or contain`,
      );
    }
    decisions[rule as keyof typeof decisions] = decision;
  }
  return {
    decisions,
    suspendAllTerminals: given.suspendAllTerminals ?? DEFAULT_POLICY.suspendAllTerminals,
    postChangeSpike: { ...DEFAULT_POLICY.postChangeSpike, ...given.postChangeSpike },
    minimumFirmware: { ...DEFAULT_POLICY.minimumFirmware, ...given.minimumFirmware },
  };
}
