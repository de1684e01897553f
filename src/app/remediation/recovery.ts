/**
 * Recovery cases: what is claimed back from the holder of a wrong account for one incident.
 * A case is opened by the first `recover` remediation against that account and holds every
 * later one; its amount is the sum of their amounts (what the acquirer advanced by
 * re-settling or refunding those payments). Receipts post `recoveryJournal`, the write-off of
 * what is left `writeOffJournal`; a case is `recovered` once nothing is outstanding, or
 * `written_off`. Merchant users see the cases of their incidents against their own merchant's
 * accounts only.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { insertJournals } from '../ledger/journals.js';
import type { Queryable } from '../../storage/database.js';
import { DomainError, issue } from '../../core/errors.js';
import { scopeAllows, type Principal } from '../../core/roles.js';
import { recoveryJournal, writeOffJournal } from '../../core/settlement/ledger.js';
import {
  AMOUNT_FEN_MAX,
  caseFigures,
  decideReceipt,
  decideWriteOff,
  RECOVERY_REFERENCE_LENGTH_MAX,
  WRITE_OFF_REASON_LENGTH_MAX,
  yuan,
  type RecoveryCaseStatus,
} from '../../core/remediation/remediation.js';
import { ACQUIRER } from './remediations.js';
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
  recovered_fen: number;
}

const SELECT_CASES = `
SELECT c.*,
       COALESCE((SELECT sum(m.amount_fen) FROM remediations m
                  WHERE m.recovery_case_id = c.id AND m.status <> 'cancelled'), 0)::bigint
         AS amount_fen,
       COALESCE((SELECT sum(r.amount_fen) FROM recovery_receipts r WHERE r.case_id = c.id), 0)::bigint
         AS recovered_fen
  FROM recovery_cases c`;

export interface RecoveryCaseView {
  id: string;
  incidentId: string;
  merchantNo: string;
  status: RecoveryCaseStatus;
  accountNumberMasked: string | null;
  accountName: string | null;
  amountFen: number;
  recoveredFen: number;
  writtenOffFen: number;
  outstandingFen: number;
  remediationIds: string[];
  receipts: {
    id: string;
    amountFen: number;
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
  return rows.map((r) => ({
    ...r,
    amount_fen: r.amount_fen,
    recovered_fen: r.recovered_fen,
    written_off_fen: r.written_off_fen,
  }));
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
  }>(
    `SELECT id, case_id, amount_fen, reference, recorded_by, recorded_at FROM recovery_receipts
      WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, n`,
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
    const figures = caseFigures({
      amountFen: r.amount_fen,
      recoveredFen: r.recovered_fen,
      writtenOffFen: r.written_off_fen,
    });
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
    const figures = caseFigures({
      amountFen: row.amount_fen,
      recoveredFen: row.recovered_fen,
      writtenOffFen: row.written_off_fen,
    });
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
        recoveryJournal({
          caseId: row.id,
          n: seq,
          merchantNo: row.merchant_no,
          amountFen: input.amountFen,
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
        zh: `${principal.username} 登记从错误账户 ${row.account_number_masked ?? ''} 追回 ${yuan(input.amountFen)}（凭证 ${reference}），尚待追回 ${yuan(figures.outstandingFen - input.amountFen)}`,
        en: `${principal.username} recorded ${yuan(input.amountFen)} recovered from the wrong account ${row.account_number_masked ?? ''} (reference ${reference}); ${yuan(figures.outstandingFen - input.amountFen)} outstanding`,
      },
      data: { recoveryCaseId: row.id, amountFen: input.amountFen },
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
    const figures = caseFigures({
      amountFen: row.amount_fen,
      recoveredFen: row.recovered_fen,
      writtenOffFen: row.written_off_fen,
    });
    const refusal = decideWriteOff(row.status, figures);
    if (refusal) {
      throw new DomainError(
        refusal,
        refusal === 'recovery_case_closed'
          ? `The recovery case is ${row.status}`
          : 'Nothing is outstanding on the case',
      );
    }
    const amountFen = figures.outstandingFen;
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
        before: { status: row.status, outstandingFen: amountFen },
        after: { status: 'written_off', amountFen, reason },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: row.incident_id,
      at,
      kind: 'recovery_written_off',
      actor: principal.username,
      text: {
        zh: `${principal.username} 核销错误账户 ${row.account_number_masked ?? ''} 未能追回的 ${yuan(amountFen)}：${reason}`,
        en: `${principal.username} wrote off ${yuan(amountFen)} not recovered from the wrong account ${row.account_number_masked ?? ''}: ${reason}`,
      },
      data: { recoveryCaseId: row.id, amountFen },
    });
  });
  return getRecoveryCase(ctx, principal, id);
}
