/**
 * The payout file (代付批量文件) of a run: the `ready` lines, for upload to the bank's batch
 * payment. It is the one place a full account number leaves the database: decrypted here, for
 * `admin` and `ops` only, never logged, and each download is written to the audit trail with
 * the file's SHA-256 (not its content).
 *
 * Before the file is written, every ready line is screened again with the same SQL as the run:
 * a hold placed, an incident opened or an account changed since the run stops the line here
 * (it becomes `held` with its reasons, and its money moves from in flight to held).
 *
 * Layout: UTF-8 CSV, comma-separated, CRLF line ends, one header row, then one row per line in
 * merchant-number order; fields holding a comma, quote or line break are quoted (RFC 4180).
 *   序号 seq            1, 2, 3 …
 *   明细号 lineId        the line id; the bank echoes it back in its results file
 *   商户号 merchantNo
 *   收款账号 accountNumber   full number, digits only
 *   收款户名 accountName
 *   账户类型 accountType     对公 (corporate) | 对私 (personal)
 *   联行号 bankCode          12-digit CNAPS code, may be empty
 *   开户行 bankName
 *   金额 amount              yuan with two decimals (12345.67)
 *   币种 currency            CNY
 *   用途 purpose             结算款 <business date>
 *
 * After the lines, one row per account-verification micro-deposit waiting for a file (and those
 * sent with this run and not yet answered, when the file is downloaded again): its id in
 * 明细号, the account of the change being verified, 0.01–0.99 yuan, purpose 账户验证. They go in
 * flight in the ledger as the file is made (app/account-changes/micro-deposits.ts).
 */
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import type { SettlementPolicy } from '../../core/settlement/policy.js';
import { holdJournal } from '../../core/settlement/ledger.js';
import { insertJournals } from '../ledger/journals.js';
import { SCREENING_CTES } from './screening-sql.js';
import { findRun } from './queries.js';
import { MICRO_DEPOSIT_PURPOSE, microDepositsForFile } from '../account-changes/micro-deposits.js';

export const PAYOUT_FILE_HEADER = [
  '序号',
  '明细号',
  '商户号',
  '收款账号',
  '收款户名',
  '账户类型',
  '联行号',
  '开户行',
  '金额',
  '币种',
  '用途',
];

/** Parameters: $1 screening time, $2 cooling-off hours, $3 run id. */
const RESCREEN = `
WITH candidates AS (
  SELECT merchant_no, account_id AS line_account_id FROM settlement_lines
   WHERE run_id = $3 AND status = 'ready'
),
${SCREENING_CTES}
UPDATE settlement_lines l SET status = 'held', hold_reasons = f.reasons
  FROM facts f
 WHERE l.run_id = $3 AND l.status = 'ready' AND l.merchant_no = f.merchant_no
   AND cardinality(f.reasons) > 0
RETURNING l.id, l.merchant_no, l.amount_fen, l.hold_reasons`;

interface PayoutRow {
  id: string;
  merchant_no: string;
  amount_fen: number;
  business_date: string;
  account_number_enc: Uint8Array;
  account_name: string;
  account_type: 'corporate' | 'personal';
  bank_code: string | null;
  bank_name: string | null;
}

function csvField(value: string): string {
  // A name starting with = + - @ would be a formula in a spreadsheet: neutralise it.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface PayoutFile {
  filename: string;
  csv: string;
  lineCount: number;
  totalFen: number;
  /** Lines stopped by the screening at download time. */
  heldNow: { lineId: string; merchantNo: string; reasons: string[] }[];
  /** Account-verification micro-deposits in the file, after the lines (not in totalFen). */
  microDepositCount: number;
  microDepositFen: number;
}

export async function payoutFile(
  ctx: AppContext,
  principal: Principal,
  policy: SettlementPolicy,
  runId: string,
): Promise<PayoutFile> {
  authorise(principal, 'settlement.payout_file');
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const run = await findRun(tx, runId);
    if (!run) throw new DomainError('not_found', 'Settlement run not found');
    const heldNow = await rescreen(tx, {
      runId,
      at,
      coolingOffHours: policy.coolingOffHours,
      actor: principal.username,
    });
    const { rows } = await tx.query<PayoutRow>(
      `SELECT l.id, l.merchant_no, l.amount_fen, l.business_date::text AS business_date,
              a.account_number_enc, a.account_name, a.account_type, a.bank_code, a.bank_name
         FROM settlement_lines l JOIN settlement_accounts a ON a.version_id = l.account_version_id
        WHERE l.run_id = $1 AND l.status = 'ready'
        ORDER BY l.merchant_no`,
      [runId],
    );
    const lines = [PAYOUT_FILE_HEADER.join(',')];
    let totalFen = 0;
    rows.forEach((row, i) => {
      const amount = row.amount_fen;
      totalFen += amount;
      lines.push(
        [
          String(i + 1),
          row.id,
          row.merchant_no,
          ctx.vault.open('account_number', row.account_number_enc),
          row.account_name,
          row.account_type === 'corporate' ? '对公' : '对私',
          row.bank_code ?? '',
          row.bank_name ?? '',
          yuan(amount),
          'CNY',
          `结算款 ${row.business_date}`,
        ]
          .map(csvField)
          .join(','),
      );
    });
    const deposits = await microDepositsForFile(ctx, tx, {
      runId,
      at,
      actor: principal.username,
    });
    let microDepositFen = 0;
    deposits.forEach((deposit, i) => {
      microDepositFen += deposit.amountFen;
      lines.push(
        [
          String(rows.length + i + 1),
          deposit.id,
          deposit.merchantNo,
          deposit.accountNumber,
          deposit.accountName,
          deposit.accountType === 'corporate' ? '对公' : '对私',
          deposit.bankCode ?? '',
          deposit.bankName ?? '',
          yuan(deposit.amountFen),
          'CNY',
          MICRO_DEPOSIT_PURPOSE,
        ]
          .map(csvField)
          .join(','),
      );
    });
    const csv = `${lines.join('\r\n')}\r\n`;
    const sha256 = crypto.createHash('sha256').update(csv, 'utf8').digest('hex');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'settlement.payout_file_downloaded',
        entityType: 'settlement_run',
        entityId: runId,
        after: {
          runId,
          businessDate: run.business_date,
          lineCount: rows.length,
          totalFen,
          sha256,
          heldNow,
          microDepositIds: deposits.map((d) => d.id),
        },
      },
      at,
    );
    return {
      filename: `payout-${run.business_date}-${run.cycle}.csv`,
      csv,
      lineCount: rows.length,
      totalFen,
      heldNow,
      microDepositCount: deposits.length,
      microDepositFen,
    };
  });
}

async function rescreen(
  tx: Queryable,
  input: { runId: string; at: Date; coolingOffHours: number; actor: string },
): Promise<PayoutFile['heldNow']> {
  const { rows } = await tx.query<{
    id: string;
    merchant_no: string;
    amount_fen: number;
    hold_reasons: string[];
  }>(RESCREEN, [input.at, input.coolingOffHours, input.runId]);
  if (rows.length === 0) return [];
  await insertJournals(
    tx,
    rows.map((row) =>
      holdJournal({
        lineId: row.id,
        runId: input.runId,
        merchantNo: row.merchant_no,
        amountFen: row.amount_fen,
      }),
    ),
    { at: input.at, actor: input.actor },
  );
  const held = rows.map((row) => ({
    lineId: row.id,
    merchantNo: row.merchant_no,
    reasons: row.hold_reasons,
  }));
  for (const line of held) {
    await recordAudit(
      tx,
      {
        actor: input.actor,
        action: 'settlement.line_held',
        entityType: 'settlement_line',
        entityId: line.lineId,
        merchantNo: line.merchantNo,
        before: { status: 'ready' },
        after: { status: 'held', holdReasons: line.reasons, when: 'payout_file' },
      },
      input.at,
    );
  }
  return held;
}
