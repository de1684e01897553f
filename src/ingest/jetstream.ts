/**
 * The transaction stream (ADR 8): a NATS JetStream consumer that feeds published transactions
 * through the common pipeline.
 *
 * Publishers put ONE transaction per message, as the JSON object `POST /api/v1/transactions`
 * takes in its `transactions` array, on a subject under `settleguard.transactions.>`; by
 * convention `settleguard.transactions.<merchantNo>`. They may set the `Nats-Msg-Id` header
 * (the transaction id, say) so that JetStream drops a re-publish within its duplicate window;
 * the pipeline drops a later one by transaction id anyway.
 *
 * Every running instance pulls from the same durable consumer, so the work is shared. A batch
 * of up to 1,000 messages goes through `ingestTransactions` in one call, and each message is
 * acknowledged only after that call has returned, that is after its transaction is committed:
 * delivery is at least once, and the pipeline answers a redelivered transaction `duplicate`,
 * so each transaction is stored once. A message that is not JSON, or that the pipeline
 * refuses, is acknowledged too (it would never succeed) and logged with its stream sequence
 * and error code. When the pipeline throws (the database is down), nothing is acknowledged:
 * the messages are negatively acknowledged with a growing delay and this instance backs off.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { AppContext } from '../app/context.js';
import {
  INGEST_BATCH_MAX,
  ingestTransactions,
  type IngestResult,
} from '../app/ingest/ingest-transactions.js';
import type { ScreeningPolicy } from '../core/screening/policy.js';

export const TRANSACTION_STREAM = 'SETTLEGUARD_TRANSACTIONS';
/** Publishers use `settleguard.transactions.<merchantNo>`. */
export const TRANSACTION_SUBJECTS = 'settleguard.transactions.>';
export const INGEST_DURABLE = 'settleguard-ingest';
/** A message not consumed within this age is dropped by the stream. */
export const STREAM_MAX_AGE_MS = 7 * 86_400_000;
/** Largest message the stream takes; a transaction is well under 2 KiB. */
export const STREAM_MESSAGE_SIZE_MAX = 64 * 1024;
/** Unacknowledged this long, a message is redelivered (kept alive while its batch is worked). */
export const ACK_WAIT_MS = 30_000;
/** Deliveries of one message before the consumer gives up on it (it stays in the stream). */
export const MAX_DELIVER = 100;
/** Messages delivered and not yet acknowledged, over every instance. */
export const MAX_ACK_PENDING = 10_000;
/** How long one fetch waits for a batch to fill: the latency of a quiet stream. */
const FETCH_EXPIRES_MS = 1_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** After a failed batch, messages are retried one by one; this many failing in a row: outage. */
const ISOLATION_FAILURES_MAX = 3;
/** stop() waits this long for the running fetch to end on its own before closing it. */
const STOP_GRACE_MS = 5_000;

export interface JetStreamLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JetStreamConsumerOptions {
  /** NATS server URL(s), comma-separated. */
  url: string;
  policy: ScreeningPolicy;
  stream?: string;
  /** Subject filter of the stream and the consumer. */
  subject?: string;
  durable?: string;
  /** Messages per batch, 1 to 1,000. */
  batchSize?: number;
  log: JetStreamLog;
}

export interface JetStreamConsumer {
  /** Lets the batch in hand finish (committed and acknowledged), then closes the connection. */
  stop(): Promise<void>;
}

interface Entry {
  msg: JsMsg;
  raw: unknown;
}

function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1));
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** Creates the stream unless it exists; an existing stream is used as it is configured. */
async function ensureStream(jsm: JetStreamManager, name: string, subject: string): Promise<void> {
  try {
    await jsm.streams.info(name);
    return;
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
  }
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    description: 'SettleGuard: POS card transactions to screen, one JSON object per message',
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(STREAM_MAX_AGE_MS),
    max_msg_size: STREAM_MESSAGE_SIZE_MAX,
    num_replicas: 1,
  };
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // Another instance created it in the meantime.
    await jsm.streams.info(name).catch(() => Promise.reject(error as Error));
  }
}

/** Creates the durable pull consumer, or brings an existing one to this configuration. */
async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  subject: string,
): Promise<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    durable_name: durable,
    description: 'SettleGuard ingest, shared by every instance',
    filter_subject: subject,
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ACK_WAIT_MS),
    max_deliver: MAX_DELIVER,
    max_ack_pending: MAX_ACK_PENDING,
    max_batch: INGEST_BATCH_MAX,
  };
  try {
    return (await jsm.consumers.add(stream, config)).config;
  } catch (error) {
    // An existing consumer whose fixed settings differ (filter, deliver policy): use it.
    return (await jsm.consumers.info(stream, durable).catch(() => Promise.reject(error as Error)))
      .config;
  }
}

export async function startJetStreamConsumer(
  ctx: AppContext,
  options: JetStreamConsumerOptions,
): Promise<JetStreamConsumer> {
  const stream = options.stream ?? TRANSACTION_STREAM;
  const subject = options.subject ?? TRANSACTION_SUBJECTS;
  const durable = options.durable ?? INGEST_DURABLE;
  const batchSize = options.batchSize ?? INGEST_BATCH_MAX;
  const { log, policy } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > INGEST_BATCH_MAX) {
    throw new RangeError(`batchSize must be an integer from 1 to ${INGEST_BATCH_MAX}`);
  }
  // Without the index every batch would fail; say so at start rather than retry forever.
  if (!ctx.index) {
    throw new Error('The stream consumer needs the registry index of a serving process');
  }

  const nc: NatsConnection = await connect({
    servers: options.url.split(',').map((s) => s.trim()),
    name: 'settleguard-ingest',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 2_000,
  });
  const setUp = async () => {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, stream, subject);
    const config = await ensureConsumer(jsm, stream, durable, subject);
    return {
      maxDeliver: config.max_deliver ?? MAX_DELIVER,
      pullConsumer: await jetstream(nc).consumers.get(stream, durable),
    };
  };
  const { maxDeliver, pullConsumer } = await setUp().catch(async (error: unknown) => {
    await nc.close();
    throw error;
  });

  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect') {
        log.info({ server: s.server }, `NATS ${s.type}`);
      } else if (s.type === 'error') {
        log.error({ err: s.error }, 'NATS error');
      }
    }
  })();

  let stopping = false;
  let currentFetch: ConsumerMessages | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  /** One fetch: up to batchSize messages, or what arrived within FETCH_EXPIRES_MS. */
  async function fetchBatch(): Promise<JsMsg[]> {
    const messages = await pullConsumer.fetch({
      max_messages: batchSize,
      expires: FETCH_EXPIRES_MS,
    });
    currentFetch = messages;
    const got: JsMsg[] = [];
    try {
      for await (const m of messages) got.push(m);
    } catch (error) {
      if (got.length === 0) throw error;
      log.error({ err: error, received: got.length }, 'JetStream fetch ended early');
    } finally {
      currentFetch = null;
    }
    return got;
  }

  /** Acknowledges each message of a committed call, logging the refused ones. */
  function settle(entries: readonly Entry[], results: readonly IngestResult[]): void {
    for (const [i, { msg }] of entries.entries()) {
      const result = results[i];
      if (result?.outcome === 'rejected') {
        log.error(
          {
            seq: msg.seq,
            subject: msg.subject,
            id: result.id,
            code: result.error?.code,
            paths: result.error?.errors.map((e) => e.path),
          },
          'Transaction from the stream refused and acknowledged',
        );
      }
      msg.ack();
    }
  }

  function retryLater(entries: readonly Entry[], delayMs: number, error: unknown): void {
    for (const { msg } of entries) {
      if (maxDeliver > 0 && msg.info.deliveryCount >= maxDeliver) {
        log.error(
          { seq: msg.seq, subject: msg.subject, deliveries: msg.info.deliveryCount },
          'Transaction from the stream not stored after its last delivery; it stays in the stream',
        );
      }
      msg.nak(delayMs);
    }
    log.error(
      {
        err: error,
        messages: entries.length,
        firstSeq: entries[0]?.msg.seq,
        lastSeq: entries.at(-1)?.msg.seq,
        retryInMs: delayMs,
      },
      'Transactions from the stream not stored; they will be redelivered',
    );
  }

  const ingest = (entries: readonly Entry[]) =>
    ingestTransactions(
      ctx,
      null,
      entries.map((e) => e.raw),
      { source: 'jetstream', policy },
    );

  /**
   * A failed batch is retried message by message, so that one message the database refuses
   * does not hold back the others; several failures in a row mean the database is out.
   */
  async function isolate(entries: readonly Entry[], delayMs: number): Promise<boolean> {
    let inARow = 0;
    let allStored = true;
    for (const [i, entry] of entries.entries()) {
      if (inARow >= ISOLATION_FAILURES_MAX) {
        for (const { msg } of entries.slice(i)) msg.nak(delayMs);
        return false;
      }
      try {
        settle([entry], await ingest([entry]));
        inARow = 0;
      } catch (error) {
        inARow += 1;
        allStored = false;
        retryLater([entry], delayMs, error);
      }
    }
    return allStored;
  }

  /** Returns false when some messages could not be stored and wait for redelivery. */
  async function processBatch(messages: readonly JsMsg[], failures: number): Promise<boolean> {
    const entries: Entry[] = [];
    for (const msg of messages) {
      try {
        entries.push({ msg, raw: JSON.parse(msg.string()) as unknown });
      } catch {
        log.error(
          { seq: msg.seq, subject: msg.subject, code: 'invalid_json', bytes: msg.data.length },
          'Message from the stream is not JSON; acknowledged',
        );
        msg.ack();
      }
    }
    if (entries.length === 0) return true;
    // A slow commit must not let the ack wait run out and hand the batch to another instance.
    const keepAlive = setInterval(() => {
      for (const { msg } of entries) msg.working();
    }, ACK_WAIT_MS / 3);
    try {
      settle(entries, await ingest(entries));
      return true;
    } catch (error) {
      const delayMs = backoffMs(failures + 1);
      if (entries.length === 1) {
        retryLater(entries, delayMs, error);
        return false;
      }
      log.error(
        { err: error, messages: entries.length },
        'Transaction batch not stored; retrying one by one',
      );
      return await isolate(entries, delayMs);
    } finally {
      clearInterval(keepAlive);
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let messages: JsMsg[];
      try {
        messages = await fetchBatch();
      } catch (error) {
        failures += 1;
        if (stopping) break;
        log.error({ err: error, retryInMs: backoffMs(failures) }, 'JetStream fetch failed');
        await pause(backoffMs(failures));
        continue;
      }
      if (messages.length === 0) continue;
      if (await processBatch(messages, failures)) {
        failures = 0;
      } else {
        failures += 1;
        if (!stopping) await pause(backoffMs(failures));
      }
    }
  }

  const running = run().catch((error: unknown) => {
    log.error({ err: error }, 'JetStream consumer stopped on an error');
  });
  log.info({ stream, subject, durable, batchSize }, 'JetStream consumer started');

  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        wake?.();
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), STOP_GRACE_MS);
        });
        const finished = await Promise.race([running.then(() => true), graceOver]);
        clearTimeout(timer);
        if (!finished) await currentFetch?.close();
        await running;
        try {
          await nc.drain();
        } catch {
          await nc.close();
        }
        log.info({ stream, durable }, 'JetStream consumer stopped');
      })();
      return stopped;
    },
  };
}
