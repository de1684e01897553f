/**
 * The load generator: a second process, as the acquirer's switch would be, talking to the
 * server over loopback with keep-alive connections (node:http, nothing else). The parent
 * (support.ts `startClient`) sends it commands over IPC; each answer carries the command's id.
 *
 * Card numbers are generated here, sent in request bodies and nowhere else: never printed,
 * never written to a file.
 */
import http from 'node:http';
import net from 'node:net';
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
//
// The generator must cost little and never stall, or its own pauses show up as the server's
// latency. node:http's client costs about 90 µs of CPU and several kilobytes of garbage a
// request, which on two shared cores competes with the server it measures; this one writes
// prebuilt requests to keep-alive sockets and reads the answers with a minimal HTTP/1.1
// parser (status line, Content-Length, body), about a tenth of that. Each request is timed
// from when it was due, not from when it was written (no coordinated omission): when the
// generator is late, or all connections are busy and the request waits for one, that wait
// counts.

const CRLFCRLF = Buffer.from('\r\n\r\n');

interface Pending {
  n: number;
  due: number;
}

class RawConnection {
  readonly #socket: net.Socket;
  #chunks: Buffer[] = [];
  #buffered = 0;
  current: Pending | null = null;
  sentAt = 0;
  closed = false;

  constructor(
    host: string,
    port: number,
    private readonly onResponse: (pending: Pending, status: number, body: Buffer) => void,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.#socket = net.connect({ host, port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(new Error('connection closed by the server')));
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('error', reject);
    });
  }

  send(pending: Pending, request: Buffer): void {
    this.current = pending;
    this.sentAt = performance.now();
    this.#socket.write(request);
  }

  close(): void {
    this.closed = true;
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.#socket.destroy();
    if (this.current) this.onFailure(error);
    this.current = null;
  }

  #receive(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const data = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#buffered);
    const headEnd = data.indexOf(CRLFCRLF);
    if (headEnd < 0) return;
    const head = data.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length?.[1] || /\r\ntransfer-encoding:/i.test(head)) {
      this.#fail(new Error(`unsupported response framing: ${head.slice(0, 200)}`));
      return;
    }
    const total = headEnd + 4 + Number(length[1]);
    if (data.length < total) {
      this.#chunks = [data];
      return;
    }
    if (data.length > total) {
      this.#fail(new Error('unexpected bytes after the response'));
      return;
    }
    this.#chunks = [];
    this.#buffered = 0;
    const pending = this.current;
    this.current = null;
    if (pending) this.onResponse(pending, status, data.subarray(headEnd + 4));
  }
}

/**
 * The open loop's clock. `setTimeout` cannot wait less than a millisecond and fires on the
 * event loop's millisecond clock, so a timer-driven generator at 5,000 requests a second sends
 * them in bursts of five to ten, up to two milliseconds late: bursts the server must queue,
 * and lateness counted in every latency "from the due time". (A worker thread waking this one
 * for each request cost more CPU than the requests.) Here the loop turns by `setImmediate`, and
 * when the next request is due in less than a millisecond and a half the thread sleeps until
 * then with `Atomics.wait` (a futex with a sub-millisecond timeout: it sleeps, it does not
 * spin), then reads what the sockets received and sends what is due. An answer that arrives
 * during such a sleep is read when it ends, up to one interval (0.2 ms at 5,000/s) later: the
 * error is on the side of a longer latency. Latency is still timed from the due time, so any
 * lateness that remains counts against the server.
 */
function pace(
  start: number,
  interval: number,
  total: number,
  sendDue: (due: number) => void,
): { stop(): void } {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const turn = () => {
    timer = null;
    if (stopped) return;
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / interval) + 1);
    sendDue(due);
    if (due >= total) return;
    const wait = start + due * interval - performance.now();
    if (wait > 1.5) {
      timer = setTimeout(turn, wait - 1);
      return;
    }
    if (wait > 0) Atomics.wait(sleeper, 0, 0, wait);
    setImmediate(turn);
  };
  turn();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

async function openLoop(
  command: Extract<ClientCommand, { cmd: 'open-loop' }>,
): Promise<OpenLoopResult> {
  const target = new URL(command.url);
  const host = target.hostname;
  const port = Number(target.port);
  // Mostly known pairs; a few the check refuses (another merchant's terminal, an unknown one).
  const planner = new TransactionPlanner({
    seed: command.seed,
    sketch: command.sketch,
    faultShare: 0.02,
  });
  const requests = Array.from({ length: 4096 }, () => {
    const p = planner.next();
    const body = JSON.stringify({ terminalId: p.terminalId, merchantNo: p.merchantNo });
    return Buffer.from(
      `POST ${command.path} HTTP/1.1\r\nhost: ${target.host}\r\n` +
        'content-type: application/json\r\n' +
        (command.token ? `authorization: Bearer ${command.token}\r\n` : '') +
        `content-length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
    );
  });
  const total = Math.round((command.rate * command.durationMs) / 1000);
  const interval = 1000 / command.rate;
  const fromDue = new Float64Array(total).fill(Number.NaN);
  const fromSend = new Float64Array(total).fill(Number.NaN);
  const lag = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let scheduled = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | null = null;
  /** Due requests waiting for a free connection, oldest first. */
  const waiting: Pending[] = [];
  let waitingHead = 0;
  const idle: RawConnection[] = [];
  let finish: () => void = () => undefined;
  const settle = () => {
    if (scheduled >= total && completed + errors >= total) finish();
  };
  const dispatch = (connection: RawConnection, pending: Pending) => {
    lag[pending.n] = performance.now() - pending.due;
    connection.send(pending, requests[pending.n % requests.length] ?? Buffer.alloc(0));
  };
  const release = (connection: RawConnection) => {
    const next = waiting[waitingHead];
    if (next) {
      waitingHead += 1;
      dispatch(connection, next);
    } else idle.push(connection);
  };
  const connections = Array.from({ length: command.connections }, () => {
    const connection: RawConnection = new RawConnection(
      host,
      port,
      (pending, status, body) => {
        const done = performance.now();
        statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
        if (status === 200) {
          completed += 1;
          fromDue[pending.n] = done - pending.due;
          fromSend[pending.n] = done - connection.sentAt;
        } else {
          errors += 1;
          firstError ??= `HTTP ${String(status)}: ${body.toString('utf8').slice(0, 200)}`;
        }
        release(connection);
        settle();
      },
      (error) => {
        errors += 1;
        firstError ??= error.message;
        settle();
      },
    );
    return connection;
  });
  await Promise.all(connections.map((c) => c.ready()));
  idle.push(...connections);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const clock: { pacer?: { stop(): void } } = {};
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(resolve, command.durationMs + 30_000);
    finish = () => {
      clearTimeout(deadline);
      resolve();
    };
    // The pacer says how many requests are due by now.
    const sendDue = (due: number) => {
      while (scheduled < Math.min(due, total)) {
        const pending = { n: scheduled, due: start + scheduled * interval };
        scheduled += 1;
        const connection = idle.pop();
        if (connection && !connection.closed) dispatch(connection, pending);
        else waiting.push(pending);
      }
    };
    clock.pacer = pace(start, interval, total, sendDue);
  });
  clock.pacer?.stop();
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  for (const c of connections) c.close();
  const answered = fromDue.filter((v) => !Number.isNaN(v)).sort();
  const sent = fromSend.filter((v) => !Number.isNaN(v)).sort();
  const lags = lag.slice(0, scheduled).sort();
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
    fromSendMs: {
      p50: percentile(sent, 0.5),
      p99: percentile(sent, 0.99),
      max: percentile(sent, 1),
    },
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
