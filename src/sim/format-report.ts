/** The simulation report as a plain-text table for the terminal. Pure. */
import { RULES } from '../core/screening/policy.js';
import type { SimulationReport } from './run-simulation.js';

/** Display width: Chinese characters take two columns. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) n += (ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1;
  return n;
}

function pad(text: string, columns: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, columns - width(text)));
  return align === 'left' ? text + fill : fill + text;
}

function table(head: string[], rows: string[][]): string[] {
  const columns = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, columns[i] ?? 0, i === 0 ? 'left' : 'right'))
      .join('  ')
      .trimEnd();
  const rule = columns.map((c) => '-'.repeat(c)).join('  ');
  return [line(head), rule, ...rows.map(line)];
}

function ms(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}

const SAMPLE_LINES_MAX = 20;

export function formatReport(report: SimulationReport): string {
  const w = report.world;
  const i = report.ingest;
  const lines: string[] = [
    `SettleGuard simulation 模拟 — world ${w.tag} (seed ${String(w.seed)}, ${String(w.merchants)} merchants, ${String(w.terminals)} terminals, ${String(w.days)} day(s) to ${w.today})`,
    `Registry: ${String(report.registry.imported)} imported, ${String(report.registry.alreadyPresent)} already present, ${String(report.registry.failed.length)} refused; ${String(report.suspensions.suspended + report.suspensions.alreadySuspended)} of ${String(report.suspensions.requested)} terminal(s) suspended through the API.`,
    `Account changes 账户变更: ${String(report.accountChanges.completed + report.accountChanges.alreadyCompleted)} of ${String(report.accountChanges.planned)} completed through the API (${String(report.accountChanges.alreadyCompleted)} by an earlier run), ${String(report.accountChanges.testTransactions)} test transaction(s) keyed in to verify.`,
    `Transactions: ${String(i.sent)} sent in ${String(i.batches)} batch(es) of at most ${String(i.batchSize)}: ${String(i.accepted)} accepted, ${String(i.duplicate)} duplicate, ${String(i.rejected)} rejected; ${(i.elapsedMs / 1000).toFixed(1)} s, ${String(i.transactionsPerSecond)} a second; batch round-trip median ${ms(i.batchMedianMs)} ms, max ${ms(i.batchMaxMs)} ms.`,
    '',
  ];
  const rows = RULES.map((rule) => {
    const r = report.rules[rule];
    if (!r.injectable) {
      return [rule, 'n/a', 'n/a', 'n/a', String(r.falseAlarms), String(r.followOn), '-', '-'];
    }
    return [
      rule,
      String(r.injected),
      String(r.detected),
      String(r.missed),
      String(r.falseAlarms),
      String(r.followOn),
      ms(r.containedMedianMs),
      ms(r.containedMaxMs),
    ];
  });
  const t = report.totals;
  rows.push([
    'total 合计',
    String(t.injected),
    String(t.detected),
    String(t.missed),
    String(t.falseAlarms),
    String(t.followOn),
    ms(t.containedMedianMs),
    ms(t.containedMaxMs),
  ]);
  lines.push(
    ...table(
      [
        'rule 规则',
        'injected 注入',
        'detected 检出',
        'missed 漏报',
        'false alarms 误报',
        'follow-on 后续',
        'contain median ms',
        'contain max ms',
      ],
      rows,
    ),
    '',
    `Clean merchants: ${String(report.cleanMerchants)}; with alerts: ${String(report.cleanMerchantsWithAlerts.length)}${report.cleanMerchantsWithAlerts.length > 0 ? ` (${report.cleanMerchantsWithAlerts.slice(0, SAMPLE_LINES_MAX).join(', ')})` : ''}.`,
    `API checks: ${String(report.checks.alertsListed)} alerts listed, ${String(report.checks.incidentsChecked)} contained merchant(s) and ${String(report.checks.terminalsChecked)} contained terminal(s) checked; ${report.checks.problems.length === 0 ? 'all agree.' : `${String(report.checks.problems.length)} problem(s):`}`,
    ...report.checks.problems.slice(0, SAMPLE_LINES_MAX).map((p) => `  - ${p}`),
  );
  const missed = report.faults.filter((f) => !f.detected);
  if (missed.length > 0) {
    lines.push('Missed 漏报:');
    for (const f of missed.slice(0, SAMPLE_LINES_MAX)) {
      lines.push(
        `  - ${f.kind} on ${f.merchantNo}${f.terminalId ? `/${f.terminalId}` : ''}: ${String(f.flagged)} of ${String(f.screened)} screened transaction(s) flagged (${f.note})`,
      );
    }
  }
  if (report.falseAlarms.length > 0) {
    lines.push('False alarms 误报 (samples):');
    for (const a of report.falseAlarms.slice(0, SAMPLE_LINES_MAX)) {
      lines.push(`  - ${a.rule} on ${a.transactionId} (${a.merchantNo}/${a.terminalId})`);
    }
  }
  if (i.rejectedSamples.length > 0) {
    lines.push('Rejected 拒收 (samples):');
    for (const r of i.rejectedSamples.slice(0, SAMPLE_LINES_MAX)) {
      lines.push(`  - ${r.id}: ${r.code}: ${r.message}`);
    }
  }
  for (const f of report.registry.failed.slice(0, SAMPLE_LINES_MAX)) {
    lines.push(`Refused record ${f.merchantNo}: ${f.code}: ${f.message}`);
  }
  const st = report.settlement;
  lines.push(
    '',
    `Settlement 结算: ${st.dates
      .map(
        (d) =>
          `${d.businessDate}${d.created ? '' : ' (run existed)'} ${Object.entries(d.lines)
            .map(([status, n]) => `${status} ${String(n)}`)
            .join(', ')}`,
      )
      .join('; ')}.`,
    `  ${String(st.linesChecked)} line(s) checked to the fen; payout file ${String(st.payoutFile.rows)} row(s) for ${String(st.payoutFile.readyLines)} ready line(s); bank results ${String(st.results.paid)} paid, ${String(st.results.returned)} returned, replay ${String(st.results.replayedUnchanged)} unchanged; a sale sent after its date's run ${st.lateTransactionTaken === null ? 'not tried' : st.lateTransactionTaken ? 'taken by the next run' : 'NOT taken'}; ledger ${st.ledgerBalanced ? 'balanced 平衡' : 'NOT balanced 不平衡'}; ${st.problems.length === 0 ? 'all agree.' : `${String(st.problems.length)} problem(s):`}`,
    ...st.problems.slice(0, SAMPLE_LINES_MAX).map((p) => `  - ${p}`),
  );
  for (const n of report.notInjectable) {
    lines.push(`Not injectable yet (n/a): ${n.kind}: ${n.reason}.`);
  }
  lines.push(
    'Follow-on: suspended_terminal_activity on a terminal the run had already contained (the simulated switch keeps sending).',
    `Result 结果: ${report.passed ? 'PASS' : 'FAIL'}`,
  );
  return `${lines.join('\n')}\n`;
}
