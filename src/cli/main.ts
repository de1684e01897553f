#!/usr/bin/env node
/**
 * `settleguard` command line (run as `npm run settleguard -- <command>`):
 *   user add NAME --role ROLE [--merchant NO]... [--password-stdin]
 *   import FILE [--format ndjson|csv]
 *   audit verify
 * It opens the same database as the server. The embedded database can be open in one process
 * at a time: stop the server first, or use the HTTP API while it runs.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openStore } from '../boot.js';
import { loadConfig } from '../config.js';
import { createContext, type AppContext } from '../app/context.js';
import { createUser } from '../app/users/create-user.js';
import { verifyAuditTrail } from '../app/audit.js';
import { importPortfolio, IMPORT_BATCH_MAX } from '../app/registry/import-portfolio.js';
import { DomainError } from '../core/errors.js';
import { ROLES, type Role } from '../core/roles.js';
import { PROJECT_ROOT } from '../project-root.js';
import { readPortfolioFile } from '../ingest/portfolio-file.js';

const USAGE = `Usage: settleguard <command>
  user add NAME --role ROLE [--merchant NO]... [--password-stdin]
      Creates a user and prints its bearer token (shown once).
      ROLE: ${ROLES.join(', ')}
  import FILE [--format ndjson|csv]
      Imports a portfolio file; prints a summary and every refused line with its code.
  audit verify
      Recomputes the audit hash chain; exit code 1 names the first broken entry.
`;

async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env, cwd: process.cwd(), projectRoot: PROJECT_ROOT });
  const { db, vault } = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    masterKey: config.masterKey,
    keyFile: config.keyFile,
  });
  try {
    return await work(createContext({ db, vault }));
  } finally {
    await db.close();
  }
}

async function userAdd(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      merchant: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
    },
  });
  const username = positionals[0];
  if (!username || !values.role) {
    process.stderr.write(USAGE);
    return 2;
  }
  const password = values['password-stdin']
    ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '')
    : undefined;
  const user = await withContext((ctx) =>
    createUser(ctx, null, {
      username,
      role: values.role as Role,
      merchantNos: values.merchant ?? [],
      ...(password === undefined ? {} : { password }),
    }),
  );
  process.stdout.write(
    `Created ${user.username} (${user.role}${user.merchantNos.length ? `, merchants ${user.merchantNos.join(', ')}` : ''}).\n` +
      `Token (shown once, keep it safe):\n${user.token}\n`,
  );
  return 0;
}

async function importFile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' } },
  });
  const file = positionals[0];
  const format = values.format;
  if (!file || (format !== undefined && format !== 'ndjson' && format !== 'csv')) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withContext(async (ctx) => {
    let imported = 0;
    let refused = 0;
    let batch: { line: number; record: unknown }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await importPortfolio(
        ctx,
        null,
        batch.map((b) => b.record),
        { actor: 'cli' },
      );
      imported += result.imported;
      for (const failure of result.failed) {
        refused += 1;
        const line = batch[failure.index]?.line ?? '?';
        process.stdout.write(`line ${line}: ${failure.code}: ${failure.message}\n`);
      }
      batch = [];
      process.stderr.write(`\r${imported} imported, ${refused} refused`);
    };
    for await (const parsed of readPortfolioFile(file, format)) {
      if ('error' in parsed) {
        refused += 1;
        process.stdout.write(`line ${parsed.line}: import_format: ${parsed.error}\n`);
        continue;
      }
      batch.push(parsed);
      if (batch.length >= IMPORT_BATCH_MAX) await flush();
    }
    await flush();
    process.stderr.write('\n');
    process.stdout.write(`Imported ${imported} record(s); refused ${refused}.\n`);
    return refused > 0 ? 1 : 0;
  });
}

async function auditVerify(): Promise<number> {
  const verdict = await withContext((ctx) => verifyAuditTrail(ctx.db));
  if (verdict.ok) {
    process.stdout.write(`Audit trail intact: ${verdict.entries} entries verified.\n`);
    return 0;
  }
  process.stdout.write(
    `Audit trail BROKEN at entry ${verdict.firstBrokenSeq} (${verdict.problem}); ${verdict.entries} entries read.\n`,
  );
  return 1;
}

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'user' && sub === 'add') return userAdd(rest);
  if (command === 'import' && sub) return importFile([sub, ...rest]);
  if (command === 'audit' && sub === 'verify') return auditVerify();
  process.stderr.write(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DomainError) {
      const details = error.issues.map((i) => `\n  ${i.path}: ${i.code}: ${i.message}`).join('');
      process.stderr.write(`${error.code}: ${error.message}${details}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(1);
  },
);
