/**
 * The simulator end to end against a real server listening on a port: a world with a fault of
 * every rule goes in through the HTTP API (two settlement accounts changed through it on the
 * way), each fault must be detected by its rule with no alarm elsewhere, and what the API then
 * shows (terminals, authorize-check, incidents, alerts, accounts) is checked here on its own,
 * not only through the simulator's report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { RULES } from '../src/core/screening/policy.js';
import { formatReport } from '../src/sim/format-report.js';
import { runSimulation, type SimulationReport } from '../src/sim/run-simulation.js';
import { buildWorld, type World } from '../src/sim/world.js';
import { seedDemoTransactions } from '../src/sim/demo-incidents.js';
import { seedDemoSettlement } from '../src/sim/demo-settlement.js';
import { seedDemoPlaybook } from '../src/sim/demo-playbook.js';
import { ensureInitialAdmin } from '../src/app/users/initial-admin.js';
import { DEFAULT_SETTLEMENT_POLICY } from '../src/core/settlement/policy.js';
import { verifyLedger } from '../src/app/ledger/verify.js';
import { buildDemoPortfolio } from '../src/app/demo-portfolio.js';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { openTestDatabase, testContext } from './support/database.js';

let t: TestApp;
let baseUrl: string;
let world: World;
let report: SimulationReport;
const admin = bearer(ADMIN_TOKEN);

async function get<T>(url: string): Promise<T> {
  const response = await t.app.inject({ method: 'GET', url, headers: admin });
  expect(response.statusCode, url).toBe(200);
  return response.json<T>();
}

async function transactionCount(): Promise<number> {
  const { rows } = await t.tdb.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM transactions',
  );
  return rows[0]?.n ?? -1;
}

// Where the server keeps the papers uploaded for the account changes.
const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settleguard-sim-docs-'));

beforeAll(async () => {
  t = await startTestApp({ evidenceDir });
  // A clock that moves (a millisecond a reading) from the test's instant: a sale sent after a
  // settlement run must arrive after that run's cutoff, as it does in life.
  const base = t.ctx.now().getTime();
  let readings = 0;
  t.ctx.now = () => new Date(base + readings++);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
  // The test clock stands still; the world ends there, so that nothing is in the future.
  world = buildWorld({
    seed: 7,
    merchants: 60,
    days: 2,
    transactionsPerMerchantPerDay: 15,
    today: t.ctx.now(),
  });
  report = await runSimulation({ baseUrl, token: ADMIN_TOKEN, world });
  // The whole run (import, traffic, two account changes, settlement of every date, bank
  // returns) takes half a minute on a quiet machine and several on a busy one.
}, 300_000);
afterAll(async () => {
  await t.close();
  fs.rmSync(evidenceDir, { recursive: true, force: true });
});

describe('simulate', () => {
  it('takes the whole world: every record imported, every transaction accepted', () => {
    expect(report.registry).toMatchObject({ imported: 60, alreadyPresent: 0, failed: [] });
    expect(report.suspensions).toMatchObject({ requested: 1, suspended: 1 });
    expect(report.ingest).toMatchObject({
      sent: world.transactions.length,
      accepted: world.transactions.length,
      duplicate: 0,
      rejected: 0,
    });
    // The traffic before the account changes, then the traffic after them.
    const after = world.transactions.filter(
      (tx) => Date.parse(tx.occurredAt) >= world.postChangeFromMs,
    ).length;
    expect(report.ingest.batches).toBe(
      Math.ceil((world.transactions.length - after) / 1000) + Math.ceil(after / 1000),
    );
    expect(report.accountChanges).toEqual({
      planned: 2,
      completed: 2,
      alreadyCompleted: 0,
      testTransactions: 2,
    });
  });

  it('changes the two accounts through the API, and the spike after one is raised for review', async () => {
    for (const change of world.accountChanges) {
      const list = await get<{
        items: {
          status: string;
          completedAt: string | null;
          approvals: { by: string }[];
          requestedBy: string;
          verification: { method: string; status: string } | null;
        }[];
      }>(`/api/v1/merchants/${change.merchantNo}/account-changes`);
      expect(list.items).toHaveLength(1);
      const [item] = list.items;
      expect(item).toMatchObject({
        status: 'completed',
        verification: { method: 'test_transaction', status: 'matched' },
      });
      expect(item?.approvals.every((a) => a.by !== item.requestedBy)).toBe(true);
      expect(Date.parse(item?.completedAt ?? '')).toBeLessThan(world.postChangeFromMs);
      const merchant = await get<{
        settlementAccount: { accountNumberMasked: string; status: string };
      }>(`/api/v1/merchants/${change.merchantNo}`);
      expect(merchant.settlementAccount.status).toBe('active');
      expect(merchant.settlementAccount.accountNumberMasked.slice(-4)).toBe(
        change.account.accountNumber.slice(-4),
      );
      // The spike's alert (one for the merchant: the rule concerns it as a whole) names a
      // purchase of the burst; the control has none.
      const alerts = await get<{ items: { transactionId: string | null }[] }>(
        `/api/v1/alerts?merchantNo=${change.merchantNo}&rule=post_change_spike`,
      );
      const planted = world.faults.find(
        (f) => f.kind === 'post_change_spike' && f.merchantNo === change.merchantNo,
      );
      expect(planted !== undefined).toBe(change.spike);
      expect(alerts.items.length > 0).toBe(change.spike);
      for (const alert of alerts.items) {
        expect(planted?.transactionIds).toContain(alert.transactionId);
      }
    }
    expect(report.rules.post_change_spike).toMatchObject({
      injectable: true,
      injected: 1,
      detected: 1,
      missed: 0,
      falseAlarms: 0,
      containedMedianMs: null,
    });
  });

  it('detects every injectable fault with its own rule and raises nothing elsewhere', () => {
    expect(report.notInjectable).toEqual([]);
    for (const rule of RULES) {
      const r = report.rules[rule];
      expect(r.injectable, rule).toBe(true);
      expect(r.injected, rule).toBeGreaterThan(0);
      expect({ rule, detected: r.detected, missed: r.missed, falseAlarms: r.falseAlarms }).toEqual({
        rule,
        detected: r.injected,
        missed: 0,
        falseAlarms: 0,
      });
    }
    expect(report.faults.every((f) => f.detected && f.flagged === f.screened)).toBe(true);
    expect(report.cleanMerchants).toBeGreaterThan(30);
    expect(report.cleanMerchantsWithAlerts).toEqual([]);
    expect(report.falseAlarms).toEqual([]);
    expect(report.checks.problems).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('measures containment for the rules that contain, and only for them', () => {
    for (const rule of [
      'terminal_merchant_mismatch',
      'suspended_terminal_activity',
      'account_name_mismatch',
      'shared_account',
    ] as const) {
      expect(report.rules[rule].containedMedianMs, rule).toBeGreaterThan(0);
      expect(report.rules[rule].containedMaxMs).toBeGreaterThanOrEqual(
        report.rules[rule].containedMedianMs ?? Infinity,
      );
    }
    for (const rule of [
      'unknown_terminal',
      'receipt_name_mismatch',
      'firmware_outdated',
      'post_change_spike',
    ] as const) {
      expect(report.rules[rule].containedMedianMs, rule).toBeNull();
    }
    const text = formatReport(report);
    expect(text).toContain('terminal_merchant_mismatch');
    expect(text).toMatch(/post_change_spike\s+1\s+1\s+0\s+0\s+0\s+-\s+-/);
    expect(text).not.toContain('n/a');
    expect(text).toContain('Account changes 账户变更: 2 of 2 completed through the API');
    expect(text).toContain('Result 结果: PASS');
  });

  it('leaves contained terminals suspended and refused by authorize-check', async () => {
    const contained = report.faults.filter((f) => f.contained && f.terminalId);
    expect(contained.length).toBeGreaterThanOrEqual(3);
    for (const f of contained) {
      const terminal = await get<{ status: string; merchantNo: string }>(
        `/api/v1/terminals/${f.terminalId ?? ''}`,
      );
      expect(terminal.status, f.note).toBe('suspended');
      const check = await t.app.inject({
        method: 'POST',
        url: '/api/v1/authorize-check',
        headers: admin,
        payload: { terminalId: f.terminalId, merchantNo: terminal.merchantNo },
      });
      expect(check.json(), f.note).toMatchObject({
        allow: false,
        reasons: expect.arrayContaining(['terminal_suspended']) as unknown,
      });
    }
  });

  it('opens one incident with settlement held per contained merchant, and none for the others', async () => {
    const contained = new Set(
      report.faults.filter((f) => f.contained).map((f) => f.ownerMerchantNo),
    );
    expect(contained.size).toBeGreaterThanOrEqual(5);
    // The settlement check had the bank return two clean merchants' payouts: incidents too.
    const returned = report.settlement.results.returnedMerchants;
    expect(returned).toHaveLength(2);
    for (const merchantNo of returned) contained.add(merchantNo);
    for (const merchantNo of contained) {
      const list = await get<{
        items: { status: string; containment: { settlementHeld: boolean } }[];
      }>(`/api/v1/incidents?merchantNo=${merchantNo}`);
      const open = list.items.filter((i) => !['resolved', 'closed'].includes(i.status));
      expect(open, merchantNo).toHaveLength(1);
      expect(open[0]?.containment.settlementHeld, merchantNo).toBe(true);
    }
    const { rows } = await t.tdb.db.query<{ merchant_no: string }>(
      'SELECT merchant_no FROM incidents',
    );
    expect(rows.map((r) => r.merchant_no).filter((n) => !contained.has(n))).toEqual([]);
  });

  it('stores nothing twice when the same batches are sent again', async () => {
    const before = await transactionCount();
    // The world's transactions, the two test transactions keyed in to verify the changed
    // accounts, and the one sale the settlement check sent late.
    expect(before).toBe(world.transactions.length + 2 + 1);
    const again = await runSimulation({ baseUrl, token: ADMIN_TOKEN, world });
    expect(again.registry).toMatchObject({ imported: 0, alreadyPresent: 60, failed: [] });
    expect(again.suspensions).toMatchObject({ suspended: 0, alreadySuspended: 1 });
    // The accounts were changed by the first run: nothing is asked or keyed in again.
    expect(again.accountChanges).toEqual({
      planned: 2,
      completed: 0,
      alreadyCompleted: 2,
      testTransactions: 0,
    });
    expect(again.ingest).toMatchObject({
      accepted: 0,
      duplicate: world.transactions.length,
      rejected: 0,
    });
    expect(await transactionCount()).toBe(before);
    // The answers to duplicates carry the first decisions, so the score is the same.
    expect(again.totals).toMatchObject({
      injected: report.totals.injected,
      detected: report.totals.detected,
      falseAlarms: 0,
    });
    expect(again.passed).toBe(true);
  });
});

describe('simulate: settlement', () => {
  it('settles every whole business date of the world to the fen, held where it must be', () => {
    const st = report.settlement;
    expect(st.problems).toEqual([]);
    // The world spans two days before a still clock at 16:00 China time: one whole date.
    expect(st.dates.map((d) => d.created)).toEqual(st.dates.map(() => true));
    expect(st.dates.length).toBeGreaterThanOrEqual(1);
    const first = st.dates[0]?.lines ?? {};
    expect(first.ready ?? 0).toBeGreaterThan(20);
    expect(first.held ?? 0).toBeGreaterThan(5);
    expect(st.linesChecked).toBe(
      st.dates.reduce((n, d) => n + Object.values(d.lines).reduce((a, b) => a + b, 0), 0),
    );
    expect(st.payoutFile.rows).toBe(st.payoutFile.readyLines);
    expect(st.results).toMatchObject({ returned: 2, paid: (first.ready ?? 0) - 1 });
    expect(st.results.replayedUnchanged).toBe(first.ready);
    expect(st.ledgerBalanced).toBe(true);
    // A sale of the first date sent after its run went with the second date's run, once.
    expect(st.lateTransactionTaken).toBe(true);
    expect(formatReport(report)).toMatch(/ledger balanced 平衡; all agree\./);
  });

  it('sees a wrong amount: the check recomputes every line itself', async () => {
    const { expectedFeeFen } = await import('../src/sim/settlement-check.js');
    // 0.6 % of 12,345 fen is 74.07 fen: 74; of 12,425 fen 74.55: 75 (half-up).
    expect(expectedFeeFen(12_345, 6_000)).toBe(74);
    expect(expectedFeeFen(12_425, 6_000)).toBe(75);
    expect(expectedFeeFen(-500, 6_000)).toBe(0);
  });
});

describe('demo traffic', () => {
  it('brings alerts, incidents and a suspended terminal to a fresh demo, once', async () => {
    const tdb = await openTestDatabase();
    try {
      const { ctx } = testContext(tdb.db);
      const records = buildDemoPortfolio({ seed: 20_260_301, size: 80, today: ctx.now() });
      expect(await importPortfolio(ctx, null, records, { actor: 'demo' })).toMatchObject({
        imported: 80,
        failed: [],
      });
      const summary = await seedDemoTransactions(ctx);
      expect(summary).toMatchObject({ skipped: false, rejected: 0, duplicate: 0 });
      expect(summary.sent).toBe(summary.accepted);
      expect(summary.sent + summary.refusedAtSwitch).toBe(summary.generated);
      expect(summary.generated).toBeGreaterThan(300);
      expect(summary.generated).toBeLessThan(5000);
      expect(Object.keys(summary.alerts).sort()).toEqual([
        'account_name_mismatch',
        'account_not_active',
        'receipt_name_mismatch',
        'shared_account',
        'terminal_merchant_mismatch',
        'unknown_terminal',
      ]);
      const incidents = await tdb.db.query<{ title: { en: string } }>(
        "SELECT title FROM incidents WHERE status = 'open'",
      );
      const titles = incidents.rows.map((r) => r.title.en.replace(/: merchant \d+$/, ''));
      expect(new Set(titles)).toEqual(
        new Set([
          'Terminal used under another merchant',
          'Settlement account holder does not match',
          'Settlement account shared by unrelated merchants',
        ]),
      );
      const held = await tdb.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM settlement_holds WHERE released_at IS NULL',
      );
      expect(held.rows[0]?.n).toBe(incidents.rows.length);
      const suspended = await tdb.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM terminals WHERE valid_to IS NULL AND status = 'suspended'",
      );
      expect(suspended.rows[0]?.n).toBeGreaterThanOrEqual(incidents.rows.length);
      expect(await seedDemoTransactions(ctx)).toMatchObject({ skipped: true, sent: 0 });

      // The demo's past days settled: ready and held lines, the first day's answered by the bank.
      const settled = await seedDemoSettlement(ctx, DEFAULT_SETTLEMENT_POLICY);
      expect(settled.runs.map((r) => r.businessDate)).toEqual(['2026-11-24', '2026-11-25']);
      for (const run of settled.runs) {
        expect(run.ready, run.businessDate).toBeGreaterThan(10);
        expect(run.held, run.businessDate).toBeGreaterThan(0);
      }
      expect(settled.returned).toBe(1);
      expect(settled.paid).toBe((settled.runs[0]?.ready ?? 0) - 1);
      // Every contained merchant with money that day is held for it.
      const heldForIncident = await tdb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM settlement_lines
          WHERE status = 'held' AND 'open_incident' = ANY (hold_reasons)`,
      );
      expect(heldForIncident.rows[0]?.n).toBeGreaterThan(0);
      const returned = await tdb.db.query<{ return_code: string }>(
        "SELECT return_code FROM settlement_lines WHERE status = 'returned'",
      );
      expect(returned.rows).toEqual([{ return_code: 'account_closed' }]);
      const verdict = await verifyLedger(tdb.db, ctx.now());
      expect(verdict.problems).toEqual([]);
      expect(verdict.balanced).toBe(true);
      // A second call makes no second set of lines.
      const again = await seedDemoSettlement(ctx, DEFAULT_SETTLEMENT_POLICY);
      expect(again.runs.map((r) => [r.businessDate, r.lines])).toEqual(
        settled.runs.map((r) => [r.businessDate, r.lines]),
      );
      // The first day's lines were answered: nothing of it is ready any more.
      expect(again).toMatchObject({ paid: 0, returned: 0 });
      expect(again.runs[0]?.ready).toBe(0);

      // The playbook worked as a team leaves it: one taken in hand, one under investigation
      // with its cause, the rest waiting, and a drill; once.
      await ensureInitialAdmin(ctx);
      const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settleguard-demo-docs-'));
      const playbook = await seedDemoPlaybook(ctx, { evidenceDir });
      fs.rmSync(evidenceDir, { recursive: true, force: true });
      expect(playbook).toMatchObject({ skipped: false, acknowledged: 1, investigating: 1 });
      // The cause found, the correction under way: papers accepted, a change approved once
      // and waiting for its second approver; the returned payout's re-settlement assigned
      // and the calls logged.
      expect(playbook.correction).toMatchObject({ remediations: 1, contacts: 2 });
      expect(playbook.correction?.documents).toBeGreaterThan(0);
      const change = await tdb.db.query<{ status: string; approvals: number; high_risk: boolean }>(
        `SELECT r.status, r.high_risk, (SELECT count(*)::int FROM account_change_approvals a
                                        WHERE a.request_id = r.id) AS approvals
           FROM account_change_requests r WHERE r.id = $1`,
        [playbook.correction?.changeRequested],
      );
      expect(change.rows).toEqual([{ status: 'pending_approval', high_risk: true, approvals: 1 }]);
      const states = await tdb.db.query<{
        status: string;
        assignee: string | null;
        drill: boolean;
        root_cause: { category: string; operator?: string } | null;
      }>('SELECT status, assignee, drill, root_cause FROM incidents ORDER BY opened_at, id');
      expect(states.rows.filter((r) => r.drill)).toMatchObject([{ status: 'acknowledged' }]);
      const real = states.rows.filter((r) => !r.drill);
      expect(real.slice(0, 2)).toMatchObject([
        { status: 'acknowledged', assignee: 'risk.li', root_cause: null },
        {
          status: 'correcting',
          assignee: 'ops.wang',
          root_cause: { category: 'operator_error', operator: 'ops.wang' },
        },
      ]);
      expect(real.slice(2).every((r) => r.status === 'open')).toBe(true);
      expect(playbook.leftOpen).toBe(real.length - 2);
      expect(await seedDemoPlaybook(ctx)).toMatchObject({ skipped: true });
      // The drill and the moves left the ledger balanced and true to the lines.
      const verdictAfter = await verifyLedger(tdb.db, ctx.now());
      expect(verdictAfter.problems).toEqual([]);
    } finally {
      await tdb.close();
    }
  });
});
