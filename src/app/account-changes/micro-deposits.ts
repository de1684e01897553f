/**
 * Micro-deposits through the settlement payout path. The next payout file downloaded carries
 * one row per deposit waiting for a file (after the lines; purpose 账户验证; the deposit's id in
 * the 明细号 column, so the bank's answer names it like a line), and the deposit goes in flight
 * in the ledger at that moment (microDepositJournal: the acquirer's cost, never merchant money).
 * The bank's answers come with the lines' (POST /settlement-results, the results file): paid →
 * microDepositPaidJournal; returned → microDepositReturnedJournal, and the verification fails (a
 * new one may be started). Each movement is audited; a result given twice is unchanged.
 */
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import type { ErrorCode } from '../../core/errors.js';
import type { Queryable } from '../../storage/database.js';
import {
  microDepositJournal,
  microDepositPaidJournal,
  microDepositReturnedJournal,
  type Journal,
} from '../../core/settlement/ledger.js';
import { normaliseReturnReason, type ReturnCode } from '../../core/settlement/returns.js';
import { insertJournals } from '../ledger/journals.js';
import { changeOnTimeline } from './timeline.js';

export const MICRO_DEPOSIT_PURPOSE = '账户验证';

export interface MicroDepositFileRow {
  id: string;
  merchantNo: string;
  /** The full number, opened for the file only: never stored or logged. */
  accountNumber: string;
  accountName: string;
  accountType: 'corporate' | 'personal';
  bankCode: string | null;
  bankName: string | null;
  amountFen: number;
}

/**
 * The deposits for the payout file of `runId`: those waiting for a file (their request still
 * verifying) are sent now, with this run; those sent with this run and not yet answered are
 * in it again, as its lines are when the file is downloaded again.
 */
export async function microDepositsForFile(
  ctx: AppContext,
  tx: Queryable,
  input: { runId: string; at: Date; actor: string },
): Promise<MicroDepositFileRow[]> {
  const { rows } = await tx.query<{
    id: string;
    request_id: string;
    merchant_no: string;
    status: string;
    amount_fen: number;
    account_number_enc: Buffer;
    account_number_masked: string;
    account_name: string;
    account_type: 'corporate' | 'personal';
    bank_code: string | null;
    bank_name: string | null;
    incident_id: string | null;
  }>(
    `SELECT v.id, v.request_id, v.merchant_no, v.status, v.amount_fen, r.account_number_enc,
            r.account_number_masked, r.account_name, r.account_type, r.bank_code, r.bank_name,
            r.incident_id
       FROM account_change_verifications v
       JOIN account_change_requests r ON r.id = v.request_id
      WHERE v.method = 'micro_deposit'
        AND ((v.status = 'awaiting_file' AND r.status = 'pending_verification')
          OR (v.status = 'sent' AND v.run_id = $1 AND v.paid_at IS NULL AND v.returned_at IS NULL))
      ORDER BY v.started_at, v.id
      FOR UPDATE OF v`,
    [input.runId],
  );
  const sending = rows.filter((r) => r.status === 'awaiting_file');
  if (sending.length > 0) {
    await tx.query(
      `UPDATE account_change_verifications SET status = 'sent', run_id = $2, sent_at = $3
        WHERE id = ANY($1::uuid[])`,
      [sending.map((r) => r.id), input.runId, input.at],
    );
    await insertJournals(
      tx,
      sending.map((r) =>
        microDepositJournal({
          depositId: r.id,
          merchantNo: r.merchant_no,
          amountFen: r.amount_fen,
          runId: input.runId,
        }),
      ),
      { at: input.at, actor: input.actor },
    );
    for (const r of sending) {
      await recordAudit(
        tx,
        {
          actor: input.actor,
          action: 'account_change.micro_deposit_sent',
          entityType: 'account_change',
          entityId: r.request_id,
          merchantNo: r.merchant_no,
          after: {
            verificationId: r.id,
            runId: input.runId,
            accountNumberMasked: r.account_number_masked,
          },
        },
        input.at,
      );
    }
  }
  return rows.map((r) => ({
    id: r.id,
    merchantNo: r.merchant_no,
    accountNumber: ctx.vault.open('account_number', r.account_number_enc),
    accountName: r.account_name,
    accountType: r.account_type,
    bankCode: r.bank_code,
    bankName: r.bank_name,
    amountFen: r.amount_fen,
  }));
}

interface DepositRow {
  id: string;
  request_id: string;
  merchant_no: string;
  status: string;
  amount_fen: number;
  run_id: string | null;
  sent_at: Date | null;
  paid_at: Date | null;
  returned_at: Date | null;
  request_status: string;
  incident_id: string | null;
  account_number_masked: string;
}

/** The micro-deposits among ids that are no settlement line, locked. */
export async function lockMicroDeposits(
  tx: Queryable,
  ids: readonly string[],
): Promise<Map<string, DepositRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<DepositRow>(
    `SELECT v.id, v.request_id, v.merchant_no, v.status, v.amount_fen, v.run_id, v.sent_at,
            v.paid_at, v.returned_at, r.status AS request_status, r.incident_id,
            r.account_number_masked
       FROM account_change_verifications v JOIN account_change_requests r ON r.id = v.request_id
      WHERE v.id = ANY($1::uuid[]) AND v.method = 'micro_deposit'
      ORDER BY v.id FOR UPDATE OF v`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface MicroDepositOutcome {
  lineId: string;
  outcome: 'applied' | 'unchanged' | 'rejected';
  merchantNo?: string;
  lineStatus?: string;
  returnCode?: ReturnCode;
  error?: { code: ErrorCode; message: string };
  microDeposit: true;
}

/**
 * Applies one bank answer to a micro-deposit; its journal is added to `journals` (written with
 * the batch's). The status follows while the verification waits on it; a deposit the merchant
 * has already confirmed keeps `confirmed`, its money movements recorded all the same.
 */
export async function applyMicroDepositResult(
  tx: Queryable,
  deposit: DepositRow,
  result: { status: 'paid' | 'returned'; reason: string; bankReference: string | null },
  options: { at: Date; actor: string; journals: Journal[] },
): Promise<MicroDepositOutcome> {
  const { at, actor } = options;
  const base = { lineId: deposit.id, merchantNo: deposit.merchant_no, microDeposit: true as const };
  const ref = {
    depositId: deposit.id,
    merchantNo: deposit.merchant_no,
    amountFen: deposit.amount_fen,
    runId: deposit.run_id,
  };
  if (!deposit.sent_at) {
    return {
      ...base,
      outcome: 'rejected',
      error: {
        code: 'result_not_applicable',
        message: 'This micro-deposit has not gone out in a payout file',
      },
    };
  }
  if (result.status === 'paid') {
    if (deposit.paid_at) return { ...base, outcome: 'unchanged', lineStatus: deposit.status };
    if (deposit.returned_at) {
      return {
        ...base,
        outcome: 'rejected',
        error: {
          code: 'result_not_applicable',
          message: 'A returned micro-deposit cannot be paid',
        },
      };
    }
    const status = deposit.status === 'sent' ? 'paid' : deposit.status;
    await tx.query(
      `UPDATE account_change_verifications SET status = $2, paid_at = $3, bank_reference = $4
        WHERE id = $1`,
      [deposit.id, status, at, result.bankReference],
    );
    options.journals.push(microDepositPaidJournal(ref));
    await recordAudit(
      tx,
      {
        actor,
        action: 'account_change.micro_deposit_paid',
        entityType: 'account_change',
        entityId: deposit.request_id,
        merchantNo: deposit.merchant_no,
        after: { verificationId: deposit.id, bankReference: result.bankReference },
      },
      at,
    );
    deposit.paid_at = at;
    deposit.status = status;
    return { ...base, outcome: 'applied', lineStatus: status };
  }
  if (deposit.returned_at) {
    return { ...base, outcome: 'unchanged', lineStatus: deposit.status };
  }
  const code = normaliseReturnReason(result.reason);
  const failed = deposit.status === 'sent' || deposit.status === 'paid';
  const status = failed ? 'returned' : deposit.status;
  await tx.query(
    `UPDATE account_change_verifications SET status = $2, returned_at = $3, return_code = $4,
       return_text = $5, bank_reference = COALESCE($6, bank_reference) WHERE id = $1`,
    [deposit.id, status, at, code, result.reason || null, result.bankReference],
  );
  options.journals.push(microDepositReturnedJournal({ ...ref, wasPaid: deposit.paid_at !== null }));
  await recordAudit(
    tx,
    {
      actor,
      action: 'account_change.micro_deposit_returned',
      entityType: 'account_change',
      entityId: deposit.request_id,
      merchantNo: deposit.merchant_no,
      after: { verificationId: deposit.id, returnCode: code, returnText: result.reason },
    },
    at,
  );
  if (failed && deposit.request_status === 'pending_verification') {
    await changeOnTimeline(
      tx,
      {
        id: deposit.request_id,
        incident_id: deposit.incident_id,
        account_number_masked: deposit.account_number_masked,
      },
      {
        kind: 'account_change_verification_failed',
        actor,
        at,
        text: {
          zh: `验证打款被银行退回（${code}），新账户 ${deposit.account_number_masked} 未通过验证，可重新发起`,
          en: `The micro-deposit was returned by the bank (${code}): ${deposit.account_number_masked} is not verified; a new verification may be started`,
        },
      },
    );
  }
  deposit.returned_at = at;
  deposit.status = status;
  return { ...base, outcome: 'applied', lineStatus: status, returnCode: code };
}
