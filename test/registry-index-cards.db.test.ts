/**
 * The terminal cards behind `RegistryIndex.plainlyClean`: a copy of what screening needs of a
 * terminal, its merchant's number and name, kept beside the terminal's key. A card that missed
 * a change would pass a transaction that the rules flag, so every answer of the card is checked
 * against every rule, over a generated registry of a few thousand terminals and through
 * renames, suspensions, moves of terminals and the compaction of the name pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryIndex } from '../src/app/screening/registry-index.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import type { VolumeView } from '../src/core/screening/registry-view.js';
import type { ScreenInput } from '../src/core/screening/rules.js';
import { screen, screenTransaction } from '../src/core/screening/screen.js';
import {
  mulberry32,
  seedRegistry,
  sketchOf,
  synthRegistry,
  TransactionPlanner,
  type SynthRegistry,
} from '../bench/support.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
let tdb: TestDatabase;
let registry: SynthRegistry;
let index: RegistryIndex;

beforeAll(async () => {
  tdb = await openTestDatabase();
  registry = synthRegistry({
    seed: 7,
    merchants: 1_500,
    terminals: 3_000,
    faulty: true,
    now: new Date(NOW),
  });
  await seedRegistry(tdb.db, registry);
  index = new RegistryIndex();
  await index.loadAll(tdb.db);
}, 60_000);
afterAll(async () => {
  await index.stop();
  await tdb.close();
});

/** Volume figures fixed per merchant, high for some, so that the post-change rule fires. */
function volumeFor(seed: number): VolumeView {
  const random = mulberry32(seed);
  const last24h = new Map<string, number>();
  for (const m of registry.merchants) {
    last24h.set(m.merchantNo, random() < 0.3 ? 50_000_000 : Math.floor(random() * 100_000));
  }
  return { last24hFen: (no) => last24h.get(no) ?? 0, baselineDailyFen: () => 200_000 };
}

/**
 * Transactions as the planner makes them, and variants near the card's edges: a merchant
 * number one digit short, ending in the character before '0', or with a letter, a receipt name one character off at its start or
 * its end (past the part the card holds, for long names), one character longer or shorter.
 */
function transactions(seed: number, count: number, names: Map<string, string>): ScreenInput[] {
  const planner = new TransactionPlanner({
    seed,
    sketch: { ...sketchOf(registry), names: Object.fromEntries(names) },
    faultShare: 0.1,
    now: NOW,
  });
  const random = mulberry32(seed + 1);
  const inputs: ScreenInput[] = [];
  for (let i = 0; i < count; i += 1) {
    const p = planner.next();
    const input: ScreenInput = {
      transactionId: `C${String(seed)}-${String(i)}`,
      terminalId: p.terminalId,
      merchantNo: p.merchantNo,
      type: p.type,
      status: p.status,
      amountFen: p.amountFen,
      // Up to 40 days back: inside and outside the watch after an account change.
      occurredAtMs: NOW - Math.floor(random() * 40) * 86_400_000,
      merchantNameOnReceipt: p.merchantNameOnReceipt,
    };
    const name = input.merchantNameOnReceipt;
    const roll = random();
    if (roll < 0.02) input.merchantNo = input.merchantNo.slice(0, 14);
    else if (roll < 0.03) input.merchantNo = `${input.merchantNo.slice(0, 14)}/`;
    else if (roll < 0.06)
      input.merchantNo = `${input.merchantNo.slice(0, 10)}A${input.merchantNo.slice(11)}`;
    else if (name !== null && roll < 0.1) input.merchantNameOnReceipt = `${name.slice(0, -1)}店`;
    else if (name !== null && roll < 0.13) input.merchantNameOnReceipt = `某${name.slice(1)}`;
    else if (name !== null && roll < 0.16) input.merchantNameOnReceipt = `${name}店`;
    else if (name !== null && roll < 0.19) input.merchantNameOnReceipt = name.slice(0, -1);
    inputs.push(JSON.parse(JSON.stringify(input)) as ScreenInput);
  }
  return inputs;
}

/** Every transaction the card calls plainly clean is clean to every rule; `screen` agrees with the rules throughout. */
function check(inputs: readonly ScreenInput[], volume: VolumeView) {
  const options = { view: index, volume, policy: DEFAULT_POLICY };
  const wrong: string[] = [];
  let plain = 0;
  let cleanButNotPlain = 0;
  let longNamesPlain = 0;
  for (const input of inputs) {
    const full = screenTransaction(input, options);
    const isPlain = index.plainlyClean(input, DEFAULT_POLICY);
    if (isPlain) {
      plain += 1;
      if ((input.merchantNameOnReceipt?.length ?? 0) > 16) longNamesPlain += 1;
      if (full.hits.length > 0) {
        wrong.push(`${input.transactionId}: plain, but ${full.hits.map((h) => h.rule).join(',')}`);
      }
    } else if (full.hits.length === 0) {
      cleanButNotPlain += 1;
    }
    const screened = screen(input, options);
    if (JSON.stringify(screened) !== JSON.stringify(full)) {
      wrong.push(`${input.transactionId}: screen differs from the rules`);
    }
  }
  return { wrong: wrong.slice(0, 5), plain, cleanButNotPlain, longNamesPlain };
}

const currentNames = () => new Map(registry.merchants.map((m) => [m.merchantNo, m.name]));

describe('the terminal cards of the registry index', () => {
  it('call plainly clean only what every rule passes, on a registry with faults', () => {
    const inputs = transactions(11, 20_000, currentNames());
    const result = check(inputs, volumeFor(1));
    expect(result.wrong).toEqual([]);
    // Not vacuous: most traffic is answered by the card, long names included, and clean
    // traffic the card must leave to the rules (the watch after an account change) exists.
    expect(result.plain).toBeGreaterThan(inputs.length * 0.5);
    expect(result.longNamesPlain).toBeGreaterThan(50);
    expect(result.cleanButNotPlain).toBeGreaterThan(20);
  });

  it('follow renames, suspensions and terminals moved to another merchant', async () => {
    const random = mulberry32(99);
    const renamed = registry.merchants.filter(() => random() < 0.2).map((m) => m.merchantNo);
    const suspended = registry.terminals.filter(() => random() < 0.05).map((t) => t.terminalId);
    const moved = registry.terminals.filter(() => random() < 0.05);
    const before = transactions(12, 10_000, currentNames());
    // Before the changes, the same transactions are plain where they will not be after.
    const renamedSet = new Set(renamed);
    const wasPlain = before.filter(
      (t) =>
        renamedSet.has(t.merchantNo) &&
        t.merchantNameOnReceipt !== null &&
        index.plainlyClean(t, DEFAULT_POLICY),
    );
    expect(wasPlain.length).toBeGreaterThan(100);

    await tdb.db.query(
      `UPDATE merchants SET name = '徐州市' || name WHERE merchant_no = ANY($1) AND valid_to IS NULL`,
      [renamed],
    );
    await tdb.db.query(
      `UPDATE terminals SET status = 'suspended' WHERE terminal_id = ANY($1) AND valid_to IS NULL`,
      [suspended],
    );
    for (const t of moved) {
      const other =
        registry.merchants[
          (registry.merchants.findIndex((m) => m.merchantNo === t.merchantNo) + 1) %
            registry.merchants.length
        ];
      await tdb.db.query(
        `UPDATE terminals SET merchant_no = $2 WHERE terminal_id = $1 AND valid_to IS NULL`,
        [t.terminalId, other?.merchantNo],
      );
    }
    await index.refresh(tdb.db, {
      merchants: renamed,
      terminals: [...suspended, ...moved.map((t) => t.terminalId)],
    });

    // The old receipt names of renamed merchants are no longer plain; the rules decide.
    expect(wasPlain.filter((t) => index.plainlyClean(t, DEFAULT_POLICY))).toEqual([]);
    const result = check(before, volumeFor(2));
    expect(result.wrong).toEqual([]);
    // Transactions on the registry as it is now, with the new names.
    const names = currentNames();
    for (const no of renamed) names.set(no, `徐州市${names.get(no) ?? ''}`);
    const after = check(transactions(13, 10_000, names), volumeFor(3));
    expect(after.wrong).toEqual([]);
    expect(after.plain).toBeGreaterThan(4_000);
  });

  it('keep the name pool bounded, and right, through many renames', async () => {
    const all = registry.merchants.map((m) => m.merchantNo);
    let live = 0;
    for (let round = 1; round <= 8; round += 1) {
      await tdb.db.query(
        `UPDATE merchants SET name = name || $2 WHERE merchant_no = ANY($1) AND valid_to IS NULL`,
        [all, String(round % 10)],
      );
      if (round % 4 === 0) {
        await index.refresh(tdb.db, { all: true });
      } else {
        // By keys, in slices, as notifications name them.
        for (let at = 0; at < all.length; at += 150) {
          await index.refresh(tdb.db, { merchants: all.slice(at, at + 150) });
        }
      }
      live = index.namePool.live;
    }
    // Eight generations of every name were written to the pool; compaction kept it to a few.
    expect(index.namePool.used).toBeLessThan(live * 4 + 65_536 * 2);
    expect(index.namePool.used).toBeGreaterThanOrEqual(live);
    const { rows } = await tdb.db.query<{ merchant_no: string; name: string }>(
      `SELECT merchant_no, name FROM merchants WHERE valid_to IS NULL`,
    );
    const names = new Map(rows.map((r) => [r.merchant_no, r.name]));
    const result = check(transactions(14, 10_000, names), volumeFor(4));
    expect(result.wrong).toEqual([]);
    expect(result.plain).toBeGreaterThan(4_000);
    expect(result.longNamesPlain).toBeGreaterThan(50);
  });
});
