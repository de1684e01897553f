/**
 * ISO 8583 traffic into the pipeline: mirrored frames over TCP, and a file of frames through
 * `settleguard ingest --format iso8583`.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import { startIso8583Listener, type Iso8583Listener } from '../src/ingest/iso8583-listener.js';
import { encodeFrame, encodeMessage, type IsoMessage } from '../src/ingest/iso8583/index.js';
import { openTestDatabase, testContext, type TestDatabase } from './support/database.js';
import { enterpriseRecord } from './support/fixtures.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let tdb: TestDatabase;
let ctx: ReturnType<typeof testContext>['ctx'];
let listener: Iso8583Listener;

function response0210(overrides: Partial<Record<number, string>>): IsoMessage {
  return {
    mti: '0210',
    fields: {
      2: '6222020200001234562',
      3: '000000',
      4: '000000012800',
      11: '000123',
      12: '153000',
      13: '1126',
      37: '633012000123',
      38: 'A12345',
      39: '00',
      41: 'F0000001',
      42: '700000000000001',
      43: '北京示例餐饮管理有限公司',
      49: '156',
      ...overrides,
    },
  };
}

async function send(port: number, frames: Buffer[], chunkSize = 7): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Written in small pieces: frames must be found across TCP segment boundaries.
  const all = Buffer.concat(frames);
  for (let i = 0; i < all.length; i += chunkSize) socket.write(all.subarray(i, i + chunkSize));
  await new Promise<void>((resolve) => socket.end(resolve));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  ({ ctx } = testContext(tdb.db, new Date('2026-11-26T08:00:00.000Z')));
  const imported = await importPortfolio(ctx, null, [
    enterpriseRecord({ merchantNo: '700000000000001', terminalIds: ['F0000001'] }),
    enterpriseRecord({
      merchantNo: '700000000000002',
      terminalIds: ['F0000002'],
      accountNumber: '1001234509000077777',
      legalIdNumber: '440524198001010013',
    }),
  ]);
  expect(imported.failed).toEqual([]);
  listener = await startIso8583Listener(ctx, {
    port: 0,
    host: '127.0.0.1',
    encoding: 'bcd',
    policy: DEFAULT_POLICY,
    log: quiet,
    flushMs: 20,
  });
});
afterAll(async () => {
  await listener.stop();
  await tdb.close();
});

describe('ISO 8583 listener', () => {
  it('reads mirrored frames, skips requests, and screens what it stores', async () => {
    const frames = [
      response0210({}),
      { mti: '0200', fields: { ...response0210({}).fields, 39: undefined } },
      response0210({ 37: '633012000124', 42: '700000000000002', 11: '000124' }),
    ].map((m) => encodeFrame(encodeMessage(m, 'bcd')));
    await send(listener.port, frames);
    await waitFor(
      async () =>
        listener.stats.frames === 3 && listener.stats.accepted + listener.stats.rejected === 2,
    );
    await listener.drain();
    const { rows } = await tdb.db.query<{
      id: string;
      amount_fen: number;
      pan_masked: string;
      merchant_name_on_receipt: string;
      decision: string;
      alerts: string[];
    }>(
      'SELECT id, amount_fen, pan_masked, merchant_name_on_receipt, decision, alerts FROM transactions ORDER BY id',
    );
    expect(rows).toEqual([
      {
        id: 'purchase-700000000000001-F0000001-633012000123',
        amount_fen: 12_800,
        pan_masked: '622202*********4562',
        merchant_name_on_receipt: '北京示例餐饮管理有限公司',
        decision: 'ok',
        alerts: [],
      },
      expect.objectContaining({
        id: 'purchase-700000000000002-F0000001-633012000124',
        decision: 'contain',
        alerts: expect.arrayContaining(['terminal_merchant_mismatch']) as unknown,
      }),
    ]);
    expect(listener.stats.skipped).toBe(1);
    expect(await tdb.dumpText()).not.toContain('6222020200001234562');
  });

  it('closes a connection whose framing breaks and keeps serving others', async () => {
    const bad = Buffer.from([0xff, 0xff, 1, 2, 3]);
    await send(listener.port, [bad]);
    const before = listener.stats.frames;
    await send(listener.port, [
      encodeFrame(encodeMessage(response0210({ 37: '633012000125', 11: '000125' }), 'bcd')),
    ]);
    await waitFor(async () => listener.stats.frames === before + 1);
    await listener.drain();
    const { rows } = await tdb.db.query("SELECT 1 FROM transactions WHERE id LIKE '%633012000125'");
    expect(rows).toHaveLength(1);
  });
});
