/** The scheduled runs: made when due under each cycle, once, and not for days with nothing to settle. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testVault, type TestDatabase } from './support/database.js';
import { createContext } from '../src/app/context.js';
import { runDueSettlements } from '../src/app/settlement/scheduler.js';
import { DEFAULT_SETTLEMENT_POLICY } from '../src/core/settlement/policy.js';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await openTestDatabase();
  // A sale on Friday 2026-11-27 and one on Saturday, both for a merchant on D+1.
  await tdb.db.query(
    `INSERT INTO transactions (id, merchant_no, terminal_id, type, status, amount_fen, currency,
       occurred_at, received_at, source, decision)
     VALUES ('sch-1', '520000000000001', 'T0000001', 'purchase', 'approved', 1000, 'CNY',
             '2026-11-27T04:00:00Z', '2026-11-27T04:00:00Z', 'test', 'ok'),
            ('sch-2', '520000000000002', 'T0000002', 'purchase', 'approved', 2000, 'CNY',
             '2026-11-28T04:00:00Z', '2026-11-28T04:00:00Z', 'test', 'ok')`,
  );
});

afterAll(async () => {
  await tdb.close();
});

function at(iso: string) {
  return createContext({ db: tdb.db, vault: testVault(), now: () => new Date(iso) });
}

describe('scheduled settlement', () => {
  const policy = {
    ...DEFAULT_SETTLEMENT_POLICY,
    cycleByMerchant: { '520000000000002': 'D1' as const },
  };

  it('makes the T+1 run of Friday on Monday after the run time, and D+1 runs the next day', async () => {
    // Saturday 03:00 China time: D+1 of Friday is due (nothing of the D1 merchant on Friday, so
    // no run); T+1 of Friday waits for Monday.
    expect(await runDueSettlements(at('2026-11-27T19:00:00Z'), policy)).toEqual([]);
    // Sunday 03:00: D+1 of Saturday is due and has the D1 merchant's sale.
    const sunday = await runDueSettlements(at('2026-11-28T19:00:00Z'), policy);
    expect(sunday).toHaveLength(1);
    // Monday 01:00, before the run time: nothing new.
    expect(await runDueSettlements(at('2026-11-29T17:00:00Z'), policy)).toEqual([]);
    // Monday 03:00: T+1 of Friday.
    const monday = await runDueSettlements(at('2026-11-29T19:00:00Z'), policy);
    expect(monday).toHaveLength(1);
    const runs = await tdb.db.query<{
      business_date: string;
      cycle: string;
      trigger: string;
      lines: number;
    }>(
      `SELECT r.business_date::text AS business_date, r.cycle, r.trigger,
              (SELECT count(*)::int FROM settlement_lines l WHERE l.run_id = r.id) AS lines
         FROM settlement_runs r ORDER BY r.created_at`,
    );
    expect(runs.rows).toEqual([
      { business_date: '2026-11-28', cycle: 'D1', trigger: 'scheduled', lines: 1 },
      { business_date: '2026-11-27', cycle: 'T1', trigger: 'scheduled', lines: 1 },
    ]);
    // Asked again, nothing more is made.
    expect(await runDueSettlements(at('2026-11-29T20:00:00Z'), policy)).toEqual([]);
  });

  it('runs no earlier date for money a later line carries; the next date takes it', async () => {
    // A day of refunds only on Monday 2026-11-30 for a T+1 merchant: its line is carried.
    await tdb.db.query(
      `INSERT INTO transactions (id, merchant_no, terminal_id, type, status, amount_fen, currency,
         occurred_at, received_at, source, decision)
       VALUES ('sch-3', '520000000000003', 'T0000003', 'refund', 'approved', 700, 'CNY',
               '2026-11-30T04:00:00Z', '2026-11-30T04:00:00Z', 'test', 'ok')`,
    );
    // Tuesday 03:00: the T+1 run of Monday, with the carried line, and nothing before it even
    // though the week's earlier dates had no run and money now waits.
    const tuesday = await runDueSettlements(at('2026-11-30T19:00:00Z'), policy);
    expect(tuesday).toHaveLength(1);
    const carried = await tdb.db.query<{ business_date: string; status: string }>(
      `SELECT business_date::text AS business_date, status FROM settlement_lines
        WHERE merchant_no = '520000000000003'`,
    );
    expect(carried.rows).toEqual([{ business_date: '2026-11-30', status: 'carried' }]);
    expect(await runDueSettlements(at('2026-11-30T20:00:00Z'), policy)).toEqual([]);
    // Wednesday 03:00: Tuesday is due, and the carried money makes its run.
    const wednesday = await runDueSettlements(at('2026-12-01T19:00:00Z'), policy);
    expect(wednesday).toHaveLength(1);
    const dates = await tdb.db.query<{ business_date: string }>(
      `SELECT business_date::text AS business_date FROM settlement_runs
        WHERE cycle = 'T1' ORDER BY business_date`,
    );
    expect(dates.rows.map((r) => r.business_date)).toEqual([
      '2026-11-27',
      '2026-11-30',
      '2026-12-01',
    ]);
  });
});
