/**
 * Traffic for the demo's first start: a couple of days of card transactions over the registry
 * as it stands (the demo portfolio), with a few offending ones, pushed in-process through the
 * same pipeline as every other source, so that the console opens on real alerts, incidents,
 * suspended terminals and held settlements.
 *
 * The offences: the demo portfolio's own faults (holders that do not match, a card shared by
 * unrelated merchants, an unverified account) show up as soon as their merchants transact;
 * besides, one terminal starts carrying another merchant's number, an unregistered terminal
 * transacts under a merchant's number, and one terminal prints another shop's name. Like a
 * switch that asks authorize-check, the seeder sends nothing more on a terminal once it is
 * suspended.
 */
import type { AppContext } from '../app/context.js';
import { ingestTransactions } from '../app/ingest/ingest-transactions.js';
import { DEFAULT_POLICY, type ScreeningPolicy } from '../core/screening/policy.js';
import { receiptNameFits } from '../core/screening/rules.js';
import type { TransactionInput } from '../core/transaction.js';
import { hash32, Random } from './random.js';
import {
  byTime,
  DAY_MS,
  generateTraffic,
  HOUR_MS,
  numberTransactions,
  type TrafficDraft,
  type TrafficSpec,
} from './traffic.js';

export interface DemoTrafficOptions {
  /** Any integer; the same seed over the same registry and clock gives the same traffic. */
  seed?: number;
  /** Days of traffic before now: 1 to 7 (default 2). */
  days?: number;
  /** Average purchases per merchant and day: 1 to 50 (default 4). */
  transactionsPerMerchantPerDay?: number;
  policy?: ScreeningPolicy;
  /**
   * Send nothing when the database holds any transaction already (default true): the demo's
   * traffic is for a fresh installation, and a second call must not double it.
   */
  onlyIfNoTransactions?: boolean;
}

export interface DemoTrafficSummary {
  /** True when nothing was sent because transactions were there already. */
  skipped: boolean;
  /** Transactions made; some are never sent because their terminal was suspended first. */
  generated: number;
  sent: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Not sent: the terminal was suspended by then (authorize-check would refuse them). */
  refusedAtSwitch: number;
  /** Transactions per rule that fired on them. */
  alerts: Record<string, number>;
  /** Answers with `decision: 'contain'`. */
  contained: number;
}

const DEFAULT_SEED = 20_260_302;
/** Batches are small so that a containment takes effect on the traffic soon after. */
const DEMO_BATCH_SIZE = 250;
/** The offences start in the last this-many hours of the traffic. */
const OFFENCE_WINDOW_MS = 18 * HOUR_MS;

interface RegistryMerchant {
  merchant_no: string;
  name: string;
  mcc: string;
}

interface RegistryTerminal {
  terminal_id: string;
  merchant_no: string;
}

function bounded(
  name: string,
  value: number | undefined,
  range: { fallback: number; min: number; max: number },
): number {
  const v = value ?? range.fallback;
  if (!Number.isInteger(v) || v < range.min || v > range.max) {
    throw new RangeError(
      `${name} must be an integer from ${String(range.min)} to ${String(range.max)}`,
    );
  }
  return v;
}

async function readRegistry(ctx: AppContext): Promise<{
  merchants: RegistryMerchant[];
  terminals: Map<string, RegistryTerminal[]>;
}> {
  const merchants = await ctx.db.query<RegistryMerchant>(
    `SELECT merchant_no, name, mcc FROM merchants
      WHERE valid_to IS NULL AND status = 'active' ORDER BY merchant_no`,
  );
  const terminals = await ctx.db.query<RegistryTerminal>(
    `SELECT terminal_id, merchant_no FROM terminals
      WHERE valid_to IS NULL AND status = 'active' ORDER BY terminal_id`,
  );
  const byMerchant = new Map<string, RegistryTerminal[]>();
  for (const t of terminals.rows) {
    byMerchant.set(t.merchant_no, [...(byMerchant.get(t.merchant_no) ?? []), t]);
  }
  return { merchants: merchants.rows, terminals: byMerchant };
}

interface Plan {
  rng: Random;
  specs: TrafficSpec[];
  fromMs: number;
  toMs: number;
  perDay: number;
}

function ordinary(plan: Plan, m: RegistryMerchant, terminalId: string, share: number): TrafficSpec {
  return {
    terminalId,
    merchantNo: m.merchant_no,
    mcc: m.mcc,
    receipt: { kind: 'registered', name: m.name },
    purchasesPerDay: plan.perDay * share,
    purchasesMin: 0,
    fromMs: plan.fromMs,
    toMs: plan.toMs,
  };
}

/** Splits a terminal's ordinary traffic at a moment; from then on `after` describes it. */
function splitAt(plan: Plan, spec: TrafficSpec, atMs: number, after: Partial<TrafficSpec>): void {
  plan.specs.push(
    { ...spec, toMs: atMs },
    { ...spec, ...after, fromMs: atMs, purchasesMin: Math.max(3, spec.purchasesMin) },
  );
}

/** An active, matching account of its own, shared with nobody. */
function looksClean(ctx: AppContext, merchantNo: string): boolean {
  const merchant = ctx.index?.merchant(merchantNo);
  const account = merchant?.account;
  return (
    merchant !== undefined &&
    account?.status === 'active' &&
    account.nameCheckResult !== 'no_match' &&
    (ctx.index?.unrelatedSharers(merchant).length ?? 0) === 0
  );
}

/** A terminal id that the registry does not know. */
function unregisteredTerminalId(ctx: AppContext, rng: Random): string {
  for (;;) {
    const id = `X${rng.digits(7)}`;
    if (!ctx.index?.terminal(id)) return id;
  }
}

function plan(
  ctx: AppContext,
  registry: Awaited<ReturnType<typeof readRegistry>>,
  options: { rng: Random; fromMs: number; toMs: number; perDay: number },
): TrafficSpec[] {
  const p: Plan = { ...options, specs: [] };
  const offenceAt = () => p.toMs - Math.floor(OFFENCE_WINDOW_MS * (0.4 + 0.6 * p.rng.unit()));
  const withTerminals = registry.merchants.filter((m) => registry.terminals.has(m.merchant_no));
  // Three different merchants with nothing wrong of their own for the planted offences, so
  // that each offence is the one that shows.
  const [moved, carrier, misprinting] = p.rng
    .shuffled(withTerminals)
    .filter((m) => looksClean(ctx, m.merchant_no));
  for (const m of withTerminals) {
    const terminals = registry.terminals.get(m.merchant_no) ?? [];
    const share = Math.min(3, Math.max(0.25, p.rng.logNormal(1, 0.5))) / terminals.length;
    for (const [position, t] of terminals.entries()) {
      const spec = ordinary(p, m, t.terminal_id, share);
      if (position === 0 && m === moved && carrier) {
        // The terminal turns up at another shop, set up with that shop's number and name.
        splitAt(p, spec, offenceAt(), {
          merchantNo: carrier.merchant_no,
          mcc: carrier.mcc,
          receipt: { kind: 'registered', name: carrier.name },
        });
      } else if (position === 0 && m === misprinting) {
        const other = p.rng
          .shuffled(withTerminals)
          .find((o) => o !== m && !receiptNameFits(o.name, m.name));
        if (other) {
          splitAt(p, spec, offenceAt(), { receipt: { kind: 'fixed', name: other.name } });
        } else {
          p.specs.push(spec);
        }
      } else {
        p.specs.push(spec);
      }
    }
  }
  if (carrier) {
    // A terminal nobody registered, taking payments under a real merchant's number.
    p.specs.push({
      ...ordinary(p, carrier, unregisteredTerminalId(ctx, p.rng), 0.5),
      fromMs: offenceAt(),
      purchasesMin: 3,
    });
  }
  return p.specs;
}

export async function seedDemoTransactions(
  ctx: AppContext,
  options: DemoTrafficOptions = {},
): Promise<DemoTrafficSummary> {
  const index = ctx.index;
  if (!index) throw new Error('seedDemoTransactions needs the registry index of a server');
  if (options.onlyIfNoTransactions ?? true) {
    const any = await ctx.db.query('SELECT 1 FROM transactions LIMIT 1');
    if (any.rowCount > 0) return { ...emptySummary(), skipped: true };
  }
  if (index.size.merchants === 0) await index.loadAll(ctx.db);
  const days = bounded('days', options.days, { fallback: 2, min: 1, max: 7 });
  const perDay = bounded('transactionsPerMerchantPerDay', options.transactionsPerMerchantPerDay, {
    fallback: 4,
    min: 1,
    max: 50,
  });
  const policy = options.policy ?? DEFAULT_POLICY;
  const now = ctx.now();
  const toMs = Math.floor((now.getTime() - 1000) / 1000) * 1000;
  const rng = new Random(hash32(`demo:${String(options.seed ?? DEFAULT_SEED)}:${String(toMs)}`));
  const registry = await readRegistry(ctx);
  const specs = plan(ctx, registry, { rng, fromMs: toMs - days * DAY_MS, toMs, perDay });

  let order = 0;
  const drafts: { draft: TrafficDraft; order: number }[] = specs.flatMap((spec) =>
    generateTraffic(rng, spec).map((draft) => ({ draft, order: order++ })),
  );
  drafts.sort(byTime);
  const tag = toMs.toString(36);
  const transactions = numberTransactions(
    drafts.map((d) => d.draft),
    (position) => `demo-${tag}-${String(position + 1).padStart(6, '0')}`,
  );
  return pushInBatches(ctx, transactions, policy);
}

function emptySummary(): DemoTrafficSummary {
  return {
    skipped: false,
    generated: 0,
    sent: 0,
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    refusedAtSwitch: 0,
    alerts: {},
    contained: 0,
  };
}

async function pushInBatches(
  ctx: AppContext,
  transactions: readonly TransactionInput[],
  policy: ScreeningPolicy,
): Promise<DemoTrafficSummary> {
  const summary: DemoTrafficSummary = { ...emptySummary(), generated: transactions.length };
  for (let start = 0; start < transactions.length; start += DEMO_BATCH_SIZE) {
    // What the switch would still approve: nothing on a terminal suspended by now.
    const batch = transactions
      .slice(start, start + DEMO_BATCH_SIZE)
      .filter((tx) => ctx.index?.terminal(tx.terminalId)?.status !== 'suspended');
    summary.refusedAtSwitch +=
      Math.min(DEMO_BATCH_SIZE, transactions.length - start) - batch.length;
    if (batch.length === 0) continue;
    const results = await ingestTransactions(ctx, null, batch, { source: 'simulator', policy });
    summary.sent += batch.length;
    for (const r of results) {
      summary[r.outcome] += 1;
      if (r.decision === 'contain') summary.contained += 1;
      for (const rule of r.alerts ?? []) summary.alerts[rule] = (summary.alerts[rule] ?? 0) + 1;
    }
  }
  return summary;
}
