/**
 * Settlement run: 1,000,000 transactions of 100,000 merchants on PostgreSQL, every line
 * screened (account in force, status, holder name, cooling-off, sharing, holds, incidents),
 * fees computed, lines and ledger postings written, in one `createRun` — target under 30 s on
 * a 2-core machine. PGlite beside it at a tenth of the size, for information.
 *
 * The world is written server-side with `generate_series` (not timed): 100,000 micro merchants
 * with one account each and about 7 % faults (pending and errored accounts, holder names that do
 * not match, accounts shared by pairs of unrelated merchants, accounts changed two hours before
 * the run, holds, open incidents); 1,000,000 transactions of one business day (≈ 2 % refunds,
 * ≈ 1 % reversals, 2.5 % declined).
 *
 * Baseline, same run, same rows: the bare aggregate the run starts from (`SELECT … GROUP BY
 * merchant_no` over the day's approved transactions) — the floor of any settlement, without
 * screening, fees, lines or ledger. An empty run of the previous day is made first, so that the
 * timed run also scans the day's arrivals for late transactions, as every run but the first
 * does. The ledger verification (which recomputes every line from the transactions) is timed
 * too, for information.
 */
import crypto from 'node:crypto';
import { createContext } from '../src/app/context.js';
import { Vault } from '../src/app/vault.js';
import { createRun } from '../src/app/settlement/create-run.js';
import { verifyLedger } from '../src/app/ledger/verify.js';
import { addDays, businessDayWindow } from '../src/core/settlement/calendar.js';
import { DEFAULT_SETTLEMENT_POLICY } from '../src/core/settlement/policy.js';
import { openPglite, openPostgres, type Database } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { createSchema, log, timed, type ResultRow } from './support.js';

export const SETTLEMENT_TARGET_S = 30;
const DAY = '2026-11-25';

export interface SettlementBenchOptions {
  merchants: number;
  transactions: number;
}

export const SETTLEMENT_DEFAULTS: SettlementBenchOptions = {
  merchants: 100_000,
  transactions: 1_000_000,
};

/** The world, written by the database itself. */
async function seed(db: Database, o: SettlementBenchOptions): Promise<void> {
  const { start } = businessDayWindow(DAY);
  const runAt = new Date(start.getTime() + 27 * 3_600_000);
  const no = (expr: string) => `'898' || lpad((${expr})::text, 12, '0')`;
  await db.query(
    `INSERT INTO merchants (merchant_no, name, type, status, legal_person_name,
       legal_person_id_enc, legal_person_id_fp, legal_person_id_masked, mcc, valid_from, recorded_by)
     SELECT ${no('i')}, '基准测试商户' || i, 'micro', 'active', '张三', '\\x00'::bytea,
            'lp-' || i, '****', (ARRAY['5411', '5812', '5999', '7011'])[1 + i % 4],
            '2026-01-01', 'bench'
       FROM generate_series(0, $1::int - 1) AS i`,
    [o.merchants],
  );
  // Faults by i % 100: 3 pending, 5 errored, 7 no_match, 9 changed 2 h before the run, and
  // pairs (i, i + 1) with i % 100 = 20 sharing one account under different legal persons.
  await db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, status, name_check, valid_from,
       recorded_by)
     SELECT md5('a' || i)::uuid, ${no('i')}, '\\x00'::bytea,
            CASE WHEN i % 100 IN (20, 21) THEN 'shared-' || (i / 100) ELSE 'fp-' || i END,
            '622202*********' || lpad((i % 10000)::text, 4, '0'), '张三', 'personal',
            CASE i % 100 WHEN 3 THEN 'pending_verification' WHEN 5 THEN 'errored' ELSE 'active' END,
            jsonb_build_object('result', CASE WHEN i % 100 = 7 THEN 'no_match' ELSE 'match' END,
              'score', 1, 'reasons', '[]'::jsonb, 'comparedWith', 'legal_person'),
            CASE WHEN i % 100 = 9 THEN $2::timestamptz ELSE '2026-01-01'::timestamptz END, 'bench'
       FROM generate_series(0, $1::int - 1) AS i`,
    [o.merchants, new Date(runAt.getTime() - 2 * 3_600_000)],
  );
  await db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, status, name_check, valid_from,
       valid_to, recorded_by)
     SELECT md5('old' || i)::uuid, ${no('i')}, '\\x00'::bytea, 'old-' || i, '****', '张三',
            'personal', 'superseded', '{"result":"match"}', '2025-01-01', NULL, 'bench'
       FROM generate_series(0, $1::int - 1) AS i WHERE i % 100 = 9`,
    [o.merchants],
  );
  await db.query(
    `INSERT INTO settlement_holds (id, merchant_no, reason, placed_at, placed_by)
     SELECT md5('h' || i)::uuid, ${no('i')}, 'bench', '2026-11-01', 'bench'
       FROM generate_series(0, $1::int - 1) AS i WHERE i % 100 = 11`,
    [o.merchants],
  );
  await db.query(
    `INSERT INTO incidents (id, merchant_no, status, severity, title, opened_at, updated_at)
     SELECT md5('n' || i)::uuid, ${no('i')}, 'open', 'P2', '{"zh":"基准","en":"bench"}',
            '2026-11-01', '2026-11-01'
       FROM generate_series(0, $1::int - 1) AS i WHERE i % 100 = 13`,
    [o.merchants],
  );
  // One day of transactions, spread over the day, merchants round-robin (10 each on average).
  const chunk = 250_000;
  for (let from = 0; from < o.transactions; from += chunk) {
    await db.query(
      `INSERT INTO transactions (id, merchant_no, terminal_id, type, status, amount_fen, currency,
         occurred_at, received_at, source, decision)
       SELECT 'b' || g, ${no('g % $3::int')}, 'T' || lpad((g % $3::int)::text, 7, '0'),
              CASE WHEN (g + 7 * (g / $3::int)) % 50 = 7 THEN 'refund'
                   WHEN (g + 11 * (g / $3::int)) % 97 = 5 THEN 'reversal' ELSE 'purchase' END,
              CASE WHEN (g + 13 * (g / $3::int)) % 40 = 3 THEN 'declined' ELSE 'approved' END,
              100 + (g::bigint * 7919) % 500000, 'CNY',
              $4::timestamptz + make_interval(secs => (g % 86400)),
              $4::timestamptz + make_interval(secs => (g % 86400) + 1), 'bench', 'ok'
         FROM generate_series($1::int, $2::int) AS g`,
      [from, Math.min(from + chunk, o.transactions) - 1, o.merchants, start],
    );
  }
  await db.exec('ANALYZE');
}

const BASELINE_SQL = `
SELECT count(*)::int AS merchants, sum(n)::bigint AS transactions FROM (
  SELECT merchant_no, count(*) AS n,
         sum(amount_fen) FILTER (WHERE type = 'purchase') AS purchases,
         sum(amount_fen) FILTER (WHERE type <> 'purchase') AS deductions
    FROM transactions
   WHERE occurred_at >= $1 AND occurred_at < $2 AND status = 'approved'
   GROUP BY merchant_no) a`;

async function measure(db: Database, o: SettlementBenchOptions, engine: string) {
  log(
    `settlement (${engine}): writing ${o.merchants.toLocaleString('en')} merchants, ${o.transactions.toLocaleString('en')} transactions`,
  );
  const seeded = await timed(() => seed(db, o));
  log(`settlement (${engine}): world written in ${(seeded.ms / 1000).toFixed(1)} s`);
  const { start, end } = businessDayWindow(DAY);
  // Warm the cache the same way for both: the baseline once untimed, then timed.
  await db.query(BASELINE_SQL, [start, end]);
  const baseline = await timed(() =>
    db.query<{ merchants: number; transactions: number }>(BASELINE_SQL, [start, end]),
  );
  const runAt = new Date(start.getTime() + 27 * 3_600_000);
  // The previous day's run, made just after midnight (no transactions that day): the timed run
  // then reads the day's arrivals for late transactions of earlier dates, as every run but the
  // first does.
  const before = createContext({
    db,
    vault: new Vault(crypto.randomBytes(32)),
    now: () => new Date(start.getTime() + 30_000),
  });
  await createRun(before, null, DEFAULT_SETTLEMENT_POLICY, {
    businessDate: addDays(DAY, -1),
    trigger: 'manual',
  });
  const ctx = createContext({ db, vault: new Vault(crypto.randomBytes(32)), now: () => runAt });
  const run = await timed(() =>
    createRun(ctx, null, DEFAULT_SETTLEMENT_POLICY, { businessDate: DAY, trigger: 'manual' }),
  );
  const lines = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM settlement_lines WHERE run_id = $1 GROUP BY status ORDER BY status',
    [run.value.run.id],
  );
  const postings = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_postings');
  const verify = await timed(() => verifyLedger(db, runAt));
  const counts = lines.rows.map((r) => `${r.status} ${r.n.toLocaleString('en')}`).join(', ');
  log(
    `settlement (${engine}): run ${(run.ms / 1000).toFixed(1)} s (${counts}), baseline ${(baseline.ms / 1000).toFixed(2)} s, verify ${(verify.ms / 1000).toFixed(1)} s`,
  );
  return {
    baselineMs: baseline.ms,
    runMs: run.ms,
    verifyMs: verify.ms,
    counts,
    postings: postings.rows[0]?.n ?? 0,
    balanced: verify.value.balanced,
    aggregated: baseline.value.rows[0],
  };
}

function rows(
  id: string,
  engine: string,
  o: SettlementBenchOptions,
  m: Awaited<ReturnType<typeof measure>>,
  target: boolean,
): ResultRow[] {
  const size = `${(o.transactions / 1_000_000).toLocaleString('en')} M tx / ${(o.merchants / 1000).toLocaleString('en')} k merchants`;
  return [
    {
      id,
      measure: `settlement run, ${engine} (${size})`,
      value: m.runMs / 1000,
      unit: 's',
      target: target ? { op: '<', value: SETTLEMENT_TARGET_S } : null,
      baselineLabel: 'bare GROUP BY of the same rows',
      baseline: m.baselineMs / 1000,
      ratio: m.runMs / m.baselineMs,
      notes: [
        `lines: ${m.counts}; ${m.postings.toLocaleString('en')} ledger postings`,
        `baseline aggregated ${(m.aggregated?.transactions ?? 0).toLocaleString('en')} approved transactions of ${(m.aggregated?.merchants ?? 0).toLocaleString('en')} merchants`,
      ],
    },
    {
      id,
      measure: `ledger verify after the run, ${engine}`,
      value: m.verifyMs / 1000,
      unit: 's',
      target: null,
      baselineLabel: 'the run',
      baseline: m.runMs / 1000,
      ratio: m.verifyMs / m.runMs,
      notes: [`balanced: ${String(m.balanced)}`],
    },
  ];
}

export async function runSettlementPostgres(
  partial: Partial<SettlementBenchOptions> = {},
): Promise<ResultRow[]> {
  const o = { ...SETTLEMENT_DEFAULTS, ...partial };
  const schema = await createSchema('bench_settle');
  const db = openPostgres({ url: schema.url, poolSizeMax: 2 });
  try {
    await migrate(db);
    return rows('5', 'PostgreSQL', o, await measure(db, o, 'PostgreSQL'), true);
  } finally {
    await db.close();
    await schema.drop();
  }
}

/** PGlite at a tenth of the size: it runs in this thread, on one core. */
export async function runSettlementPglite(
  partial: Partial<SettlementBenchOptions> = {},
): Promise<ResultRow[]> {
  const o = { merchants: 10_000, transactions: 100_000, ...partial };
  const db = await openPglite({ dataDir: null });
  try {
    await migrate(db);
    return rows('5', 'PGlite in memory', o, await measure(db, o, 'PGlite'), false);
  } finally {
    await db.close();
  }
}
