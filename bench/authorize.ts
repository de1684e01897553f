/**
 * Target 3: authorize-check under load. The real server runs in this process on a fresh schema
 * of the PostgreSQL server, with a registry in its index; a second process (client.ts) sends
 * `POST /api/v1/authorize-check` open-loop at a fixed rate (requests leave on schedule whatever
 * the answers do) over keep-alive connections with a switch's bearer token, and times every
 * request with `performance.now()`.
 *
 * Baseline: the same load from the same client against a bare node:http server in this
 * process answering 200 `{}` to every request: the cost of the HTTP round trip itself on this
 * machine, with the same processes and the same loopback. (`/healthz` queries the database and
 * `/openapi.json` is heavy, so neither is a trivial route.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Running } from '../src/boot.js';
import {
  createSchema,
  log,
  serverWithRegistry,
  sketchOf,
  startClient,
  type ClientHandle,
  type OpenLoopResult,
  type ResultRow,
  withCpu,
} from './support.js';

export const AUTHORIZE_P99_TARGET_MS = 5;

export interface AuthorizeOptions {
  merchants: number;
  terminals: number;
  rate: number;
  durationMs: number;
  warmupMs: number;
  connections: number;
}

export const AUTHORIZE_DEFAULTS: AuthorizeOptions = {
  merchants: 10_000,
  terminals: 20_000,
  rate: 5000,
  durationMs: 10_000,
  warmupMs: 2000,
  connections: 16,
};

async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      response.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

function describe(r: OpenLoopResult): string {
  return (
    `achieved ${Math.round(r.achievedRate).toLocaleString('en-US')}/s (${String(r.completed)} of ${String(r.scheduled)} answered 200` +
    `${r.errors > 0 ? `, ${String(r.errors)} failed: ${r.firstError ?? ''}` : ''}); ` +
    `from the due time: p50 ${ms(r.latencyMs.p50)} ms, p90 ${ms(r.latencyMs.p90)}, p99 ${ms(r.latencyMs.p99)}, ` +
    `p99.9 ${ms(r.latencyMs.p999)}, max ${ms(r.latencyMs.max)}; ` +
    `from writing the request: p50 ${ms(r.fromSendMs.p50)}, p99 ${ms(r.fromSendMs.p99)}, max ${ms(r.fromSendMs.max)} ` +
    `(written late by p99 ${ms(r.dispatchLagMs.p99)} ms, max ${ms(r.dispatchLagMs.max)}; client process ${((r.clientCpuMs / r.elapsedMs) * 100).toFixed(0)}% of a core)`
  );
}

export async function runAuthorize(partial: Partial<AuthorizeOptions> = {}): Promise<ResultRow[]> {
  const options = { ...AUTHORIZE_DEFAULTS, ...partial };
  const schema = await createSchema('bench_authz');
  let running: Running | null = null;
  let client: ClientHandle | null = null;
  let bare: Awaited<ReturnType<typeof bareServer>> | null = null;
  try {
    const server = await serverWithRegistry(schema.url, { ...options, registryFaults: true }, 606);
    running = server.running;
    bare = await bareServer();
    client = startClient();
    const sketch = sketchOf(server.registry);
    const load = async (url: string, token: string | null, durationMs: number) =>
      client?.call<OpenLoopResult>({
        cmd: 'open-loop',
        url,
        path: '/api/v1/authorize-check',
        token,
        sketch,
        seed: 707,
        rate: options.rate,
        durationMs,
        connections: options.connections,
      });
    log(`authorize: bare node:http server, ${String(options.rate)}/s`);
    await load(bare.url, null, options.warmupMs);
    const bareUrl = bare.url;
    const { cpuMs: bareCpuMs, value: baseline } = await withCpu(() =>
      load(bareUrl, null, options.durationMs),
    );
    log(`authorize: POST /api/v1/authorize-check, ${String(options.rate)}/s`);
    await load(server.running.url, server.token, options.warmupMs);
    const { cpuMs, value: real } = await withCpu(() =>
      load(server.running.url, server.token, options.durationMs),
    );
    if (!baseline || !real) throw new Error('no answer from the client');
    const cpuPerRequestUs = (cpuMs * 1000) / Math.max(1, real.completed);
    const bareCpuPerRequestUs = (bareCpuMs * 1000) / Math.max(1, baseline.completed);
    return [
      {
        id: '3',
        measure: `authorize-check p99 at ${options.rate.toLocaleString('en-US')} req/s, open loop`,
        value: real.latencyMs.p99,
        unit: 'ms',
        target: { op: '<', value: AUTHORIZE_P99_TARGET_MS },
        baselineLabel: 'bare node:http p99',
        baseline: baseline.latencyMs.p99,
        ratio: real.latencyMs.p99 / baseline.latencyMs.p99,
        notes: [
          `authorize-check: ${describe(real)}; server process CPU ${Math.round(cpuPerRequestUs).toLocaleString('en-US')} µs a request ` +
            `(${((cpuPerRequestUs * options.rate) / 1e4).toFixed(0)}% of a core at ${options.rate.toLocaleString('en-US')}/s; PostgreSQL's work for the token lookup not included)`,
          `bare node:http: ${describe(baseline)}; server process CPU ${Math.round(bareCpuPerRequestUs).toLocaleString('en-US')} µs a request`,
          `${String(options.durationMs / 1000)} s after ${String(options.warmupMs / 1000)} s of warm-up each, ` +
            `${String(options.connections)} keep-alive connections at most; latency from the request's due time to the last byte of the answer; ` +
            `ratio = p99 / bare p99`,
        ],
      },
      {
        id: '3',
        measure: 'authorize-check rate sustained (answered 200 / s)',
        value: real.achievedRate,
        unit: 'req/s',
        target: { op: '>=', value: options.rate * 0.99 },
        baselineLabel: 'bare node:http',
        baseline: baseline.achievedRate,
        ratio: real.achievedRate / baseline.achievedRate,
        notes: [],
      },
    ];
  } finally {
    await client?.close();
    await bare?.close();
    await running?.close();
    await schema.drop();
  }
}
