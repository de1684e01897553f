/**
 * Settlement of a simulated world, checked from the outside: after its traffic, every business
 * date of the world is settled through the API, and each of the world's merchants must get the
 * line the world says it should: clean merchants `ready` (or `carried` when refunds ate the
 * day) for their approved purchases less refunds, reversals and voids, less the fee rounded
 * half-up to the fen, all recomputed here from the world's own transactions; merchants with a
 * faulty account, under containment or whose account the run changed `held` with exactly the
 * reasons that apply. Then the bank answers the first run (every ready line paid but two: one
 * returned at once, one paid and returned later), the same answers are sent again and must
 * change nothing, the returned merchants must have their account marked, an open incident and
 * their next line held, and the ledger must verify balanced throughout.
 */
import type { ApiClient, ResultsView, SettlementLineView } from './api-client.js';
import type { Score } from './score.js';
import type { World } from './world.js';

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;

export interface SettlementCheckReport {
  dates: {
    businessDate: string;
    /** False when the date had its run before this simulation asked for it. */
    created: boolean;
    /** Lines of this world's merchants, by status. */
    lines: Record<string, number>;
  }[];
  /** Lines whose amount, fee and status were checked against the world. */
  linesChecked: number;
  payoutFile: { rows: number; readyLines: number };
  results: {
    paid: number;
    returned: number;
    /** Answers sent a second time that came back unchanged. */
    replayedUnchanged: number;
    /** Merchants whose line the bank returned (each then has an incident of its own). */
    returnedMerchants: string[];
  };
  /** A sale of the first date sent after its run went with the next run, marked late. */
  lateTransactionTaken: boolean | null;
  ledgerBalanced: boolean;
  problems: string[];
}

/** The business date (China time) of an instant. */
function businessDateOf(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) - CST_OFFSET_MS;
}

/** `net × ppm / 1,000,000` rounded half-up, in integers, as the fee rules say; 0 on a net ≤ 0. */
export function expectedFeeFen(netFen: number, ratePpm: number): number {
  if (netFen <= 0) return 0;
  return Number((BigInt(netFen) * BigInt(ratePpm) + 500_000n) / 1_000_000n);
}

/** Approved purchases, and approved refunds, reversals and voids, per merchant and date. */
function dayTotals(
  world: World,
): Map<string, { purchases: number; deductions: number; count: number }> {
  const totals = new Map<string, { purchases: number; deductions: number; count: number }>();
  for (const tx of world.transactions) {
    if ((tx.status ?? 'approved') !== 'approved') continue;
    const key = `${tx.merchantNo}|${businessDateOf(Date.parse(tx.occurredAt))}`;
    const t = totals.get(key) ?? { purchases: 0, deductions: 0, count: 0 };
    if (tx.type === 'purchase') t.purchases += tx.amountFen;
    else t.deductions += tx.amountFen;
    t.count += 1;
    totals.set(key, t);
  }
  return totals;
}

/** The hold reasons each of the world's merchants must carry, from its registry and labels. */
function expectedReasons(world: World, score: Score): Map<string, Set<string>> {
  const reasons = new Map<string, Set<string>>();
  const add = (merchantNo: string, ...codes: string[]) => {
    const set = reasons.get(merchantNo) ?? new Set<string>();
    for (const code of codes) set.add(code);
    reasons.set(merchantNo, set);
  };
  for (const record of world.registry) {
    const merchantNo = record.merchant.merchantNo;
    if (!record.settlementAccount) add(merchantNo, 'account_missing');
    else if (record.settlementAccount.status === 'pending_verification') {
      add(merchantNo, 'account_not_active', 'account_not_verified');
    } else add(merchantNo);
  }
  for (const fault of world.faults) {
    const rules = [fault.kind, ...fault.alsoFires];
    if (rules.includes('account_name_mismatch')) add(fault.merchantNo, 'account_name_mismatch');
    if (rules.includes('shared_account')) {
      for (const m of [fault.merchantNo, ...fault.relatedMerchantNos]) add(m, 'shared_account');
    }
  }
  for (const merchantNo of score.contained.keys()) {
    add(merchantNo, 'settlement_hold', 'open_incident');
  }
  // The run changed these merchants' accounts just before their dates are settled: the new
  // account is in its cooling-off period (24 hours by default) and is the one the lines are
  // made for, so no `account_changed`.
  for (const change of world.accountChanges) add(change.merchantNo, 'account_cooling_off');
  return reasons;
}

function sameSet(a: Iterable<string>, b: Iterable<string>): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export async function checkSettlement(
  api: ApiClient,
  world: World,
  score: Score,
): Promise<SettlementCheckReport> {
  const problems: string[] = [];
  const report: SettlementCheckReport = {
    dates: [],
    linesChecked: 0,
    payoutFile: { rows: 0, readyLines: 0 },
    results: { paid: 0, returned: 0, replayedUnchanged: 0, returnedMerchants: [] },
    lateTransactionTaken: null,
    ledgerBalanced: false,
    problems,
  };
  const registered = new Set(world.registry.map((r) => r.merchant.merchantNo));
  const worldMerchants = new Set([...registered, ...world.transactions.map((t) => t.merchantNo)]);
  const totals = dayTotals(world);
  const reasons = expectedReasons(world, score);

  // Every business date the traffic touches that has ended by the world's end.
  const endMs = world.options.today.getTime();
  const dates: string[] = [];
  for (
    let date = businessDateOf(endMs - world.options.days * DAY_MS);
    dayStartMs(date) + DAY_MS <= endMs;
    date = businessDateOf(dayStartMs(date) + DAY_MS)
  ) {
    dates.push(date);
  }
  if (dates.length === 0) {
    problems.push('the world covers no whole business date: nothing to settle');
    return report;
  }

  /** Money a merchant's earlier `carried` line passes to its next line. */
  const carried = new Map<string, number>();
  /** The merchant of the sale sent after its date's run, which the next run must take. */
  let lateMerchant: string | null = null;
  for (const [index, businessDate] of dates.entries()) {
    const { run, created } = await api.settle(businessDate);
    const lines = (await api.runLines(run.id)).filter((l) => worldMerchants.has(l.merchantNo));
    const byStatus: Record<string, number> = {};
    for (const line of lines) byStatus[line.status] = (byStatus[line.status] ?? 0) + 1;
    report.dates.push({ businessDate, created, lines: byStatus });
    // A date settled before (the same world sent again) shows its lines as the bank left them.
    checkLines(businessDate, lines, { totals, reasons, registered, carried, problems, created });
    report.linesChecked += lines.length;

    if (index === 0) {
      if (created) await checkPayoutAndResults(api, run.id, lines, score, report);
      // The returned merchants' later lines are held for the return.
      const after = await api.runLines(run.id);
      for (const line of after) {
        if (line.status !== 'returned' || !worldMerchants.has(line.merchantNo)) continue;
        report.results.returnedMerchants.push(line.merchantNo);
        const set = reasons.get(line.merchantNo) ?? new Set<string>();
        for (const code of ['account_not_active', 'settlement_hold', 'open_incident']) {
          set.add(code);
        }
        reasons.set(line.merchantNo, set);
      }
      const nextDate = dates[index + 1];
      if (nextDate !== undefined) {
        lateMerchant = await sendLateTransaction(api, world, score, {
          businessDate,
          nextDate,
          exclude: new Set(report.results.returnedMerchants),
          totals,
          problems,
        });
      }
    } else if (index === 1 && lateMerchant !== null) {
      // The late sale went with this run, said as late.
      const line = lines.find((l) => l.merchantNo === lateMerchant);
      report.lateTransactionTaken = line?.lateTransactionCount === 1;
      if (!report.lateTransactionTaken) {
        problems.push(
          `${businessDate} ${lateMerchant}: the sale of ${dates[0] ?? ''} sent after its run is not in this line as late (late transactions: ${String(line?.lateTransactionCount ?? 'no line')})`,
        );
      }
    }
  }
  const ledger = await api.ledgerVerify();
  report.ledgerBalanced = ledger.balanced;
  if (!ledger.balanced) {
    problems.push(
      `ledger/verify: not balanced: ${ledger.problems
        .slice(0, 5)
        .map((p) => `${p.code} ${p.message}`)
        .join('; ')}`,
    );
  }
  return report;
}

function checkLines(
  businessDate: string,
  lines: readonly SettlementLineView[],
  state: {
    totals: Map<string, { purchases: number; deductions: number; count: number }>;
    reasons: Map<string, Set<string>>;
    registered: Set<string>;
    carried: Map<string, number>;
    problems: string[];
    /** False when the run was made before: ready lines may have been paid or returned since. */
    created: boolean;
  },
): void {
  const { totals, reasons, registered, carried, problems, created } = state;
  const seen = new Set<string>();
  for (const line of lines) {
    const where = `${businessDate} ${line.merchantNo}`;
    seen.add(line.merchantNo);
    const t = totals.get(`${line.merchantNo}|${businessDate}`) ?? {
      purchases: 0,
      deductions: 0,
      count: 0,
    };
    const net = t.purchases - t.deductions;
    if (line.transactionCount !== t.count || line.netFen !== net) {
      problems.push(
        `${where}: ${String(line.transactionCount)} transactions netting ${String(line.netFen)} fen, expected ${String(t.count)} netting ${String(net)}`,
      );
    }
    const fee = expectedFeeFen(net, line.feeRatePpm);
    const carriedIn = carried.get(line.merchantNo) ?? 0;
    const amount = net - fee + carriedIn;
    if (line.feeFen !== fee || line.amountFen !== amount || line.releasedInFen !== 0) {
      problems.push(
        `${where}: fee ${String(line.feeFen)} and amount ${String(line.amountFen)} fen, expected ${String(fee)} and ${String(amount)} (${String(line.feeRatePpm)} ppm, ${String(carriedIn)} carried in)`,
      );
    }
    const want = registered.has(line.merchantNo)
      ? (reasons.get(line.merchantNo) ?? new Set<string>())
      : new Set(['merchant_unknown', 'account_missing']);
    const status = amount <= 0 ? 'carried' : want.size > 0 ? 'held' : 'ready';
    const movedOn = !created && status === 'ready' && ['paid', 'returned'].includes(line.status);
    if (line.status !== status && !movedOn) {
      problems.push(
        `${where}: ${line.status} (${line.holdReasons.join(', ') || 'no reason'}), expected ${status} (${[...want].join(', ') || 'no reason'})`,
      );
    } else if (status === 'held' && !sameSet(line.holdReasons, want)) {
      // An unknown merchant number may also be under a hold of its own; the rest must match.
      const unknownOk =
        !registered.has(line.merchantNo) && [...want].every((r) => line.holdReasons.includes(r));
      if (!unknownOk) {
        problems.push(
          `${where}: held for ${line.holdReasons.join(', ')}, expected ${[...want].join(', ')}`,
        );
      }
    }
    if (status === 'carried') carried.set(line.merchantNo, amount);
    else carried.delete(line.merchantNo);
  }
  for (const [key, t] of totals) {
    const [merchantNo, date] = key.split('|');
    if (date === businessDate && merchantNo && t.count > 0 && !seen.has(merchantNo)) {
      problems.push(`${businessDate} ${merchantNo}: ${String(t.count)} transactions but no line`);
    }
  }
}

/**
 * The payout file of the first run holds exactly its ready lines; the bank then pays them all
 * but two, returns one at once and another after paying it, and gets the same answers again.
 */
async function checkPayoutAndResults(
  api: ApiClient,
  runId: string,
  lines: readonly SettlementLineView[],
  score: Score,
  report: SettlementCheckReport,
): Promise<void> {
  const { problems } = report;
  const csv = await api.payoutFile(runId);
  const rows = csv
    .split(/\r?\n/)
    .slice(1)
    .filter((r) => r.trim() !== '');
  const ready = lines.filter((l) => l.status === 'ready');
  report.payoutFile = { rows: rows.length, readyLines: ready.length };
  const inFile = new Set(rows.map((r) => r.split(',')[1] ?? ''));
  for (const line of lines) {
    if ((line.status === 'ready') !== inFile.has(line.id)) {
      problems.push(
        `payout file: line ${line.id} (${line.merchantNo}, ${line.status}) ${inFile.has(line.id) ? 'is in it' : 'is missing'}`,
      );
    }
  }
  // Two clean merchants' lines go wrong at the bank.
  const clean = ready.filter((l) => score.cleanMerchants.has(l.merchantNo));
  if (clean.length < 2) {
    problems.push('settlement: fewer than two clean ready lines to return');
    return;
  }
  const [returnedAtOnce, returnedLater] = clean;
  if (!returnedAtOnce || !returnedLater) return;
  const answers = ready.map((l) =>
    l.id === returnedAtOnce.id
      ? { lineId: l.id, status: 'returned' as const, reason: '收款人户名与账号不符' }
      : { lineId: l.id, status: 'paid' as const },
  );
  const first = await api.settlementResults(answers);
  const again = await api.settlementResults(answers);
  report.results.replayedUnchanged = again.unchanged;
  if (first.applied !== answers.length || again.unchanged !== answers.length) {
    problems.push(
      `results: ${String(first.applied)} applied of ${String(answers.length)}, then ${String(again.unchanged)} unchanged on the replay`,
    );
  }
  const late = await api.settlementResults([
    { lineId: returnedLater.id, status: 'returned', reason: '账户已冻结' },
  ]);
  report.results.paid = answers.length - 1;
  report.results.returned = 2;
  const checks: {
    line: SettlementLineView;
    code: string;
    accountStatus: string;
    result: ResultsView['results'][number] | undefined;
  }[] = [
    {
      line: returnedAtOnce,
      code: 'name_mismatch',
      accountStatus: 'errored',
      result: first.results.find((r) => r.lineId === returnedAtOnce.id),
    },
    {
      line: returnedLater,
      code: 'account_frozen',
      accountStatus: 'frozen',
      result: late.results[0],
    },
  ];
  for (const { line, code, accountStatus, result } of checks) {
    if (result?.lineStatus !== 'returned' || result.returnCode !== code) {
      problems.push(
        `results: line ${line.id} of ${line.merchantNo} came back ${result?.lineStatus ?? 'unanswered'} ${result?.returnCode ?? ''}, expected returned ${code}`,
      );
    }
    const merchant = await api.merchant(line.merchantNo);
    if (merchant.settlementAccount?.status !== accountStatus) {
      problems.push(
        `results: ${line.merchantNo}'s account is ${merchant.settlementAccount?.status ?? 'missing'} after the return, expected ${accountStatus}`,
      );
    }
    const open = (await api.incidents({ merchantNo: line.merchantNo })).filter(
      (i) => !['resolved', 'closed'].includes(i.status) && i.drill !== true,
    );
    if (open.length !== 1 || !open[0]?.containment.settlementHeld) {
      problems.push(
        `results: ${line.merchantNo} has ${String(open.length)} open incidents after the return, expected 1 with settlement held`,
      );
    }
  }
}

/** The late sale's amount: odd, so that it shows in any sum it is wrongly left out of. */
const LATE_SALE_FEN = 12_345;

/**
 * Sends one sale of `businessDate` after that date's run, as a switch that held it back would,
 * for a clean merchant, and books it in the expected totals of the next date, whose run must
 * take it. Returns the merchant, or null when there is none to use.
 */
async function sendLateTransaction(
  api: ApiClient,
  world: World,
  score: Score,
  options: {
    businessDate: string;
    nextDate: string;
    exclude: Set<string>;
    totals: Map<string, { purchases: number; deductions: number; count: number }>;
    problems: string[];
  },
): Promise<string | null> {
  const record = world.registry
    .filter((r) => score.cleanMerchants.has(r.merchant.merchantNo))
    .filter((r) => !options.exclude.has(r.merchant.merchantNo) && (r.terminals?.length ?? 0) > 0)
    .sort((a, b) => a.merchant.merchantNo.localeCompare(b.merchant.merchantNo))[0];
  const terminalId = record?.terminals?.[0]?.terminalId;
  if (!record || terminalId === undefined) {
    options.problems.push('settlement: no clean merchant with a terminal to send a late sale for');
    return null;
  }
  const merchantNo = record.merchant.merchantNo;
  // 23:59 China time on the date: inside it, and after the world's first instant.
  const occurredAt = new Date(dayStartMs(options.businessDate) + DAY_MS - 60_000).toISOString();
  const [answer] = await api.ingest([
    {
      id: `${world.tag}-LATE-1`,
      terminalId,
      merchantNo,
      type: 'purchase',
      status: 'approved',
      amountFen: LATE_SALE_FEN,
      occurredAt,
    },
  ]);
  if (answer?.outcome === 'rejected' || answer?.decision !== 'ok') {
    options.problems.push(
      `settlement: the late sale for ${merchantNo} came back ${answer?.outcome ?? 'unanswered'} ${answer?.decision ?? ''} ${answer?.error?.code ?? ''}`,
    );
    return null;
  }
  const key = `${merchantNo}|${options.nextDate}`;
  const t = options.totals.get(key) ?? { purchases: 0, deductions: 0, count: 0 };
  t.purchases += LATE_SALE_FEN;
  t.count += 1;
  options.totals.set(key, t);
  return merchantNo;
}
