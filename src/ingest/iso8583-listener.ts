/**
 * A TCP listener for the ISO 8583 traffic a switch mirrors to SettleGuard: 2-byte length-
 * prefixed frames, one way (nothing is answered). Messages from every connection are gathered
 * into batches (up to 1,000, or whatever arrived within `flushMs`) and go through the common
 * pipeline. While a batch is being committed and the backlog is long, sockets are paused, so a
 * flood cannot grow memory without bound. A connection whose framing breaks is closed: a
 * length-prefixed stream cannot be resynchronised.
 */
import net from 'node:net';
import type { AppContext } from '../app/context.js';
import { INGEST_BATCH_MAX, ingestTransactions } from '../app/ingest/ingest-transactions.js';
import type { ScreeningPolicy } from '../core/screening/policy.js';
import type { TransactionInput } from '../core/transaction.js';
import { decodePartial, FrameReader, toTransaction, type Encoding } from './iso8583/index.js';

export const BACKLOG_MAX = 10_000;
export const CONNECTIONS_MAX = 64;

export interface ListenerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Iso8583Listener {
  port: number;
  /** Counters since start, for tests and the log. */
  stats: { frames: number; skipped: number; invalid: number; accepted: number; rejected: number };
  /** Resolves when everything received so far is committed. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startIso8583Listener(
  ctx: AppContext,
  options: {
    port: number;
    host?: string;
    encoding: Encoding;
    policy: ScreeningPolicy;
    log: ListenerLog;
    flushMs?: number;
  },
): Promise<Iso8583Listener> {
  const flushMs = options.flushMs ?? 50;
  const stats = { frames: 0, skipped: 0, invalid: 0, accepted: 0, rejected: 0 };
  const sockets = new Set<net.Socket>();
  let backlog: TransactionInput[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const setPaused = (paused: boolean) => {
    for (const socket of sockets) {
      if (paused) socket.pause();
      else socket.resume();
    }
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    if (timer) clearTimeout(timer);
    timer = null;
    flushing = (async () => {
      while (backlog.length > 0) {
        const batch = backlog.slice(0, INGEST_BATCH_MAX);
        backlog = backlog.slice(batch.length);
        try {
          const results = await ingestTransactions(ctx, null, batch, {
            source: 'iso8583',
            policy: options.policy,
          });
          for (const r of results) {
            if (r.outcome === 'rejected') {
              stats.rejected += 1;
              options.log.warn({ id: r.id, code: r.error?.code }, 'ISO 8583 transaction refused');
            } else {
              stats.accepted += 1;
            }
          }
        } catch (error) {
          // The database is unreachable: the mirror cannot be asked to resend, so the batch
          // is logged as lost by id (never by card number) and the listener goes on.
          options.log.error(
            { err: error, ids: batch.map((t) => t.id).slice(0, 50), count: batch.length },
            'ISO 8583 batch could not be stored',
          );
        }
        if (backlog.length < BACKLOG_MAX / 2) setPaused(false);
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  const enqueue = (transaction: TransactionInput) => {
    backlog.push(transaction);
    if (backlog.length >= BACKLOG_MAX) setPaused(true);
    if (backlog.length >= INGEST_BATCH_MAX) void flush();
    else timer ??= setTimeout(() => void flush(), flushMs);
  };

  const server = net.createServer((socket) => {
    if (sockets.size >= CONNECTIONS_MAX) {
      options.log.warn({ remote: socket.remoteAddress }, 'ISO 8583 connection refused: too many');
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        options.log.warn(
          { remote: socket.remoteAddress, reason: error instanceof Error ? error.message : '' },
          'ISO 8583 framing broken; connection closed',
        );
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        stats.frames += 1;
        const { message, error } = decodePartial(frame, options.encoding);
        if (error) {
          stats.invalid += 1;
          options.log.warn(
            { field: error.field, reason: error.message },
            'ISO 8583 message unreadable',
          );
          continue;
        }
        const mapped = toTransaction(message, { receivedAt: ctx.now() });
        if (mapped.kind === 'transaction') enqueue(mapped.transaction);
        else if (mapped.kind === 'skip') stats.skipped += 1;
        else {
          stats.invalid += 1;
          options.log.warn(
            { mti: message.mti, reason: mapped.reason },
            'ISO 8583 message not a transaction',
          );
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = CONNECTIONS_MAX;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.log.info({ port, encoding: options.encoding }, 'ISO 8583 listener started');

  return {
    port,
    stats,
    async drain() {
      while (backlog.length > 0 || flushing) await flush();
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.end();
      });
      while (backlog.length > 0 || flushing) await flush();
    },
  };
}
