/**
 * `settleguard simulate`: builds a world with labelled faults, runs it through a server's HTTP
 * API and prints how detection and containment did. Without `--url` it starts a server of its
 * own on a temporary embedded database and removes it afterwards.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { boot, openStore } from '../boot.js';
import { createContext } from '../app/context.js';
import { createUser } from '../app/users/create-user.js';
import { formatReport } from './format-report.js';
import {
  runSimulation,
  SIM_BATCH_SIZE_MAX,
  type SimulationProgress,
  type SimulationReport,
} from './run-simulation.js';
import { buildWorld, WORLD_MERCHANTS_MAX, WORLD_MERCHANTS_MIN } from './world.js';

export const SIMULATE_USAGE = `Usage: settleguard simulate [--url URL --token TOKEN] [options]
  Builds merchants, terminals, accounts and days of card traffic with labelled faults of every
  kind the rules detect, sends them through the HTTP API, and reports per rule what was
  injected, detected, missed and falsely raised, and how fast containment came.
  --url URL          server to use; without it a temporary server is started and removed
  --token TOKEN      bearer token of a user who may import, suspend and ingest (admin)
  --seed N           world seed (default 1)
  --merchants N      merchants, ${String(WORLD_MERCHANTS_MIN)} to ${String(WORLD_MERCHANTS_MAX)} (default 200)
  --days N           days of traffic before now, 1 to 30 (default 3)
  --per-day N        average purchases per merchant and day (default 20)
  --batch-size N     transactions per call, 1 to ${String(SIM_BATCH_SIZE_MAX)} (default ${String(SIM_BATCH_SIZE_MAX)})
  --json             print the report as JSON
  Exit code 0 when every fault was detected by its rule with no false alarm, 1 otherwise,
  2 for a usage error.
`;

export interface SimulateIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface Parsed {
  url: string | null;
  token: string | null;
  seed: number;
  merchants: number;
  days: number;
  perDay: number;
  batchSize: number;
  json: boolean;
}

function integer(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new RangeError(`--${name} must be a whole number`);
  return Number(raw);
}

function parse(args: string[]): Parsed {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      merchants: { type: 'string' },
      days: { type: 'string' },
      'per-day': { type: 'string' },
      'batch-size': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.url !== undefined && values.token === undefined) {
    throw new RangeError('--url needs --token');
  }
  const batchSize = integer(values['batch-size'], SIM_BATCH_SIZE_MAX, 'batch-size');
  if (batchSize < 1 || batchSize > SIM_BATCH_SIZE_MAX) {
    throw new RangeError(`--batch-size must be from 1 to ${String(SIM_BATCH_SIZE_MAX)}`);
  }
  return {
    url: values.url ?? null,
    token: values.token ?? null,
    seed: integer(values.seed, 1, 'seed'),
    merchants: integer(values.merchants, 200, 'merchants'),
    days: integer(values.days, 3, 'days'),
    perDay: integer(values['per-day'], 20, 'per-day'),
    batchSize,
    json: values.json ?? false,
  };
}

/** Progress on stderr: one line per phase, rewritten in place. */
function progressWriter(stderr: NodeJS.WritableStream): (p: SimulationProgress) => void {
  return (p) => {
    stderr.write(`\r${p.phase} ${String(p.done)}/${String(p.total)}`);
    if (p.done === p.total) stderr.write('\n');
  };
}

/**
 * A server of our own on a fresh embedded database. A user with a password is made first, so
 * that the first start does not print an initial admin password into the report's output.
 */
async function temporaryServer(): Promise<{
  url: string;
  token: string;
  close(): Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settleguard-sim-'));
  try {
    const store = await openStore({ dataDir });
    try {
      await createUser(createContext(store), null, {
        username: 'simulator',
        role: 'auditor',
        merchantNos: [],
        password: crypto.randomBytes(24).toString('base64url'),
      });
    } finally {
      await store.db.close();
    }
    const token = crypto.randomBytes(24).toString('base64url');
    const running = await boot({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      demo: false,
      adminToken: token,
      logLevel: 'warn',
      consoleDir: null,
    });
    return {
      url: running.url,
      token,
      async close() {
        try {
          await running.close();
        } finally {
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export async function simulateCommand(args: string[], io: SimulateIo): Promise<number> {
  let options: Parsed;
  let world: ReturnType<typeof buildWorld>;
  try {
    options = parse(args);
    world = buildWorld({
      seed: options.seed,
      merchants: options.merchants,
      days: options.days,
      transactionsPerMerchantPerDay: options.perDay,
      today: new Date(),
    });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${SIMULATE_USAGE}`);
    return 2;
  }
  io.stderr.write(
    `World ${world.tag}: ${String(world.registry.length)} merchants, ${String(world.transactions.length)} transactions, ${String(world.faults.length)} planted faults.\n`,
  );
  const server = options.url
    ? { url: options.url, token: options.token ?? '', close: async () => undefined }
    : await temporaryServer();
  let report: SimulationReport;
  try {
    if (!options.url) io.stderr.write(`Started a temporary server at ${server.url}.\n`);
    report = await runSimulation({
      baseUrl: server.url,
      token: server.token,
      world,
      batchSize: options.batchSize,
      onProgress: progressWriter(io.stderr),
    });
  } finally {
    await server.close();
  }
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.passed ? 0 : 1;
}
