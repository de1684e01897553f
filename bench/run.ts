/**
 * `npm run bench` runs every benchmark; `npm run bench -- screening` (or ingest, pglite,
 * authorize, settlement; several may be named) runs only those. Prints one table: each figure with its
 * target and a baseline measured in the same run. Exits 0 whatever the figures (a missed
 * target reads MISSED); 1 only when a benchmark crashes.
 *
 * Each benchmark runs in a process of its own (this script again, with the same Node flags),
 * as a server would: a benchmark that comes after another must not pay for the first one's
 * heap. After the ingest benchmark the process held 800 MB, and every young-generation
 * collection during authorize-check's run then paused 3–5 ms instead of about 1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAuthorize } from './authorize.js';
import { runIngestPglite, runIngestPostgres } from './ingest.js';
import { runScreening } from './screening.js';
import { runSettlementPglite, runSettlementPostgres } from './settlement.js';
import { formatTable, log, machineLine, met, type ResultRow } from './support.js';

const BENCHMARKS: Record<string, () => Promise<ResultRow[]>> = {
  screening: () => runScreening(),
  ingest: () => runIngestPostgres(),
  pglite: () => runIngestPglite(),
  authorize: () => runAuthorize(),
  settlement: async () => [...(await runSettlementPostgres()), ...(await runSettlementPglite())],
};

/** Where a benchmark's own process writes its rows (set for the child only). */
const ROWS_FILE_ENV = 'SETTLEGUARD_BENCH_ROWS_FILE';

/** Runs one benchmark in a fresh process of this script; its rows, or a crash. */
async function runIsolated(name: string): Promise<ResultRow[]> {
  const rowsFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'settleguard-bench-')),
    'rows.json',
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), name],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: { ...process.env, [ROWS_FILE_ENV]: rowsFile },
        },
      );
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`the ${name} benchmark's process exited with ${String(code)}`);
    return JSON.parse(fs.readFileSync(rowsFile, 'utf8')) as ResultRow[];
  } finally {
    fs.rmSync(path.dirname(rowsFile), { recursive: true, force: true });
  }
}

/** In a benchmark's own process: run it, write its rows for the parent. */
async function child(name: string, rowsFile: string): Promise<number> {
  const run = BENCHMARKS[name];
  if (!run) return 2;
  const rows = await run();
  fs.writeFileSync(rowsFile, JSON.stringify(rows));
  return 0;
}

async function main(): Promise<number> {
  const rowsFile = process.env[ROWS_FILE_ENV];
  if (rowsFile) return child(process.argv[2] ?? '', rowsFile);
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}\n`,
    );
    return 2;
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
  const startedAt = new Date();
  const machineBefore = machineLine();
  const rows: ResultRow[] = [];
  let crashed = false;
  for (const name of names) {
    const start = performance.now();
    try {
      rows.push(...(await runIsolated(name)));
      log(`${name} done in ${(Math.round(performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (error) {
      crashed = true;
      process.stderr.write(`[bench] ${name} crashed: ${(error as Error).stack ?? String(error)}\n`);
    }
  }
  const missed = rows.filter((row) => met(row) === false).length;
  const hit = rows.filter((row) => met(row) === true).length;
  const info = rows.length - missed - hit;
  process.stdout.write(
    [
      '',
      `SettleGuard benchmarks, ${startedAt.toISOString()}`,
      `machine at start: ${machineBefore}`,
      `machine at end:   ${machineLine()}`,
      'Shared machine: figures vary from run to run; compare each with its baseline from this run.',
      '',
      formatTable(rows),
      '',
      `targets: ${String(hit)} met, ${String(missed)} MISSED; ${String(info)} row(s) for information` +
        (crashed ? '; a benchmark CRASHED (see above)' : ''),
      '',
    ].join('\n'),
  );
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
