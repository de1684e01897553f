/**
 * A recovery asked for first (ADR 17): the case claims the payment with nothing advanced and
 * no receivable; an advance afterwards makes the receivable; money received pays back the
 * advance first and the rest is the merchant's own money, passed through to its next run like
 * re-settled money. Both orders (recover then refund, refund then recover), a receipt passed
 * through and taken by a run, a later re-settlement or refund capped or refused so that the
 * merchant is never paid twice, a case closed with nothing advanced (a write-off of zero), and
 * ledger verification balanced after every step. The merchant's paid figure counts payouts
 * only, not refunds paid or money recovered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';

let t: TestApp;

const L = '740000000000001';
const O = '740000000000002';
const ACCOUNT_L = '1001234509000050001';
const ACCOUNT_L2 = '1001234509000050009';

const tokens: Record<string, string> = { admin: ADMIN_TOKEN };

interface Problem {
  code: string;
  errors?: { path: string; code: string; message: string }[];
}
interface Remediation {
  id: string;
  action: string;
  status: string;
  amountFen: number;
  journalId: string | null;
  recoveryCaseId: string | null;
  refund: { status: string } | null;
}
interface RecoveryCase {
  id: string;
  status: string;
  amountFen: number;
  advancedFen: number;
  recoveredFen: number;
  passedThroughFen: number;
  writtenOffFen: number;
  receivableFen: number;
  outstandingFen: number;
  abandonedFen: number;
  remediationIds: string[];
  receipts: { amountFen: number; passedThroughFen: number; settledInLineId: string | null }[];
  writeOff: { amountFen: number } | null;
}
interface Verdict {
  balanced: boolean;
  problems: { code: string; message: string }[];
}
interface Balance {
  paidFen: number;
  releasedFen: number;
  heldFen: number;
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
): Promise<Problem> {
  const { status: got, body } = await response;
  expect({ status: got, code: (body as Problem).code }).toEqual({ status, code });
  return body as Problem;
}

async function balanced(step: string): Promise<void> {
  const { status, body } = await call<Verdict>('GET', '/api/v1/ledger/verify', 'audrey');
  expect(status).toBe(200);
  expect({ step, problems: body.problems }).toEqual({ step, problems: [] });
  expect(body.balanced).toBe(true);
}

async function account(name: string): Promise<number> {
  const { rows } = await t.ctx.db.query<{ fen: number | null }>(
    `SELECT sum(amount_fen)::bigint AS fen FROM ledger_postings
      WHERE account = $1 AND merchant_no = $2`,
    [name, L],
  );
  return rows[0]?.fen ?? 0;
}

async function balance(): Promise<Balance> {
  const { status, body } = await call<Balance>(
    'GET',
    `/api/v1/merchants/${L}/settlement-balance`,
    'admin',
  );
  expect(status).toBe(200);
  return body;
}

let incident = '';
let paidOut = 0;

beforeAll(async () => {
  t = await startTestApp();
  const imported = await call<{ failed: unknown[] }>('POST', '/api/v1/import', 'admin', {
    records: [
      enterpriseRecord({ merchantNo: L, terminalIds: ['S0000001'], accountNumber: ACCOUNT_L }),
      enterpriseRecord({
        merchantNo: O,
        terminalIds: ['S0000002'],
        accountNumber: '1001234509000050002',
      }),
    ],
  });
  expect(imported.body.failed).toEqual([]);
  tokens.oscar = await t.tokenFor('oscar', 'ops');
  tokens.rita = await t.tokenFor('rita', 'risk');
  tokens.april = await t.tokenFor('april', 'approver');
  tokens.audrey = await t.tokenFor('audrey', 'auditor');

  const sale = (id: string, amountFen: number, n: number) => ({
    id,
    merchantNo: L,
    terminalId: 'S0000001',
    type: 'purchase',
    amountFen,
    occurredAt: '2026-11-24T03:00:00Z',
    pan: IDS.cardCcb,
    rrn: `30000000000${n}`,
    stan: `00030${n}`,
  });
  await call('POST', '/api/v1/transactions', 'admin', {
    transactions: [
      sale('P1', 10_000, 1),
      sale('P2', 6_000, 2),
      sale('P3', 4_000, 3),
      sale('P4', 5_000, 4),
      sale('P5', 3_000, 5),
    ],
  });
  const run = await call<{ lines: { id: string; merchantNo: string; amountFen: number }[] }>(
    'POST',
    '/api/v1/settlement-runs',
    'admin',
    { businessDate: '2026-11-24' },
  );
  const line = run.body.lines.find((l) => l.merchantNo === L);
  paidOut = line?.amountFen ?? 0;
  expect(paidOut).toBeGreaterThan(0);
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
          id: 'PC1',
          merchantNo: L,
          terminalId: 'S0000002',
          type: 'purchase',
          amountFen: 2_000,
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
const recoveryCase = async (id: string) => {
  const { status, body } = await call<RecoveryCase>('GET', `/api/v1/recovery-cases/${id}`, 'rita');
  expect(status).toBe(200);
  return body;
};
const receipt = (caseId: string, amountFen: number) =>
  call<RecoveryCase>('POST', `/api/v1/recovery-cases/${caseId}/receipts`, 'oscar', {
    amountFen,
    reference: `BANK-RET-${amountFen}`,
  });

describe('a recovery before anything is advanced', () => {
  it('recover first, then refund: the claim comes first, the receivable with the refund', async () => {
    await balanced('start');
    expect((await balance()).paidFen).toBe(paidOut);
    const recover = await open({ transactionId: 'P1', action: 'recover' });
    expect(recover.status).toBe(201);
    expect(recover.body).toMatchObject({ action: 'recover', amountFen: 10_000, journalId: null });
    const caseId = recover.body.recoveryCaseId ?? '';
    expect(await recoveryCase(caseId)).toMatchObject({
      status: 'open',
      amountFen: 10_000,
      advancedFen: 0,
      recoveredFen: 0,
      passedThroughFen: 0,
      writtenOffFen: 0,
      receivableFen: 0,
      outstandingFen: 10_000,
      abandonedFen: 0,
    });
    expect(await account('misrouted_receivable')).toBe(0);
    await balanced('recover P1 first');

    const refund = await open({ transactionId: 'P1', action: 'refund' });
    expect(refund.status).toBe(201);
    expect(refund.body.amountFen).toBe(10_000);
    expect(await recoveryCase(caseId)).toMatchObject({
      amountFen: 10_000,
      advancedFen: 10_000,
      receivableFen: 10_000,
      outstandingFen: 10_000,
    });
    expect(await account('misrouted_receivable')).toBe(10_000);
    await balanced('refund P1 after the recovery');

    const paid = await call<Remediation>(
      'POST',
      `/api/v1/remediations/${refund.body.id}/refund-paid`,
      'oscar',
      { bankReference: 'RF-P1' },
    );
    expect(paid.status).toBe(200);
    // A refund paid to a cardholder is no payout to the merchant.
    expect((await balance()).paidFen).toBe(paidOut);
    await balanced('refund P1 paid');

    const got = await receipt(caseId, 10_000);
    expect(got.status).toBe(201);
    expect(got.body).toMatchObject({
      status: 'recovered',
      recoveredFen: 10_000,
      passedThroughFen: 0,
      receivableFen: 0,
      outstandingFen: 0,
      receipts: [{ amountFen: 10_000, passedThroughFen: 0, settledInLineId: null }],
    });
    expect(await account('misrouted_receivable')).toBe(0);
    expect(await account('merchant_released')).toBe(0);
    // Money recovered from the wrong holder is no payout to the merchant either.
    expect((await balance()).paidFen).toBe(paidOut);
    await balanced('P1 recovered');
  });

  it('refund first, then recover: the claim is what was advanced', async () => {
    const refund = await open({ transactionId: 'P2', action: 'refund', amountFen: 5_500 });
    expect(refund.status).toBe(201);
    await balanced('refund P2 first');
    const recover = await open({ transactionId: 'P2', action: 'recover' });
    expect(recover.body.amountFen).toBe(5_500);
    const caseId = recover.body.recoveryCaseId ?? '';
    expect(await recoveryCase(caseId)).toMatchObject({
      status: 'open',
      amountFen: 5_500,
      advancedFen: 5_500,
      receivableFen: 5_500,
      outstandingFen: 5_500,
    });
    await balanced('recover P2 after the refund');
    await refused(receipt(caseId, 5_501), 409, 'recovery_amount_exceeded');
    const part = await receipt(caseId, 2_000);
    expect(part.body).toMatchObject({ receivableFen: 3_500, passedThroughFen: 0 });
    await balanced('P2 partly recovered');
    // The rest is written off: only what was advanced, the acquirer's loss.
    const off = await call<RecoveryCase>(
      'POST',
      `/api/v1/recovery-cases/${caseId}/write-off`,
      'april',
      { reason: '持有人失联' },
    );
    expect(off.body).toMatchObject({
      status: 'written_off',
      writtenOffFen: 3_500,
      receivableFen: 0,
      outstandingFen: 0,
      abandonedFen: 0,
    });
    expect(await account('misrouted_receivable')).toBe(0);
    await balanced('P2 written off');
  });

  it('passes money received beyond the advance to the merchant; the next run takes it', async () => {
    const recover = await open({ transactionId: 'P3', action: 'recover' });
    const caseId = recover.body.recoveryCaseId ?? '';
    const got = await receipt(caseId, 4_000);
    expect(got.status).toBe(201);
    expect(got.body).toMatchObject({
      status: 'recovered',
      amountFen: 4_000,
      advancedFen: 0,
      recoveredFen: 4_000,
      passedThroughFen: 4_000,
      receivableFen: 0,
      outstandingFen: 0,
      receipts: [{ amountFen: 4_000, passedThroughFen: 4_000, settledInLineId: null }],
    });
    const postings = await t.ctx.db.query<{ kind: string; account: string; amount_fen: number }>(
      `SELECT j.kind, p.account, p.amount_fen FROM ledger_journals j
         JOIN ledger_postings p ON p.journal_id = j.id WHERE j.id = $1 ORDER BY p.seq`,
      [`recovery:${caseId}:1`],
    );
    expect(postings.rows).toEqual([
      { kind: 'recovery', account: 'settlement_bank', amount_fen: 4_000 },
      { kind: 'recovery', account: 'merchant_released', amount_fen: -4_000 },
    ]);
    expect(await balance()).toMatchObject({ releasedFen: 4_000, paidFen: paidOut });
    await balanced('P3 received and passed through');

    // The merchant already has P3's money: neither a re-settlement nor a refund may pay it again.
    await refused(
      open({ transactionId: 'P3', action: 'resettle' }),
      409,
      'recovery_passed_through',
    );
    await refused(open({ transactionId: 'P3', action: 'refund' }), 409, 'recovery_passed_through');

    const run = await call<{
      lines: { id: string; merchantNo: string; releasedInFen: number; status: string }[];
    }>('POST', '/api/v1/settlement-runs', 'admin', { businessDate: '2026-11-26' });
    expect(run.status).toBe(201);
    const line = run.body.lines.find((l) => l.merchantNo === L);
    // Held: the incident still holds the merchant; taken exactly like re-settled money.
    expect(line).toMatchObject({ releasedInFen: 4_000, status: 'held' });
    const after = await recoveryCase(caseId);
    expect(after.receipts[0]?.settledInLineId).toBe(line?.id);
    expect(await account('merchant_released')).toBe(0);
    expect((await balance()).paidFen).toBe(paidOut);
    await balanced('passed-through money taken by the run');
    // Taken once: the row cannot be changed afterwards.
    await expect(
      t.ctx.db.query('UPDATE recovery_passthroughs SET amount_fen = 1 WHERE case_id = $1', [
        caseId,
      ]),
    ).rejects.toThrow(/absorbed_by/);
  });

  it('caps a later advance at what the recovery has not already paid the merchant', async () => {
    const recover = await open({ transactionId: 'P4', action: 'recover' });
    const caseId = recover.body.recoveryCaseId ?? '';
    const part = await receipt(caseId, 2_000);
    expect(part.body).toMatchObject({ passedThroughFen: 2_000, outstandingFen: 3_000 });
    await balanced('P4 partly received, passed through');
    const tooMuch = await refused(
      open({ transactionId: 'P4', action: 'resettle', amountFen: 5_000 }),
      409,
      'recovery_passed_through',
    );
    expect(tooMuch.errors?.[0]).toMatchObject({ path: 'amountFen', message: 'at most 3000' });
    const resettle = await open({ transactionId: 'P4', action: 'resettle' });
    expect(resettle.status).toBe(201);
    expect(resettle.body.amountFen).toBe(3_000);
    expect(await recoveryCase(caseId)).toMatchObject({
      amountFen: 5_000,
      advancedFen: 3_000,
      passedThroughFen: 2_000,
      receivableFen: 3_000,
      outstandingFen: 3_000,
    });
    await balanced('P4 re-settled for the rest');
    // The rest received pays back the advance: nothing more goes to the merchant.
    const rest = await receipt(caseId, 3_000);
    expect(rest.body).toMatchObject({
      status: 'recovered',
      recoveredFen: 5_000,
      passedThroughFen: 2_000,
      receivableFen: 0,
      receipts: [
        { amountFen: 2_000, passedThroughFen: 2_000 },
        { amountFen: 3_000, passedThroughFen: 0 },
      ],
    });
    // 2,000 passed through + 3,000 re-settled wait for the next run.
    expect((await balance()).releasedFen).toBe(5_000);
    await balanced('P4 recovered');
  });

  it('closes a case with nothing advanced and nothing received by a write-off of zero', async () => {
    const recover = await open({ transactionId: 'P5', action: 'recover' });
    const caseId = recover.body.recoveryCaseId ?? '';
    const journals = async () =>
      (await t.ctx.db.query('SELECT 1 FROM ledger_journals')).rows.length;
    const before = await journals();
    const off = await call<RecoveryCase>(
      'POST',
      `/api/v1/recovery-cases/${caseId}/write-off`,
      'april',
      { reason: '商户决定不再追索' },
    );
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({
      status: 'written_off',
      amountFen: 3_000,
      writtenOffFen: 0,
      receivableFen: 0,
      outstandingFen: 0,
      abandonedFen: 3_000,
      writeOff: { amountFen: 0 },
    });
    // Nothing was the acquirer's: no journal.
    expect(await journals()).toBe(before);
    await balanced('P5 abandoned');
    // An advance now could not be claimed back on the closed case.
    await refused(open({ transactionId: 'P5', action: 'resettle' }), 409, 'recovery_case_closed');
    // The recovery with nothing moved may be cancelled; the payment may then be re-settled.
    const cancelled = await call<Remediation>(
      'POST',
      `/api/v1/remediations/${recover.body.id}`,
      'oscar',
      { status: 'cancelled' },
    );
    expect(cancelled.body.status).toBe('cancelled');
    const resettle = await open({ transactionId: 'P5', action: 'resettle' });
    expect(resettle.status).toBe(201);
    expect(resettle.body.amountFen).toBe(3_000);
    await balanced('P5 re-settled after the recovery was cancelled');
  });
});
