/**
 * The settlement promise over many random worlds: no `ready` line ever targets an account that
 * breaks a rule. Each world is a few dozen merchants written straight into the tables with
 * every kind of fault drawn at random (no account; pending, errored or frozen accounts; holder
 * names that do not match; accounts shared with related and unrelated merchants; changed
 * accounts inside and outside the cooling-off period; active and released holds; open,
 * resolved and drill incidents; unregistered merchant numbers) and random transactions. The
 * SQL run's lines are compared with the pure core (holdReasons, feeFen, lineStatus) applied to
 * the world as generated: same lines, same reasons in the same order, same amounts to the fen.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testVault, type TestDatabase } from './support/database.js';
import { createContext } from '../src/app/context.js';
import { createRun } from '../src/app/settlement/create-run.js';
import { verifyLedger } from '../src/app/ledger/verify.js';
import { Random } from '../src/sim/random.js';
import { businessDayWindow, addDays } from '../src/core/settlement/calendar.js';
import { feeFen, feeRateFor } from '../src/core/settlement/fees.js';
import { holdReasons, lineStatus, type LineFacts } from '../src/core/settlement/screening.js';
import { DEFAULT_SETTLEMENT_POLICY, type SettlementPolicy } from '../src/core/settlement/policy.js';
import type { AccountStatus } from '../src/core/registry.js';

const WORLDS = 30;
const MERCHANTS_PER_WORLD = 30;
const HOUR_MS = 3_600_000;

const policy: SettlementPolicy = {
  ...DEFAULT_SETTLEMENT_POLICY,
  feeRatePpmByMcc: { '5411': 3_800, '5812': 6_000, '7011': 12_500 },
  feeRatePpmByMerchant: {},
  coolingOffHours: 24,
};

interface Version {
  accountId: string;
  status: AccountStatus;
  nameCheck: 'match' | 'close_match' | 'no_match';
  fp: string;
  validFrom: Date;
  validTo: Date | null;
}

interface WorldMerchant {
  merchantNo: string;
  registered: boolean;
  mcc: string;
  legalPersonFp: string;
  versions: Version[];
  activeHold: boolean;
  releasedHold: boolean;
  incident: 'none' | 'open' | 'investigating' | 'remediating' | 'resolved' | 'drill';
  transactions: { type: string; status: string; amountFen: number }[];
}

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await openTestDatabase();
});

afterAll(async () => {
  await tdb.close();
});

function makeWorld(random: Random, world: number, runAt: Date): WorldMerchant[] {
  const legalPersons = Array.from({ length: 6 }, (_, i) => `lp-${world}-${i}`);
  const accountFps = Array.from({ length: 8 }, (_, i) => `fp-${world}-${i}`);
  const statuses: AccountStatus[] = [
    'active',
    'active',
    'active',
    'pending_verification',
    'errored',
    'frozen',
  ];
  const merchants: WorldMerchant[] = [];
  for (let i = 0; i < MERCHANTS_PER_WORLD; i += 1) {
    const merchantNo = `8${String(world).padStart(3, '0')}${String(i).padStart(11, '0')}`;
    const registered = random.chance(0.95);
    const versions: Version[] = [];
    // Shared numbers come from a small pool; the rest are the merchant's own.
    const fp = () =>
      random.chance(0.3) ? random.pick(accountFps) : `own-${merchantNo}-${random.int(0, 1e9)}`;
    if (registered && random.chance(0.3)) {
      // An earlier account, replaced.
      const from = new Date(runAt.getTime() - random.int(100, 400) * HOUR_MS);
      const to = new Date(runAt.getTime() - random.int(1, 90) * HOUR_MS);
      versions.push({
        accountId: crypto.randomUUID(),
        status: 'active',
        nameCheck: 'match',
        fp: fp(),
        validFrom: from,
        validTo: to,
      });
      versions.push({
        accountId: versions[0]!.accountId,
        status: 'superseded',
        nameCheck: 'match',
        fp: versions[0]!.fp,
        validFrom: to,
        validTo: null,
      });
    }
    if (registered && random.chance(0.9)) {
      const accountId = crypto.randomUUID();
      const number = fp();
      const nameCheck = random.pick(['match', 'match', 'close_match', 'no_match'] as const);
      const created = new Date(runAt.getTime() - random.int(1, 80) * HOUR_MS);
      if (random.chance(0.3)) {
        // Verified later: pending first, then its final status.
        const verified = new Date(
          created.getTime() +
            random.int(
              0,
              Math.max(0, Math.floor((runAt.getTime() - created.getTime()) / HOUR_MS)),
            ) *
              HOUR_MS,
        );
        versions.push({
          accountId,
          status: 'pending_verification',
          nameCheck,
          fp: number,
          validFrom: created,
          validTo: verified,
        });
        versions.push({
          accountId,
          status: random.pick(statuses),
          nameCheck,
          fp: number,
          validFrom: verified,
          validTo: null,
        });
      } else {
        versions.push({
          accountId,
          status: random.pick(statuses),
          nameCheck,
          fp: number,
          validFrom: created,
          validTo: null,
        });
      }
    }
    const count = random.int(0, 4);
    const transactions = Array.from({ length: count }, () => ({
      type: random.pick(['purchase', 'purchase', 'purchase', 'refund', 'reversal', 'void']),
      status: random.chance(0.9) ? 'approved' : 'declined',
      amountFen: random.int(1, 200_000),
    }));
    merchants.push({
      merchantNo,
      registered,
      mcc: random.pick(['5411', '5812', '7011', '5999']),
      legalPersonFp: random.pick(legalPersons),
      versions,
      activeHold: registered && random.chance(0.15),
      releasedHold: registered && random.chance(0.1),
      incident: registered
        ? random.pick([
            'none',
            'none',
            'none',
            'open',
            'investigating',
            'remediating',
            'resolved',
            'drill',
          ] as const)
        : 'none',
      transactions,
    });
  }
  return merchants;
}

async function writeWorld(merchants: WorldMerchant[], day: string): Promise<void> {
  const db = tdb.db;
  const at = new Date(`${day}T00:00:00Z`);
  const registered = merchants.filter((m) => m.registered);
  await db.query(
    `INSERT INTO merchants (merchant_no, name, type, status, legal_person_name, legal_person_id_enc,
       legal_person_id_fp, legal_person_id_masked, mcc, valid_from, recorded_by)
     SELECT m, '测试商户', 'micro', 'active', '张三', '\\x00'::bytea, lp, '****', mcc, $4, 'test'
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t (m, lp, mcc)`,
    [
      registered.map((m) => m.merchantNo),
      registered.map((m) => m.legalPersonFp),
      registered.map((m) => m.mcc),
      new Date('2026-01-01T00:00:00Z'),
    ],
  );
  const versions = registered.flatMap((m) =>
    m.versions.map((v) => ({ ...v, merchantNo: m.merchantNo })),
  );
  await db.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, status, name_check, valid_from,
       valid_to, recorded_by)
     SELECT a, m, '\\x00'::bytea, fp, '****0000', '张三', 'personal', s,
            jsonb_build_object('result', nc, 'score', 1, 'reasons', '[]'::jsonb, 'comparedWith', 'legal_person'),
            vf, vt, 'test'
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
         AS t (a, m, fp, s, nc, vf, vt)`,
    [
      versions.map((v) => v.accountId),
      versions.map((v) => v.merchantNo),
      versions.map((v) => v.fp),
      versions.map((v) => v.status),
      versions.map((v) => v.nameCheck),
      versions.map((v) => v.validFrom),
      versions.map((v) => v.validTo),
    ],
  );
  for (const m of registered) {
    if (m.releasedHold) {
      await db.query(
        `INSERT INTO settlement_holds (id, merchant_no, reason, placed_at, placed_by, released_at, released_by, release_reason)
         VALUES ($1, $2, 'old', $3, 'test', $3, 'test', 'fixed')`,
        [crypto.randomUUID(), m.merchantNo, at],
      );
    }
    if (m.activeHold) {
      await db.query(
        `INSERT INTO settlement_holds (id, merchant_no, reason, placed_at, placed_by) VALUES ($1, $2, 'test', $3, 'test')`,
        [crypto.randomUUID(), m.merchantNo, at],
      );
    }
    if (m.incident !== 'none') {
      await db.query(
        `INSERT INTO incidents (id, merchant_no, status, severity, title, drill, opened_at, updated_at)
         VALUES ($1, $2, $3, 'P2', '{"zh":"t","en":"t"}', $4, $5, $5)`,
        [
          crypto.randomUUID(),
          m.merchantNo,
          m.incident === 'drill' ? 'open' : m.incident,
          m.incident === 'drill',
          at,
        ],
      );
    }
  }
  const { start } = businessDayWindow(day);
  const txns = merchants.flatMap((m) =>
    m.transactions.map((t, i) => ({ ...t, merchantNo: m.merchantNo, id: `${m.merchantNo}-${i}` })),
  );
  await db.query(
    `INSERT INTO transactions (id, merchant_no, terminal_id, type, status, amount_fen, currency,
       occurred_at, received_at, source, decision)
     SELECT id, m, 'T0000001', ty, st, amt, 'CNY', $6, $6, 'test', 'ok'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS t (id, m, ty, st, amt)`,
    [
      txns.map((t) => t.id),
      txns.map((t) => t.merchantNo),
      txns.map((t) => t.type),
      txns.map((t) => t.status),
      txns.map((t) => t.amountFen),
      new Date(start.getTime() + 3 * HOUR_MS),
    ],
  );
}

/** The world as the core sees it, from the generated model (not from the database). */
function factsOf(m: WorldMerchant, all: WorldMerchant[]): LineFacts {
  const inForce = (x: WorldMerchant) =>
    x.versions
      .filter((v) => v.validTo === null && v.status !== 'superseded')
      .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime())[0];
  const account = inForce(m);
  const sharers = account
    ? all.filter(
        (o) =>
          o !== m &&
          o.registered &&
          inForce(o)?.fp === account.fp &&
          o.legalPersonFp !== m.legalPersonFp,
      ).length
    : 0;
  const live = account
    ? m.versions
        .filter((v) => v.accountId === account.accountId && v.status === 'active')
        .map((v) => v.validFrom.getTime())
    : [];
  return {
    merchantKnown: m.registered,
    account: account
      ? {
          status: account.status,
          nameCheckResult: account.nameCheck,
          isChange: new Set(m.versions.map((v) => v.accountId)).size > 1,
          liveSinceMs: live.length > 0 ? Math.min(...live) : null,
        }
      : null,
    unrelatedSharers: sharers,
    activeHold: m.activeHold,
    openIncident: m.incident === 'open' || m.incident === 'investigating',
  };
}

describe('settlement over random worlds', () => {
  it('never makes a ready line to an account that breaks a rule, and agrees with the core to the fen', async () => {
    const random = new Random(4_2026);
    let ready = 0;
    let held = 0;
    for (let world = 0; world < WORLDS; world += 1) {
      const day = addDays('2026-09-01', world);
      const runAt = new Date(businessDayWindow(day).end.getTime() + 2 * HOUR_MS);
      const merchants = makeWorld(random, world, runAt);
      await writeWorld(merchants, day);
      const ctx = createContext({ db: tdb.db, vault: testVault(), now: () => runAt });
      const { run } = await createRun(ctx, null, policy, { businessDate: day, trigger: 'manual' });
      const { rows } = await tdb.db.query<{
        merchant_no: string;
        status: string;
        hold_reasons: string[];
        amount_fen: number;
        fee_fen: number;
        net_fen: number;
        carried_in_fen: number;
      }>(
        'SELECT merchant_no, status, hold_reasons, amount_fen, fee_fen, net_fen, carried_in_fen FROM settlement_lines WHERE run_id = $1',
        [run.id],
      );
      const lines = new Map(rows.map((r) => [r.merchant_no, r]));
      for (const m of merchants) {
        const approved = m.transactions.filter((t) => t.status === 'approved');
        const line = lines.get(m.merchantNo);
        if (approved.length === 0) {
          expect(line, m.merchantNo).toBeUndefined();
          continue;
        }
        const net = approved.reduce(
          (s, t) => s + (t.type === 'purchase' ? t.amountFen : -t.amountFen),
          0,
        );
        const fee = feeFen(
          net,
          feeRateFor(
            { defaultPpm: policy.feeRatePpmDefault, byMcc: policy.feeRatePpmByMcc, byMerchant: {} },
            { merchantNo: m.merchantNo, mcc: m.registered ? m.mcc : null },
          ),
        );
        const facts = factsOf(m, merchants);
        const reasons = holdReasons(facts, {
          nowMs: runAt.getTime(),
          coolingOffHours: policy.coolingOffHours,
        });
        const status = lineStatus(net - fee, reasons);
        expect(line, m.merchantNo).toMatchObject({
          net_fen: net,
          fee_fen: fee,
          amount_fen: net - fee,
          status,
          carried_in_fen: 0,
        });
        if (status !== 'carried') expect(line?.hold_reasons, m.merchantNo).toEqual(reasons);
        if (status === 'ready') {
          ready += 1;
          // The promise itself, stated on the world, not on the predicate.
          expect(facts.account?.status).toBe('active');
          expect(facts.account?.nameCheckResult).not.toBe('no_match');
          expect(facts.unrelatedSharers).toBe(0);
          expect(m.activeHold || m.incident === 'open' || m.incident === 'investigating').toBe(
            false,
          );
        }
        if (status === 'held') held += 1;
      }
      // Lines of earlier worlds' merchants only carry negative amounts forward.
      for (const row of rows) {
        if (!merchants.some((m) => m.merchantNo === row.merchant_no))
          expect(row.status).toBe('carried');
      }
    }
    // The worlds exercised both outcomes plenty.
    expect(ready).toBeGreaterThan(50);
    expect(held).toBeGreaterThan(50);
    const verdict = await verifyLedger(tdb.db, new Date());
    expect(verdict.problems).toEqual([]);
  });
});
