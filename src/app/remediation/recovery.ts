/**
 * Recovery cases: what is claimed back from the holder of a wrong account for one incident.
 * A case is opened by the first `recover` remediation against that account and holds every
 * later one; its amount is the sum of their claims (what the acquirer advanced on a payment
 * re-settled or refunded first, else the payment itself). A receipt first pays back what was
 * advanced on the case's payments (Cr misrouted_receivable); any part beyond is the merchant's
 * own money, passed through to its next run like re-settled money (Cr merchant_released, a
 * `recovery_passthroughs` row the run marks as taken): one `recovery` journal per receipt. The
 * write-off closes the case, writing off what was advanced and is still receivable (possibly
 * nothing, then no journal); what was never advanced is given up with it. A case is
 * `recovered` once nothing is outstanding, or `written_off`. Merchant users see the cases of
 * their incidents against their own merchant's accounts only.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { insertJournals } from '../ledger/journals.js';
import type { Queryable } from '../../storage/database.js';
import { DomainError, issue } from '../../core/errors.js';
import { scopeAllows, type Principal } from '../../core/roles.js';
import { writeOffJournal } from '../../core/settlement/ledger.js';
import {
  AMOUNT_FEN_MAX,
  caseFigures,
  decideReceipt,
  decideWriteOff,
  RECOVERY_REFERENCE_LENGTH_MAX,
  recoveryReceiptJournal,
  splitReceipt,
  WRITE_OFF_REASON_LENGTH_MAX,
  writeOffAmount,
  yuan,
  type CaseFigures,
  type RecoveryCaseStatus,
} from '../../core/remediation/remediation.js';
import { ACQUIRER } from './remediations.js';
import { advanceStands } from './ledger-sql.js';
import { incidentFor, isUuid, refuseClosedIncident, requiredText } from './shared.js';

interface CaseRow {
  id: string;
  incident_id: string;
  merchant_no: string;
  account_id: string | null;
  account_merchant_no: string | null;
  account_number_masked: string | null;
  account_name: string | null;
  status: RecoveryCaseStatus;
  written_off_fen: number;
  write_off_reason: string | null;
  written_off_by: string | null;
  written_off_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  created_by: string;
  amount_fen: number;
  advanced_fen: number;
  recovered_fen: number;
  passed_through_fen: number;
}

const SELECT_CASES = `
SELECT c.*,
       COALESCE((SELECT sum(m.amount_fen) FROM remediations m
                  WHERE m.recovery_case_id = c.id AND m.status <> 'cancelled'), 0)::bigint
         AS amount_fen,
       COALESCE((SELECT sum(a.amount_fen) FROM remediations m
                   JOIN remediations a ON ${advanceStands('a')}
                    AND (a.transaction_id = m.transaction_id OR a.line_id = m.line_id)
                  WHERE m.recovery_case_id = c.id AND m.action = 'recover'
                    AND m.status <> 'cancelled'), 0)::bigint
         AS advanced_fen,
       COALESCE((SELECT sum(r.amount_fen) FROM recovery_receipts r WHERE r.case_id = c.id), 0)::bigint
         AS recovered_fen,
       COALESCE((SELECT sum(p.amount_fen) FROM recovery_passthroughs p WHERE p.case_id = c.id), 0)::bigint
         AS passed_through_fen
  FROM recovery_cases c`;

/** A case row's figures (core/remediation caseFigures). */
export function figuresOf(row: CaseRow): CaseFigures {
  return caseFigures({
    status: row.status,
    amountFen: row.amount_fen,
    advancedFen: row.advanced_fen,
    recoveredFen: row.recovered_fen,
    passedThroughFen: row.passed_through_fen,
    writtenOffFen: row.written_off_fen,
  });
}

/** The case a recover remediation belongs to, locked, with its figures. */
export async function lockedCase(
  tx: Queryable,
  caseId: string,
): Promise<{ status: RecoveryCaseStatus; figures: CaseFigures } | null> {
  const [row] = await caseRows(tx, { id: caseId, lock: true });
  return row ? { status: row.status, figures: figuresOf(row) } : null;
}

export interface RecoveryCaseView {
  id: string;
  incidentId: string;
  merchantNo: string;
  status: RecoveryCaseStatus;
  accountNumberMasked: string | null;
  accountName: string | null;
  amountFen: number;
  advancedFen: number;
  recoveredFen: number;
  passedThroughFen: number;
  writtenOffFen: number;
  receivableFen: number;
  outstandingFen: number;
  abandonedFen: number;
  remediationIds: string[];
  receipts: {
    id: string;
    amountFen: number;
    /** The part beyond what was advanced, passed to the merchant's next run. */
    passedThroughFen: number;
    /** The settlement line that took the passed-through part; null while it waits. */
    settledInLineId: string | null;
    reference: string;
    recordedBy: string;
    recordedAt: string;
  }[];
  writeOff: { reason: string; amountFen: number; by: string; at: string } | null;
  closedAt: string | null;
  createdBy: string;
  createdAt: string;
}

async function caseRows(
  db: Queryable,
  where: { incidentId?: string; id?: string; lock?: boolean },
): Promise<CaseRow[]> {
  const { rows } =
    where.id !== undefined
      ? await db.query<CaseRow>(
          `${SELECT_CASES} WHERE c.id = $1${where.lock ? ' FOR UPDATE OF c' : ''}`,
          [where.id],
        )
      : await db.query<CaseRow>(`${SELECT_CASES} WHERE c.incident_id = $1 ORDER BY c.seq`, [
          where.incidentId,
        ]);
  return rows;
}

function visibleTo(principal: Principal, row: CaseRow): boolean {
  // A merchant user never sees a case against an account of another merchant.
  return (
    principal.role !== 'merchant' ||
    (row.account_merchant_no !== null && scopeAllows(principal, row.account_merchant_no))
  );
}

async function present(
  db: Queryable,
  rows: CaseRow[],
  principal: Principal,
): Promise<RecoveryCaseView[]> {
  const ids = rows.map((r) => r.id);
  const receipts = await db.query<{
    id: string;
    case_id: string;
    amount_fen: number;
    reference: string;
    recorded_by: string;
    recorded_at: Date;
    passed_through_fen: number | null;
    absorbed_by: string | null;
  }>(
    `SELECT r.id, r.case_id, r.amount_fen, r.reference, r.recorded_by, r.recorded_at,
            p.amount_fen AS passed_through_fen, p.absorbed_by
       FROM recovery_receipts r LEFT JOIN recovery_passthroughs p ON p.receipt_id = r.id
      WHERE r.case_id = ANY($1::uuid[]) ORDER BY r.case_id, r.n`,
    [ids],
  );
  const remediations = await db.query<{ id: string; recovery_case_id: string }>(
    `SELECT id, recovery_case_id FROM remediations
      WHERE recovery_case_id = ANY($1::uuid[]) AND status <> 'cancelled' ORDER BY seq`,
    [ids],
  );
  const staff = (name: string) =>
    principal.role === 'merchant' && name !== principal.username ? ACQUIRER : name;
  return rows.map((r) => {
    const figures = figuresOf(r);
    return {
      id: r.id,
      incidentId: r.incident_id,
      merchantNo: r.merchant_no,
      status: r.status,
      accountNumberMasked: r.account_number_masked,
      accountName: r.account_name,
      ...figures,
      remediationIds: remediations.rows.filter((m) => m.recovery_case_id === r.id).map((m) => m.id),
      receipts: receipts.rows
        .filter((x) => x.case_id === r.id)
        .map((x) => ({
          id: x.id,
          amountFen: x.amount_fen,
          passedThroughFen: x.passed_through_fen ?? 0,
          settledInLineId: x.absorbed_by,
          reference: x.reference,
          recordedBy: staff(x.recorded_by),
          recordedAt: new Date(x.recorded_at).toISOString(),
        })),
      writeOff:
        r.written_off_at && r.written_off_by
          ? {
              reason: principal.role === 'merchant' ? '' : (r.write_off_reason ?? ''),
              amountFen: r.written_off_fen,
              by: staff(r.written_off_by),
              at: new Date(r.written_off_at).toISOString(),
            }
          : null,
      closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      createdBy: staff(r.created_by),
      createdAt: new Date(r.created_at).toISOString(),
    };
  });
}

/** `GET /incidents/{id}/recovery-cases`. */
export async function listRecoveryCases(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<{ items: RecoveryCaseView[] }> {
  authorise(principal, 'remediation.read');
  const incident = await incidentFor(ctx.db, principal, incidentId);
  const rows = (await caseRows(ctx.db, { incidentId: incident.id })).filter((r) =>
    visibleTo(principal, r),
  );
  return { items: await present(ctx.db, rows, principal) };
}

/** `GET /recovery-cases/{id}`. */
export async function getRecoveryCase(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<RecoveryCaseView> {
  authorise(principal, 'remediation.read');
  const row = await visibleCase(ctx.db, principal, id);
  const [view] = await present(ctx.db, [row], principal);
  if (!view) throw new DomainError('not_found', 'Recovery case not found');
  return view;
}

async function visibleCase(
  db: Queryable,
  principal: Principal,
  id: string,
  lock = false,
): Promise<CaseRow> {
  if (!isUuid(id)) throw new DomainError('not_found', 'Recovery case not found');
  const [row] = await caseRows(db, { id, lock });
  if (!row || !visibleTo(principal, row)) {
    throw new DomainError('not_found', 'Recovery case not found');
  }
  await incidentFor(db, principal, row.incident_id);
  return row;
}

/** `POST /recovery-cases/{id}/receipts { amountFen, reference }`. */
export async function recordRecoveryReceipt(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { amountFen: number; reference: string },
): Promise<RecoveryCaseView> {
  authorise(principal, 'remediation.receipt');
  const reference = requiredText(input.reference, 'reference', RECOVERY_REFERENCE_LENGTH_MAX);
  if (
    !Number.isSafeInteger(input.amountFen) ||
    input.amountFen <= 0 ||
    input.amountFen > AMOUNT_FEN_MAX
  ) {
    throw new DomainError('validation_failed', 'amountFen: a positive whole number of fen', [
      issue('amountFen', 'validation_failed', 'a positive whole number of fen'),
    ]);
  }
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const found = await visibleCase(tx, principal, id);
    const incident = await incidentFor(tx, principal, found.incident_id, { lock: true });
    refuseClosedIncident(incident);
    const row = await visibleCase(tx, principal, id, true);
    const figures = figuresOf(row);
    const refusal = decideReceipt(row.status, figures, input.amountFen);
    if (refusal) {
      throw new DomainError(
        refusal,
        refusal === 'recovery_amount_exceeded'
          ? `The case has ${figures.outstandingFen} fen outstanding; ${input.amountFen} is more`
          : `The recovery case is ${row.status}`,
        refusal === 'recovery_amount_exceeded'
          ? [issue('amountFen', 'recovery_amount_exceeded', `at most ${figures.outstandingFen}`)]
          : [],
      );
    }
    const n = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM recovery_receipts WHERE case_id = $1',
      [row.id],
    );
    const seq = (n.rows[0]?.n ?? 0) + 1;
    const receiptId = ctx.newId();
    await tx.query(
      `INSERT INTO recovery_receipts (id, case_id, n, amount_fen, reference, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [receiptId, row.id, seq, input.amountFen, reference, principal.username, at],
    );
    const split = splitReceipt(figures, input.amountFen);
    if (split.passedThroughFen > 0) {
      await tx.query(
        `INSERT INTO recovery_passthroughs (receipt_id, case_id, merchant_no, amount_fen, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [receiptId, row.id, row.merchant_no, split.passedThroughFen, at],
      );
    }
    const recovered = input.amountFen === figures.outstandingFen;
    if (recovered) {
      await tx.query(
        `UPDATE recovery_cases SET status = 'recovered', closed_at = $2 WHERE id = $1`,
        [row.id, at],
      );
    }
    await insertJournals(
      tx,
      [
        recoveryReceiptJournal({
          caseId: row.id,
          n: seq,
          merchantNo: row.merchant_no,
          ...split,
        }),
      ],
      { at, actor: principal.username },
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'recovery_case.receipt_recorded',
        entityType: 'recovery_case',
        entityId: row.id,
        merchantNo: row.merchant_no,
        before: { status: row.status, outstandingFen: figures.outstandingFen },
        after: {
          status: recovered ? 'recovered' : row.status,
          receiptId,
          amountFen: input.amountFen,
          toReceivableFen: split.toReceivableFen,
          passedThroughFen: split.passedThroughFen,
          reference,
          outstandingFen: figures.outstandingFen - input.amountFen,
        },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: row.incident_id,
      at,
      kind: 'recovery_received',
      actor: principal.username,
      text: {
        zh: `${principal.username} 登记从错误账户 ${row.account_number_masked ?? ''} 追回 ${yuan(input.amountFen)}（凭证 ${reference}）${split.passedThroughFen > 0 ? `，其中 ${yuan(split.passedThroughFen)} 为商户自有资金，将随下一批结算付给商户` : ''}，尚待追回 ${yuan(figures.outstandingFen - input.amountFen)}`,
        en: `${principal.username} recorded ${yuan(input.amountFen)} recovered from the wrong account ${row.account_number_masked ?? ''} (reference ${reference})${split.passedThroughFen > 0 ? `, of which ${yuan(split.passedThroughFen)} is the merchant's own money, paid to it in its next settlement` : ''}; ${yuan(figures.outstandingFen - input.amountFen)} outstanding`,
      },
      data: {
        recoveryCaseId: row.id,
        amountFen: input.amountFen,
        passedThroughFen: split.passedThroughFen,
      },
    });
  });
  return getRecoveryCase(ctx, principal, id);
}

/** `POST /recovery-cases/{id}/write-off { reason }`: what is still outstanding is a loss. */
export async function writeOffRecoveryCase(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { reason: string },
): Promise<RecoveryCaseView> {
  authorise(principal, 'remediation.write_off');
  const reason = requiredText(input.reason, 'reason', WRITE_OFF_REASON_LENGTH_MAX);
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const found = await visibleCase(tx, principal, id);
    const incident = await incidentFor(tx, principal, found.incident_id, { lock: true });
    refuseClosedIncident(incident);
    const row = await visibleCase(tx, principal, id, true);
    const figures = figuresOf(row);
    const refusal = decideWriteOff(row.status);
    if (refusal) throw new DomainError(refusal, `The recovery case is ${row.status}`);
    // Only what the acquirer advanced and has not had back is its loss; the rest of the claim
    // (never advanced: the merchant's own money) is given up with the case, and a case with
    // nothing advanced outstanding is closed by a write-off of zero, which posts nothing.
    const amountFen = writeOffAmount(figures);
    const abandonedFen = figures.outstandingFen - amountFen;
    await tx.query(
      `UPDATE recovery_cases SET status = 'written_off', written_off_fen = $2,
         write_off_reason = $3, written_off_by = $4, written_off_at = $5, closed_at = $5
       WHERE id = $1`,
      [row.id, amountFen, reason, principal.username, at],
    );
    await insertJournals(
      tx,
      [writeOffJournal({ caseId: row.id, merchantNo: row.merchant_no, amountFen })],
      { at, actor: principal.username },
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'recovery_case.written_off',
        entityType: 'recovery_case',
        entityId: row.id,
        merchantNo: row.merchant_no,
        before: {
          status: row.status,
          outstandingFen: figures.outstandingFen,
          receivableFen: figures.receivableFen,
        },
        after: { status: 'written_off', amountFen, abandonedFen, reason },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: row.incident_id,
      at,
      kind: 'recovery_written_off',
      actor: principal.username,
      text: {
        zh: `${principal.username} 核销错误账户 ${row.account_number_masked ?? ''} 未能追回的垫付款 ${yuan(amountFen)}${abandonedFen > 0 ? `，放弃追回未垫付的商户资金 ${yuan(abandonedFen)}` : ''}，追回案件关闭：${reason}`,
        en: `${principal.username} wrote off ${yuan(amountFen)} advanced and not recovered from the wrong account ${row.account_number_masked ?? ''}${abandonedFen > 0 ? `, and gave up ${yuan(abandonedFen)} of the merchant's money never advanced` : ''}; the recovery case is closed: ${reason}`,
      },
      data: { recoveryCaseId: row.id, amountFen, abandonedFen },
    });
  });
  return getRecoveryCase(ctx, principal, id);
}
