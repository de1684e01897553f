/**
 * Ingest of transaction files, streamed in bounded memory: NDJSON (one transaction per line, as
 * in `POST /api/v1/transactions`) or ISO 8583 frames (2-byte length prefix). Lines go through
 * the common pipeline in batches of 1,000; a bad line is reported with its number and code
 * and never stops the file.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { AppContext } from '../app/context.js';
import {
  INGEST_BATCH_MAX,
  ingestTransactions,
  type IngestResult,
} from '../app/ingest/ingest-transactions.js';
import type { ScreeningPolicy } from '../core/screening/policy.js';
import { decodePartial, readFrameFile, toTransaction, type Encoding } from './iso8583/index.js';

/** Longest NDJSON line read; a longer one is refused as that line's error. */
export const NDJSON_LINE_LENGTH_MAX = 16 * 1024;
/** Refused lines listed one by one in the summary; past this only counted. */
export const REFUSALS_LISTED_MAX = 1000;

export interface IngestSummary {
  lines: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  skipped: number;
  decisions: { ok: number; review: number; contain: number };
  /** The first refused lines: line number, code, message. */
  refusals: { line: number; code: string; message: string }[];
  bytesRead: number;
}

export interface IngestFileOptions {
  policy: ScreeningPolicy;
  onProgress?: (summary: IngestSummary, bytesTotal: number) => void;
}

function emptySummary(): IngestSummary {
  return {
    lines: 0,
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    skipped: 0,
    decisions: { ok: 0, review: 0, contain: 0 },
    refusals: [],
    bytesRead: 0,
  };
}

function refuse(summary: IngestSummary, line: number, code: string, message: string): void {
  summary.rejected += 1;
  if (summary.refusals.length < REFUSALS_LISTED_MAX) summary.refusals.push({ line, code, message });
}

function count(summary: IngestSummary, line: number, result: IngestResult): void {
  if (result.outcome === 'rejected') {
    refuse(summary, line, result.error?.code ?? 'validation_failed', result.error?.message ?? '');
    return;
  }
  if (result.outcome === 'duplicate') summary.duplicate += 1;
  else summary.accepted += 1;
  if (result.decision) summary.decisions[result.decision] += 1;
}

/** Feeds batches to the pipeline and counts what came back. */
class Batcher {
  #batch: { line: number; transaction: unknown }[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly source: 'file' | 'iso8583',
    private readonly options: IngestFileOptions,
    private readonly summary: IngestSummary,
    private readonly bytesTotal: number,
  ) {}

  async push(line: number, transaction: unknown): Promise<void> {
    this.#batch.push({ line, transaction });
    if (this.#batch.length >= INGEST_BATCH_MAX) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length > 0) {
      const results = await ingestTransactions(
        this.ctx,
        null,
        batch.map((b) => b.transaction),
        { source: this.source, policy: this.options.policy },
      );
      for (const [i, result] of results.entries()) count(this.summary, batch[i]?.line ?? 0, result);
    }
    this.options.onProgress?.(this.summary, this.bytesTotal);
  }
}

export async function ingestNdjsonFile(
  ctx: AppContext,
  file: string,
  options: IngestFileOptions,
): Promise<IngestSummary> {
  const summary = emptySummary();
  const bytesTotal = fs.statSync(file).size;
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  stream.on('data', (chunk) => {
    summary.bytesRead += Buffer.byteLength(chunk);
  });
  const batcher = new Batcher(ctx, 'file', options, summary, bytesTotal);
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  for await (const text of lines) {
    summary.lines += 1;
    const lineNo = summary.lines;
    if (text.trim() === '') continue;
    if (text.length > NDJSON_LINE_LENGTH_MAX) {
      refuse(
        summary,
        lineNo,
        'payload_too_large',
        `line longer than ${NDJSON_LINE_LENGTH_MAX} characters`,
      );
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      refuse(summary, lineNo, 'validation_failed', 'not a JSON object');
      continue;
    }
    await batcher.push(lineNo, parsed);
  }
  await batcher.flush();
  return summary;
}

export async function ingestIso8583File(
  ctx: AppContext,
  file: string,
  options: IngestFileOptions & { encoding: Encoding; receivedAt?: Date },
): Promise<IngestSummary> {
  const summary = emptySummary();
  const bytesTotal = fs.statSync(file).size;
  const batcher = new Batcher(ctx, 'iso8583', options, summary, bytesTotal);
  for await (const frame of readFrameFile(file)) {
    summary.lines += 1;
    summary.bytesRead += frame.length + 2;
    const { message, error } = decodePartial(frame, options.encoding);
    if (error) {
      refuse(summary, summary.lines, 'validation_failed', error.message);
      continue;
    }
    const mapped = toTransaction(message, { receivedAt: options.receivedAt ?? ctx.now() });
    if (mapped.kind === 'skip') {
      summary.skipped += 1;
      continue;
    }
    if (mapped.kind === 'invalid') {
      refuse(summary, summary.lines, 'validation_failed', mapped.reason);
      continue;
    }
    await batcher.push(summary.lines, mapped.transaction);
  }
  await batcher.flush();
  return summary;
}
