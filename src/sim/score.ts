/**
 * Scoring a simulation run from what the server answered: per fault, whether its rule fired on
 * every one of its transactions and how long containment took; per rule, what fired where no
 * fault was planted. Pure: the runner brings the answers and the timings.
 *
 * A rule firing on a transaction is expected when the transaction belongs to a fault of that
 * rule (or one that fires it by construction). `suspended_terminal_activity` on a terminal the
 * run has already seen contained is a follow-on of that containment (the simulated switch does
 * not consult authorize-check and keeps sending), counted apart. Anything else is a false alarm.
 */
import { RULES, type Rule } from '../core/screening/policy.js';
import type { TransactionInput } from '../core/transaction.js';
import type { IngestResultView } from './api-client.js';
import type { InjectedFault, World } from './world.js';

export interface BatchTiming {
  /** `performance.now()` when the request was sent and when its answer was read. */
  sentAtMs: number;
  answeredAtMs: number;
  transactionIds: string[];
}

export interface FaultOutcome {
  kind: Rule;
  merchantNo: string;
  terminalId: string | null;
  /** The merchant the alerts, the incident and the hold belong to. */
  ownerMerchantNo: string;
  note: string;
  transactions: number;
  /** Accepted or duplicate (screened) transactions of the fault. */
  screened: number;
  /** Screened transactions that came back with the fault's rule. */
  flagged: number;
  detected: boolean;
  contained: boolean;
  /** From sending the batch with the first offending transaction to the `contain` answer. */
  containedMs: number | null;
}

export interface RuleScore {
  injectable: boolean;
  injected: number;
  detected: number;
  missed: number;
  /** Transactions on which the rule fired with no fault of it planted. */
  falseAlarms: number;
  /** `suspended_terminal_activity` on terminals already contained in this run. */
  followOn: number;
  containedMedianMs: number | null;
  containedMaxMs: number | null;
}

export interface FalseAlarm {
  transactionId: string;
  rule: string;
  merchantNo: string;
  terminalId: string;
}

export interface Score {
  rules: Record<Rule, RuleScore>;
  faults: FaultOutcome[];
  falseAlarms: FalseAlarm[];
  outcomes: { accepted: number; duplicate: number; rejected: number; unanswered: number };
  rejected: { id: string; code: string; message: string }[];
  /** Merchants whose transactions were contained, with the terminals contained. */
  contained: Map<string, Set<string>>;
  /** Terminal → its registered merchant, for every terminal a `contain` came back on. */
  containedTerminals: Map<string, string>;
  cleanMerchants: Set<string>;
  cleanMerchantsWithAlerts: Set<string>;
  /** (rule, owner merchant) pairs that alerts may legitimately be listed under. */
  expectedAlertKeys: Set<string>;
}

/** Samples of false alarms and rejections kept in a report. */
export const SAMPLES_MAX = 50;

export function alertKey(rule: string, merchantNo: string): string {
  return `${rule}|${merchantNo}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return round(value);
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Where the registry says things are: merchants, and terminal → merchant. */
export function registryOf(world: World): {
  merchants: Set<string>;
  terminalOwner: Map<string, string>;
} {
  const merchants = new Set<string>();
  const terminalOwner = new Map<string, string>();
  for (const record of world.registry) {
    merchants.add(record.merchant.merchantNo);
    for (const t of record.terminals ?? [])
      terminalOwner.set(t.terminalId, record.merchant.merchantNo);
  }
  return { merchants, terminalOwner };
}

export function scoreRun(input: {
  world: World;
  results: ReadonlyMap<string, IngestResultView>;
  batches: readonly BatchTiming[];
}): Score {
  const { world, results, batches } = input;
  const { merchants, terminalOwner } = registryOf(world);
  // The pipeline gives an alert to the transaction's merchant, or, when that number is not
  // registered, to the terminal's registered merchant.
  const ownerOf = (tx: Pick<TransactionInput, 'merchantNo' | 'terminalId'>): string =>
    merchants.has(tx.merchantNo)
      ? tx.merchantNo
      : (terminalOwner.get(tx.terminalId) ?? tx.merchantNo);

  const batchOf = new Map<string, number>();
  for (const [index, batch] of batches.entries()) {
    for (const id of batch.transactionIds) batchOf.set(id, index);
  }
  const byId = new Map(world.transactions.map((tx) => [tx.id, tx]));
  const faultsOf = new Map<string, InjectedFault[]>();
  for (const f of world.faults) {
    for (const id of f.transactionIds) faultsOf.set(id, [...(faultsOf.get(id) ?? []), f]);
  }

  // Terminals contained, by the first batch that says so; those suspended beforehand count
  // as contained before the first batch.
  const containedAt = new Map<string, number>();
  for (const s of world.suspensions) containedAt.set(s.terminalId, -1);
  const contained = new Map<string, Set<string>>();
  const containedTerminals = new Map<string, string>();
  const outcomes = { accepted: 0, duplicate: 0, rejected: 0, unanswered: 0 };
  const rejected: Score['rejected'] = [];
  const falseAlarms: FalseAlarm[] = [];
  const falseAlarmCount = new Map<string, number>();
  const followOn = new Map<string, number>();
  const cleanMerchants = new Set(merchants);
  for (const f of world.faults) {
    for (const n of [f.merchantNo, ...f.relatedMerchantNos]) cleanMerchants.delete(n);
  }
  const cleanMerchantsWithAlerts = new Set<string>();
  const expectedAlertKeys = new Set<string>();

  for (const tx of world.transactions) {
    const result = results.get(tx.id);
    const batch = batchOf.get(tx.id) ?? Number.MAX_SAFE_INTEGER;
    if (!result) {
      outcomes.unanswered += 1;
      continue;
    }
    outcomes[result.outcome] += 1;
    if (result.outcome === 'rejected') {
      if (rejected.length < SAMPLES_MAX) {
        rejected.push({
          id: tx.id,
          code: result.error?.code ?? '?',
          message: result.error?.message ?? '',
        });
      }
      continue;
    }
    const owner = ownerOf(tx);
    const expected = new Set(
      (faultsOf.get(tx.id) ?? []).flatMap((f) => [f.kind, ...f.alsoFires] as string[]),
    );
    for (const rule of result.alerts ?? []) {
      if (expected.has(rule)) continue;
      const since = containedAt.get(tx.terminalId);
      if (rule === 'suspended_terminal_activity' && since !== undefined && since < batch) {
        followOn.set(rule, (followOn.get(rule) ?? 0) + 1);
        expectedAlertKeys.add(alertKey(rule, owner));
        continue;
      }
      falseAlarmCount.set(rule, (falseAlarmCount.get(rule) ?? 0) + 1);
      if (falseAlarms.length < SAMPLES_MAX) {
        falseAlarms.push({
          transactionId: tx.id,
          rule,
          merchantNo: tx.merchantNo,
          terminalId: tx.terminalId,
        });
      }
      if (cleanMerchants.has(owner)) cleanMerchantsWithAlerts.add(owner);
    }
    if (result.decision === 'contain') {
      const terminals = contained.get(owner) ?? new Set<string>();
      contained.set(owner, terminals);
      const registeredTo = terminalOwner.get(tx.terminalId);
      if (registeredTo) {
        terminals.add(tx.terminalId);
        containedTerminals.set(tx.terminalId, registeredTo);
        if (!containedAt.has(tx.terminalId)) containedAt.set(tx.terminalId, batch);
      }
    }
  }

  const faults = world.faults.map((f) => {
    const outcome = faultOutcome(f, { byId, results, batchOf, batches, ownerOf });
    for (const rule of [f.kind, ...f.alsoFires]) {
      expectedAlertKeys.add(alertKey(rule, outcome.ownerMerchantNo));
    }
    return outcome;
  });

  const rules = Object.fromEntries(
    RULES.map((rule) => {
      const mine = faults.filter((f) => f.kind === rule);
      const times = mine.flatMap((f) => (f.containedMs === null ? [] : [f.containedMs]));
      const score: RuleScore = {
        injectable: !world.notInjectable.some((n) => n.kind === rule),
        injected: mine.length,
        detected: mine.filter((f) => f.detected).length,
        missed: mine.filter((f) => !f.detected).length,
        falseAlarms: falseAlarmCount.get(rule) ?? 0,
        followOn: followOn.get(rule) ?? 0,
        containedMedianMs: median(times),
        containedMaxMs: times.length === 0 ? null : round(Math.max(...times)),
      };
      return [rule, score];
    }),
  ) as Record<Rule, RuleScore>;

  return {
    rules,
    faults,
    falseAlarms,
    outcomes,
    rejected,
    contained,
    containedTerminals,
    cleanMerchants,
    cleanMerchantsWithAlerts,
    expectedAlertKeys,
  };
}

function faultOutcome(
  f: InjectedFault,
  c: {
    byId: ReadonlyMap<string, TransactionInput>;
    results: ReadonlyMap<string, IngestResultView>;
    batchOf: ReadonlyMap<string, number>;
    batches: readonly BatchTiming[];
    ownerOf: (tx: TransactionInput) => string;
  },
): FaultOutcome {
  let screened = 0;
  let flagged = 0;
  let firstBatch: number | null = null;
  let containBatch: number | null = null;
  let owner: string | null = null;
  for (const id of f.transactionIds) {
    const tx = c.byId.get(id);
    const result = c.results.get(id);
    if (!tx || !result || result.outcome === 'rejected') continue;
    owner ??= c.ownerOf(tx);
    screened += 1;
    if (result.alerts?.includes(f.kind)) flagged += 1;
    const batch = c.batchOf.get(id);
    if (batch === undefined) continue;
    if (firstBatch === null || batch < firstBatch) firstBatch = batch;
    if (result.decision === 'contain' && (containBatch === null || batch < containBatch)) {
      containBatch = batch;
    }
  }
  const sent = firstBatch === null ? undefined : c.batches[firstBatch];
  const answered = containBatch === null ? undefined : c.batches[containBatch];
  return {
    kind: f.kind,
    merchantNo: f.merchantNo,
    terminalId: f.terminalId ?? null,
    ownerMerchantNo: owner ?? f.merchantNo,
    note: f.note,
    transactions: f.transactionIds.length,
    screened,
    flagged,
    detected: screened > 0 && flagged === screened,
    contained: containBatch !== null,
    containedMs: sent && answered ? round(answered.answeredAtMs - sent.sentAtMs) : null,
  };
}
