/**
 * Several server processes on one port (SETTLEGUARD_WORKERS), on a PostgreSQL server.
 *
 * One Node.js process does its JavaScript on one core. A busy ingest keeps that core at 80 %
 * while PostgreSQL and the other cores wait for it (ADR 20). This primary process starts the
 * given number of server processes with `node:cluster`. They share the HTTP port and the ISO
 * 8583 port: the primary accepts each connection and hands it to the next process in turn.
 * Each process is a whole SettleGuard, as a second instance on the same database would be. It
 * has its own registry index, which follows every change through LISTEN/NOTIFY. Migrations
 * take an advisory lock, jobs are leased, settlement runs are idempotent, and the JetStream
 * consumer is shared. Only the first process makes the scheduled settlement runs.
 *
 * The first process starts alone, so that it applies the migrations and creates the key file on
 * a first start before the others open the database. A process that dies is started again
 * (after 1 s, doubling to 30 s while it keeps dying). SIGTERM or SIGINT stops them all
 * gracefully. A process whose primary is gone stops too.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';

/** What a server process tells the primary once it listens. */
const READY_MESSAGE = 'settleguard:ready';
const RESTART_DELAY_MIN_MS = 1000;
const RESTART_DELAY_MAX_MS = 30_000;
/** Deaths further apart than this do not count towards a longer delay. */
const CRASH_MEMORY_MS = 5 * 60_000;
/** How long the processes have to finish their requests when asked to stop. */
const STOP_GRACE_MS = 30_000;

interface Output {
  write(line: string): void;
}

interface Slot {
  worker: Worker | null;
  deaths: number[];
  restart: NodeJS.Timeout | null;
}

/** Runs in the primary: starts the server processes, keeps them running, stops them. */
export async function runPrimary(
  config: Pick<Config, 'workers'>,
  io: { out: Output; err: Output } = { out: process.stdout, err: process.stderr },
): Promise<void> {
  const slots: Slot[] = Array.from({ length: config.workers }, () => ({
    worker: null,
    deaths: [],
    restart: null,
  }));
  let stopping = false;

  /** Starts the process of `index`; resolves with its URL once it listens. */
  const start = (index: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const slot = slots[index] as Slot;
      const worker = cluster.fork({ SETTLEGUARD_WORKER_INDEX: String(index) });
      slot.worker = worker;
      let ready = false;
      worker.on('message', (message: unknown) => {
        const m = message as { type?: unknown; url?: unknown } | null;
        if (ready || m?.type !== READY_MESSAGE || typeof m.url !== 'string') return;
        ready = true;
        resolve(m.url);
      });
      worker.once('exit', (code, signal) => {
        if (slot.worker === worker) slot.worker = null;
        if (!ready) {
          if (stopping) return;
          reject(
            new Error(
              `server process ${String(index)} exited (${signal ?? String(code)}) before it was ready`,
            ),
          );
          return;
        }
        if (stopping) return;
        const now = Date.now();
        slot.deaths = [...slot.deaths.filter((t) => now - t < CRASH_MEMORY_MS), now];
        const delay = Math.min(
          RESTART_DELAY_MAX_MS,
          RESTART_DELAY_MIN_MS * 2 ** (slot.deaths.length - 1),
        );
        io.err.write(
          `SettleGuard server process ${String(index)} (pid ${String(worker.process.pid)}) exited ` +
            `(${signal ?? `code ${String(code)}`}); starting it again in ${String(delay / 1000)} s\n`,
        );
        slot.restart = setTimeout(() => {
          slot.restart = null;
          if (stopping) return;
          // Its death, if it dies again before it is ready, is written by the process itself.
          start(index).catch((error: unknown) => {
            if (!stopping) {
              io.err.write(`${error instanceof Error ? error.message : String(error)}\n`);
            }
          });
        }, delay);
      });
    });

  /** Asks every process to stop; kills those still running after the grace period. */
  const stopAll = async (): Promise<boolean> => {
    stopping = true;
    const running: Worker[] = [];
    for (const slot of slots) {
      if (slot.restart) clearTimeout(slot.restart);
      slot.restart = null;
      if (slot.worker && slot.worker.process.exitCode === null) running.push(slot.worker);
    }
    // A ready process stops gracefully and exits 0; one still starting dies of the signal.
    const clean = await Promise.all(
      running.map(
        (worker) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
            worker.once('exit', (code, signal) => {
              clearTimeout(timer);
              resolve(code === 0 || signal === 'SIGTERM');
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    return clean.every(Boolean);
  };

  let url: string;
  try {
    url = await start(0);
    await Promise.all(slots.slice(1).map((_, i) => start(i + 1)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  io.out.write(
    `SettleGuard 收款账户卫士 is running at ${url} (PostgreSQL, ${String(config.workers)} server processes)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      io.out.write(`${signal}: stopping ${String(config.workers)} server processes\n`);
      // stopAll does not reject: each process's end resolves its promise.
      void stopAll().then((clean) => {
        process.exitCode = clean ? 0 : 1;
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

/** In a server process the primary started: tell it where this process listens. */
export function announceReady(url: string): void {
  if (process.connected) process.send?.({ type: READY_MESSAGE, url });
}
