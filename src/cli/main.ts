#!/usr/bin/env node
/**
 * `settleguard` command line (run as `npm run settleguard -- <command>`):
 *   user add NAME --role ROLE [--merchant NO]... [--password-stdin]
 *   import FILE [--format ndjson|csv]
 *   audit verify
 *   ingest FILE [--format ndjson|iso8583] [--encoding bcd|ascii]
 *   simulate [--url URL --token TOKEN] [--seed N] [--merchants N] [--days N] [--json]
 *   settle --date YYYY-MM-DD [--cycle T1|D1|D0]
 *   settle-results FILE [--format csv|ndjson]
 *   ledger verify
 *   evidence verify [INCIDENT]
 *   evidence export INCIDENT [--out DIR]
 * It opens the same database as the server. The embedded database can be open in one process
 * at a time: stop the server first, or use the HTTP API while it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../boot.js';
import { loadConfig, type Config } from '../config.js';
import { RegistryIndex } from '../app/screening/registry-index.js';
import { ingestIso8583File, ingestNdjsonFile, type IngestSummary } from '../ingest/ingest-file.js';
import { createContext, type AppContext } from '../app/context.js';
import { createUser } from '../app/users/create-user.js';
import { verifyAuditTrail } from '../app/audit.js';
import { importPortfolio, IMPORT_BATCH_MAX } from '../app/registry/import-portfolio.js';
import { DomainError } from '../core/errors.js';
import { ROLES, type Role } from '../core/roles.js';
import { PROJECT_ROOT } from '../project-root.js';
import { simulateCommand } from '../sim/cli.js';
import { readPortfolioFile } from '../ingest/portfolio-file.js';
import { createRun } from '../app/settlement/create-run.js';
import { runTotals } from '../app/settlement/queries.js';
import { recordResults, RESULTS_BATCH_MAX } from '../app/settlement/record-results.js';
import { verifyLedger } from '../app/ledger/verify.js';
import { CYCLES, type Cycle } from '../core/settlement/calendar.js';
import { parseResultsFile } from '../core/settlement/results-file.js';
import { EvidenceStore } from '../app/evidence/store.js';
import { verifyEvidence } from '../app/evidence/verify.js';
import { exportEvidenceBundle } from '../app/evidence/export.js';
import { findIncidentForEvidence } from '../app/evidence/queries.js';

const USAGE = `Usage: settleguard <command>
  user add NAME --role ROLE [--merchant NO]... [--password-stdin]
      Creates a user and prints its bearer token (shown once).
      ROLE: ${ROLES.join(', ')}
  import FILE [--format ndjson|csv]
      Imports a portfolio file; prints a summary and every refused line with its code.
  audit verify
      Recomputes the audit hash chain; exit code 1 names the first broken entry.
  ingest FILE [--format ndjson|iso8583] [--encoding bcd|ascii]
      Screens and stores a file of transactions (NDJSON, or ISO 8583 frames with a 2-byte
      length prefix), streamed in batches of 1,000, with a progress line and a summary.
  simulate [--url URL --token TOKEN] [--seed N] [--merchants N] [--days N] [--json]
      Builds a world with labelled faults of every kind, sends it through the API (of URL, or
      of a temporary server) and reports per rule: injected, detected, missed, false alarms.
  settle --date YYYY-MM-DD [--cycle T1|D1|D0]
      Makes the settlement run of a business date (the same date again shows the first run).
  settle-results FILE [--format csv|ndjson]
      Records the bank's results (CSV header lineId,status,reason,bankReference, or NDJSON);
      the same file twice changes nothing. Exit code 1 when a line was refused.
  ledger verify
      Checks the ledger balances and matches the transactions; exit code 1 names what does not.
  evidence verify [INCIDENT]
      Checks every evidence file against its SHA-256, every evidence row against its audit
      entry, and the audit chain (of one incident, or all); exit code 1 names each problem.
  evidence export INCIDENT [--out DIR]
      Writes the incident's evidence bundle (files named by hash, manifest.json, SHA256SUMS
      for \`sha256sum -c\`) into DIR, a new or empty folder (default ./evidence-INCIDENT).
`;

async function withContext<T>(
  work: (ctx: AppContext, config: Config) => Promise<T>,
  options: { index?: boolean } = {},
): Promise<T> {
  const config = loadConfig({ env: process.env, cwd: process.cwd(), projectRoot: PROJECT_ROOT });
  const { db, vault } = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    masterKey: config.masterKey,
    keyFile: config.keyFile,
  });
  try {
    let index: RegistryIndex | null = null;
    if (options.index) {
      index = new RegistryIndex({ policy: config.policy });
      await index.loadAll(db);
    }
    return await work(createContext({ db, vault, index }), config);
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

function formatProgress(summary: IngestSummary, bytesTotal: number, startedMs: number): string {
  const seconds = Math.max((Date.now() - startedMs) / 1000, 0.001);
  const done = summary.accepted + summary.duplicate + summary.rejected + summary.skipped;
  const percent = bytesTotal > 0 ? Math.min(100, (summary.bytesRead / bytesTotal) * 100) : 100;
  const width = 24;
  const filled = Math.round((percent / 100) * width);
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent.toFixed(1)}%  ` +
    `${done.toLocaleString('en')} lines  ${summary.accepted.toLocaleString('en')} accepted  ` +
    `${summary.rejected.toLocaleString('en')} refused  ${summary.decisions.contain} contained  ` +
    `${Math.round(done / seconds).toLocaleString('en')}/s`
  );
}

async function ingestFile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, encoding: { type: 'string' } },
  });
  const file = positionals[0];
  const format =
    values.format ?? (file?.endsWith('.ndjson') || file?.endsWith('.jsonl') ? 'ndjson' : undefined);
  if (!file || (format !== 'ndjson' && format !== 'iso8583')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const encoding = values.encoding ?? 'bcd';
  if (encoding !== 'bcd' && encoding !== 'ascii') {
    process.stderr.write(USAGE);
    return 2;
  }
  const startedMs = Date.now();
  let lastDrawMs = 0;
  const tty = process.stderr.isTTY;
  const onProgress = (summary: IngestSummary, bytesTotal: number) => {
    const now = Date.now();
    // Redrawn in place on a terminal; a line every few seconds into a log.
    if (now - lastDrawMs < (tty ? 100 : 5000)) return;
    lastDrawMs = now;
    process.stderr.write(
      `${tty ? '\r' : ''}${formatProgress(summary, bytesTotal, startedMs)}${tty ? '' : '\n'}`,
    );
  };
  const summary = await withContext(
    (ctx, config) =>
      format === 'ndjson'
        ? ingestNdjsonFile(ctx, file, { policy: config.policy, onProgress })
        : ingestIso8583File(ctx, file, { policy: config.policy, onProgress, encoding }),
    { index: true },
  );
  process.stderr.write(
    `${tty ? '\r' : ''}${formatProgress(summary, summary.bytesRead, startedMs)}\n`,
  );
  for (const refusal of summary.refusals) {
    process.stdout.write(`line ${refusal.line}: ${refusal.code}: ${refusal.message}\n`);
  }
  if (summary.rejected > summary.refusals.length) {
    process.stdout.write(
      `… and ${summary.rejected - summary.refusals.length} more refused lines\n`,
    );
  }
  process.stdout.write(
    `Read ${summary.lines} line(s): ${summary.accepted} accepted, ${summary.duplicate} duplicate, ` +
      `${summary.rejected} refused, ${summary.skipped} skipped. Decisions: ${summary.decisions.ok} ok, ` +
      `${summary.decisions.review} review, ${summary.decisions.contain} contain.\n`,
  );
  return summary.rejected > 0 ? 1 : 0;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

async function settle(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { date: { type: 'string' }, cycle: { type: 'string' } },
  });
  const cycle = values.cycle as Cycle | undefined;
  if (!values.date || (cycle !== undefined && !CYCLES.includes(cycle))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const businessDate = values.date;
  return withContext(async (ctx, config) => {
    const { run, created } = await createRun(ctx, null, config.settlementPolicy, {
      businessDate,
      ...(cycle ? { cycle } : {}),
      trigger: 'manual',
      actor: 'cli',
    });
    const t = await runTotals(ctx.db, run.id);
    process.stdout.write(
      `${created ? 'Settlement run made' : 'Settlement run already made'}: ${run.id} (${run.business_date}, ${run.cycle})\n` +
        `  ${t.lines} line(s): ${t.readyCount} ready ¥${yuan(t.readyFen)}, ${t.heldCount} held ¥${yuan(t.heldFen)}, ` +
        `${t.carriedCount} carried ¥${yuan(t.carriedFen)}, ${t.paidCount} paid, ${t.returnedCount} returned; ` +
        `fees ¥${yuan(t.feesFen)}\n`,
    );
    return 0;
  });
}

async function settleResults(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' } },
  });
  const file = positionals[0];
  const format =
    values.format ?? (file?.endsWith('.ndjson') || file?.endsWith('.jsonl') ? 'ndjson' : 'csv');
  if (!file || (format !== 'csv' && format !== 'ndjson')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { records, problems } = parseResultsFile(fs.readFileSync(file, 'utf8'), format);
  for (const p of problems) process.stdout.write(`line ${p.line}: ${p.message}\n`);
  const totals = { applied: 0, unchanged: 0, rejected: 0 };
  await withContext(async (ctx) => {
    for (let i = 0; i < records.length; i += RESULTS_BATCH_MAX) {
      const outcome = await recordResults(ctx, null, records.slice(i, i + RESULTS_BATCH_MAX), {
        actor: 'cli',
      });
      totals.applied += outcome.applied;
      totals.unchanged += outcome.unchanged;
      totals.rejected += outcome.rejected;
      for (const r of outcome.results) {
        if (r.error) process.stdout.write(`${r.lineId}: ${r.error.code}: ${r.error.message}\n`);
      }
    }
  });
  process.stdout.write(
    `Read ${records.length + problems.length} result(s): ${totals.applied} applied, ` +
      `${totals.unchanged} unchanged, ${totals.rejected + problems.length} refused.\n`,
  );
  return totals.rejected + problems.length > 0 ? 1 : 0;
}

async function ledgerVerify(): Promise<number> {
  const verdict = await withContext((ctx) => verifyLedger(ctx.db, ctx.now()));
  if (verdict.balanced) {
    process.stdout.write(
      `Ledger balanced: ${verdict.journals} journals, ${verdict.postings} postings, ` +
        `${verdict.merchants} merchants checked against their transactions.\n`,
    );
    return 0;
  }
  process.stdout.write(`Ledger NOT balanced: ${verdict.problems.length} problem(s)\n`);
  for (const p of verdict.problems) process.stdout.write(`  ${p.code}: ${p.message}\n`);
  return 1;
}

async function evidenceVerify(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const incident = positionals[0] ?? null;
  const verdict = await withContext(async (ctx, config) => {
    const incidentId = incident ? (await findIncidentForEvidence(ctx.db, incident)).id : null;
    return verifyEvidence(ctx.db, new EvidenceStore(config.evidenceDir), { incidentId });
  });
  const scope = incident ? `incident ${incident}` : 'all incidents';
  if (verdict.ok) {
    process.stdout.write(
      `Evidence intact (${scope}): ${verdict.items} item(s) match their files and audit entries; ` +
        `audit chain of ${verdict.auditChain.entries} entries verified.\n`,
    );
    return 0;
  }
  process.stdout.write(`Evidence NOT intact (${scope}): ${verdict.problems.length} problem(s)\n`);
  for (const p of verdict.problems) process.stdout.write(`  ${p.code}: ${p.message}\n`);
  return 1;
}

async function evidenceExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' } },
  });
  const incident = positionals[0];
  if (!incident) {
    process.stderr.write(USAGE);
    return 2;
  }
  const dir = path.resolve(values.out ?? `evidence-${incident}`);
  const summary = await withContext((ctx, config) =>
    exportEvidenceBundle(ctx, new EvidenceStore(config.evidenceDir), { incidentId: incident, dir }),
  );
  process.stdout.write(
    `Wrote ${summary.dir}: ${summary.items} item(s) in ${summary.files} file(s), manifest.json and SHA256SUMS.\n` +
      `Check it with: (cd ${JSON.stringify(summary.dir)} && sha256sum -c SHA256SUMS)\n`,
  );
  for (const p of summary.problems) {
    process.stdout.write(`  ${p.code}: evidence ${p.evidenceId} (${p.sha256}) left out\n`);
  }
  return summary.problems.length > 0 ? 1 : 0;
}

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'user' && sub === 'add') return userAdd(rest);
  if (command === 'import' && sub) return importFile([sub, ...rest]);
  if (command === 'audit' && sub === 'verify') return auditVerify();
  if (command === 'ingest' && sub) return ingestFile([sub, ...rest]);
  if (command === 'settle') return settle(argv.slice(1));
  if (command === 'settle-results' && sub) return settleResults([sub, ...rest]);
  if (command === 'ledger' && sub === 'verify') return ledgerVerify();
  if (command === 'evidence' && sub === 'verify') return evidenceVerify(rest);
  if (command === 'evidence' && sub === 'export') return evidenceExport(rest);
  if (command === 'simulate') {
    return simulateCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  }
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
