/**
 * The load generator: a second process, as the acquirer's switch would be, talking to the
 * server over loopback with keep-alive connections (node:http, nothing else). The parent
 * (support.ts `startClient`) sends it commands over IPC; each answer carries the command's id.
 *
 * Card numbers are generated here, sent in request bodies and nowhere else: never printed,
 * never written to a file.
 */
import http from 'node:http';
import {
  percentile,
  TransactionPlanner,
  type ClientCommand,
  type IngestRunResult,
  type OpenLoopResult,
} from './support.js';

interface Reply {
  status: number;
  body: Buffer;
}

function post(
  agent: http.Agent,
  target: URL,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Batch ingest: closed loop, a fixed number of requests in flight.

/** Times a batch answered with a 5xx is sent again before it counts as failed. */
const RESENDS_MAX = 10;

const batches: { warmup: Buffer[]; timed: Buffer[] } = { warmup: [], timed: [] };

function prepareIngest(command: Extract<ClientCommand, { cmd: 'prepare-ingest' }>): {
  warmupBatches: number;
  timedBatches: number;
  bytes: number;
} {
  const planner = new TransactionPlanner({
    seed: command.seed,
    sketch: command.sketch,
    faultShare: command.faultShare,
    faultPool: command.faultPool,
  });
  let serial = 0;
  const batch = (): Buffer => {
    const transactions = [];
    for (let i = 0; i < command.batchSize; i += 1) {
      const p = planner.next();
      serial += 1;
      transactions.push({
        id: `${command.idPrefix}-${String(serial)}`,
        terminalId: p.terminalId,
        merchantNo: p.merchantNo,
        type: p.type,
        status: p.status,
        amountFen: p.amountFen,
        currency: 'CNY',
        occurredAt: new Date(p.occurredAtMs).toISOString(),
        pan: planner.pan(),
        ...(p.merchantNameOnReceipt ? { merchantNameOnReceipt: p.merchantNameOnReceipt } : {}),
        rrn: planner.digits(12),
        stan: planner.digits(6),
        authCode: planner.digits(6),
        responseCode: p.status === 'approved' ? '00' : '51',
      });
    }
    return Buffer.from(JSON.stringify({ transactions }));
  };
  batches.warmup = Array.from({ length: command.warmupBatches }, batch);
  batches.timed = Array.from({ length: command.timedBatches }, batch);
  const bytes = batches.timed.reduce((sum, b) => sum + b.length, 0);
  return { warmupBatches: batches.warmup.length, timedBatches: batches.timed.length, bytes };
}

async function runIngest(
  command: Extract<ClientCommand, { cmd: 'run-ingest' }>,
): Promise<IngestRunResult> {
  const bodies = batches[command.phase];
  const target = new URL(command.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: command.concurrency });
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${command.token}`,
  };
  const outcomes: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  const requestMs: number[] = [];
  let httpErrors = 0;
  let firstError: string | null = null;
  let resent = 0;
  let firstResendCause: string | null = null;
  let transactions = 0;
  let next = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const worker = async (): Promise<void> => {
    for (;;) {
      const body = bodies[next];
      next += 1;
      if (body === undefined) return;
      const sent = performance.now();
      let reply = await post(agent, target, '/api/v1/transactions', headers, body);
      // A batch that failed whole (a 5xx: nothing of it was committed) is sent again, as a
      // switch delivering at least once would; ids make the resend safe.
      for (let attempt = 1; reply.status >= 500 && attempt <= RESENDS_MAX; attempt += 1) {
        resent += 1;
        firstResendCause ??= `HTTP ${String(reply.status)}: ${reply.body.toString('utf8').slice(0, 200)}`;
        reply = await post(agent, target, '/api/v1/transactions', headers, body);
      }
      requestMs.push(performance.now() - sent);
      if (reply.status !== 200) {
        httpErrors += 1;
        firstError ??= `HTTP ${String(reply.status)}: ${reply.body.toString('utf8').slice(0, 300)}`;
        continue;
      }
      const parsed = JSON.parse(reply.body.toString('utf8')) as {
        results: { outcome: string; decision?: string; error?: { code: string } }[];
      };
      for (const r of parsed.results) {
        transactions += 1;
        const key = r.outcome === 'rejected' ? `rejected:${r.error?.code ?? '?'}` : r.outcome;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (r.decision) decisions[r.decision] = (decisions[r.decision] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  const sorted = Float64Array.from(requestMs).sort();
  return {
    batches: bodies.length,
    transactions,
    elapsedMs,
    outcomes,
    decisions,
    httpErrors,
    firstError,
    resent,
    firstResendCause,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    requestMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: percentile(sorted, 1),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Open loop: requests at a fixed rate whatever the answers do, latency per request.

async function openLoop(
  command: Extract<ClientCommand, { cmd: 'open-loop' }>,
): Promise<OpenLoopResult> {
  const target = new URL(command.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: command.connections });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (command.token) headers.authorization = `Bearer ${command.token}`;
  // Mostly known pairs; a few the check refuses (another merchant's terminal, an unknown one).
  const planner = new TransactionPlanner({
    seed: command.seed,
    sketch: command.sketch,
    faultShare: 0.02,
  });
  const bodies = Array.from({ length: 4096 }, () => {
    const p = planner.next();
    return Buffer.from(JSON.stringify({ terminalId: p.terminalId, merchantNo: p.merchantNo }));
  });
  const total = Math.round((command.rate * command.durationMs) / 1000);
  const interval = 1000 / command.rate;
  const latency = new Float64Array(total).fill(Number.NaN);
  const sinceScheduled = new Float64Array(total).fill(Number.NaN);
  const lag = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let scheduled = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | null = null;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(resolve, command.durationMs + 30_000);
    const settle = () => {
      if (scheduled >= total && completed + errors >= total) {
        clearTimeout(deadline);
        resolve();
      }
    };
    const tick = () => {
      const now = performance.now();
      while (scheduled < total && start + scheduled * interval <= now) {
        const n = scheduled;
        scheduled += 1;
        const due = start + n * interval;
        lag[n] = now - due;
        const body = bodies[n % bodies.length] ?? Buffer.from('{}');
        const sent = performance.now();
        post(agent, target, command.path, headers, body).then(
          (reply) => {
            const done = performance.now();
            latency[n] = done - sent;
            sinceScheduled[n] = done - due;
            statuses[String(reply.status)] = (statuses[String(reply.status)] ?? 0) + 1;
            if (reply.status === 200) completed += 1;
            else {
              errors += 1;
              firstError ??= `HTTP ${String(reply.status)}: ${reply.body.toString('utf8').slice(0, 200)}`;
            }
            settle();
          },
          (error: unknown) => {
            errors += 1;
            firstError ??= (error as Error).message;
            settle();
          },
        );
      }
      if (scheduled < total) {
        setTimeout(tick, Math.max(0, start + scheduled * interval - performance.now()));
      }
    };
    tick();
  });
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  const answered = latency.filter((v) => !Number.isNaN(v)).sort();
  const lags = lag.slice(0, scheduled).sort();
  const fromDue = sinceScheduled.filter((v) => !Number.isNaN(v)).sort();
  return {
    scheduled,
    completed,
    errors,
    firstError,
    elapsedMs,
    achievedRate: (completed / elapsedMs) * 1000,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    latencyMs: {
      p50: percentile(answered, 0.5),
      p90: percentile(answered, 0.9),
      p99: percentile(answered, 0.99),
      p999: percentile(answered, 0.999),
      max: percentile(answered, 1),
    },
    dispatchLagMs: { p99: percentile(lags, 0.99), max: percentile(lags, 1) },
    sinceScheduledMs: { p99: percentile(fromDue, 0.99), max: percentile(fromDue, 1) },
    statuses,
  };
}

process.on('message', (raw) => {
  const { id, command } = raw as { id: number; command: ClientCommand };
  const work = async (): Promise<unknown> => {
    switch (command.cmd) {
      case 'prepare-ingest':
        return prepareIngest(command);
      case 'run-ingest':
        return runIngest(command);
      case 'open-loop':
        return openLoop(command);
    }
  };
  work().then(
    (value) => process.send?.({ id, ok: true, value }),
    (error: unknown) =>
      process.send?.({ id, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
// Leave with the parent.
process.on('disconnect', () => process.exit(0));
