/**
 * Remediation through the HTTP API on a world built by the real paths: a merchant's sales are
 * settled and paid to its account; the next payout comes back (name mismatch), which opens the
 * incident; a payment declined after that; the account then found wrong and superseded (as a
 * completed account change leaves it). Then: the affected payments listed by kind with RRN,
 * STAN and masked numbers; remediations opened with every refusal (conflict, duplicate, not
 * applicable, not affected, roles, scope, bad owner and date); a refund paid; a re-transaction
 * named; the recovery case with receipts and write-off; the re-settled money taken by the
 * merchant's next run to the new account; the resolve gate; the merchant's view without staff
 * names; the ledger balanced after every step; no full number anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';

let t: TestApp;

const A = '720000000000001';
const B = '720000000000002';
const ACCOUNT_A = '1001234509000030001';
const ACCOUNT_A2 = '1001234509000030009';
const ACCOUNT_B = '1001234509000030002';
const PAN = IDS.cardIcbc;

const tokens: Record<string, string> = { admin: ADMIN_TOKEN };

interface Problem {
  code: string;
  errors?: { path: string; code: string }[];
}
interface Ref {
  id: string;
  action: string;
  status: string;
}
interface Affected {
  kind: string;
  transactionId: string | null;
  lineId: string | null;
  merchantNo: string;
  terminalId: string | null;
  amountFen: number;
  rrn: string | null;
  stan: string | null;
  panMasked: string | null;
  accountNumberMasked: string | null;
  lineStatus: string | null;
  remediation: Ref | null;
  remediations: Ref[];
}
interface AffectedList {
  items: Affected[];
  totals: Record<string, { count: number; amountFen: number }> & {
    remediated: number;
    unremediated: number;
  };
}
interface Remediation {
  id: string;
  incidentId: string;
  kind: string;
  transactionId: string | null;
  lineId: string | null;
  action: string;
  status: string;
  owner: string | null;
  dueDate: string | null;
  note: string | null;
  amountFen: number;
  rrn: string | null;
  stan: string | null;
  panMasked: string | null;
  unassigned: boolean;
  overdue: boolean;
  recoveryCaseId: string | null;
  retransactionId: string | null;
  settledInLineId: string | null;
  journalId: string | null;
  refund: {
    rrn: string | null;
    stan: string | null;
    panMasked: string | null;
    amountFen: number;
    status: string;
    bankReference: string | null;
  } | null;
  createdBy: string;
  updates: { by: string; status: string | null; owner: string | null }[];
}
interface RecoveryCase {
  id: string;
  status: string;
  accountNumberMasked: string | null;
  amountFen: number;
  recoveredFen: number;
  writtenOffFen: number;
  outstandingFen: number;
  remediationIds: string[];
  receipts: { amountFen: number; reference: string; recordedBy: string }[];
  writeOff: { reason: string; amountFen: number; by: string } | null;
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

async function balanced() {
  const { status, body } = await call<{ balanced: boolean; problems: unknown[] }>(
    'GET',
    '/api/v1/ledger/verify',
    'admin',
  );
  expect(status).toBe(200);
  expect(body.problems).toEqual([]);
  expect(body.balanced).toBe(true);
}

function txn(
  id: string,
  merchantNo: string,
  terminalId: string,
  amountFen: number,
  occurredAt: string,
  extra: Record<string, unknown> = {},
) {
  return { id, merchantNo, terminalId, type: 'purchase', amountFen, occurredAt, ...extra };
}

async function ingest(transactions: unknown[]) {
  const { body } = await call<{ results: { outcome: string }[] }>(
    'POST',
    '/api/v1/transactions',
    'admin',
    { transactions },
  );
  expect(body.results.map((r) => r.outcome)).toEqual(transactions.map(() => 'accepted'));
}

interface Line {
  id: string;
  merchantNo: string;
  amountFen: number;
  releasedInFen: number;
  status: string;
  holdReasons: string[];
  accountNumberMasked: string | null;
}

async function run(businessDate: string): Promise<Record<string, Line>> {
  const { status, body } = await call<{ lines: Line[] }>(
    'POST',
    '/api/v1/settlement-runs',
    'admin',
    { businessDate },
  );
  expect(status).toBe(201);
  return Object.fromEntries(body.lines.map((l) => [l.merchantNo, l]));
}

let incident: string;
let day24: Record<string, Line>;
let day25: Record<string, Line>;

beforeAll(async () => {
  t = await startTestApp();
  const imported = await call<{ failed: unknown[] }>('POST', '/api/v1/import', 'admin', {
    records: [
      enterpriseRecord({ merchantNo: A, terminalIds: ['R0000001'], accountNumber: ACCOUNT_A }),
      enterpriseRecord({ merchantNo: B, terminalIds: ['R0000002'], accountNumber: ACCOUNT_B }),
    ],
  });
  expect(imported.body.failed).toEqual([]);
  tokens.rita = await t.tokenFor('rita', 'risk');
  tokens.oscar = await t.tokenFor('oscar', 'ops');
  tokens.april = await t.tokenFor('april', 'approver');
  tokens.audrey = await t.tokenFor('audrey', 'auditor');
  tokens.sam = await t.tokenFor('sam', 'support');
  tokens.merchA = await t.tokenFor('merch-a', 'merchant', [A]);
  tokens.merchB = await t.tokenFor('merch-b', 'merchant', [B]);

  // Day one: three sales of A with card, RRN and voucher number, one of B; settled and paid.
  const day1 = '2026-11-24T02:00:00Z';
  await ingest([
    txn('RW1', A, 'R0000001', 12_000, day1, { pan: PAN, rrn: '100000000001', stan: '000101' }),
    txn('RW2', A, 'R0000001', 8_000, day1, { pan: PAN, rrn: '100000000002', stan: '000102' }),
    txn('RW3', A, 'R0000001', 5_000, day1, { rrn: '100000000003', stan: '000103' }),
    txn('RX1', B, 'R0000002', 7_000, day1),
  ]);
  day24 = await run('2026-11-24');
  expect(day24[A]).toMatchObject({ amountFen: 25_000 - 150, status: 'ready' });
  const paid = await call<{ applied: number }>('POST', '/api/v1/settlement-results', 'admin', {
    results: [
      { lineId: day24[A]?.id, status: 'paid' },
      { lineId: day24[B]?.id, status: 'paid' },
    ],
  });
  expect(paid.body.applied).toBe(2);

  // Day two: A's payout comes back (name mismatch): account errored, incident, hold. A payment
  // declined the day before, long before the incident: not affected by it.
  await ingest([
    txn('RD0', A, 'R0000001', 4_000, '2026-11-23T07:00:00Z', { status: 'declined' }),
    txn('RW4', A, 'R0000001', 30_000, '2026-11-25T02:00:00Z', { rrn: '100000000004' }),
  ]);
  day25 = await run('2026-11-25');
  const returned = await call<{ applied: number }>('POST', '/api/v1/settlement-results', 'admin', {
    results: [
      { lineId: day25[A]?.id, status: 'returned', reason: 'Beneficiary name does not match' },
    ],
  });
  expect(returned.body.applied).toBe(1);
  const incidents = await call<{ items: { id: string }[] }>(
    'GET',
    `/api/v1/incidents?merchantNo=${A}&active=true`,
    'admin',
  );
  incident = incidents.body.items[0]?.id ?? '';
  expect(incident).not.toBe('');

  // A payment the customer saw fail after the incident opened (and one before, not listed).
  t.advance(60_000);
  await ingest([
    txn('RD1', A, 'R0000001', 6_600, '2026-11-26T08:00:30Z', {
      status: 'declined',
      pan: PAN,
      rrn: '100000000005',
      stan: '000105',
    }),
  ]);
});

afterAll(async () => {
  await t.close();
});

/** What a completed account change leaves: the old account superseded, a new one active. */
async function supersedeAccount() {
  const db = t.ctx.db;
  const at = t.ctx.now();
  await db.query(
    `UPDATE settlement_accounts SET valid_to = $2 WHERE merchant_no = $1 AND valid_to IS NULL`,
    [A, at],
  );
  await db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, bank_name, status,
       name_check, warnings, valid_from, recorded_by)
     SELECT account_id, merchant_no, account_number_enc, account_fp, account_number_masked,
            account_name, account_type, bank_code, bank_name, 'superseded', name_check, warnings,
            $2, 'test'
       FROM settlement_accounts WHERE merchant_no = $1 AND valid_to = $2`,
    [A, at],
  );
  await db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, status, name_check,
       valid_from, recorded_by)
     VALUES (gen_random_uuid(), $1, $2, $3, '1001***********0009', '北京示例餐饮管理有限公司',
       'corporate', '102100099996', 'active',
       '{"result":"match","score":1,"reasons":[],"comparedWith":"merchant_name"}', $4, 'test')`,
    [
      A,
      t.ctx.vault.seal('account_number', ACCOUNT_A2),
      t.ctx.vault.fingerprint('account_number', ACCOUNT_A2),
      new Date('2026-11-20T00:00:00Z'),
    ],
  );
}

const affected = (user = 'rita') =>
  call<AffectedList>('GET', `/api/v1/incidents/${incident}/affected-transactions`, user);
const open = (user: string, payload: Record<string, unknown>) =>
  call<Remediation>('POST', `/api/v1/incidents/${incident}/remediations`, user, payload);
const update = (id: string, user: string, payload: Record<string, unknown>) =>
  call<Remediation>('POST', `/api/v1/remediations/${id}`, user, payload);

describe('remediation of the affected payments', () => {
  const ids = {
    resettleW1: '',
    refundW2: '',
    recoverW1: '',
    retransaction: '',
    resettleLine: '',
  };
  let caseId = '';

  it('lists the returned payout and the failed payment; nothing settled wrong while the account stands', async () => {
    const { status, body } = await affected();
    expect(status).toBe(200);
    expect(body.items).toEqual([
      expect.objectContaining({
        kind: 'customer_saw_failure',
        transactionId: 'RD1',
        lineId: null,
        merchantNo: A,
        terminalId: 'R0000001',
        amountFen: 6_600,
        rrn: '100000000005',
        stan: '000105',
        panMasked: expect.stringMatching(/^622202\*+4562$/) as unknown,
        remediation: null,
        remediations: [],
      }),
      expect.objectContaining({
        kind: 'payout_returned',
        transactionId: null,
        lineId: day25[A]?.id,
        amountFen: 30_000 - 180,
        lineStatus: 'returned',
        accountNumberMasked: expect.stringMatching(/0001$/) as unknown,
      }),
    ]);
    expect(body.totals.settled_to_wrong_account).toEqual({ count: 0, amountFen: 0 });
    expect(body.totals.all).toEqual({ count: 2, amountFen: 6_600 + 29_820 });
  });

  it('lists the payments paid to the account once it is superseded, with RRN and voucher number', async () => {
    await supersedeAccount();
    const { body } = await affected();
    const wrong = body.items.filter((i) => i.kind === 'settled_to_wrong_account');
    expect(wrong.map((i) => [i.transactionId, i.amountFen, i.rrn, i.stan, i.lineId])).toEqual([
      ['RW1', 12_000, '100000000001', '000101', day24[A]?.id],
      ['RW2', 8_000, '100000000002', '000102', day24[A]?.id],
      ['RW3', 5_000, '100000000003', '000103', day24[A]?.id],
    ]);
    expect(wrong[0]).toMatchObject({
      merchantNo: A,
      lineStatus: 'paid',
      accountNumberMasked: expect.stringMatching(/0001$/) as unknown,
      panMasked: expect.stringMatching(/^622202\*+4562$/) as unknown,
    });
    expect(body.totals).toMatchObject({
      settled_to_wrong_account: { count: 3, amountFen: 25_000 },
      payout_returned: { count: 1, amountFen: 29_820 },
      customer_saw_failure: { count: 1, amountFen: 6_600 },
      all: { count: 5, amountFen: 25_000 + 29_820 + 6_600 },
      remediated: 0,
      unremediated: 5,
    });
    // Merchant A reads its incident; B's user and roles without the permission do not.
    expect((await affected('merchA')).body.items).toHaveLength(5);
    expect((await affected('audrey')).status).toBe(200);
    await refused(affected('merchB'), 404, 'not_found');
    await refused(
      call(
        'GET',
        '/api/v1/incidents/00000000-0000-4000-8000-000000000000/affected-transactions',
        'rita',
      ),
      404,
      'not_found',
    );
  });

  it('re-settles a payment: the receivable and the money waiting for the next run are in the ledger', async () => {
    const created = await open('oscar', {
      transactionId: 'RW1',
      action: 'resettle',
      owner: 'rita',
      dueDate: '2026-11-30',
      note: '新账户验证后重新结算',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      incidentId: incident,
      kind: 'settled_to_wrong_account',
      transactionId: 'RW1',
      lineId: null,
      action: 'resettle',
      status: 'open',
      owner: 'rita',
      dueDate: '2026-11-30',
      note: '新账户验证后重新结算',
      amountFen: 12_000,
      rrn: '100000000001',
      stan: '000101',
      unassigned: false,
      overdue: false,
      settledInLineId: null,
      refund: null,
      createdBy: 'oscar',
    });
    expect(created.body.journalId).toBe(`remediation:${created.body.id}:resettle`);
    ids.resettleW1 = created.body.id;
    const postings = await t.ctx.db.query<{ account: string; amount_fen: number }>(
      'SELECT account, amount_fen FROM ledger_postings WHERE journal_id = $1 ORDER BY seq',
      [created.body.journalId],
    );
    expect(postings.rows).toEqual([
      { account: 'misrouted_receivable', amount_fen: 12_000 },
      { account: 'merchant_released', amount_fen: -12_000 },
    ]);
    const balance = await call<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${A}/settlement-balance`,
      'admin',
    );
    expect(balance.body.releasedFen).toBe(12_000);
    await balanced();
  });

  it('refuses a second remediation that would pay for the same sale twice, and duplicates', async () => {
    await refused(
      open('oscar', { transactionId: 'RW1', action: 'refund' }),
      409,
      'remediation_conflict',
    );
    await refused(
      open('oscar', { transactionId: 'RW1', action: 'retransaction' }),
      409,
      'remediation_conflict',
    );
    await refused(
      open('rita', { transactionId: 'RW1', action: 'resettle' }),
      409,
      'remediation_exists',
    );
    // (A recovery before any advance is allowed: test/remediation-recovery.db.test.ts.)
    // The declined payment can only be paid again; the returned payout only re-settled.
    await refused(
      open('rita', { transactionId: 'RD1', action: 'refund' }),
      409,
      'remediation_not_applicable',
    );
    await refused(
      open('rita', { lineId: day25[A]?.id, action: 'recover' }),
      409,
      'remediation_not_applicable',
    );
    // Not a payment of this incident.
    await refused(open('rita', { transactionId: 'RX1', action: 'resettle' }), 404, 'not_found');
    await refused(
      open('rita', { transactionId: 'RD0', action: 'retransaction' }),
      404,
      'not_found',
    );
    await refused(open('rita', { lineId: day24[B]?.id, action: 'resettle' }), 404, 'not_found');
  });

  it('refuses bad requests, other roles and other merchants', async () => {
    await refused(open('rita', { action: 'resettle' }), 422, 'validation_failed');
    await refused(
      open('rita', { transactionId: 'RW2', lineId: day25[A]?.id, action: 'resettle' }),
      422,
      'validation_failed',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'pay_twice' }),
      422,
      'validation_failed',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'refund', owner: 'ghost' }),
      422,
      'user_unknown',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'refund', owner: 'merch-a' }),
      422,
      'assignee_not_allowed',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'refund', dueDate: '2026-11-25' }),
      422,
      'validation_failed',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'refund', dueDate: '2026-02-30' }),
      422,
      'validation_failed',
    );
    await refused(
      open('rita', { transactionId: 'RW2', action: 'refund', amountFen: 8_001 }),
      422,
      'validation_failed',
    );
    for (const user of ['sam', 'audrey', 'april', 'merchA']) {
      await refused(open(user, { transactionId: 'RW2', action: 'refund' }), 403, 'forbidden');
    }
    // Nothing was written by any refusal.
    const count = await t.ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM remediations',
    );
    expect(count.rows[0]?.n).toBe(1);
  });

  it('opens a cardholder refund tied to the RRN and voucher number, and pays it', async () => {
    const refund = await open('rita', {
      transactionId: 'RW2',
      action: 'refund',
      owner: 'oscar',
      dueDate: '2026-12-01',
    });
    expect(refund.status).toBe(201);
    expect(refund.body.refund).toMatchObject({
      rrn: '100000000002',
      stan: '000102',
      panMasked: expect.stringMatching(/^622202\*+4562$/) as unknown,
      amountFen: 8_000,
      status: 'pending',
      bankReference: null,
    });
    ids.refundW2 = refund.body.id;
    await refused(
      open('rita', { transactionId: 'RW2', action: 'resettle' }),
      409,
      'remediation_conflict',
    );
    await balanced();
    await refused(update(ids.refundW2, 'oscar', { status: 'done' }), 409, 'remediation_incomplete');
    await refused(
      call('POST', `/api/v1/remediations/${ids.refundW2}/refund-paid`, 'rita', {
        bankReference: 'R1',
      }),
      403,
      'forbidden',
    );
    await refused(
      call('POST', `/api/v1/remediations/${ids.resettleW1}/refund-paid`, 'oscar', {
        bankReference: 'R1',
      }),
      409,
      'invalid_state',
    );
    const paid = await call<Remediation>(
      'POST',
      `/api/v1/remediations/${ids.refundW2}/refund-paid`,
      'oscar',
      { bankReference: 'ICBC-RF-0001' },
    );
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      status: 'done',
      refund: { status: 'paid', bankReference: 'ICBC-RF-0001', amountFen: 8_000 },
    });
    await refused(
      call('POST', `/api/v1/remediations/${ids.refundW2}/refund-paid`, 'oscar', {
        bankReference: 'again',
      }),
      409,
      'invalid_state',
    );
    await balanced();
  });

  it('claims the advanced money back on one recovery case, with receipts and a write-off', async () => {
    const first = await open('rita', { transactionId: 'RW1', action: 'recover' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ action: 'recover', amountFen: 12_000, unassigned: true });
    const second = await open('rita', {
      transactionId: 'RW2',
      action: 'recover',
      owner: 'rita',
      dueDate: '2026-12-15',
    });
    expect(second.body.recoveryCaseId).toBe(first.body.recoveryCaseId);
    caseId = first.body.recoveryCaseId ?? '';
    ids.recoverW1 = first.body.id;
    const cases = await call<{ items: RecoveryCase[] }>(
      'GET',
      `/api/v1/incidents/${incident}/recovery-cases`,
      'rita',
    );
    expect(cases.body.items).toEqual([
      expect.objectContaining({
        id: caseId,
        status: 'open',
        accountNumberMasked: expect.stringMatching(/0001$/) as unknown,
        amountFen: 20_000,
        recoveredFen: 0,
        writtenOffFen: 0,
        outstandingFen: 20_000,
        remediationIds: [first.body.id, second.body.id],
        receipts: [],
        writeOff: null,
      }),
    ]);
    // The advance a recovery rests on cannot be cancelled.
    await refused(
      update(ids.resettleW1, 'rita', { status: 'cancelled' }),
      409,
      'remediation_conflict',
    );

    const receipt = (amountFen: number, user = 'oscar') =>
      call<RecoveryCase>('POST', `/api/v1/recovery-cases/${caseId}/receipts`, user, {
        amountFen,
        reference: `BANK-RET-${amountFen}`,
      });
    await refused(receipt(20_001), 409, 'recovery_amount_exceeded');
    await refused(receipt(5_000, 'april'), 403, 'forbidden');
    const got = await receipt(5_000);
    expect(got.status).toBe(201);
    expect(got.body).toMatchObject({
      status: 'open',
      recoveredFen: 5_000,
      outstandingFen: 15_000,
      receipts: [{ amountFen: 5_000, reference: 'BANK-RET-5000', recordedBy: 'oscar' }],
    });
    await balanced();
    // A recovery with money received cannot be cancelled.
    await refused(update(ids.recoverW1, 'rita', { status: 'cancelled' }), 409, 'invalid_state');
    await refused(update(ids.recoverW1, 'rita', { status: 'done' }), 409, 'remediation_incomplete');

    const writeOff = (user: string, reason = '持有人失联，经审批核销') =>
      call<RecoveryCase>('POST', `/api/v1/recovery-cases/${caseId}/write-off`, user, { reason });
    await refused(writeOff('oscar'), 403, 'forbidden');
    await refused(writeOff('april', ''), 422, 'validation_failed');
    const off = await writeOff('april');
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({
      status: 'written_off',
      recoveredFen: 5_000,
      writtenOffFen: 15_000,
      outstandingFen: 0,
      writeOff: { amountFen: 15_000, by: 'april', reason: '持有人失联，经审批核销' },
    });
    await refused(receipt(1), 409, 'recovery_case_closed');
    await refused(writeOff('april'), 409, 'recovery_case_closed');
    const done = await update(ids.recoverW1, 'rita', { status: 'done' });
    expect(done.body.status).toBe('done');
    await balanced();
    const receivable = await t.ctx.db.query<{ fen: number }>(
      `SELECT sum(amount_fen)::bigint AS fen FROM ledger_postings
        WHERE account = 'misrouted_receivable' AND merchant_no = $1`,
      [A],
    );
    // 12,000 re-settled + 8,000 refunded − 5,000 recovered − 15,000 written off.
    expect(Number(receivable.rows[0]?.fen)).toBe(0);
  });

  it('completes a re-transaction only with an approved purchase of the same merchant', async () => {
    const again = await open('oscar', { transactionId: 'RD1', action: 'retransaction' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ kind: 'customer_saw_failure', unassigned: true });
    ids.retransaction = again.body.id;
    await refused(
      update(ids.retransaction, 'oscar', { status: 'done' }),
      409,
      'remediation_incomplete',
    );
    await refused(
      update(ids.retransaction, 'oscar', { retransactionId: 'nope' }),
      422,
      'retransaction_invalid',
    );
    await refused(
      update(ids.retransaction, 'oscar', { retransactionId: 'RX1' }),
      422,
      'retransaction_invalid',
    );
    await refused(
      update(ids.retransaction, 'oscar', { retransactionId: 'RD0' }),
      422,
      'retransaction_invalid',
    );
    await ingest([
      txn('RN1', A, 'R0000001', 6_600, '2026-11-26T08:00:40Z', { rrn: '100000000006' }),
    ]);
    const done = await update(ids.retransaction, 'oscar', { retransactionId: 'RN1' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', retransactionId: 'RN1', unassigned: false });
    await refused(update(ids.retransaction, 'oscar', { owner: 'rita' }), 409, 'invalid_state');
    await refused(update(ids.retransaction, 'oscar', { status: 'open' }), 409, 'invalid_state');
  });

  it('re-settles the returned payout without a second journal: the release pays it', async () => {
    const line = await open('rita', { lineId: day25[A]?.id, action: 'resettle' });
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({
      kind: 'payout_returned',
      lineId: day25[A]?.id,
      amountFen: 29_820,
      journalId: null,
      unassigned: true,
    });
    ids.resettleLine = line.body.id;
    await refused(
      update(ids.resettleLine, 'rita', { status: 'done' }),
      409,
      'remediation_incomplete',
    );
    await balanced();
  });

  it('will not resolve while a remediation has no owner or due date', async () => {
    const move = (to: string, user = 'rita', extra: Record<string, unknown> = {}) =>
      call<{ status: string; allowedTransitions: { to: string; blockedBy: string[] }[] }>(
        'POST',
        `/api/v1/incidents/${incident}/transition`,
        user,
        { to, ...extra },
      );
    for (const to of ['acknowledged', 'investigating']) expect((await move(to)).status).toBe(200);
    const cause = await call('POST', `/api/v1/incidents/${incident}/root-cause`, 'rita', {
      category: 'other',
      detail: '结算账户户名与开户信息不符',
    });
    expect(cause.status).toBe(200);
    await refused(
      move('resolved', 'april', { heldMoneyPlan: '待新账户验证后放行' }),
      409,
      'remediation_unassigned',
    );
    for (const to of ['correcting', 'verifying', 'remediating']) {
      expect((await move(to)).status).toBe(200);
    }
    await refused(
      move('resolved', 'april', { heldMoneyPlan: '待新账户验证后放行' }),
      409,
      'remediation_unassigned',
    );
    const assigned = await update(ids.resettleLine, 'oscar', {
      owner: 'oscar',
      dueDate: '2026-11-28',
      status: 'in_progress',
    });
    expect(assigned.body).toMatchObject({ status: 'in_progress', unassigned: false });
    expect(assigned.body.updates.map((u) => [u.by, u.status, u.owner])).toEqual([
      ['rita', 'open', null],
      ['oscar', 'in_progress', 'oscar'],
    ]);
    const timeline = await t.ctx.db.query<{ kind: string }>(
      `SELECT kind FROM incident_events WHERE incident_id = $1 AND kind LIKE 're%' ORDER BY id`,
      [incident],
    );
    expect(timeline.rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining([
        'remediation_opened',
        'remediation_updated',
        'refund_paid',
        'recovery_case_opened',
        'recovery_received',
        'recovery_written_off',
      ]),
    );
  });

  it('pays the re-settled and released money to the new account in the next run', async () => {
    const release = await call<{ amountFen: number }>(
      'POST',
      `/api/v1/merchants/${A}/settlement-hold/release`,
      'april',
      { reason: '新账户已验证' },
    );
    expect(release.status).toBe(200);
    expect(release.body.amountFen).toBe(29_820);
    await balanced();
    const next = await run('2026-11-26');
    // The day's re-transaction (6,600, fee 40), the released return and the re-settled sale.
    expect(next[A]).toMatchObject({
      releasedInFen: 29_820 + 12_000,
      amountFen: 6_600 - 40 + 29_820 + 12_000,
      status: 'ready',
      accountNumberMasked: '1001***********0009',
    });
    await balanced();
    const resettled = await call<Remediation>(
      'GET',
      `/api/v1/remediations/${ids.resettleW1}`,
      'rita',
    );
    expect(resettled.body.settledInLineId).toBe(next[A]?.id);
    await refused(
      update(ids.resettleW1, 'rita', { status: 'cancelled' }),
      409,
      'remediation_conflict',
    );
    expect((await update(ids.resettleW1, 'rita', { status: 'done' })).body.status).toBe('done');
    expect((await update(ids.resettleLine, 'oscar', { status: 'done' })).body.status).toBe('done');
    const balance = await call<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${A}/settlement-balance`,
      'admin',
    );
    expect(balance.body).toMatchObject({
      releasedFen: 0,
      heldFen: 0,
      inFlightFen: next[A]?.amountFen,
    });
    await balanced();
  });

  it('shows a merchant user its remediations without the acquirer’s people or notes', async () => {
    const mine = await call<{ items: Remediation[] }>(
      'GET',
      `/api/v1/incidents/${incident}/remediations`,
      'merchA',
    );
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r) => r.action)).toEqual([
      'resettle',
      'refund',
      'recover',
      'recover',
      'retransaction',
      'resettle',
    ]);
    for (const r of mine.body.items) {
      expect(r.owner).toBeNull();
      expect(r.note).toBeNull();
      expect(r.createdBy).toBe('acquirer');
      for (const u of r.updates) expect(u.by).toBe('acquirer');
    }
    const staff = await call<{ items: Remediation[] }>(
      'GET',
      `/api/v1/incidents/${incident}/remediations`,
      'audrey',
    );
    expect(staff.body.items[0]?.owner).toBe('rita');
    const cases = await call<{ items: RecoveryCase[] }>(
      'GET',
      `/api/v1/incidents/${incident}/recovery-cases`,
      'merchA',
    );
    expect(cases.body.items).toHaveLength(1);
    expect(cases.body.items[0]?.receipts[0]?.recordedBy).toBe('acquirer');
    expect(cases.body.items[0]?.writeOff?.by).toBe('acquirer');
    await refused(
      call('GET', `/api/v1/incidents/${incident}/remediations`, 'merchB'),
      404,
      'not_found',
    );
    await refused(call('GET', `/api/v1/recovery-cases/${caseId}`, 'merchB'), 404, 'not_found');
    await refused(
      call('GET', `/api/v1/remediations/${ids.resettleW1}`, 'merchB'),
      404,
      'not_found',
    );
    // The merchant's timeline carries the entries without naming staff.
    const view = await call<{ timeline: { kind: string; actor: string; text: { zh: string } }[] }>(
      'GET',
      `/api/v1/incidents/${incident}`,
      'merchA',
    );
    const entries = view.body.timeline.filter((e) => e.kind.startsWith('remediation_'));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.actor).toBe('acquirer');
      expect(e.text.zh).not.toMatch(/rita|oscar|april/);
    }
  });

  it('resolves once every open remediation has an owner and a date; the audit trail tells it in order', async () => {
    const resolved = await call<{ status: string }>(
      'POST',
      `/api/v1/incidents/${incident}/transition`,
      'april',
      { to: 'resolved' },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const trail = await t.ctx.db.query<{ action: string }>(
      `SELECT action FROM audit_entries
        WHERE entity_type IN ('remediation', 'recovery_case') ORDER BY seq`,
    );
    expect(trail.rows.map((r) => r.action)).toEqual([
      'remediation.created',
      'remediation.created',
      'remediation.refund_paid',
      'recovery_case.opened',
      'remediation.created',
      'remediation.created',
      'recovery_case.receipt_recorded',
      'recovery_case.written_off',
      'remediation.updated',
      'remediation.created',
      'remediation.updated',
      'remediation.created',
      'remediation.updated',
      'remediation.updated',
      'remediation.updated',
    ]);
    await balanced();
  });

  it('keeps every full card and account number out of the tables and the answers', async () => {
    const dump = await t.tdb.dumpText();
    const answers = JSON.stringify([
      (await affected()).body,
      (await call('GET', `/api/v1/incidents/${incident}/remediations`, 'rita')).body,
      (await call('GET', `/api/v1/incidents/${incident}/recovery-cases`, 'rita')).body,
    ]);
    for (const secret of [PAN, ACCOUNT_A, ACCOUNT_A2, ACCOUNT_B]) {
      expect(dump).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
    await refused(
      call('POST', `/api/v1/incidents/${incident}/remediations`, 'rita', {
        transactionId: 'RW3',
        action: 'resettle',
      }).then(async (r) => {
        // Still allowed on a resolved incident (the money is still owed); closed refuses.
        expect(r.status).toBe(201);
        await t.ctx.db.query(`UPDATE incidents SET status = 'closed' WHERE id = $1`, [incident]);
        return call('POST', `/api/v1/remediations/${(r.body as Remediation).id}`, 'rita', {
          owner: 'oscar',
        });
      }),
      409,
      'incident_closed',
    );
  });
});
