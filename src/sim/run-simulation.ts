/**
 * Runs a simulated world through a SettleGuard server's HTTP API, the way the acquirer's
 * systems would: import the registry, suspend the terminals the world says are suspended,
 * push the transactions in time order in batches, then ask the API what it made of them
 * (alerts, incidents, terminal states, authorize-check). Scores detection and containment
 * against the world's labels.
 */
import { performance } from 'node:perf_hooks';
import { RULES, type Rule } from '../core/screening/policy.js';
import { ApiClient, ApiError, type IngestResultView } from './api-client.js';
import {
  alertKey,
  registryOf,
  round,
  scoreRun,
  type BatchTiming,
  type FalseAlarm,
  type FaultOutcome,
  type RuleScore,
  type Score,
} from './score.js';
import type { World } from './world.js';
import { makeAccountChanges, type AccountChangesReport } from './account-changes.js';
import { checkSettlement, type SettlementCheckReport } from './settlement-check.js';

/** The API takes at most 1,000 transactions a call. */
export const SIM_BATCH_SIZE_MAX = 1000;
/** Registry records per import call (the API takes 1,000; records with terminals are large). */
const IMPORT_CHUNK = 500;

export interface SimulationProgress {
  phase: 'import' | 'suspend' | 'transactions' | 'account-changes' | 'checks' | 'settlement';
  done: number;
  total: number;
}

export interface RunSimulationOptions {
  baseUrl: string;
  token: string;
  world: World;
  /** Transactions per call, 1 to 1,000 (the default). */
  batchSize?: number;
  onProgress?: (progress: SimulationProgress) => void;
  fetch?: typeof fetch;
}

export interface SimulationReport {
  world: {
    tag: string;
    seed: number;
    merchants: number;
    days: number;
    transactionsPerMerchantPerDay: number;
    today: string;
    terminals: number;
    transactions: number;
  };
  registry: {
    records: number;
    imported: number;
    /** Refused as already registered: the same world was imported before. */
    alreadyPresent: number;
    failed: { merchantNo: string; code: string; message: string }[];
  };
  suspensions: { requested: number; suspended: number; alreadySuspended: number };
  /** Settlement accounts changed through the API between the traffic before and after. */
  accountChanges: AccountChangesReport;
  ingest: {
    batches: number;
    batchSize: number;
    sent: number;
    accepted: number;
    duplicate: number;
    rejected: number;
    rejectedSamples: { id: string; code: string; message: string }[];
    elapsedMs: number;
    transactionsPerSecond: number;
    batchMedianMs: number | null;
    batchMaxMs: number | null;
  };
  rules: Record<Rule, RuleScore>;
  totals: {
    injected: number;
    detected: number;
    missed: number;
    falseAlarms: number;
    followOn: number;
    containedMedianMs: number | null;
    containedMaxMs: number | null;
  };
  cleanMerchants: number;
  /** Clean merchants (no fault of any kind) that any rule fired for, in answers or alert lists. */
  cleanMerchantsWithAlerts: string[];
  faults: FaultOutcome[];
  falseAlarms: FalseAlarm[];
  checks: {
    alertsListed: number;
    incidentsChecked: number;
    terminalsChecked: number;
    /** Everything the API showed that disagrees with the answers and the labels. */
    problems: string[];
  };
  notInjectable: World['notInjectable'];
  /** The world's business dates settled through the API and checked to the fen. */
  settlement: SettlementCheckReport;
  /** Every injected fault detected, no false alarm, no rejection, and the API agrees. */
  passed: boolean;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    out.push(items.slice(start, start + size));
  }
  return out;
}

async function importRegistry(
  api: ApiClient,
  world: World,
  progress: (done: number, total: number) => void,
): Promise<SimulationReport['registry']> {
  const report: SimulationReport['registry'] = {
    records: world.registry.length,
    imported: 0,
    alreadyPresent: 0,
    failed: [],
  };
  const parts = chunks(world.registry, IMPORT_CHUNK);
  for (const [n, part] of parts.entries()) {
    const result = await api.importRecords(part);
    report.imported += result.imported;
    for (const f of result.failed) {
      const merchantNo = part[f.index]?.merchant.merchantNo ?? '?';
      if (f.code === 'conflict' && f.message.includes('merchant.merchantNo')) {
        report.alreadyPresent += 1;
      } else {
        report.failed.push({ merchantNo, code: f.code, message: f.message });
      }
    }
    progress(n + 1, parts.length);
  }
  return report;
}

async function suspendTerminals(
  api: ApiClient,
  world: World,
  progress: (done: number, total: number) => void,
): Promise<SimulationReport['suspensions']> {
  const report = { requested: world.suspensions.length, suspended: 0, alreadySuspended: 0 };
  for (const [n, s] of world.suspensions.entries()) {
    try {
      await api.suspendTerminal(s.terminalId, s.reason);
      report.suspended += 1;
    } catch (error) {
      // A second run of the same world finds the terminal suspended by the first.
      if (!(error instanceof ApiError && error.code === 'invalid_state')) throw error;
      report.alreadySuspended += 1;
    }
    progress(n + 1, world.suspensions.length);
  }
  return report;
}

interface Pushed {
  results: Map<string, IngestResultView>;
  batches: BatchTiming[];
  elapsedMs: number;
}

/** Sends `transactions` in batches, adding the answers and timings to `pushed`. */
async function pushTransactions(
  api: ApiClient,
  transactions: readonly World['transactions'][number][],
  batchSize: number,
  pushed: Pushed,
  progress: (done: number, total: number) => void,
): Promise<void> {
  const { results, batches } = pushed;
  const parts = chunks(transactions, batchSize);
  const started = performance.now();
  for (const [n, part] of parts.entries()) {
    const sentAtMs = performance.now();
    const answers = await api.ingest(part);
    const answeredAtMs = performance.now();
    batches.push({ sentAtMs, answeredAtMs, transactionIds: part.map((t) => t.id) });
    // Results come back in input order; ids are checked rather than trusted.
    for (const [i, tx] of part.entries()) {
      const answer = answers[i];
      if (answer && answer.id === tx.id) results.set(tx.id, answer);
    }
    progress(n + 1, parts.length);
  }
  pushed.elapsedMs += performance.now() - started;
}

/** Alerts listed per rule must each be explained by a label; every fault must have its alert. */
async function checkAlerts(
  api: ApiClient,
  world: World,
  score: Score,
  problems: string[],
): Promise<number> {
  const { merchants } = registryOf(world);
  const worldNumbers = new Set([...merchants, ...world.faults.map((f) => f.merchantNo)]);
  const listed = new Set<string>();
  let count = 0;
  for (const rule of RULES) {
    const alerts = await api.alerts({ rule });
    for (const alert of alerts) {
      if (!worldNumbers.has(alert.merchantNo)) continue;
      count += 1;
      const key = alertKey(alert.rule, alert.merchantNo);
      listed.add(key);
      if (score.expectedAlertKeys.has(key)) continue;
      problems.push(
        `alert ${alert.rule} listed for merchant ${alert.merchantNo}${alert.terminalId ? ` (terminal ${alert.terminalId})` : ''}, where no fault was planted`,
      );
      if (score.cleanMerchants.has(alert.merchantNo)) {
        score.cleanMerchantsWithAlerts.add(alert.merchantNo);
      }
    }
  }
  for (const f of score.faults) {
    if (f.screened === 0) continue;
    if (!listed.has(alertKey(f.kind, f.ownerMerchantNo))) {
      problems.push(`no ${f.kind} alert listed for merchant ${f.ownerMerchantNo} (${f.note})`);
    }
  }
  return count;
}

/** One open incident per contained merchant, with its settlement held and terminals listed. */
async function checkIncidents(
  api: ApiClient,
  world: World,
  score: Score,
  problems: string[],
): Promise<number> {
  const { merchants } = registryOf(world);
  const handSuspended = new Set(world.suspensions.map((s) => s.terminalId));
  for (const [merchantNo, terminals] of score.contained) {
    const open = (await api.incidents({ merchantNo })).filter(
      (i) => !['resolved', 'closed'].includes(i.status) && i.drill !== true,
    );
    if (open.length !== 1) {
      problems.push(`merchant ${merchantNo}: ${String(open.length)} open incidents, expected 1`);
      continue;
    }
    const incident = open[0];
    if (!incident) continue;
    if (merchants.has(merchantNo) && !incident.containment.settlementHeld) {
      problems.push(`merchant ${merchantNo}: incident ${incident.id} holds no settlement`);
    }
    for (const terminalId of terminals) {
      if (handSuspended.has(terminalId)) continue;
      if (!incident.containment.terminalsSuspended.includes(terminalId)) {
        problems.push(
          `merchant ${merchantNo}: incident ${incident.id} does not list terminal ${terminalId} as suspended`,
        );
      }
    }
  }
  return score.contained.size;
}

/** Every contained terminal is suspended and refused by authorize-check. */
async function checkTerminals(api: ApiClient, score: Score, problems: string[]): Promise<number> {
  for (const [terminalId, merchantNo] of score.containedTerminals) {
    const terminal = await api.terminal(terminalId);
    if (terminal.status !== 'suspended') {
      problems.push(`terminal ${terminalId} is ${terminal.status}, expected suspended`);
    }
    const check = await api.authorizeCheck(terminalId, merchantNo);
    if (check.allow || !check.reasons.includes('terminal_suspended')) {
      problems.push(
        `authorize-check allows terminal ${terminalId} for ${merchantNo} (reasons: ${check.reasons.join(', ') || 'none'})`,
      );
    }
  }
  return score.containedTerminals.size;
}

function totalsOf(score: Score): SimulationReport['totals'] {
  const rules = Object.values(score.rules);
  const sum = (pick: (r: RuleScore) => number) => rules.reduce((s, r) => s + pick(r), 0);
  const times = score.faults.flatMap((f) => (f.containedMs === null ? [] : [f.containedMs]));
  const sorted = [...times].sort((a, b) => a - b);
  return {
    injected: sum((r) => r.injected),
    detected: sum((r) => r.detected),
    missed: sum((r) => r.missed),
    falseAlarms: sum((r) => r.falseAlarms),
    followOn: sum((r) => r.followOn),
    containedMedianMs:
      sorted.length === 0 ? null : round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0),
    containedMaxMs: sorted.length === 0 ? null : round(sorted[sorted.length - 1] ?? 0),
  };
}

export async function runSimulation(options: RunSimulationOptions): Promise<SimulationReport> {
  const batchSize = options.batchSize ?? SIM_BATCH_SIZE_MAX;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > SIM_BATCH_SIZE_MAX) {
    throw new RangeError(`batchSize must be an integer from 1 to ${String(SIM_BATCH_SIZE_MAX)}`);
  }
  const { world } = options;
  const api = new ApiClient({
    baseUrl: options.baseUrl,
    token: options.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const progress =
    (phase: SimulationProgress['phase']) =>
    (done: number, total: number): void =>
      options.onProgress?.({ phase, done, total });

  const registry = await importRegistry(api, world, progress('import'));
  const suspensions = await suspendTerminals(api, world, progress('suspend'));
  // The traffic before the account changes, the changes, then the traffic after them.
  const problems: string[] = [];
  const pushed: Pushed = { results: new Map(), batches: [], elapsedMs: 0 };
  const isAfter = (tx: World['transactions'][number]) =>
    Date.parse(tx.occurredAt) >= world.postChangeFromMs;
  await pushTransactions(
    api,
    world.transactions.filter((tx) => !isAfter(tx)),
    batchSize,
    pushed,
    progress('transactions'),
  );
  const accountChanges = await makeAccountChanges(
    api,
    world,
    problems,
    progress('account-changes'),
  );
  await pushTransactions(
    api,
    world.transactions.filter(isAfter),
    batchSize,
    pushed,
    progress('transactions'),
  );
  const score = scoreRun({ world, results: pushed.results, batches: pushed.batches });

  const checkProgress = progress('checks');
  checkProgress(0, 3);
  const alertsListed = await checkAlerts(api, world, score, problems);
  checkProgress(1, 3);
  const incidentsChecked = await checkIncidents(api, world, score, problems);
  checkProgress(2, 3);
  const terminalsChecked = await checkTerminals(api, score, problems);
  checkProgress(3, 3);
  progress('settlement')(0, 1);
  const settlement = await checkSettlement(api, world, score);
  progress('settlement')(1, 1);

  const batchTimes = pushed.batches.map((b) => b.answeredAtMs - b.sentAtMs).sort((a, b) => a - b);
  const totals = totalsOf(score);
  const sent = world.transactions.length;
  const report: SimulationReport = {
    world: {
      tag: world.tag,
      seed: world.options.seed,
      merchants: world.options.merchants,
      days: world.options.days,
      transactionsPerMerchantPerDay: world.options.transactionsPerMerchantPerDay,
      today: world.options.today.toISOString(),
      terminals: world.registry.reduce((n, r) => n + (r.terminals?.length ?? 0), 0),
      transactions: sent,
    },
    registry,
    suspensions,
    accountChanges,
    ingest: {
      batches: pushed.batches.length,
      batchSize,
      sent,
      accepted: score.outcomes.accepted,
      duplicate: score.outcomes.duplicate,
      rejected: score.outcomes.rejected + score.outcomes.unanswered,
      rejectedSamples: score.rejected,
      elapsedMs: round(pushed.elapsedMs),
      transactionsPerSecond:
        pushed.elapsedMs > 0 ? Math.round((sent * 1000) / pushed.elapsedMs) : 0,
      batchMedianMs:
        batchTimes.length === 0
          ? null
          : round(batchTimes[Math.floor((batchTimes.length - 1) / 2)] ?? 0),
      batchMaxMs: batchTimes.length === 0 ? null : round(batchTimes[batchTimes.length - 1] ?? 0),
    },
    rules: score.rules,
    totals,
    cleanMerchants: score.cleanMerchants.size,
    cleanMerchantsWithAlerts: [...score.cleanMerchantsWithAlerts].sort(),
    faults: score.faults,
    falseAlarms: score.falseAlarms,
    checks: { alertsListed, incidentsChecked, terminalsChecked, problems },
    notInjectable: world.notInjectable,
    settlement,
    passed: false,
  };
  report.passed =
    totals.missed === 0 &&
    totals.falseAlarms === 0 &&
    report.cleanMerchantsWithAlerts.length === 0 &&
    problems.length === 0 &&
    settlement.problems.length === 0 &&
    registry.failed.length === 0 &&
    report.ingest.rejected === 0;
  return report;
}
