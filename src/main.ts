/**
 * `npm start`: SettleGuard's server (API and console), in one process, or in several sharing
 * the port when SETTLEGUARD_WORKERS asks for more (src/cluster.ts).
 */
import cluster from 'node:cluster';
import { loadConfig, ConfigError } from './config.js';
import { boot } from './boot.js';
import { announceReady, runPrimary } from './cluster.js';
import { PROJECT_ROOT } from './project-root.js';

async function main(): Promise<void> {
  const config = loadConfig({
    env: process.env,
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    projectRoot: PROJECT_ROOT,
  });
  if (config.workers > 1 && cluster.isPrimary) {
    await runPrimary(config);
    process.exit();
  }
  const running = await boot({
    ...config,
    logLevel: config.logLevel,
    // Runs are idempotent, but one process asking is enough.
    settlementSchedule: config.settlementSchedule && config.workerIndex === 0,
  });
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
  running.app.log.info(`SettleGuard is serving ${running.url} on ${database}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.app.log.info(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (cluster.isWorker) {
    // The primary prints the line for all of them; without it, this process has no reason to run.
    if (!process.connected) {
      stop('primary gone');
      return;
    }
    process.on('disconnect', () => stop('primary gone'));
    announceReady(running.url);
  } else {
    // Printed as a plain line too, so that a person starting it sees where to go.
    process.stdout.write(`SettleGuard 收款账户卫士 is running at ${running.url} (${database})\n`);
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`SettleGuard could not start: ${message}\n`);
  process.exit(1);
});
