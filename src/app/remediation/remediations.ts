/**
 * Remediations of an incident's affected payments: open one (`POST /incidents/{id}/
 * remediations`), change it (`POST /remediations/{id}`), pay a refund
 * (`POST /remediations/{id}/refund-paid`), list them. Each write is one transaction: the audit
 * chain's lock, the incident's row, the check (core/remediation), the rows, the ledger journal,
 * the history row, the audit entry and a bilingual timeline entry (owners are not named in the
 * timeline text: merchant users read it).
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { insertJournals } from '../ledger/journals.js';
import type { Queryable } from '../../storage/database.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  journalId,
  refundJournal,
  refundPaidJournal,
  resettlementJournal,
  reversalOf,
  type Journal,
} from '../../core/settlement/ledger.js';
import {
  ACTION_NAMES,
  AMOUNT_FEN_MAX,
  BANK_REFERENCE_LENGTH_MAX,
  decideAdvance,
  decideNewRemediation,
  decideStatusChange,
  isOverdue,
  isUnassigned,
  REMEDIATION_NOTE_LENGTH_MAX,
  REMEDIATIONS_PER_INCIDENT_MAX,
  STATUS_NAMES,
  yuan,
  type AffectedKind,
  type RemediationAction,
  type RemediationStatus,
} from '../../core/remediation/remediation.js';
import { findAffected } from './affected.js';
import { lockedCase } from './recovery.js';
import {
  checkDueDate,
  checkOwner,
  chinaToday,
  incidentFor,
  isUuid,
  optionalText,
  refuseClosedIncident,
  requiredText,
  type IncidentRef,
} from './shared.js';

export const ACQUIRER = 'acquirer';
const TRANSACTION_ID = /^[A-Za-z0-9\-_.:]{1,64}$/;

export interface RemediationRow {
  id: string;
  incident_id: string;
  merchant_no: string;
  kind: AffectedKind;
  transaction_id: string | null;
  line_id: string | null;
  action: RemediationAction;
  status: RemediationStatus;
  owner: string | null;
  due_date: string | null;
  note: string | null;
  amount_fen: number;
  account_id: string | null;
  account_number_masked: string | null;
  recovery_case_id: string | null;
  absorbed_by: string | null;
  journal_id: string | null;
  reversal_journal_id: string | null;
  retransaction_id: string | null;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  // joined
  rrn: string | null;
  stan: string | null;
  pan_masked: string | null;
  line_release_id: string | null;
  refund_id: string | null;
  refund_status: string | null;
  refund_bank_reference: string | null;
  refund_paid_at: Date | null;
  refund_paid_by: string | null;
  refund_created_at: Date | null;
  case_status: string | null;
  case_movements: number | null;
}

const SELECT_REMEDIATIONS = `
SELECT m.id, m.incident_id, m.merchant_no, m.kind, m.transaction_id, m.line_id, m.action,
       m.status, m.owner, m.due_date::text AS due_date, m.note, m.amount_fen, m.account_id,
       m.account_number_masked, m.recovery_case_id, m.absorbed_by, m.journal_id,
       m.reversal_journal_id, m.retransaction_id, m.created_at, m.created_by, m.updated_at,
       t.rrn, t.stan, t.pan_masked, l.release_id AS line_release_id,
       f.id AS refund_id, f.status AS refund_status, f.bank_reference AS refund_bank_reference,
       f.paid_at AS refund_paid_at, f.paid_by AS refund_paid_by,
       f.created_at AS refund_created_at,
       c.status AS case_status,
       CASE WHEN c.id IS NULL THEN NULL ELSE
         (SELECT count(*)::int FROM recovery_receipts rr WHERE rr.case_id = c.id)
           + CASE WHEN c.written_off_fen > 0 THEN 1 ELSE 0 END END AS case_movements
  FROM remediations m
  LEFT JOIN transactions t ON t.id = m.transaction_id
  LEFT JOIN settlement_lines l ON l.id = m.line_id
  LEFT JOIN cardholder_refunds f ON f.remediation_id = m.id
  LEFT JOIN recovery_cases c ON c.id = m.recovery_case_id`;

export interface RemediationUpdateView {
  at: string;
  by: string;
  status: RemediationStatus | null;
  owner: string | null;
  dueDate: string | null;
  note: string | null;
}

export interface RemediationView {
  id: string;
  incidentId: string;
  merchantNo: string;
  kind: AffectedKind;
  transactionId: string | null;
  lineId: string | null;
  action: RemediationAction;
  actionName: { zh: string; en: string };
  status: RemediationStatus;
  owner: string | null;
  dueDate: string | null;
  note: string | null;
  amountFen: number;
  rrn: string | null;
  stan: string | null;
  panMasked: string | null;
  accountNumberMasked: string | null;
  unassigned: boolean;
  overdue: boolean;
  recoveryCaseId: string | null;
  retransactionId: string | null;
  /** resettle: the settlement line that took the money; null while it waits for a run. */
  settledInLineId: string | null;
  journalId: string | null;
  refund: {
    id: string;
    transactionId: string | null;
    rrn: string | null;
    stan: string | null;
    panMasked: string | null;
    amountFen: number;
    status: string;
    bankReference: string | null;
    paidAt: string | null;
    paidBy: string | null;
  } | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  updates: RemediationUpdateView[];
}

function isMerchantUser(principal: Principal): boolean {
  return principal.role === 'merchant';
}

/** A staff member's name as a merchant user sees it: the acquirer. */
function nameFor(principal: Principal, username: string | null): string | null {
  if (username === null) return null;
  return isMerchantUser(principal) && username !== principal.username ? ACQUIRER : username;
}

export function presentRemediation(
  row: RemediationRow,
  updates: RemediationUpdateView[],
  principal: Principal,
  now: Date,
): RemediationView {
  const merchant = isMerchantUser(principal);
  return {
    id: row.id,
    incidentId: row.incident_id,
    merchantNo: row.merchant_no,
    kind: row.kind,
    transactionId: row.transaction_id,
    lineId: row.line_id,
    action: row.action,
    actionName: ACTION_NAMES[row.action],
    status: row.status,
    // Merchant users are not told who at the acquirer owns what, nor its internal notes.
    owner: merchant ? null : row.owner,
    dueDate: row.due_date,
    note: merchant ? null : row.note,
    amountFen: row.amount_fen,
    rrn: row.rrn,
    stan: row.stan,
    panMasked: row.pan_masked,
    accountNumberMasked: row.account_number_masked,
    unassigned: isUnassigned({ status: row.status, owner: row.owner, dueDate: row.due_date }),
    overdue: isOverdue({ status: row.status, dueDate: row.due_date }, chinaToday(now)),
    recoveryCaseId: row.recovery_case_id,
    retransactionId: row.retransaction_id,
    settledInLineId: row.absorbed_by,
    journalId: row.reversal_journal_id ? null : row.journal_id,
    refund: row.refund_id
      ? {
          id: row.refund_id,
          transactionId: row.transaction_id,
          rrn: row.rrn,
          stan: row.stan,
          panMasked: row.pan_masked,
          amountFen: row.amount_fen,
          status: row.refund_status ?? 'pending',
          bankReference: row.refund_bank_reference,
          paidAt: row.refund_paid_at ? new Date(row.refund_paid_at).toISOString() : null,
          paidBy: nameFor(principal, row.refund_paid_by),
        }
      : null,
    createdBy: nameFor(principal, row.created_by) ?? ACQUIRER,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    updates: merchant
      ? updates.map((u) => ({
          ...u,
          by: nameFor(principal, u.by) ?? ACQUIRER,
          owner: null,
          note: null,
        }))
      : updates,
  };
}

async function updatesOf(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, RemediationUpdateView[]>> {
  const out = new Map<string, RemediationUpdateView[]>();
  if (ids.length === 0) return out;
  const { rows } = await db.query<{
    remediation_id: string;
    at: Date;
    by: string;
    status: RemediationStatus | null;
    owner: string | null;
    due_date: string | null;
    note: string | null;
  }>(
    `SELECT remediation_id, at, by, status, owner, due_date::text AS due_date, note
       FROM remediation_updates WHERE remediation_id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  );
  for (const r of rows) {
    const list = out.get(r.remediation_id) ?? [];
    list.push({
      at: new Date(r.at).toISOString(),
      by: r.by,
      status: r.status,
      owner: r.owner,
      dueDate: r.due_date,
      note: r.note,
    });
    out.set(r.remediation_id, list);
  }
  return out;
}

export async function remediationRows(
  db: Queryable,
  where: { incidentId?: string; id?: string; lock?: boolean },
): Promise<RemediationRow[]> {
  if (where.id !== undefined) {
    const { rows } = await db.query<RemediationRow>(
      `${SELECT_REMEDIATIONS} WHERE m.id = $1${where.lock ? ' FOR UPDATE OF m' : ''}`,
      [where.id],
    );
    return rows.map(numeric);
  }
  const { rows } = await db.query<RemediationRow>(
    `${SELECT_REMEDIATIONS} WHERE m.incident_id = $1 ORDER BY m.seq LIMIT $2`,
    [where.incidentId, REMEDIATIONS_PER_INCIDENT_MAX],
  );
  return rows.map(numeric);
}

function numeric(r: RemediationRow): RemediationRow {
  return { ...r, amount_fen: r.amount_fen };
}

async function viewOf(
  db: Queryable,
  id: string,
  principal: Principal,
  now: Date,
): Promise<RemediationView> {
  const [row] = await remediationRows(db, { id });
  if (!row) throw new DomainError('not_found', 'Remediation not found');
  const updates = await updatesOf(db, [id]);
  return presentRemediation(row, updates.get(id) ?? [], principal, now);
}

/** `GET /incidents/{id}/remediations`. */
export async function listRemediations(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<{ items: RemediationView[] }> {
  authorise(principal, 'remediation.read');
  const incident = await incidentFor(ctx.db, principal, incidentId);
  const rows = await remediationRows(ctx.db, { incidentId: incident.id });
  const updates = await updatesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const now = ctx.now();
  return {
    items: rows.map((r) => presentRemediation(r, updates.get(r.id) ?? [], principal, now)),
  };
}

/** `GET /remediations/{id}`. */
export async function getRemediation(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<RemediationView> {
  authorise(principal, 'remediation.read');
  if (!isUuid(id)) throw new DomainError('not_found', 'Remediation not found');
  const [row] = await remediationRows(ctx.db, { id });
  if (!row) throw new DomainError('not_found', 'Remediation not found');
  await incidentFor(ctx.db, principal, row.incident_id);
  return viewOf(ctx.db, id, principal, ctx.now());
}

export interface CreateRemediationInput {
  transactionId?: string | undefined;
  lineId?: string | undefined;
  action: RemediationAction;
  owner?: string | undefined;
  dueDate?: string | undefined;
  note?: string | undefined;
  /** resettle and refund of a transaction: less than its whole amount (the fee kept, say). */
  amountFen?: number | undefined;
}

/** Standing remediations of one payment, on any incident (one per payment and action). */
async function standingOn(
  tx: Queryable,
  target: { transactionId: string | null; lineId: string | null },
): Promise<RemediationRow[]> {
  const { rows } = await tx.query<RemediationRow>(
    `${SELECT_REMEDIATIONS}
      WHERE (m.transaction_id = $1 OR m.line_id = $2::uuid) AND m.status <> 'cancelled'
      ORDER BY m.seq FOR UPDATE OF m`,
    [target.transactionId, target.lineId],
  );
  return rows.map(numeric);
}

export async function createRemediation(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: CreateRemediationInput,
): Promise<RemediationView> {
  authorise(principal, 'remediation.manage');
  const transactionId = input.transactionId?.trim() || null;
  const lineId = input.lineId?.trim() || null;
  if ((transactionId === null) === (lineId === null)) {
    throw new DomainError('validation_failed', 'Name the payment: transactionId or lineId', [
      issue('transactionId', 'validation_failed', 'exactly one of transactionId and lineId'),
    ]);
  }
  if (transactionId !== null && !TRANSACTION_ID.test(transactionId)) {
    throw new DomainError('not_found', 'Not an affected payment of this incident');
  }
  if (lineId !== null && !isUuid(lineId)) {
    throw new DomainError('not_found', 'Not an affected payment of this incident');
  }
  const note = optionalText(input.note, 'note', REMEDIATION_NOTE_LENGTH_MAX);
  const owner = optionalText(input.owner, 'owner', 64);
  const at = ctx.now();
  const dueDate = input.dueDate ? checkDueDate(input.dueDate, at) : null;
  if (input.amountFen !== undefined) {
    if (
      !Number.isSafeInteger(input.amountFen) ||
      input.amountFen <= 0 ||
      input.amountFen > AMOUNT_FEN_MAX
    ) {
      throw new DomainError('validation_failed', 'amountFen: a positive whole number of fen', [
        issue('amountFen', 'validation_failed', 'a positive whole number of fen'),
      ]);
    }
    if (input.action !== 'resettle' && input.action !== 'refund') {
      throw new DomainError('validation_failed', 'amountFen goes with resettle or refund only', [
        issue('amountFen', 'validation_failed', 'only with action resettle or refund'),
      ]);
    }
  }
  const id = ctx.newId();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const incident = await incidentFor(tx, principal, incidentId, { lock: true });
    refuseClosedIncident(incident);
    if (incident.drill) {
      throw new DomainError(
        'remediation_not_applicable',
        'A drill touches no money: there is nothing to remediate',
      );
    }
    if (owner !== null) await checkOwner(tx, owner);
    const item = await findAffected(tx, incident.id, { transactionId, lineId });
    if (!item) throw new DomainError('not_found', 'Not an affected payment of this incident');
    const standing = await standingOn(tx, { transactionId, lineId });
    const refusal = decideNewRemediation({
      kind: item.kind,
      action: input.action,
      existing: standing,
    });
    if (refusal) throw new DomainError(refusal, refusalMessage(refusal, item.kind, input.action));
    if (
      input.amountFen !== undefined &&
      (item.line_id === null || item.kind !== 'settled_to_wrong_account')
    ) {
      throw new DomainError('validation_failed', 'amountFen applies to a settled payment only', [
        issue('amountFen', 'validation_failed', 'only for a payment settled to the wrong account'),
      ]);
    }
    if (input.amountFen !== undefined && input.amountFen > item.amount_fen) {
      throw new DomainError(
        'validation_failed',
        `amountFen: at most the payment's ${item.amount_fen} fen`,
        [issue('amountFen', 'validation_failed', `at most ${item.amount_fen}`)],
      );
    }
    const count = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM remediations WHERE incident_id = $1',
      [incident.id],
    );
    if ((count.rows[0]?.n ?? 0) >= REMEDIATIONS_PER_INCIDENT_MAX) {
      throw new DomainError(
        'validation_failed',
        'The incident holds the most remediations allowed',
      );
    }

    // The amount. recover: what was advanced on the payment when it was advanced first, else
    // the payment itself (claimed with nothing advanced: no receivable until it is). resettle
    // and refund: the payment (or less); when the payment's recovery case already passed money
    // through to the merchant, at most what the claim has not yet paid it (ADR 17).
    const advance = standing.find((r) => r.action === 'resettle' || r.action === 'refund');
    let amountFen =
      input.action === 'recover'
        ? (advance?.amount_fen ?? item.amount_fen)
        : (input.amountFen ?? item.amount_fen);
    const recovery = standing.find((r) => r.action === 'recover');
    if ((input.action === 'resettle' || input.action === 'refund') && recovery?.recovery_case_id) {
      const found = await lockedCase(tx, recovery.recovery_case_id);
      if (found) {
        const decided = decideAdvance({
          caseStatus: found.status,
          figures: found.figures,
          paymentFen: item.amount_fen,
          requestedFen: input.amountFen,
        });
        if ('refusal' in decided) {
          throw new DomainError(
            decided.refusal,
            decided.refusal === 'recovery_case_closed'
              ? `The payment's recovery case is ${found.status}: an advance now could not be claimed back on it`
              : `The payment's recovery case already passed ${found.figures.passedThroughFen} fen of the merchant's money through to it: at most ${decided.maxFen} fen may be advanced now, or the merchant would be paid twice`,
            decided.refusal === 'recovery_passed_through'
              ? [issue('amountFen', 'recovery_passed_through', `at most ${decided.maxFen}`)]
              : [],
          );
        }
        amountFen = decided.amountFen;
      }
    }
    let caseId: string | null = null;
    if (input.action === 'recover')
      caseId = await openOrAddToCase(ctx, tx, incident, item, principal, at);

    const journals: Journal[] = [];
    if (input.action === 'resettle' && item.kind === 'settled_to_wrong_account') {
      journals.push(
        resettlementJournal({ remediationId: id, merchantNo: item.merchant_no, amountFen }),
      );
    }
    if (input.action === 'refund') {
      journals.push(refundJournal({ remediationId: id, merchantNo: item.merchant_no, amountFen }));
    }
    await tx.query(
      `INSERT INTO remediations (id, incident_id, merchant_no, kind, transaction_id, line_id,
         action, status, owner, due_date, note, amount_fen, account_id, account_number_masked,
         recovery_case_id, journal_id, created_at, created_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9::date, $10, $11, $12, $13, $14, $15,
               $16, $17, $16)`,
      [
        id,
        incident.id,
        item.merchant_no,
        item.kind,
        transactionId,
        lineId,
        input.action,
        owner,
        dueDate,
        note,
        amountFen,
        item.account_id,
        item.account_number_masked,
        caseId,
        journals[0]?.id ?? null,
        at,
        principal.username,
      ],
    );
    if (input.action === 'refund') {
      await tx.query(
        `INSERT INTO cardholder_refunds (id, remediation_id, incident_id, merchant_no,
           transaction_id, rrn, stan, pan_masked, amount_fen, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)`,
        [
          ctx.newId(),
          id,
          incident.id,
          item.merchant_no,
          transactionId,
          item.rrn,
          item.stan,
          item.pan_masked,
          amountFen,
          at,
        ],
      );
    }
    await insertJournals(tx, journals, { at, actor: principal.username });
    await tx.query(
      `INSERT INTO remediation_updates (remediation_id, at, by, status, owner, due_date, note)
       VALUES ($1, $2, $3, 'open', $4, $5::date, $6)`,
      [id, at, principal.username, owner, dueDate, note],
    );
    const payment = transactionId
      ? { zh: `交易 ${transactionId}`, en: `transaction ${transactionId}` }
      : { zh: `结算明细 ${lineId ?? ''}`, en: `settlement line ${lineId ?? ''}` };
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'remediation.created',
        entityType: 'remediation',
        entityId: id,
        merchantNo: item.merchant_no,
        after: {
          incidentId: incident.id,
          kind: item.kind,
          transactionId,
          lineId,
          action: input.action,
          amountFen,
          owner,
          dueDate,
          recoveryCaseId: caseId,
          journalId: journals[0]?.id ?? null,
          rrn: item.rrn,
          stan: item.stan,
          panMasked: item.pan_masked,
        },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'remediation_opened',
      actor: principal.username,
      text: {
        zh: `${principal.username} 为${payment.zh}（${yuan(amountFen)}）新建补救措施：${ACTION_NAMES[input.action].zh}`,
        en: `${principal.username} opened a remediation for ${payment.en} (${yuan(amountFen)}): ${ACTION_NAMES[input.action].en}`,
      },
      data: { remediationId: id, action: input.action, kind: item.kind, amountFen },
    });
    await touch(tx, incident.id, at);
  });
  return viewOf(ctx.db, id, principal, ctx.now());
}

function refusalMessage(code: string, kind: AffectedKind, action: RemediationAction): string {
  switch (code) {
    case 'remediation_not_applicable':
      return `Action ${action} does not apply to a payment of kind ${kind}`;
    case 'remediation_exists':
      return `The payment already has a ${action} remediation`;
    case 'remediation_conflict':
      return `The payment has a remediation that excludes ${action} (it would be paid for twice)`;
    default:
      return code;
  }
}

async function touch(tx: Queryable, incidentId: string, at: Date): Promise<void> {
  await tx.query('UPDATE incidents SET updated_at = $2 WHERE id = $1', [incidentId, at]);
}

/** The incident's open recovery case for the payment's wrong account, opened when none is. */
async function openOrAddToCase(
  ctx: AppContext,
  tx: Queryable,
  incident: IncidentRef,
  item: {
    account_id: string | null;
    account_number_masked: string | null;
    account_name: string | null;
  },
  principal: Principal,
  at: Date,
): Promise<string> {
  const existing = await tx.query<{ id: string }>(
    `SELECT id FROM recovery_cases
      WHERE incident_id = $1 AND account_id IS NOT DISTINCT FROM $2::uuid AND status = 'open'
      FOR UPDATE`,
    [incident.id, item.account_id],
  );
  const found = existing.rows[0];
  if (found) return found.id;
  const owner = await tx.query<{ merchant_no: string }>(
    'SELECT merchant_no FROM settlement_accounts WHERE account_id = $1 LIMIT 1',
    [item.account_id],
  );
  const caseId = ctx.newId();
  await tx.query(
    `INSERT INTO recovery_cases (id, incident_id, merchant_no, account_id, account_merchant_no,
       account_number_masked, account_name, status, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)`,
    [
      caseId,
      incident.id,
      incident.merchant_no,
      item.account_id,
      owner.rows[0]?.merchant_no ?? null,
      item.account_number_masked,
      item.account_name,
      at,
      principal.username,
    ],
  );
  await recordAudit(
    tx,
    {
      actor: principal.username,
      action: 'recovery_case.opened',
      entityType: 'recovery_case',
      entityId: caseId,
      merchantNo: incident.merchant_no,
      after: {
        incidentId: incident.id,
        accountId: item.account_id,
        accountNumberMasked: item.account_number_masked,
        accountName: item.account_name,
      },
    },
    at,
  );
  await addIncidentEvent(tx, {
    incidentId: incident.id,
    at,
    kind: 'recovery_case_opened',
    actor: principal.username,
    text: {
      zh: `${principal.username} 对错误账户 ${item.account_number_masked ?? ''} 的持有人立案追回错付资金`,
      en: `${principal.username} opened a recovery case against the holder of the wrong account ${item.account_number_masked ?? ''}`,
    },
    data: { recoveryCaseId: caseId },
  });
  return caseId;
}

export interface UpdateRemediationInput {
  owner?: string | undefined;
  dueDate?: string | undefined;
  status?: RemediationStatus | undefined;
  note?: string | undefined;
  retransactionId?: string | undefined;
}

/** `POST /remediations/{id}`: owner, due date, status, note; the new payment of a re-transaction. */
export async function updateRemediation(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: UpdateRemediationInput,
): Promise<RemediationView> {
  authorise(principal, 'remediation.manage');
  if (!isUuid(id)) throw new DomainError('not_found', 'Remediation not found');
  const note = optionalText(input.note, 'note', REMEDIATION_NOTE_LENGTH_MAX);
  const owner = input.owner === undefined ? undefined : requiredText(input.owner, 'owner', 64);
  const at = ctx.now();
  const dueDate = input.dueDate === undefined ? undefined : checkDueDate(input.dueDate, at);
  const retransactionId =
    input.retransactionId === undefined
      ? undefined
      : requiredText(input.retransactionId, 'retransactionId', 64);
  if (
    owner === undefined &&
    dueDate === undefined &&
    input.status === undefined &&
    note === null &&
    retransactionId === undefined
  ) {
    throw new DomainError('validation_failed', 'Nothing to change', [
      issue('status', 'validation_failed', 'send owner, dueDate, status, note or retransactionId'),
    ]);
  }
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const [before] = await remediationRows(tx, { id });
    if (!before) throw new DomainError('not_found', 'Remediation not found');
    const incident = await incidentFor(tx, principal, before.incident_id, { lock: true });
    refuseClosedIncident(incident);
    const [row] = await remediationRows(tx, { id, lock: true });
    if (!row) throw new DomainError('not_found', 'Remediation not found');
    if (
      (row.status === 'done' || row.status === 'cancelled') &&
      (owner !== undefined || dueDate !== undefined || retransactionId !== undefined)
    ) {
      throw new DomainError('invalid_state', `The remediation is ${row.status}; it is final`);
    }
    if (owner !== undefined) await checkOwner(tx, owner);

    let newRetransaction = row.retransaction_id;
    if (retransactionId !== undefined) {
      if (row.action !== 'retransaction') {
        throw new DomainError('validation_failed', 'retransactionId goes with a retransaction', [
          issue('retransactionId', 'validation_failed', 'only for action retransaction'),
        ]);
      }
      await checkRetransaction(tx, row, retransactionId);
      newRetransaction = retransactionId;
    }

    // Naming the customer's new payment completes a re-transaction unless a status is sent.
    const to =
      input.status ??
      (retransactionId !== undefined && row.status !== 'done' ? 'done' : row.status);
    const standing = await standingOn(tx, {
      transactionId: row.transaction_id,
      lineId: row.line_id,
    });
    const refusal = decideStatusChange(row.status, to, {
      action: row.action,
      moneyTaken:
        row.kind === 'payout_returned' ? row.line_release_id !== null : row.absorbed_by !== null,
      refundPaid: row.refund_status === 'paid',
      caseClosed: row.case_status !== null && row.case_status !== 'open',
      caseHasMovements: (row.case_movements ?? 0) > 0,
      retransactionRecorded: newRetransaction !== null,
      recoveryDepends:
        (row.action === 'resettle' || row.action === 'refund') &&
        standing.some((r) => r.action === 'recover' && r.id !== row.id),
    });
    if (refusal) throw new DomainError(refusal, statusRefusal(refusal, row, to));

    const journals: Journal[] = [];
    let reversalId: string | null = row.reversal_journal_id;
    if (to === 'cancelled' && row.status !== 'cancelled' && row.journal_id) {
      const original =
        row.action === 'resettle'
          ? resettlementJournal({
              remediationId: row.id,
              merchantNo: row.merchant_no,
              amountFen: row.amount_fen,
            })
          : refundJournal({
              remediationId: row.id,
              merchantNo: row.merchant_no,
              amountFen: row.amount_fen,
            });
      reversalId = `${original.id}:reversal`;
      journals.push(reversalOf(original, reversalId));
    }
    const next = {
      owner: owner ?? row.owner,
      dueDate: dueDate ?? row.due_date,
      status: to,
      note: note ?? row.note,
    };
    await tx.query(
      `UPDATE remediations SET owner = $2, due_date = $3::date, status = $4, note = $5,
         retransaction_id = $6, reversal_journal_id = $7, updated_at = $8
       WHERE id = $1`,
      [row.id, next.owner, next.dueDate, next.status, next.note, newRetransaction, reversalId, at],
    );
    if (to === 'cancelled' && row.action === 'refund') {
      await tx.query(
        `UPDATE cardholder_refunds SET status = 'cancelled' WHERE remediation_id = $1`,
        [row.id],
      );
    }
    await insertJournals(tx, journals, { at, actor: principal.username });
    await tx.query(
      `INSERT INTO remediation_updates (remediation_id, at, by, status, owner, due_date, note)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7)`,
      [
        row.id,
        at,
        principal.username,
        to !== row.status ? to : null,
        owner ?? null,
        dueDate ?? null,
        note,
      ],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'remediation.updated',
        entityType: 'remediation',
        entityId: row.id,
        merchantNo: row.merchant_no,
        before: {
          status: row.status,
          owner: row.owner,
          dueDate: row.due_date,
          retransactionId: row.retransaction_id,
        },
        after: {
          status: next.status,
          owner: next.owner,
          dueDate: next.dueDate,
          retransactionId: newRetransaction,
          note,
          ...(journals[0] ? { reversalJournalId: journals[0].id } : {}),
        },
      },
      at,
    );
    const changes: { zh: string; en: string }[] = [];
    if (to !== row.status) {
      changes.push({
        zh: `状态改为「${STATUS_NAMES[to].zh}」`,
        en: `status ${STATUS_NAMES[to].en}`,
      });
    }
    if (owner !== undefined && owner !== row.owner)
      changes.push({ zh: '指定负责人', en: 'owner set' });
    if (dueDate !== undefined && dueDate !== row.due_date) {
      changes.push({ zh: `期限 ${dueDate}`, en: `due ${dueDate}` });
    }
    if (retransactionId !== undefined) {
      changes.push({
        zh: `重新支付交易 ${retransactionId}`,
        en: `re-transaction ${retransactionId}`,
      });
    }
    if (note) changes.push({ zh: '备注', en: 'note' });
    await addIncidentEvent(tx, {
      incidentId: row.incident_id,
      at,
      kind: 'remediation_updated',
      actor: principal.username,
      text: {
        zh: `${principal.username} 更新补救措施（${ACTION_NAMES[row.action].zh}，${yuan(row.amount_fen)}）：${changes.map((c) => c.zh).join('，')}`,
        en: `${principal.username} updated the remediation (${ACTION_NAMES[row.action].en}, ${yuan(row.amount_fen)}): ${changes.map((c) => c.en).join(', ')}`,
      },
      data: { remediationId: row.id, status: next.status },
    });
    await touch(tx, row.incident_id, at);
  });
  return viewOf(ctx.db, id, principal, ctx.now());
}

function statusRefusal(code: string, row: RemediationRow, to: RemediationStatus): string {
  if (code === 'remediation_incomplete') {
    switch (row.action) {
      case 'resettle':
        return row.kind === 'payout_returned'
          ? 'The returned money has not been released yet'
          : 'The re-settled money has not yet been taken by a settlement run';
      case 'refund':
        return 'The refund has not been paid: record it with refund-paid';
      case 'recover':
        return 'The recovery case is still open: record receipts or write it off';
      case 'retransaction':
        return 'Name the customer’s new payment (retransactionId) first';
    }
  }
  if (code === 'remediation_conflict') {
    return 'A recovery rests on this remediation: cancel the recovery first';
  }
  return `A ${row.status} remediation cannot become ${to} now`;
}

async function checkRetransaction(
  tx: Queryable,
  row: RemediationRow,
  retransactionId: string,
): Promise<void> {
  const { rows } = await tx.query<{
    merchant_no: string;
    status: string;
    type: string;
    occurred_at: Date;
    original_at: Date | null;
    original_merchant: string | null;
  }>(
    `SELECT n.merchant_no, n.status, n.type, n.occurred_at, o.occurred_at AS original_at,
            o.merchant_no AS original_merchant
       FROM transactions n LEFT JOIN transactions o ON o.id = $2
      WHERE n.id = $1`,
    [retransactionId, row.transaction_id],
  );
  const n = rows[0];
  const refuse = (why: string) => {
    throw new DomainError('retransaction_invalid', why, [
      issue('retransactionId', 'retransaction_invalid', why),
    ]);
  };
  if (!n) return refuse(`No transaction ${retransactionId}`);
  if (retransactionId === row.transaction_id) return refuse('The new payment is the original one');
  if (n.status !== 'approved' || n.type !== 'purchase') {
    return refuse(`Transaction ${retransactionId} is not an approved purchase`);
  }
  if (n.merchant_no !== (row.transaction_id ? n.original_merchant : row.merchant_no)) {
    return refuse(`Transaction ${retransactionId} is of another merchant`);
  }
  if (n.original_at && new Date(n.occurred_at).getTime() < new Date(n.original_at).getTime()) {
    return refuse(`Transaction ${retransactionId} is older than the payment it replaces`);
  }
  const used = await tx.query(
    `SELECT 1 FROM remediations WHERE retransaction_id = $1 AND id <> $2 AND status <> 'cancelled'`,
    [retransactionId, row.id],
  );
  if (used.rows.length > 0)
    refuse(`Transaction ${retransactionId} already replaces another payment`);
}

/** `POST /remediations/{id}/refund-paid { bankReference }`: the cardholder has the money. */
export async function markRefundPaid(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { bankReference: string },
): Promise<RemediationView> {
  authorise(principal, 'remediation.refund_paid');
  if (!isUuid(id)) throw new DomainError('not_found', 'Remediation not found');
  const reference = requiredText(input.bankReference, 'bankReference', BANK_REFERENCE_LENGTH_MAX);
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const [before] = await remediationRows(tx, { id });
    if (!before) throw new DomainError('not_found', 'Remediation not found');
    const incident = await incidentFor(tx, principal, before.incident_id, { lock: true });
    refuseClosedIncident(incident);
    const [row] = await remediationRows(tx, { id, lock: true });
    if (!row) throw new DomainError('not_found', 'Remediation not found');
    if (row.action !== 'refund' || row.refund_id === null) {
      throw new DomainError('invalid_state', 'Only a refund is paid');
    }
    if (row.refund_status !== 'pending') {
      throw new DomainError('invalid_state', `The refund is ${row.refund_status ?? 'unknown'}`);
    }
    await tx.query(
      `UPDATE cardholder_refunds SET status = 'paid', bank_reference = $2, paid_at = $3,
         paid_by = $4 WHERE remediation_id = $1`,
      [row.id, reference, at, principal.username],
    );
    await tx.query(`UPDATE remediations SET status = 'done', updated_at = $2 WHERE id = $1`, [
      row.id,
      at,
    ]);
    const journal = refundPaidJournal({
      remediationId: row.id,
      merchantNo: row.merchant_no,
      amountFen: row.amount_fen,
    });
    await insertJournals(tx, [journal], { at, actor: principal.username });
    await tx.query(
      `INSERT INTO remediation_updates (remediation_id, at, by, status, note)
       VALUES ($1, $2, $3, 'done', $4)`,
      [row.id, at, principal.username, `refund paid, bank reference ${reference}`],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'remediation.refund_paid',
        entityType: 'remediation',
        entityId: row.id,
        merchantNo: row.merchant_no,
        before: { status: row.status, refundStatus: row.refund_status },
        after: {
          status: 'done',
          refundStatus: 'paid',
          bankReference: reference,
          amountFen: row.amount_fen,
          rrn: row.rrn,
          stan: row.stan,
          panMasked: row.pan_masked,
          journalId: journalId.refundPaid(row.id),
        },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: row.incident_id,
      at,
      kind: 'refund_paid',
      actor: principal.username,
      text: {
        zh: `${principal.username} 登记已向持卡人 ${row.pan_masked ?? ''} 退款 ${yuan(row.amount_fen)}（原交易参考号 ${row.rrn ?? '—'}，凭证号 ${row.stan ?? '—'}，银行流水 ${reference}）`,
        en: `${principal.username} recorded the refund of ${yuan(row.amount_fen)} to cardholder ${row.pan_masked ?? ''} (original RRN ${row.rrn ?? '—'}, STAN ${row.stan ?? '—'}, bank reference ${reference})`,
      },
      data: { remediationId: row.id, amountFen: row.amount_fen },
    });
    await touch(tx, row.incident_id, at);
  });
  return viewOf(ctx.db, id, principal, ctx.now());
}

/** How many remediations of the incident are open or in progress without owner or due date. */
export async function unassignedRemediations(db: Queryable, incidentId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM remediations
      WHERE incident_id = $1 AND status IN ('open', 'in_progress')
        AND (owner IS NULL OR due_date IS NULL)`,
    [incidentId],
  );
  return rows[0]?.n ?? 0;
}
