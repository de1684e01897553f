/**
 * The bank's answers to a payout file: per line `paid`, or `returned` with the bank's free-text
 * reason (normalised to a stable code, the text kept). Idempotent: an answer recorded before is
 * `unchanged`, so the same file sent twice changes nothing. A return may follow a `paid` (banks
 * return days later): the money comes back and goes on hold, the account is marked, an alert
 * and the merchant's incident follow (return-containment.ts). One database transaction per
 * batch; the ledger journals of the batch are written together.
 */
import type { AppContext } from '../context.js';
import { authorise, changeRegistry } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue, type ErrorCode } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import {
  normaliseReturnReason,
  redactAccountNumbers,
  type ReturnCode,
} from '../../core/settlement/returns.js';
import { paidJournal, returnedJournal, type Journal } from '../../core/settlement/ledger.js';
import { insertJournals } from '../ledger/journals.js';
import { LINE_COLUMNS, UUID, type LineRow } from './queries.js';
import { containReturn } from './return-containment.js';
import { applyMicroDepositResult, lockMicroDeposits } from '../account-changes/micro-deposits.js';

export const RESULTS_BATCH_MAX = 1000;
const REASON_LENGTH_MAX = 500;
const BANK_REFERENCE_LENGTH_MAX = 64;

export interface ResultInput {
  lineId: string;
  status: 'paid' | 'returned';
  reason?: string;
  bankReference?: string;
}

export interface ResultOutcome {
  lineId: string;
  /** `applied`: recorded now; `unchanged`: recorded before; `rejected`: see error. */
  outcome: 'applied' | 'unchanged' | 'rejected';
  /** The line's merchant and amount, when the line exists, so that an answer reads on its own. */
  merchantNo?: string;
  amountFen?: number;
  /** The line's status after this result. */
  lineStatus?: string;
  returnCode?: ReturnCode;
  incidentId?: string;
  error?: { code: ErrorCode; message: string };
}

export async function recordResults(
  ctx: AppContext,
  principal: Principal | null,
  results: readonly ResultInput[],
  options: { actor?: string } = {},
): Promise<{ results: ResultOutcome[]; applied: number; unchanged: number; rejected: number }> {
  if (principal) authorise(principal, 'settlement.results');
  if (results.length > RESULTS_BATCH_MAX) {
    throw new DomainError('batch_too_large', `At most ${RESULTS_BATCH_MAX} results a call`);
  }
  const actor = principal?.username ?? options.actor ?? 'settlement';
  const at = ctx.now();
  const outcomes = await changeRegistry(ctx, async (tx, changed) => {
    const lines = await lockLines(
      tx,
      results.map((r) => r.lineId).filter((id) => UUID.test(id)),
    );
    const done = await recordedResults(tx, [...lines.keys()]);
    // Ids that are no line may be account-verification micro-deposits of a payout file.
    const deposits = await lockMicroDeposits(
      tx,
      results.map((r) => r.lineId).filter((id) => UUID.test(id) && !lines.has(id)),
    );
    const journals: Journal[] = [];
    const out: ResultOutcome[] = [];
    const paidIds: string[] = [];
    for (const result of results) {
      const line = UUID.test(result.lineId) ? lines.get(result.lineId) : undefined;
      const deposit = line ? undefined : deposits.get(result.lineId);
      if (deposit) {
        out.push(
          await applyMicroDepositResult(
            tx,
            deposit,
            {
              status: result.status,
              reason: redactAccountNumbers((result.reason ?? '').trim()).slice(
                0,
                REASON_LENGTH_MAX,
              ),
              bankReference:
                result.bankReference?.trim().slice(0, BANK_REFERENCE_LENGTH_MAX) ?? null,
            },
            { at, actor, journals },
          ),
        );
        continue;
      }
      if (!line) {
        out.push(
          rejected(result.lineId, 'not_found', 'No settlement line or micro-deposit with this id'),
        );
        continue;
      }
      const key = `${line.id}:${result.status}`;
      if (done.has(key)) {
        out.push({
          lineId: line.id,
          outcome: 'unchanged',
          lineStatus: line.status,
          ...(line.return_code ? { returnCode: line.return_code } : {}),
        });
        continue;
      }
      const reasonText = redactAccountNumbers((result.reason ?? '').trim()).slice(
        0,
        REASON_LENGTH_MAX,
      );
      const bankReference =
        result.bankReference?.trim().slice(0, BANK_REFERENCE_LENGTH_MAX) ?? null;
      const ref = {
        lineId: line.id,
        runId: line.run_id,
        merchantNo: line.merchant_no,
        amountFen: line.amount_fen,
      };
      if (result.status === 'paid') {
        if (line.status !== 'ready') {
          out.push(
            rejected(line.id, 'result_not_applicable', `A ${line.status} line cannot be paid`),
          );
          continue;
        }
        await insertResult(tx, {
          lineId: line.id,
          status: 'paid',
          code: null,
          text: reasonText || null,
          bankReference,
          at,
          actor,
        });
        await tx.query(`UPDATE settlement_lines SET status = 'paid', paid_at = $2 WHERE id = $1`, [
          line.id,
          at,
        ]);
        journals.push(paidJournal(ref));
        line.status = 'paid';
        done.add(key);
        paidIds.push(line.id);
        out.push({ lineId: line.id, outcome: 'applied', lineStatus: 'paid' });
        continue;
      }
      if (line.status !== 'ready' && line.status !== 'paid') {
        out.push(
          rejected(line.id, 'result_not_applicable', `A ${line.status} line cannot be returned`),
        );
        continue;
      }
      const code = normaliseReturnReason(reasonText);
      const wasPaid = line.status === 'paid';
      await insertResult(tx, {
        lineId: line.id,
        status: 'returned',
        code,
        text: reasonText || null,
        bankReference,
        at,
        actor,
      });
      await tx.query(
        `UPDATE settlement_lines SET status = 'returned', returned_at = $2, return_code = $3,
           return_text = $4 WHERE id = $1`,
        [line.id, at, code, reasonText || null],
      );
      journals.push(returnedJournal({ ...ref, wasPaid }));
      const containment = await containReturn(ctx, tx, {
        line: {
          lineId: line.id,
          merchantNo: line.merchant_no,
          amountFen: ref.amountFen,
          accountId: line.account_id,
          accountNumberMasked: line.account_number_masked,
          businessDate: line.business_date,
        },
        code,
        text: reasonText,
        actor,
        at,
      });
      changed({ merchants: [line.merchant_no] });
      await recordAudit(
        tx,
        {
          actor,
          action: 'settlement.returned',
          entityType: 'settlement_line',
          entityId: line.id,
          merchantNo: line.merchant_no,
          before: { status: line.status },
          after: {
            status: 'returned',
            amountFen: ref.amountFen,
            accountNumberMasked: line.account_number_masked,
            returnCode: code,
            returnText: reasonText,
            bankReference,
            incidentId: containment.incidentId,
            accountStatus: containment.accountStatus,
          },
        },
        at,
      );
      line.status = 'returned';
      line.return_code = code;
      done.add(key);
      out.push({
        lineId: line.id,
        outcome: 'applied',
        lineStatus: 'returned',
        returnCode: code,
        incidentId: containment.incidentId,
      });
    }
    await insertJournals(tx, journals, { at, actor });
    if (paidIds.length > 0) {
      await recordAudit(
        tx,
        {
          actor,
          action: 'settlement.paid',
          entityType: 'settlement_results',
          entityId: paidIds[0] ?? '',
          after: { lineIds: paidIds, count: paidIds.length },
        },
        at,
      );
    }
    return out.map((o) => {
      const line = lines.get(o.lineId);
      return line ? { ...o, merchantNo: line.merchant_no, amountFen: line.amount_fen } : o;
    });
  });
  return {
    results: outcomes,
    applied: outcomes.filter((o) => o.outcome === 'applied').length,
    unchanged: outcomes.filter((o) => o.outcome === 'unchanged').length,
    rejected: outcomes.filter((o) => o.outcome === 'rejected').length,
  };
}

function rejected(lineId: string, code: ErrorCode, message: string): ResultOutcome {
  return { lineId, outcome: 'rejected', error: { code, message } };
}

async function lockLines(tx: Queryable, ids: string[]): Promise<Map<string, LineRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<LineRow>(
    `SELECT ${LINE_COLUMNS} FROM settlement_lines WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

async function recordedResults(tx: Queryable, lineIds: string[]): Promise<Set<string>> {
  if (lineIds.length === 0) return new Set();
  const { rows } = await tx.query<{ line_id: string; status: string }>(
    'SELECT line_id, status FROM settlement_results WHERE line_id = ANY($1::uuid[])',
    [lineIds],
  );
  return new Set(rows.map((r) => `${r.line_id}:${r.status}`));
}

async function insertResult(
  tx: Queryable,
  r: {
    lineId: string;
    status: 'paid' | 'returned';
    code: ReturnCode | null;
    text: string | null;
    bankReference: string | null;
    at: Date;
    actor: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO settlement_results (line_id, status, return_code, reason_text, bank_reference,
       received_at, received_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [r.lineId, r.status, r.code, r.text, r.bankReference, r.at, r.actor],
  );
}

/** Checks a result file's records before anything is written: every problem with its path. */
export function validateResults(input: unknown): ResultInput[] {
  if (!Array.isArray(input)) throw new DomainError('validation_failed', 'results must be a list');
  const problems = input.flatMap((r: unknown, i) => {
    const rec = r as Partial<ResultInput> | null;
    const out = [];
    if (typeof rec?.lineId !== 'string')
      out.push(issue(`results.${i}.lineId`, 'validation_failed', 'lineId is required'));
    if (rec?.status !== 'paid' && rec?.status !== 'returned') {
      out.push(issue(`results.${i}.status`, 'validation_failed', 'status is paid or returned'));
    }
    return out;
  });
  if (problems.length > 0)
    throw new DomainError('validation_failed', 'Invalid settlement results', problems);
  return input as ResultInput[];
}
