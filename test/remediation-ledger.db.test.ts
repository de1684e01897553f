/**
 * Remediation's money in the ledger, step by step: a re-settlement and a refund posted and then
 * cancelled (reversing journals, nothing left waiting), a re-settlement taken into the next
 * run's line while the incident still holds the merchant (the money then held, not paid), a
 * cancellation refused once a run has the money, drills refused, and ledger verification
 * balanced after each step; then the tables tampered with and verification naming each
 * disagreement with its code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';

let t: TestApp;

const L = '730000000000001';
const O = '730000000000002';
const ACCOUNT_L = '1001234509000040001';
const ACCOUNT_L2 = '1001234509000040009';

const tokens: Record<string, string> = { admin: ADMIN_TOKEN };

interface Problem {
  code: string;
}
interface Remediation {
  id: string;
  status: string;
  journalId: string | null;
  settledInLineId: string | null;
  recoveryCaseId: string | null;
  refund: { status: string } | null;
}
interface Verdict {
  balanced: boolean;
  problems: { code: string; merchantNo?: string; expectedFen?: number; actualFen?: number }[];
  totals: Record<string, number>;
}

async function call<T>(
  method: 'GET' | 'POST',
  url: string,
  user: string,
  payload?: unknown,
): Promise<{ status: number; body: T }> {
  const headers = bearer(tokens[user] ?? '');
  const response = await t.app.inject(
    payload === undefined
      ? { method, url, headers }
      : { method, url, headers, payload: payload as Record<string, unknown> },
  );
  return { status: response.statusCode, body: response.json<T>() };
}

async function refused(
  response: Promise<{ status: number; body: unknown }>,
  status: number,
  code: string,
) {
  const { status: got, body } = await response;
  expect({ status: got, code: (body as Problem).code }).toEqual({ status, code });
}

async function verdict(): Promise<Verdict> {
  const { status, body } = await call<Verdict>('GET', '/api/v1/ledger/verify', 'audrey');
  expect(status).toBe(200);
  return body;
}

async function balanced(): Promise<Verdict> {
  const v = await verdict();
  expect(v.problems).toEqual([]);
  expect(v.balanced).toBe(true);
  return v;
}

async function account(name: string, merchantNo = L): Promise<number> {
  const { rows } = await t.ctx.db.query<{ fen: number | null }>(
    `SELECT sum(amount_fen)::bigint AS fen FROM ledger_postings
      WHERE account = $1 AND merchant_no = $2`,
    [name, merchantNo],
  );
  return rows[0]?.fen ?? 0;
}

let incident = '';

beforeAll(async () => {
  t = await startTestApp();
  const imported = await call<{ failed: unknown[] }>('POST', '/api/v1/import', 'admin', {
    records: [
      enterpriseRecord({ merchantNo: L, terminalIds: ['Q0000001'], accountNumber: ACCOUNT_L }),
      enterpriseRecord({
        merchantNo: O,
        terminalIds: ['Q0000002'],
        accountNumber: '1001234509000040002',
      }),
    ],
  });
  expect(imported.body.failed).toEqual([]);
  tokens.oscar = await t.tokenFor('oscar', 'ops');
  tokens.rita = await t.tokenFor('rita', 'risk');
  tokens.audrey = await t.tokenFor('audrey', 'auditor');

  const sale = (id: string, amountFen: number, extra: Record<string, unknown> = {}) => ({
    id,
    merchantNo: L,
    terminalId: 'Q0000001',
    type: 'purchase',
    amountFen,
    occurredAt: '2026-11-24T03:00:00Z',
    pan: IDS.cardCcb,
    ...extra,
  });
  await call('POST', '/api/v1/transactions', 'admin', {
    transactions: [
      sale('LS1', 10_000, { rrn: '200000000001', stan: '000201' }),
      sale('LS2', 6_000, { rrn: '200000000002', stan: '000202' }),
    ],
  });
  const run = await call<{ lines: { id: string; merchantNo: string }[] }>(
    'POST',
    '/api/v1/settlement-runs',
    'admin',
    { businessDate: '2026-11-24' },
  );
  const line = run.body.lines.find((l) => l.merchantNo === L);
  await call('POST', '/api/v1/settlement-results', 'admin', {
    results: [{ lineId: line?.id, status: 'paid' }],
  });

  // The account is found wrong and superseded, as a completed account change leaves it.
  const at = t.ctx.now();
  await t.ctx.db.query(
    'UPDATE settlement_accounts SET valid_to = $2 WHERE merchant_no = $1 AND valid_to IS NULL',
    [L, at],
  );
  await t.ctx.db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, bank_name, status,
       name_check, warnings, valid_from, recorded_by)
     SELECT account_id, merchant_no, account_number_enc, account_fp, account_number_masked,
            account_name, account_type, bank_code, bank_name, 'superseded', name_check, warnings,
            $2, 'test'
       FROM settlement_accounts WHERE merchant_no = $1 AND valid_to = $2`,
    [L, at],
  );
  await t.ctx.db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, status, name_check,
       valid_from, recorded_by)
     VALUES (gen_random_uuid(), $1, $2, $3, '1001***********0009', '北京示例餐饮管理有限公司',
       'corporate', '102100099996', 'active',
       '{"result":"match","score":1,"reasons":[],"comparedWith":"merchant_name"}', $4, 'test')`,
    [
      L,
      t.ctx.vault.seal('account_number', ACCOUNT_L2),
      t.ctx.vault.fingerprint('account_number', ACCOUNT_L2),
      new Date('2026-11-20T00:00:00Z'),
    ],
  );

  // The incident: L's number used on another merchant's terminal (contained at once).
  const contained = await call<{ results: { decision: string }[] }>(
    'POST',
    '/api/v1/transactions',
    'admin',
    {
      transactions: [
        {
          id: 'LC1',
          merchantNo: L,
          terminalId: 'Q0000002',
          type: 'purchase',
          amountFen: 3_000,
          occurredAt: '2026-11-26T01:00:00Z',
        },
      ],
    },
  );
  expect(contained.body.results[0]?.decision).toBe('contain');
  const list = await call<{ items: { id: string }[] }>(
    'GET',
    `/api/v1/incidents?merchantNo=${L}&active=true`,
    'admin',
  );
  incident = list.body.items[0]?.id ?? '';
  expect(incident).not.toBe('');
});

afterAll(async () => {
  await t.close();
});

const open = (payload: Record<string, unknown>) =>
  call<Remediation>('POST', `/api/v1/incidents/${incident}/remediations`, 'oscar', payload);
const update = (id: string, payload: Record<string, unknown>) =>
  call<Remediation>('POST', `/api/v1/remediations/${id}`, 'oscar', payload);

describe('remediation in the ledger', () => {
  let resettle = '';

  it('is balanced before any remediation', async () => {
    await balanced();
  });

  it('reverses a cancelled re-settlement: nothing waits for the run any more', async () => {
    const first = await open({ transactionId: 'LS1', action: 'resettle' });
    expect(first.status).toBe(201);
    expect(await account('merchant_released')).toBe(-10_000);
    expect(await account('misrouted_receivable')).toBe(10_000);
    await balanced();
    const cancelled = await update(first.body.id, { status: 'cancelled', note: '误建' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', journalId: null });
    const reversal = await t.ctx.db.query<{ kind: string; account: string; amount_fen: number }>(
      `SELECT j.kind, p.account, p.amount_fen FROM ledger_journals j
         JOIN ledger_postings p ON p.journal_id = j.id
        WHERE j.id = $1 ORDER BY p.seq`,
      [`remediation:${first.body.id}:resettle:reversal`],
    );
    expect(reversal.rows).toEqual([
      { kind: 'reversal', account: 'misrouted_receivable', amount_fen: -10_000 },
      { kind: 'reversal', account: 'merchant_released', amount_fen: 10_000 },
    ]);
    expect(await account('merchant_released')).toBe(0);
    expect(await account('misrouted_receivable')).toBe(0);
    await balanced();
    // Cancelled is final; a new one may be opened.
    await refused(update(first.body.id, { status: 'open' }), 409, 'invalid_state');
    const again = await open({ transactionId: 'LS1', action: 'resettle', amountFen: 9_940 });
    expect(again.status).toBe(201);
    resettle = again.body.id;
    expect(await account('merchant_released')).toBe(-9_940);
    await balanced();
  });

  it('reverses a cancelled refund and refuses to pay it afterwards', async () => {
    const refund = await open({ transactionId: 'LS2', action: 'refund' });
    expect(refund.body.refund?.status).toBe('pending');
    expect(-(await account('cardholder_refund_payable'))).toBe(6_000);
    await balanced();
    const cancelled = await update(refund.body.id, { status: 'cancelled' });
    expect(cancelled.body.refund?.status).toBe('cancelled');
    expect(await account('cardholder_refund_payable')).toBe(0);
    await refused(
      call('POST', `/api/v1/remediations/${refund.body.id}/refund-paid`, 'oscar', {
        bankReference: 'X',
      }),
      409,
      'invalid_state',
    );
    await balanced();
  });

  it('takes re-settled money into the next line, held while the incident holds the merchant', async () => {
    const next = await call<{
      lines: {
        id: string;
        merchantNo: string;
        status: string;
        releasedInFen: number;
        amountFen: number;
      }[];
    }>('POST', '/api/v1/settlement-runs', 'admin', { businessDate: '2026-11-26' });
    expect(next.status).toBe(201);
    const line = next.body.lines.find((l) => l.merchantNo === L);
    expect(line).toMatchObject({
      status: 'held',
      releasedInFen: 9_940,
      amountFen: 3_000 - 18 + 9_940,
    });
    const taken = await call<Remediation>('GET', `/api/v1/remediations/${resettle}`, 'rita');
    expect(taken.body.settledInLineId).toBe(line?.id);
    expect(await account('merchant_released')).toBe(0);
    expect(-(await account('merchant_held'))).toBe(line?.amountFen);
    await refused(update(resettle, { status: 'cancelled' }), 409, 'invalid_state');
    const v = await balanced();
    expect(v.totals.misrouted_receivable).toBe(9_940);
  });

  it('refuses remediation on a drill, which lists nothing', async () => {
    const drill = await call<{ id: string }>('POST', '/api/v1/drills', 'rita', {
      scenario: 'settlement_returned',
      merchantNo: O,
    });
    expect(drill.status).toBe(201);
    const list = await call<{ items: unknown[] }>(
      'GET',
      `/api/v1/incidents/${drill.body.id}/affected-transactions`,
      'rita',
    );
    expect(list.body.items).toEqual([]);
    await refused(
      call('POST', `/api/v1/incidents/${drill.body.id}/remediations`, 'rita', {
        transactionId: 'LS1',
        action: 'resettle',
      }),
      409,
      'remediation_not_applicable',
    );
  });

  it('names every disagreement when the remediation tables and the ledger part ways', async () => {
    const recover = await open({ transactionId: 'LS1', action: 'recover' });
    expect(recover.status).toBe(201);
    await balanced();
    // A receipt recorded behind the ledger's back.
    await t.ctx.db.query(
      `INSERT INTO recovery_receipts (id, case_id, n, amount_fen, reference, recorded_by, recorded_at)
       VALUES (gen_random_uuid(), $1, 1, 1000, 'forged', 'nobody', now())`,
      [recover.body.recoveryCaseId],
    );
    const v = await verdict();
    expect(v.balanced).toBe(false);
    expect(v.problems.map((p) => p.code).sort()).toEqual([
      'receivable_mismatch',
      'recovery_case_mismatch',
      'remediation_journal_missing',
    ]);
    expect(v.problems.find((p) => p.code === 'receivable_mismatch')).toMatchObject({
      merchantNo: L,
      expectedFen: 9_940 - 1_000,
      actualFen: 9_940,
    });
  });
});
