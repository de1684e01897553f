/**
 * Settlement end to end through the HTTP API: a run over clean and faulty merchants (amounts
 * to the fen, every hold reason), the same date twice, the payout file (only ready lines, full
 * numbers only there, audited), bank results with returns after paid (account marked, alert,
 * incident, hold, money back on hold), the same results twice, release and the next run, and
 * the ledger balanced through all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';

let t: TestApp;
const admin = bearer(ADMIN_TOKEN);

const M = {
  clean: '700000000000001',
  micro: '700000000000002',
  mismatch: '700000000000003',
  pending: '700000000000004',
  sharedA: '700000000000005',
  sharedB: '700000000000006',
  unknown: '700000000000009',
};
const PENDING_ACCOUNT = '1001234509000077777';
const DAY = '2026-11-25';
const AT = '2026-11-25T02:00:00Z';

function terminal(terminalId: string) {
  return {
    terminalId,
    serialNumber: `SN${terminalId}`,
    model: 'PAX A920',
    firmwareVersion: 'V2.3.1',
  };
}

let seq = 0;
function txn(
  merchantNo: string,
  terminalId: string,
  type: string,
  amountFen: number,
  extra: Record<string, unknown> = {},
) {
  seq += 1;
  return {
    id: `S${String(seq).padStart(6, '0')}`,
    terminalId,
    merchantNo,
    type,
    amountFen,
    occurredAt: AT,
    ...extra,
  };
}

interface Line {
  id: string;
  merchantNo: string;
  netFen: number;
  feeFen: number;
  amountFen: number;
  releasedInFen: number;
  status: string;
  holdReasons: string[];
  accountNumberMasked: string | null;
  returnCode: string | null;
  returnText: string | null;
}
interface Run {
  id: string;
  businessDate: string;
  totals: Record<string, number>;
  lines: Line[];
}

async function request<T>(
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
  headers = admin,
): Promise<{ status: number; body: T }> {
  const response = await t.app.inject(
    payload === undefined ? { method, url, headers } : { method, url, headers, payload },
  );
  return { status: response.statusCode, body: response.json<T>() };
}

function byMerchant(run: Run): Record<string, Line> {
  return Object.fromEntries(run.lines.map((l) => [l.merchantNo, l]));
}

async function verify() {
  const { status, body } = await request<{ balanced: boolean; problems: unknown[] }>(
    'GET',
    '/api/v1/ledger/verify',
  );
  expect(status).toBe(200);
  expect(body.problems).toEqual([]);
  expect(body.balanced).toBe(true);
}

beforeAll(async () => {
  t = await startTestApp();
  const imported = await request<{ imported: number; failed: unknown[] }>(
    'POST',
    '/api/v1/import',
    {
      records: [
        enterpriseRecord({ merchantNo: M.clean, terminalIds: ['S0000001'] }),
        { ...microRecord({ merchantNo: M.micro }), terminals: [terminal('S0000002')] },
        {
          ...microRecord({
            merchantNo: M.mismatch,
            accountName: '赵强',
            accountNumber: IDS.cardCcb,
            legalIdNumber: IDS.residentIdValid,
          }),
          terminals: [terminal('S0000003')],
        },
        {
          ...enterpriseRecord({
            merchantNo: M.pending,
            accountNumber: PENDING_ACCOUNT,
            terminalIds: ['S0000004'],
          }),
          settlementAccount: {
            accountNumber: PENDING_ACCOUNT,
            accountName: '北京示例餐饮管理有限公司',
            accountType: 'corporate',
            bankCode: '102100099996',
            status: 'pending_verification',
          },
        },
        {
          ...microRecord({
            merchantNo: M.sharedA,
            personName: '陈静',
            accountNumber: IDS.cardAbc,
            legalIdNumber: IDS.residentIdValid2,
          }),
          terminals: [terminal('S0000005')],
        },
        {
          ...microRecord({
            merchantNo: M.sharedB,
            personName: '周婷',
            accountNumber: IDS.cardAbc,
            legalIdNumber: IDS.residentIdValid4,
          }),
          terminals: [terminal('S0000006')],
        },
      ],
    },
  );
  expect(imported.body.failed).toEqual([]);
  const transactions = [
    // Clean enterprise: 150,000 of purchases less 26,000 of refund, reversal and void.
    txn(M.clean, 'S0000001', 'purchase', 100_000),
    txn(M.clean, 'S0000001', 'purchase', 50_000),
    txn(M.clean, 'S0000001', 'refund', 20_000),
    txn(M.clean, 'S0000001', 'reversal', 5_000),
    txn(M.clean, 'S0000001', 'void', 1_000),
    // Declined and other-day transactions do not count.
    txn(M.clean, 'S0000001', 'purchase', 99_999, { status: 'declined' }),
    txn(M.clean, 'S0000001', 'purchase', 77_777, { occurredAt: '2026-11-25T16:00:00Z' }),
    txn(M.clean, 'S0000001', 'purchase', 66_666, { occurredAt: '2026-11-24T15:59:59Z' }),
    // 0.6 % of 12,345 = 74.07 → 74.
    txn(M.micro, 'S0000002', 'purchase', 12_345),
    txn(M.mismatch, 'S0000003', 'purchase', 30_000),
    txn(M.pending, 'S0000004', 'purchase', 40_000),
    txn(M.sharedA, 'S0000005', 'purchase', 10_000),
    txn(M.sharedB, 'S0000006', 'purchase', 20_000),
    txn(M.unknown, 'S0000009', 'purchase', 5_000),
  ];
  const ingested = await request<{ results: { outcome: string }[] }>(
    'POST',
    '/api/v1/transactions',
    { transactions },
  );
  expect(ingested.body.results.every((r) => r.outcome === 'accepted')).toBe(true);
});

afterAll(async () => {
  await t.close();
});

describe('settlement', () => {
  let run: Run;

  it('settles each merchant to the fen and holds every faulty one with its reasons', async () => {
    const created = await request<Run>('POST', '/api/v1/settlement-runs', { businessDate: DAY });
    expect(created.status).toBe(201);
    run = created.body;
    expect(run.businessDate).toBe(DAY);
    const lines = byMerchant(run);
    expect(Object.keys(lines).sort()).toEqual(Object.values(M).sort());

    expect(lines[M.clean]).toMatchObject({
      netFen: 124_000,
      feeFen: 744,
      amountFen: 123_256,
      status: 'ready',
      holdReasons: [],
    });
    expect(lines[M.clean]?.accountNumberMasked).toMatch(/\*+2345$/);
    expect(lines[M.micro]).toMatchObject({
      netFen: 12_345,
      feeFen: 74,
      amountFen: 12_271,
      status: 'ready',
      holdReasons: [],
    });
    expect(lines[M.mismatch]).toMatchObject({
      amountFen: 30_000 - 180,
      status: 'held',
      holdReasons: ['account_name_mismatch', 'settlement_hold', 'open_incident'],
    });
    expect(lines[M.pending]).toMatchObject({
      amountFen: 40_000 - 240,
      status: 'held',
      holdReasons: ['account_not_active', 'account_not_verified'],
    });
    for (const m of [M.sharedA, M.sharedB]) {
      expect(lines[m]?.status).toBe('held');
      expect(lines[m]?.holdReasons).toEqual(['shared_account', 'settlement_hold', 'open_incident']);
    }
    expect(lines[M.unknown]).toMatchObject({
      status: 'held',
      holdReasons: ['merchant_unknown', 'account_missing'],
    });
    expect(run.totals).toMatchObject({
      lines: 7,
      readyCount: 2,
      readyFen: 123_256 + 12_271,
      heldCount: 5,
    });
    await verify();
  });

  it('answers the first run when the same date comes again, and makes no second set of lines', async () => {
    const again = await request<Run>('POST', '/api/v1/settlement-runs', { businessDate: DAY });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(run.id);
    expect(again.body.lines).toEqual(run.lines);
    const count = await t.ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM settlement_lines',
    );
    expect(count.rows[0]?.n).toBe(7);
    const journals = await t.ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_journals WHERE kind = 'settlement'",
    );
    expect(journals.rows[0]?.n).toBe(7);
  });

  it('refuses roles that may not run or read settlement, and scopes merchant users', async () => {
    const risk = bearer(await t.tokenFor('risk1', 'risk'));
    const merchant = bearer(await t.tokenFor('shop1', 'merchant', [M.clean]));
    expect(
      (await request('POST', '/api/v1/settlement-runs', { businessDate: DAY }, risk)).status,
    ).toBe(403);
    expect(
      (await request('GET', `/api/v1/settlement-runs/${run.id}`, undefined, merchant)).status,
    ).toBe(403);
    expect(
      (await request('GET', `/api/v1/settlement-runs/${run.id}/payout-file`, undefined, risk))
        .status,
    ).toBe(403);
    const own = await request<{ inFlightFen: number }>(
      'GET',
      `/api/v1/merchants/${M.clean}/settlement-balance`,
      undefined,
      merchant,
    );
    expect(own.status).toBe(200);
    expect(own.body.inFlightFen).toBe(123_256);
    expect(
      (await request('GET', `/api/v1/merchants/${M.micro}/settlement-balance`, undefined, merchant))
        .status,
    ).toBe(404);
    expect(
      (await request('GET', `/api/v1/merchants/${M.micro}/settlement-lines`, undefined, merchant))
        .status,
    ).toBe(404);
    const lines = await request<{ items: Line[] }>(
      'GET',
      `/api/v1/merchants/${M.clean}/settlement-lines`,
      undefined,
      merchant,
    );
    expect(lines.body.items.map((l) => l.id)).toEqual([byMerchant(run)[M.clean]?.id]);
    expect(
      (
        await request(
          'POST',
          `/api/v1/merchants/${M.clean}/settlement-hold/release`,
          { reason: 'x' },
          bearer(await t.tokenFor('ops1', 'ops')),
        )
      ).status,
    ).toBe(403);
  });

  it('writes the payout file with exactly the ready lines, full numbers only there, and audits it', async () => {
    const ops = bearer(await t.tokenFor('ops2', 'ops'));
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/settlement-runs/${run.id}/payout-file`,
      headers: ops,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = response.body.trim().split('\r\n');
    expect(rows[0]).toBe(
      '序号,明细号,商户号,收款账号,收款户名,账户类型,联行号,开户行,金额,币种,用途',
    );
    const lines = byMerchant(run);
    expect(rows.slice(1)).toEqual([
      `1,${lines[M.clean]?.id},${M.clean},${IDS.corporateAccount},北京示例餐饮管理有限公司,对公,102100099996,,1232.56,CNY,结算款 ${DAY}`,
      expect.stringMatching(
        new RegExp(
          `^2,${lines[M.micro]?.id},${M.micro},${IDS.cardIcbc},张丽,对私,102100099996,[^,]*,122.71,CNY,结算款 ${DAY}$`,
        ),
      ),
    ]);
    const audit = await t.ctx.db.query<{
      actor: string;
      after: { lineCount: number; totalFen: number; sha256: string };
    }>("SELECT actor, after FROM audit_entries WHERE action = 'settlement.payout_file_downloaded'");
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.actor).toBe('ops2');
    expect(audit.rows[0]?.after).toMatchObject({ lineCount: 2, totalFen: 135_527 });
    // The full numbers are nowhere else: not in the run's JSON, not in the audit trail.
    const json = JSON.stringify((await request('GET', `/api/v1/settlement-runs/${run.id}`)).body);
    expect(json).not.toContain(IDS.corporateAccount);
    expect(json).not.toContain(IDS.cardIcbc);
    const trail = await t.ctx.db.query<{ text: string }>(
      "SELECT string_agg(after::text, '') AS text FROM audit_entries",
    );
    expect(trail.rows[0]?.text).not.toContain(IDS.cardIcbc);
  });

  it('records paid and returned results, returns after paid, and puts the money back on hold', async () => {
    const lines = byMerchant(run);
    const cleanId = lines[M.clean]?.id as string;
    const microId = lines[M.micro]?.id as string;
    const first = await request<{
      applied: number;
      results: { outcome: string; lineStatus?: string; returnCode?: string }[];
    }>('POST', '/api/v1/settlement-results', {
      results: [
        { lineId: cleanId, status: 'paid', bankReference: 'B001' },
        { lineId: microId, status: 'returned', reason: '账户已冻结，交易被拒绝' },
        { lineId: lines[M.pending]?.id, status: 'paid' },
        { lineId: '00000000-0000-4000-8000-000000000000', status: 'paid' },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.results.map((r) => r.outcome)).toEqual([
      'applied',
      'applied',
      'rejected',
      'rejected',
    ]);
    expect(first.body.results[1]).toMatchObject({
      lineStatus: 'returned',
      returnCode: 'account_frozen',
    });
    // Each answer names the line's merchant and amount, unless there is no such line.
    const amounts = first.body.results as { merchantNo?: string; amountFen?: number }[];
    expect(amounts.map((r) => [r.merchantNo, r.amountFen])).toEqual([
      [M.clean, lines[M.clean]?.amountFen],
      [M.micro, lines[M.micro]?.amountFen],
      [M.pending, lines[M.pending]?.amountFen],
      [undefined, undefined],
    ]);
    expect(lines[M.clean]?.amountFen).toBeGreaterThan(0);
    await verify();

    // Days later the bank returns the clean merchant's payout too.
    const later = await request<{ results: { outcome: string; returnCode?: string }[] }>(
      'POST',
      '/api/v1/settlement-results',
      {
        results: [
          { lineId: cleanId, status: 'returned', reason: 'Beneficiary name does not match' },
        ],
      },
    );
    expect(later.body.results[0]).toMatchObject({
      outcome: 'applied',
      returnCode: 'name_mismatch',
    });

    const account = await request<{ settlementAccount: { status: string } | null }>(
      'GET',
      `/api/v1/merchants/${M.micro}`,
    );
    expect(account.body.settlementAccount?.status).toBe('frozen');
    const cleanAccount = await request<{ settlementAccount: { status: string } | null }>(
      'GET',
      `/api/v1/merchants/${M.clean}`,
    );
    expect(cleanAccount.body.settlementAccount?.status).toBe('errored');

    const alerts = await request<{ items: { rule: string; incidentId: string | null }[] }>(
      'GET',
      `/api/v1/alerts?merchantNo=${M.micro}`,
    );
    expect(alerts.body.items.map((a) => a.rule)).toContain('settlement_returned');
    const incidents = await request<{
      items: { merchantNo: string; status: string; containment: { settlementHeld: boolean } }[];
    }>('GET', `/api/v1/incidents?merchantNo=${M.clean}`);
    expect(incidents.body.items).toHaveLength(1);
    expect(incidents.body.items[0]?.containment.settlementHeld).toBe(true);

    const balance = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${M.clean}/settlement-balance`,
    );
    expect(balance.body).toMatchObject({
      heldFen: 123_256,
      returnedFen: 123_256,
      paidFen: 0,
      inFlightFen: 0,
      pendingFen: 0,
      feesFen: 744,
      capturedFen: 124_000,
    });
    const micro = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${M.micro}/settlement-balance`,
    );
    expect(micro.body).toMatchObject({ heldFen: 12_271, returnedFen: 12_271, paidFen: 0 });

    const returnedAudit = await t.ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_entries WHERE action = 'settlement.returned'",
    );
    expect(returnedAudit.rows[0]?.n).toBe(2);
    // Subscribers hear of the account marked and the hold, for each returned merchant.
    const heard = await t.ctx.db.query<{ merchant_no: string; type: string; status?: string }>(
      `SELECT merchant_no, type, data->>'status' AS status FROM outbox_events
        WHERE type IN ('account.changed', 'settlement.held') AND merchant_no = ANY($1)
        ORDER BY merchant_no, type`,
      [[M.clean, M.micro]],
    );
    expect(heard.rows).toEqual([
      { merchant_no: M.clean, type: 'account.changed', status: 'errored' },
      { merchant_no: M.clean, type: 'settlement.held', status: null },
      { merchant_no: M.micro, type: 'account.changed', status: 'frozen' },
      { merchant_no: M.micro, type: 'settlement.held', status: null },
    ]);
    await verify();
  });

  it('takes results from the switch role too, and from no one else outside admin and ops', async () => {
    const lines = byMerchant(run);
    const support = bearer(await t.tokenFor('support1', 'support'));
    const denied = await request(
      'POST',
      '/api/v1/settlement-results',
      { results: [{ lineId: lines[M.clean]?.id, status: 'paid' }] },
      support,
    );
    expect(denied.status).toBe(403);
    const sw = bearer(await t.tokenFor('switch1', 'switch'));
    const replay = await request<{ unchanged: number }>(
      'POST',
      '/api/v1/settlement-results',
      { results: [{ lineId: lines[M.clean]?.id, status: 'paid' }] },
      sw,
    );
    expect(replay.status).toBe(200);
    expect(replay.body.unchanged).toBe(1);
  });

  it('changes nothing when the same results come again', async () => {
    const lines = byMerchant(run);
    const before = await t.tdb.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ledger_postings) + (SELECT count(*) FROM audit_entries)
            + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM settlement_results) AS n`,
    );
    const again = await request<{
      applied: number;
      unchanged: number;
      results: { outcome: string }[];
    }>('POST', '/api/v1/settlement-results', {
      results: [
        { lineId: lines[M.clean]?.id, status: 'paid' },
        { lineId: lines[M.micro]?.id, status: 'returned', reason: '账户已冻结，交易被拒绝' },
        {
          lineId: lines[M.clean]?.id,
          status: 'returned',
          reason: 'Beneficiary name does not match',
        },
      ],
    });
    expect(again.body).toMatchObject({ applied: 0, unchanged: 3 });
    const after = await t.tdb.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ledger_postings) + (SELECT count(*) FROM audit_entries)
            + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM settlement_results) AS n`,
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('counts money on hold by reason', async () => {
    const summary = await request<{
      totalFen: number;
      items: { reason: string; amountFen: number; lineCount: number }[];
    }>('GET', '/api/v1/settlement-holds/summary');
    const lines = byMerchant(run);
    const held = [M.mismatch, M.pending, M.sharedA, M.sharedB, M.unknown].reduce(
      (s, m) => s + (lines[m]?.amountFen ?? 0),
      0,
    );
    expect(summary.body.totalFen).toBe(held + 123_256 + 12_271);
    const byReason = Object.fromEntries(summary.body.items.map((i) => [i.reason, i]));
    expect(byReason.settlement_returned).toMatchObject({
      lineCount: 2,
      amountFen: 123_256 + 12_271,
    });
    expect(byReason.shared_account).toMatchObject({
      lineCount: 2,
      amountFen: lines[M.sharedA]!.amountFen + lines[M.sharedB]!.amountFen,
    });
  });

  it('releases only with an active verified account and no open incident; the money goes out next run to the account then', async () => {
    const approver = bearer(await t.tokenFor('approver1', 'approver'));
    const release = (merchantNo: string) =>
      request<{ code?: string; amountFen?: number; lineCount?: number }>(
        'POST',
        `/api/v1/merchants/${merchantNo}/settlement-hold/release`,
        { reason: '账户已更正并验证' },
        approver,
      );
    expect((await release(M.micro)).body.code).toBe('no_verified_account');
    expect((await release(M.pending)).body.code).toBe('no_verified_account');
    expect((await release(M.clean)).status).toBe(409);

    // The correction (a later issue) is simulated: a new verified account, the incident resolved.
    const db = t.ctx.db;
    const at = new Date('2026-11-20T00:00:00Z');
    await db.query(
      `UPDATE settlement_accounts SET valid_to = $2 WHERE merchant_no = $1 AND valid_to IS NULL`,
      [M.micro, at],
    );
    await db.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, bank_code, status, name_check,
         valid_from, recorded_by)
       VALUES (gen_random_uuid(), $1, $2, $3, '622848*********0018', '张丽', 'personal',
         '103100000026', 'active', '{"result":"match","score":1,"reasons":[],"comparedWith":"legal_person"}', $4, 'test')`,
      [
        M.micro,
        t.ctx.vault.seal('account_number', '6228480000000000018'),
        t.ctx.vault.fingerprint('account_number', 'fresh'),
        at,
      ],
    );
    expect((await release(M.micro)).body.code).toBe('open_containment');
    // Still correcting: refused; once the incident reaches remediation the money may go.
    await db.query(`UPDATE incidents SET status = 'correcting' WHERE merchant_no = $1`, [M.micro]);
    expect((await release(M.micro)).body.code).toBe('open_containment');
    await db.query(`UPDATE incidents SET status = 'remediating' WHERE merchant_no = $1`, [M.micro]);

    const released = await release(M.micro);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ amountFen: 12_271, lineCount: 1 });
    // The incident tells it, and subscribers hear it.
    const told = await db.query<{ kind: string; data: { amountFen: number } }>(
      `SELECT e.kind, e.data FROM incident_events e JOIN incidents i ON i.id = e.incident_id
        WHERE i.merchant_no = $1 AND e.kind = 'settlement_released'`,
      [M.micro],
    );
    expect(told.rows).toMatchObject([{ kind: 'settlement_released', data: { amountFen: 12_271 } }]);
    const heard = await db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM outbox_events WHERE type = 'settlement.released' AND merchant_no = $1`,
      [M.micro],
    );
    expect(heard.rows).toMatchObject([
      { data: { merchantNo: M.micro, amountFen: 12_271, lineCount: 1, releasedBy: 'approver1' } },
    ]);
    expect((await release(M.micro)).body.code).toBe('nothing_held');
    const balance = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${M.micro}/settlement-balance`,
    );
    expect(balance.body).toMatchObject({ heldFen: 0, releasedFen: 12_271 });
    const audit = await db.query<{ actor: string }>(
      "SELECT actor FROM audit_entries WHERE action = 'settlement.released'",
    );
    expect(audit.rows.map((r) => r.actor)).toEqual(['approver1']);
    await verify();

    // Next run: the released money goes out, to the new account, with the day's new sale.
    await request('POST', '/api/v1/transactions', {
      transactions: [
        txn(M.micro, 'S0000002', 'purchase', 1_000, { occurredAt: '2026-11-26T01:00:00Z' }),
      ],
    });
    const next = await request<Run>('POST', '/api/v1/settlement-runs', {
      businessDate: '2026-11-26',
    });
    expect(next.status).toBe(201);
    const line = byMerchant(next.body)[M.micro];
    expect(line).toMatchObject({
      netFen: 1_000,
      feeFen: 6,
      releasedInFen: 12_271,
      amountFen: 13_265,
      status: 'ready',
      accountNumberMasked: '622848*********0018',
    });
    // The clean merchant's next day (the sale just after midnight China time) is held: its
    // account is errored and its incident open; the returned money stays held, not carried.
    expect(byMerchant(next.body)[M.clean]).toMatchObject({
      netFen: 77_777,
      releasedInFen: 0,
      status: 'held',
      holdReasons: ['account_not_active', 'settlement_hold', 'open_incident'],
    });
    const after = await request<Record<string, number>>(
      'GET',
      `/api/v1/merchants/${M.micro}/settlement-balance`,
    );
    expect(after.body).toMatchObject({ heldFen: 0, releasedFen: 0, inFlightFen: 13_265 });
    await verify();
  });

  it('keeps the ledger immutable', async () => {
    await expect(t.ctx.db.query('UPDATE ledger_postings SET amount_fen = 1')).rejects.toThrow(
      /append-only/,
    );
    await expect(t.ctx.db.query('DELETE FROM ledger_journals')).rejects.toThrow(/append-only/);
  });
});
