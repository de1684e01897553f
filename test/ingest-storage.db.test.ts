/**
 * How ingested transactions reach the table: every field stored exactly as validated (the
 * rows go in with COPY, whose text format escapes tabs, line breaks and backslashes), and a
 * batch mixing new ids with ids stored earlier stores the new ones once and answers the rest
 * from the stored rows (the COPY fails on the primary key and the batch goes in again with
 * ON CONFLICT DO NOTHING).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord } from './support/fixtures.js';

let t: TestApp;
const admin = bearer(ADMIN_TOKEN);
const MERCHANT = '600000000000011';
const TERMINAL = 'S0000001';
const CHANGED = '600000000000012';
const CHANGED_TERMINAL = 'S0000002';
const DAY_MS = 86_400_000;

function txn(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    terminalId: TERMINAL,
    merchantNo: MERCHANT,
    type: 'purchase',
    amountFen: 12_800,
    occurredAt: '2026-11-26T07:30:00.123Z',
    ...extra,
  };
}

type Result = { id: string | null; outcome: string; decision?: string; alerts?: string[] };

async function ingest(transactions: unknown[]): Promise<Result[]> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transactions',
    headers: admin,
    payload: { transactions },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ results: Result[] }>().results;
}

async function stored(id: string) {
  const { rows } = await t.tdb.db.query(
    `SELECT merchant_name_on_receipt, rrn, stan, auth_code, response_code, amount_fen, currency,
            occurred_at, pan_masked, source, decision, alerts
       FROM transactions WHERE id = $1`,
    [id],
  );
  return rows;
}

async function count(): Promise<number> {
  const { rows } = await t.tdb.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM transactions',
  );
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  t = await startTestApp();
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: admin,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: MERCHANT, terminalIds: [TERMINAL] }),
        enterpriseRecord({
          merchantNo: CHANGED,
          terminalIds: [CHANGED_TERMINAL],
          accountNumber: '1001234509000077777',
        }),
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 2, failed: [] });
});
afterAll(async () => {
  await t.close();
});

describe('ingest storage', () => {
  it('stores every field as sent, tabs, line breaks, backslashes and quotes included', async () => {
    const receipt = 'A\tB\\C\nD\r"E" \\N {x,y} 某某店';
    const [result] = await ingest([
      txn('st-text', {
        merchantNameOnReceipt: receipt,
        pan: '6222020200001234562',
        rrn: 'AB0000000001',
        stan: '000042',
        authCode: 'A1 B2',
        responseCode: '00',
      }),
    ]);
    expect(result).toMatchObject({
      outcome: 'accepted',
      decision: 'review',
      alerts: ['receipt_name_mismatch'],
    });
    expect(await stored('st-text')).toEqual([
      {
        merchant_name_on_receipt: receipt,
        rrn: 'AB0000000001',
        stan: '000042',
        auth_code: 'A1 B2',
        response_code: '00',
        amount_fen: 12_800,
        currency: 'CNY',
        occurred_at: new Date('2026-11-26T07:30:00.123Z'),
        pan_masked: '622202*********4562',
        source: 'api',
        decision: 'review',
        alerts: ['receipt_name_mismatch'],
      },
    ]);
  });

  it('stores a batch of many rows whole, in order, across the pieces its COPY text is sent in', async () => {
    // 250 rows: COPY's text goes in pieces of 100 lines; odd rows carry text to escape.
    const batch = Array.from({ length: 250 }, (_, i) =>
      txn(`st-many-${String(i).padStart(3, '0')}`, {
        amountFen: 1000 + i,
        occurredAt: new Date(Date.UTC(2026, 10, 26, 7, 0, 0, i)).toISOString(),
        ...(i % 2 === 1 ? { merchantNameOnReceipt: `店\t${String(i)}\n尾` } : {}),
      }),
    );
    const results = await ingest(batch);
    expect(results.filter((r) => r.outcome === 'accepted')).toHaveLength(250);
    const { rows } = await t.tdb.db.query<{
      id: string;
      amount_fen: number;
      occurred_at: Date;
      merchant_name_on_receipt: string | null;
    }>(
      `SELECT id, amount_fen, occurred_at, merchant_name_on_receipt FROM transactions
        WHERE id LIKE 'st-many-%' ORDER BY id`,
    );
    expect(rows).toEqual(
      batch.map((tx, i) => ({
        id: tx.id,
        amount_fen: 1000 + i,
        occurred_at: new Date(tx.occurredAt),
        merchant_name_on_receipt: i % 2 === 1 ? `店\t${String(i)}\n尾` : null,
      })),
    );
  });

  it('stores absent fields as null and an empty alert list', async () => {
    const [result] = await ingest([txn('st-bare')]);
    expect(result).toMatchObject({ outcome: 'accepted', decision: 'ok', alerts: [] });
    expect(await stored('st-bare')).toEqual([
      expect.objectContaining({
        merchant_name_on_receipt: null,
        rrn: null,
        pan_masked: null,
        decision: 'ok',
        alerts: [],
      }),
    ]);
  });

  it('stores the new ids of a batch that repeats stored ones, once, and answers the rest from the stored rows', async () => {
    await ingest([txn('st-old-1'), txn('st-old-2', { merchantNameOnReceipt: '别家小店' })]);
    const before = await count();
    const results = await ingest([
      txn('st-new-1'),
      txn('st-old-2', { merchantNameOnReceipt: '别家小店' }),
      txn('st-old-1', { amountFen: 1 }),
      txn('st-new-2'),
      txn('st-old-2', { merchantNameOnReceipt: '别家小店' }),
      txn('st-new-1'),
    ]);
    expect(results).toEqual([
      { id: 'st-new-1', outcome: 'accepted', decision: 'ok', alerts: [] },
      {
        id: 'st-old-2',
        outcome: 'duplicate',
        decision: 'review',
        alerts: ['receipt_name_mismatch'],
      },
      expect.objectContaining({
        id: 'st-old-1',
        outcome: 'rejected',
        error: expect.objectContaining({ code: 'idempotency_mismatch' }) as unknown,
      }),
      { id: 'st-new-2', outcome: 'accepted', decision: 'ok', alerts: [] },
      {
        id: 'st-old-2',
        outcome: 'duplicate',
        decision: 'review',
        alerts: ['receipt_name_mismatch'],
      },
      { id: 'st-new-1', outcome: 'duplicate', decision: 'ok', alerts: [] },
    ]);
    expect(await count()).toBe(before + 2);
    expect(await stored('st-old-1')).toEqual([expect.objectContaining({ amount_fen: 12_800 })]);
  });

  it('watches volume after an account change against the month before it, counting a replay once', async () => {
    const now = t.ctx.now().getTime();
    const changedAt = now - 2 * DAY_MS;
    const at = (ms: number) => new Date(ms).toISOString();
    const spend = (id: string, amountFen: number, occurredAtMs: number) => ({
      id,
      terminalId: CHANGED_TERMINAL,
      merchantNo: CHANGED,
      type: 'purchase',
      amountFen,
      occurredAt: at(occurredAtMs),
    });
    // The month before the change: 9,000,000 fen, 300,000 a day; three times that is the line.
    const before = Array.from({ length: 9 }, (_, i) =>
      spend(`pc-before-${String(i)}`, 1_000_000, changedAt - (i + 1) * DAY_MS),
    );
    expect((await ingest(before)).every((r) => r.outcome === 'accepted')).toBe(true);
    // The account changes: a new version in force since two days ago, the old one superseded.
    await t.tdb.db.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, status, name_check, valid_from,
         valid_to, recorded_by)
       SELECT gen_random_uuid(), merchant_no, account_number_enc, 'earlier-' || account_fp,
              account_number_masked, account_name, account_type, 'superseded', name_check,
              valid_from - interval '400 days', $2, 'test'
         FROM settlement_accounts WHERE merchant_no = $1 AND valid_to IS NULL`,
      [CHANGED, new Date(changedAt)],
    );
    await t.tdb.db.query(
      'UPDATE settlement_accounts SET valid_from = $2 WHERE merchant_no = $1 AND valid_to IS NULL',
      [CHANGED, new Date(changedAt)],
    );
    await t.ctx.index?.refresh(t.tdb.db, { merchants: [CHANGED] });

    const hour = now - 3600_000;
    const first = [1, 2, 3, 4].map((i) => spend(`pc-after-${String(i)}`, 200_000, hour));
    // 800,000 in 24 hours: under 900,000 (it would be over the 500,000 floor without the month).
    expect((await ingest(first)).map((r) => r.alerts)).toEqual([[], [], [], []]);
    // The same four again and 50,000 more: 850,000, not 1,650,000.
    const again = await ingest([...first, spend('pc-after-5', 50_000, hour)]);
    expect(again.map((r) => r.outcome)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'accepted',
    ]);
    expect(again[4]?.alerts).toEqual([]);
    // 100,000 more: 950,000, over the line.
    const [over] = await ingest([spend('pc-after-6', 100_000, hour)]);
    expect(over).toMatchObject({ outcome: 'accepted', alerts: ['post_change_spike'] });
  });
});
