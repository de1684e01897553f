/**
 * What a bank return does beyond the line and the ledger, in the caller's transaction: the
 * account it bounced from is marked (a new registry version: `errored`, or `frozen` for a
 * frozen account), an alert `settlement_returned` is raised, the merchant's one open incident
 * is opened or updated with it, and a settlement hold is placed. The incident and hold follow
 * the same rules as screening's containment (app/screening/contain.ts): one open incident per
 * merchant, one active hold, each opening audited. Terminals are not suspended: a return says
 * the account is wrong, not the terminal.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { insertAlert, type AccountRow } from '../../storage/registry-repository.js';
import { presentAccount } from '../registry/present.js';
import { accountStatusAfterReturn, type ReturnCode } from '../../core/settlement/returns.js';
import { RETURNED_REASON } from '../../core/settlement/screening.js';
import type { EventInput } from '../../core/events.js';
import { emitEvents } from '../events.js';
import { enqueueSnapshot } from '../screening/contain.js';

export const RETURN_RULE = RETURNED_REASON;
const RETURN_SEVERITY = 'high';
const RETURN_INCIDENT_SEVERITY = 'P2';

const ACCOUNT_COLUMNS = `version_id, account_id, merchant_no, account_fp, account_number_masked,
  account_name, account_type, bank_code, bank_name, status, status_reason, name_check, warnings,
  valid_from, valid_to, recorded_by`;

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** Marks the account's current version; false when it is already errored, frozen or superseded. */
async function markAccount(
  tx: Queryable,
  input: { accountId: string; code: ReturnCode; text: string; actor: string; at: Date },
): Promise<{ before: AccountRow; after: AccountRow } | null> {
  const { rows } = await tx.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM settlement_accounts
      WHERE account_id = $1 AND valid_to IS NULL FOR UPDATE`,
    [input.accountId],
  );
  const before = rows[0];
  const to = accountStatusAfterReturn(input.code);
  if (!before || !['active', 'pending_verification'].includes(before.status)) {
    // An errored account that comes back frozen is frozen: the stronger state wins.
    if (!before || !(before.status === 'errored' && to === 'frozen')) return null;
  }
  const reason = `银行退票（${input.code}）：${input.text} / Returned by the bank (${input.code}): ${input.text}`;
  const inserted = await tx.query<AccountRow>(
    `WITH closed AS (
       UPDATE settlement_accounts SET valid_to = $2 WHERE version_id = $1 AND valid_to IS NULL
       RETURNING *)
     INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, bank_name, status,
       status_reason, name_check, warnings, valid_from, recorded_by)
     SELECT account_id, merchant_no, account_number_enc, account_fp, account_number_masked,
            account_name, account_type, bank_code, bank_name, $3, $4, name_check, warnings, $2, $5
       FROM closed
     RETURNING ${ACCOUNT_COLUMNS}`,
    [before.version_id, input.at, to, reason.slice(0, 500), input.actor],
  );
  const after = inserted.rows[0];
  if (!after) return null;
  await recordAudit(
    tx,
    {
      actor: input.actor,
      action: 'settlement_account.status_changed',
      entityType: 'settlement_account',
      entityId: before.account_id,
      merchantNo: before.merchant_no,
      before: presentAccount(before),
      after: presentAccount(after),
    },
    input.at,
  );
  return { before, after };
}

function addEvent(
  tx: Queryable,
  incidentId: string,
  event: { at: Date; kind: string; actor: string; text: { zh: string; en: string }; data: unknown },
): Promise<void> {
  return addIncidentEvent(tx, { incidentId, ...event });
}

export interface ReturnedLine {
  lineId: string;
  merchantNo: string;
  amountFen: number;
  accountId: string | null;
  accountNumberMasked: string | null;
  businessDate: string;
}

export interface ReturnContainment {
  incidentId: string;
  incidentOpened: boolean;
  holdPlaced: boolean;
  accountStatus: string | null;
}

export async function containReturn(
  ctx: AppContext,
  tx: Queryable,
  input: { line: ReturnedLine; code: ReturnCode; text: string; actor: string; at: Date },
): Promise<ReturnContainment> {
  const { line, at, actor } = input;
  const marked = line.accountId
    ? await markAccount(tx, {
        accountId: line.accountId,
        code: input.code,
        text: input.text,
        actor,
        at,
      })
    : null;

  const alertId = ctx.newId();
  const explanation = {
    zh: `结算款 ¥${yuan(line.amountFen)}（${line.businessDate}）被银行从账户 ${line.accountNumberMasked ?? '—'} 退回：${input.text || input.code}`,
    en: `Payout of ¥${yuan(line.amountFen)} (${line.businessDate}) to account ${line.accountNumberMasked ?? '—'} was returned by the bank: ${input.text || input.code}`,
  };
  await insertAlert(tx, {
    id: alertId,
    rule: RETURN_RULE,
    severity: RETURN_SEVERITY,
    merchantNo: line.merchantNo,
    terminalId: null,
    accountId: line.accountId,
    decision: 'contain',
    explanation: {
      ...explanation,
      data: {
        lineId: line.lineId,
        returnCode: input.code,
        returnText: input.text,
        amountFen: line.amountFen,
      },
    },
    createdAt: at,
  });

  const incident = await openOrUpdateIncident(ctx, tx, { merchantNo: line.merchantNo, actor, at });
  await tx.query('UPDATE alerts SET incident_id = $2 WHERE id = $1', [alertId, incident.id]);
  const events: EventInput[] = [];
  if (incident.opened) {
    events.push({
      type: 'incident.opened',
      merchantNo: line.merchantNo,
      incidentId: incident.id,
      data: {
        incidentId: incident.id,
        merchantNo: line.merchantNo,
        severity: RETURN_INCIDENT_SEVERITY,
        title: incident.title,
        rules: [RETURN_RULE],
        relatedMerchantNos: [],
      },
    });
  }
  await addEvent(tx, incident.id, {
    at,
    kind: 'alert',
    actor,
    text: explanation,
    data: { alertId, rule: RETURN_RULE, severity: RETURN_SEVERITY, lineId: line.lineId },
  });
  if (marked) {
    await addEvent(tx, incident.id, {
      at,
      kind: 'account_marked',
      actor,
      text: {
        zh: `结算账户 ${line.accountNumberMasked ?? ''} 已标记为${marked.after.status === 'frozen' ? '冻结' : '异常'}`,
        en: `Settlement account ${line.accountNumberMasked ?? ''} marked ${marked.after.status}`,
      },
      data: { accountId: line.accountId, status: marked.after.status },
    });
    events.push({
      type: 'account.changed',
      merchantNo: line.merchantNo,
      incidentId: incident.id,
      data: {
        merchantNo: line.merchantNo,
        accountId: marked.after.account_id,
        accountNumberMasked: marked.after.account_number_masked,
        previousStatus: marked.before.status,
        status: marked.after.status,
        reason: { zh: `银行退票（${input.code}）`, en: `Returned by the bank (${input.code})` },
      },
    });
  }

  const holdId = ctx.newId();
  const placed = await tx.query(
    `INSERT INTO settlement_holds (id, merchant_no, reason, rules, incident_id, placed_at, placed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (merchant_no) WHERE released_at IS NULL DO NOTHING`,
    [holdId, line.merchantNo, '银行退票', [RETURN_RULE], incident.id, at, actor],
  );
  const holdPlaced = placed.rowCount === 1;
  if (holdPlaced) {
    await addEvent(tx, incident.id, {
      at,
      kind: 'settlement_held',
      actor,
      text: {
        zh: `已暂停商户 ${line.merchantNo} 的结算`,
        en: `Settlement of merchant ${line.merchantNo} held`,
      },
      data: { holdId },
    });
    await recordAudit(
      tx,
      {
        actor,
        action: 'settlement.held',
        entityType: 'settlement_hold',
        entityId: holdId,
        merchantNo: line.merchantNo,
        after: {
          merchantNo: line.merchantNo,
          reason: '银行退票',
          incidentId: incident.id,
          lineId: line.lineId,
        },
      },
      at,
    );
    events.push({
      type: 'settlement.held',
      merchantNo: line.merchantNo,
      incidentId: incident.id,
      data: {
        merchantNo: line.merchantNo,
        holdId,
        incidentId: incident.id,
        reason: { zh: '银行退票', en: 'Returned by the bank' },
        rules: [RETURN_RULE],
      },
    });
  }
  await emitEvents(ctx, tx, events, at);
  await enqueueSnapshot(tx, incident.id, [{ id: alertId }], at);
  return {
    incidentId: incident.id,
    incidentOpened: incident.opened,
    holdPlaced,
    accountStatus: marked?.after.status ?? null,
  };
}

async function openOrUpdateIncident(
  ctx: AppContext,
  tx: Queryable,
  input: { merchantNo: string; actor: string; at: Date },
): Promise<{ id: string; opened: boolean; title: { zh: string; en: string } }> {
  const id = ctx.newId();
  const title = {
    zh: `银行退票：商户 ${input.merchantNo}`,
    en: `Settlement returned by the bank: merchant ${input.merchantNo}`,
  };
  const inserted = await tx.query(
    `INSERT INTO incidents (id, merchant_no, status, severity, title, opened_at, updated_at)
     VALUES ($1, $2, 'open', $3, $4, $5, $5)
     ON CONFLICT (merchant_no) WHERE status NOT IN ('resolved', 'closed') AND NOT drill
     DO NOTHING`,
    [id, input.merchantNo, RETURN_INCIDENT_SEVERITY, JSON.stringify(title), input.at],
  );
  if (inserted.rowCount === 1) {
    await addEvent(tx, id, {
      at: input.at,
      kind: 'opened',
      actor: input.actor,
      text: { zh: `自动开立事件：${title.zh}`, en: `Opened automatically: ${title.en}` },
      data: { rule: RETURN_RULE },
    });
    await recordAudit(
      tx,
      {
        actor: input.actor,
        action: 'incident.opened',
        entityType: 'incident',
        entityId: id,
        merchantNo: input.merchantNo,
        after: { id, status: 'open', severity: RETURN_INCIDENT_SEVERITY, title, rule: RETURN_RULE },
      },
      input.at,
    );
    return { id, opened: true, title };
  }
  const { rows } = await tx.query<{ id: string; severity: string }>(
    `SELECT id, severity FROM incidents
      WHERE merchant_no = $1 AND status NOT IN ('resolved', 'closed') AND NOT drill FOR UPDATE`,
    [input.merchantNo],
  );
  const existing = rows[0];
  if (!existing) throw new Error('open incident vanished');
  // P1 is the most severe: keep the smaller number.
  const severity =
    existing.severity < RETURN_INCIDENT_SEVERITY ? existing.severity : RETURN_INCIDENT_SEVERITY;
  await tx.query('UPDATE incidents SET severity = $2, updated_at = $3 WHERE id = $1', [
    existing.id,
    severity,
    input.at,
  ]);
  return { id: existing.id, opened: false, title };
}
