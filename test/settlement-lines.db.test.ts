/**
 * Settlement details: a day of refunds is carried to the merchant's next line; the payout file
 * screens again and holds a line whose merchant was contained after the run; results batches
 * are bounded; a cooling-off account is held until the period has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, microRecord } from './support/fixtures.js';

let t: TestApp;
const admin = bearer(ADMIN_TOKEN);
const A = '710000000000001';
const B = '710000000000002';
const C = '710000000000003';
const D = '710000000000004';

interface Line {
  id: string;
  merchantNo: string;
  netFen: number;
  feeFen: number;
  carriedInFen: number;
  amountFen: number;
  status: string;
  holdReasons: string[];
  lateTransactionCount?: number;
}

async function request<T>(
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
): Promise<{ status: number; body: T; headers: Record<string, unknown>; text: string }> {
  const response = await t.app.inject(
    payload === undefined
      ? { method, url, headers: admin }
      : { method, url, headers: admin, payload },
  );
  return {
    status: response.statusCode,
    body: (response.headers['content-type'] ?? '').toString().includes('json')
      ? response.json<T>()
      : (undefined as T),
    headers: response.headers,
    text: response.body,
  };
}

let seq = 0;
function txn(
  merchantNo: string,
  terminalId: string,
  type: string,
  amountFen: number,
  occurredAt: string,
) {
  seq += 1;
  return { id: `L${seq}`, terminalId, merchantNo, type, amountFen, occurredAt };
}

async function run(businessDate: string): Promise<Record<string, Line>> {
  const response = await request<{ lines: Line[] }>('POST', '/api/v1/settlement-runs', {
    businessDate,
  });
  expect(response.status).toBe(201);
  return Object.fromEntries(response.body.lines.map((l) => [l.merchantNo, l]));
}

beforeAll(async () => {
  t = await startTestApp();
  const imported = await request<{ failed: unknown[] }>('POST', '/api/v1/import', {
    records: [
      enterpriseRecord({ merchantNo: A, terminalIds: ['L0000001'] }),
      enterpriseRecord({
        merchantNo: D,
        terminalIds: ['L0000004'],
        accountNumber: '1001234509000044444',
      }),
      {
        ...microRecord({ merchantNo: C, accountNumber: '6217001234567890122' }),
        terminals: [
          {
            terminalId: 'L0000003',
            serialNumber: 'SNL3',
            model: 'PAX A920',
            firmwareVersion: 'V2.3.1',
          },
        ],
      },
      {
        ...microRecord({ merchantNo: B }),
        terminals: [
          {
            terminalId: 'L0000002',
            serialNumber: 'SNL2',
            model: 'PAX A920',
            firmwareVersion: 'V2.3.1',
          },
        ],
      },
    ],
  });
  expect(imported.body.failed).toEqual([]);
});

afterAll(async () => {
  await t.close();
});

describe('settlement lines', () => {
  it('carries a day of refunds to the next line, where it is taken off', async () => {
    await request('POST', '/api/v1/transactions', {
      transactions: [
        txn(A, 'L0000001', 'purchase', 1_000, '2026-11-20T02:00:00Z'),
        txn(A, 'L0000001', 'refund', 5_000, '2026-11-20T03:00:00Z'),
        txn(A, 'L0000001', 'purchase', 20_000, '2026-11-21T02:00:00Z'),
      ],
    });
    const first = await run('2026-11-20');
    expect(first[A]).toMatchObject({
      netFen: -4_000,
      feeFen: 0,
      amountFen: -4_000,
      status: 'carried',
      holdReasons: [],
    });
    const second = await run('2026-11-21');
    // 20,000 − 120 fee − 4,000 carried.
    expect(second[A]).toMatchObject({
      netFen: 20_000,
      feeFen: 120,
      carriedInFen: -4_000,
      amountFen: 15_880,
      status: 'ready',
    });
    const balance = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${A}/settlement-balance`,
    );
    expect(balance.body).toMatchObject({
      pendingFen: 0,
      inFlightFen: 15_880,
      capturedFen: 16_000,
      feesFen: 120,
    });
    const verify = await request<{ balanced: boolean; problems: unknown[] }>(
      'GET',
      '/api/v1/ledger/verify',
    );
    expect(verify.body.problems).toEqual([]);
  });

  it('holds a ready line in the payout file when its merchant was contained after the run', async () => {
    await request('POST', '/api/v1/transactions', {
      transactions: [
        txn(B, 'L0000002', 'purchase', 50_000, '2026-11-22T02:00:00Z'),
        txn(A, 'L0000001', 'purchase', 10_000, '2026-11-22T02:00:00Z'),
      ],
    });
    const lines = await run('2026-11-22');
    expect(lines[B]?.status).toBe('ready');
    // After the run, B's terminal is used under A's number: A is contained (hold, incident).
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(A, 'L0000002', 'purchase', 100, '2026-11-23T02:00:00Z')],
    });
    const runId = (
      await request<{ items: { id: string; businessDate: string }[] }>(
        'GET',
        '/api/v1/settlement-runs',
      )
    ).body.items.find((r) => r.businessDate === '2026-11-22')?.id;
    const file = await request('GET', `/api/v1/settlement-runs/${runId}/payout-file`);
    expect(file.status).toBe(200);
    expect(file.headers['x-settleguard-held-now']).toBe('1');
    const rows = file.text.trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(B);
    const held = await request<{ items: Line[] }>(
      'GET',
      `/api/v1/settlement-runs/${runId}/lines?status=held`,
    );
    expect(held.body.items.map((l) => [l.merchantNo, l.holdReasons])).toEqual([
      [A, ['settlement_hold', 'open_incident']],
    ]);
    const balance = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${A}/settlement-balance`,
    );
    expect(balance.body.heldFen).toBe(10_000 - 60);
    const verify = await request<{ problems: unknown[] }>('GET', '/api/v1/ledger/verify');
    expect(verify.body.problems).toEqual([]);
  });

  it('bounds a results batch and validates its records', async () => {
    const results = Array.from({ length: 1_001 }, () => ({
      lineId: '00000000-0000-4000-8000-000000000000',
      status: 'paid',
    }));
    expect((await request('POST', '/api/v1/settlement-results', { results })).status).toBe(413);
    const bad = await request<{ code: string }>('POST', '/api/v1/settlement-results', {
      results: [{ lineId: 'x', status: 'lost' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('holds a changed account during its cooling-off period', async () => {
    // A new account for C, verified one hour before the run (the account change flow is a later
    // issue: written here as it would leave the registry).
    const db = t.ctx.db;
    const now = t.ctx.now();
    await db.query(
      `UPDATE settlement_accounts SET valid_to = $2 WHERE merchant_no = $1 AND valid_to IS NULL`,
      [C, now],
    );
    await db.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, status, name_check, valid_from, recorded_by)
       VALUES (gen_random_uuid(), $1, $2, 'fp-new', '622848*********0018', '张丽', 'personal', 'active',
         '{"result":"match","score":1,"reasons":[],"comparedWith":"legal_person"}', $3, 'test')`,
      [
        C,
        t.ctx.vault.seal('account_number', '6228480000000000018'),
        new Date(now.getTime() - 3_600_000),
      ],
    );
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(C, 'L0000003', 'purchase', 7_000, '2026-11-24T02:00:00Z')],
    });
    const lines = await run('2026-11-24');
    expect(lines[C]).toMatchObject({ status: 'held', holdReasons: ['account_cooling_off'] });
  });

  it('settles a transaction that arrived after its date was run with the next run, once', async () => {
    const start = t.ctx.now().getTime();
    const at = (hours: number) => () => new Date(start + hours * 3_600_000);
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(D, 'L0000004', 'purchase', 10_000, '2026-11-25T02:00:00Z')],
    });
    const first = await run('2026-11-25');
    expect(first[D]).toMatchObject({ netFen: 10_000, status: 'ready' });
    // An hour later the switch delivers a sale of the 25th it had held back, and one of the 26th.
    t.ctx.now = at(1);
    await request('POST', '/api/v1/transactions', {
      transactions: [
        txn(D, 'L0000004', 'purchase', 3_000, '2026-11-25T05:00:00Z'),
        txn(D, 'L0000004', 'purchase', 1_000, '2026-11-26T01:00:00Z'),
      ],
    });
    t.ctx.now = at(2);
    const second = await run('2026-11-26');
    expect(second[D]).toMatchObject({
      netFen: 4_000,
      transactionCount: 2,
      lateTransactionCount: 1,
      lateNetFen: 3_000,
      feeFen: 24,
      amountFen: 3_976,
      status: 'ready',
    });
    // The next run does not take it again.
    t.ctx.now = at(3);
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(D, 'L0000004', 'purchase', 500, '2026-11-27T01:00:00Z')],
    });
    t.ctx.now = at(20);
    const third = await run('2026-11-27');
    expect(third[D]).toMatchObject({ netFen: 500, lateTransactionCount: 0 });
    const verify = await request<{ problems: unknown[] }>('GET', '/api/v1/ledger/verify');
    expect(verify.body.problems).toEqual([]);
  });

  it('settles a late transaction with an older date run by hand after newer ones, once', async () => {
    const start = t.ctx.now().getTime();
    const at = (hours: number) => () => new Date(start + hours * 3_600_000);
    // A sale of the 27th, whose run was made, arrives late...
    t.ctx.now = at(1);
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(D, 'L0000004', 'purchase', 800, '2026-11-27T03:00:00Z')],
    });
    // ...and the next run is someone settling the 19th by hand: it takes the late sale.
    t.ctx.now = at(2);
    const older = await run('2026-11-19');
    expect(older[D]).toMatchObject({
      netFen: 800,
      transactionCount: 1,
      lateTransactionCount: 1,
      lateNetFen: 800,
    });
    // No later run takes it again, and the ledger accounts for it.
    t.ctx.now = at(3);
    const later = await run('2026-11-18');
    expect(later[D]).toBeUndefined();
    const verify = await request<{ problems: unknown[] }>('GET', '/api/v1/ledger/verify');
    expect(verify.body.problems).toEqual([]);
  });

  it('shows money no run has taken yet, and lists lines on hold by reason', async () => {
    await request('POST', '/api/v1/transactions', {
      transactions: [
        txn(D, 'L0000004', 'purchase', 2_500, '2026-11-28T01:00:00Z'),
        txn(D, 'L0000004', 'refund', 300, '2026-11-28T02:00:00Z'),
      ],
    });
    const balance = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${D}/settlement-balance`,
    );
    expect(balance.body).toMatchObject({ unsettledFen: 2_200, unsettledTransactionCount: 2 });
    const onHold = await request<{ items: Line[] }>(
      'GET',
      '/api/v1/settlement-lines?onHold=true&reason=settlement_hold&limit=1',
    );
    expect(onHold.body.items.map((l) => l.merchantNo)).toEqual([A]);
    const all: Line[] = [];
    let cursor: string | undefined;
    do {
      const page = await request<{ items: Line[]; nextCursor?: string }>(
        'GET',
        `/api/v1/settlement-lines?onHold=true&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    // A held at the payout file (11-22), C cooling off (11-24).
    expect(all.map((l) => [l.merchantNo, l.holdReasons])).toEqual([
      [C, ['account_cooling_off']],
      [A, ['settlement_hold', 'open_incident']],
    ]);
    expect(new Set(all.map((l) => l.id)).size).toBe(all.length);
  });
  it('stamps a batch that waited for a run as arriving after it, so no line misses it', async () => {
    // The run reads at 08:00; the batch was stamped a minute before and (as if it had waited
    // for the run's lock) is stored after the run.
    t.ctx.now = () => new Date('2026-12-20T08:00:00Z');
    await run('2026-12-18');
    t.ctx.now = () => new Date('2026-12-20T07:59:00Z');
    await request('POST', '/api/v1/transactions', {
      transactions: [
        { ...txn(C, 'L0000003', 'purchase', 2_222, '2026-12-18T03:00:00Z'), id: 'WAITED-1' },
      ],
    });
    const stored = await t.tdb.db.query<{ received_at: Date; cutoff_at: Date }>(
      `SELECT t.received_at, r.cutoff_at FROM transactions t, settlement_runs r
        WHERE t.id = 'WAITED-1' AND r.business_date = '2026-12-18'`,
    );
    const row = stored.rows[0];
    expect(row && new Date(row.received_at) > new Date(row.cutoff_at)).toBe(true);
    // Not the run's (it was not there when the run read): the next run's, as a late sale.
    const verify = await request<{ problems: unknown[] }>('GET', '/api/v1/ledger/verify');
    expect(verify.body.problems).toEqual([]);
    t.ctx.now = () => new Date('2026-12-20T09:00:00Z');
    const next = await run('2026-12-19');
    expect(next[C]).toMatchObject({ lateTransactionCount: 1 });
  });

  // Last: it leaves the ledger check with a problem to report.
  it('names a transaction that arrived too late for any run to take it', async () => {
    // Five weeks on, a sale of the 20th (whose run was made long ago) finally arrives.
    t.ctx.now = () => new Date('2026-12-26T08:00:00Z');
    await request('POST', '/api/v1/transactions', {
      transactions: [txn(D, 'L0000004', 'purchase', 4_321, '2026-11-20T03:00:00Z')],
    });
    const lines = await run('2026-12-25');
    // More than 31 days late: the run does not take it...
    expect(lines[D]?.lateTransactionCount ?? 0).toBe(0);
    // ...and verification says so, with the amount, instead of losing it quietly.
    const verify = await request<{
      balanced: boolean;
      problems: { code: string; merchantNo?: string; expectedFen?: number; message: string }[];
    }>('GET', '/api/v1/ledger/verify');
    expect(verify.body.balanced).toBe(false);
    expect(verify.body.problems).toEqual([
      expect.objectContaining({
        code: 'transaction_unsettled',
        merchantNo: D,
        expectedFen: 4_321,
        message: expect.stringContaining('business date 2026-11-20') as unknown,
      }),
    ]);
  });
});
