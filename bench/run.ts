/**
 * `npm run bench` runs every benchmark; `npm run bench -- screening` (or ingest, pglite,
 * authorize, settlement; several may be named) runs only those. Prints one table: each figure with its
 * target and a baseline measured in the same run. Exits 0 whatever the figures (a missed
 * target reads MISSED); 1 only when a benchmark crashes.
 */
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

async function main(): Promise<number> {
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
    const run = BENCHMARKS[name];
    if (!run) continue;
    const start = performance.now();
    try {
      rows.push(...(await run()));
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
