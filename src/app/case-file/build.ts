/**
 * The case file of an incident, as data: what the acquirer sends to the bank or payment
 * institution that keeps the settlement account. The merchant, the terminals and accounts
 * involved (masked numbers only), what happened when, the money affected and held, the
 * evidence with its hashes, the root cause once recorded, the actions requested, and when the
 * file was sent. `pdf.ts` lays the same data out as a Chinese letter.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { RULE_NAMES } from '../../core/screening/rule-names.js';
import type { Rule } from '../../core/screening/policy.js';
import { caseFileReference, requestedActions } from '../../core/case-file.js';
import {
  ROOT_CAUSE_NAMES,
  STATUS_NAMES,
  type IncidentStatus,
  type RootCauseCategory,
} from '../../core/incidents/lifecycle.js';
import { evidenceRows, findIncidentForEvidence } from '../evidence/queries.js';
import { presentEvidence } from '../evidence/record.js';
import { listSubmissions, type CaseFileSubmission } from './submissions.js';

/** Long lists are cut at these lengths; the document says how many were left out. */
export const CASE_FILE_LIMITS = {
  transactions: 200,
  timeline: 300,
  alerts: 100,
  lines: 100,
  terminals: 100,
  accounts: 50,
} as const;

type Bilingual = { zh: string; en: string };

export interface CaseFile {
  reference: string;
  generatedAt: string;
  drill: boolean;
  incident: {
    id: string;
    merchantNo: string;
    status: string;
    statusName: Bilingual;
    severity: string;
    title: Bilingual;
    openedAt: string;
    relatedMerchantNos: string[];
  };
  merchant: {
    merchantNo: string;
    name: string;
    type: string;
    status: string;
    uscc: string | null;
    legalPersonName: string;
    legalPersonIdMasked: string;
    contactPhoneMasked: string | null;
    address: string | null;
  } | null;
  terminals: {
    terminalId: string;
    merchantNo: string;
    model: string;
    serialNumber: string;
    status: string;
    suspendedAt: string | null;
  }[];
  accounts: {
    accountId: string;
    merchantNo: string;
    accountNumberMasked: string;
    accountName: string;
    accountType: string;
    bankName: string | null;
    status: string;
    validFrom: string;
    validTo: string | null;
  }[];
  alerts: {
    id: string;
    rule: string;
    ruleName: Bilingual;
    severity: string;
    explanation: Bilingual;
    createdAt: string;
  }[];
  timeline: { at: string; kind: string; actor: string; text: Bilingual }[];
  timelineTotal: number;
  affected: {
    transactionCount: number;
    purchasesFen: number;
    deductionsFen: number;
    netFen: number;
    transactions: {
      id: string;
      merchantNo: string;
      terminalId: string;
      type: string;
      status: string;
      amountFen: number;
      occurredAt: string;
      panMasked: string | null;
      rrn: string | null;
    }[];
  };
  held: {
    holds: {
      id: string;
      reason: string;
      placedAt: string;
      placedBy: string;
      releasedAt: string | null;
    }[];
    heldFen: number;
    returnedFen: number;
    lineCount: number;
    lines: {
      id: string;
      businessDate: string;
      status: string;
      amountFen: number;
      accountNumberMasked: string | null;
      returnCode: string | null;
    }[];
  };
  evidence: {
    id: string;
    kind: string;
    sha256: string;
    sizeBytes: number;
    mediaType: string;
    fileName: string;
    createdAt: string;
    createdBy: string;
  }[];
  rootCause: {
    category: string;
    categoryName: Bilingual;
    detail: string;
    recordedAt: string | null;
  } | null;
  requestedActions: { code: string; zh: string; en: string }[];
  submissions: CaseFileSubmission[];
}

const iso = (value: Date | string | null | undefined) =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/**
 * The incident row as JSON: columns other parts add later (root_cause from the lifecycle) are
 * read when present, without this part depending on their migration.
 */
async function incidentRow(q: Queryable, id: string) {
  const { rows } = await q.query<{ row: Record<string, unknown> }>(
    'SELECT to_jsonb(i) AS row FROM incidents i WHERE i.id = $1',
    [id],
  );
  const row = rows[0]?.row;
  if (!row) throw new DomainError('not_found', 'Incident not found');
  return row;
}

async function merchantOf(q: Queryable, merchantNo: string): Promise<CaseFile['merchant']> {
  const { rows } = await q.query<{
    merchant_no: string;
    name: string;
    type: string;
    status: string;
    uscc: string | null;
    legal_person_name: string;
    legal_person_id_masked: string;
    contact_phone_masked: string | null;
    address: string | null;
  }>(
    `SELECT merchant_no, name, type, status, uscc, legal_person_name, legal_person_id_masked,
            contact_phone_masked, address
       FROM merchants WHERE merchant_no = $1
      ORDER BY (valid_to IS NULL) DESC, valid_from DESC, version_id DESC LIMIT 1`,
    [merchantNo],
  );
  const m = rows[0];
  if (!m) return null;
  return {
    merchantNo: m.merchant_no,
    name: m.name,
    type: m.type,
    status: m.status,
    uscc: m.uscc,
    legalPersonName: m.legal_person_name,
    legalPersonIdMasked: m.legal_person_id_masked,
    contactPhoneMasked: m.contact_phone_masked,
    address: m.address,
  };
}

async function terminalsOf(q: Queryable, incidentId: string): Promise<CaseFile['terminals']> {
  const { rows } = await q.query<{
    terminal_id: string;
    merchant_no: string;
    model: string;
    serial_number: string;
    status: string;
    suspended_at: Date | null;
  }>(
    `WITH involved AS (
       SELECT terminal_id FROM incident_terminals WHERE incident_id = $1
       UNION SELECT terminal_id FROM alerts WHERE incident_id = $1 AND terminal_id IS NOT NULL
     )
     SELECT DISTINCT ON (t.terminal_id) t.terminal_id, t.merchant_no, t.model, t.serial_number,
            t.status, it.suspended_at
       FROM involved v
       JOIN terminals t ON t.terminal_id = v.terminal_id
       LEFT JOIN incident_terminals it ON it.incident_id = $1 AND it.terminal_id = v.terminal_id
      ORDER BY t.terminal_id, (t.valid_to IS NULL) DESC, t.valid_from DESC, t.version_id DESC
      LIMIT ${CASE_FILE_LIMITS.terminals}`,
    [incidentId],
  );
  return rows.map((t) => ({
    terminalId: t.terminal_id,
    merchantNo: t.merchant_no,
    model: t.model,
    serialNumber: t.serial_number,
    status: t.status,
    suspendedAt: iso(t.suspended_at),
  }));
}

async function accountsOf(
  q: Queryable,
  merchantNo: string,
  incidentId: string,
): Promise<CaseFile['accounts']> {
  const { rows } = await q.query<{
    account_id: string;
    merchant_no: string;
    account_number_masked: string;
    account_name: string;
    account_type: string;
    bank_name: string | null;
    status: string;
    valid_from: Date;
    valid_to: Date | null;
  }>(
    `WITH involved AS (
       SELECT account_id FROM settlement_accounts WHERE merchant_no = $1
       UNION SELECT account_id FROM alerts WHERE incident_id = $2 AND account_id IS NOT NULL
       UNION SELECT (explanation->'data'->>'accountId')::uuid FROM alerts
        WHERE incident_id = $2
          AND explanation->'data'->>'accountId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     )
     SELECT * FROM (
       SELECT DISTINCT ON (a.account_id) a.account_id, a.merchant_no, a.account_number_masked,
              a.account_name, a.account_type, a.bank_name, a.status, a.valid_from, a.valid_to
         FROM involved v JOIN settlement_accounts a ON a.account_id = v.account_id
        ORDER BY a.account_id, a.valid_from DESC, a.version_id DESC
     ) latest
     ORDER BY (merchant_no = $1) DESC, merchant_no, valid_from DESC
     LIMIT ${CASE_FILE_LIMITS.accounts}`,
    [merchantNo, incidentId],
  );
  return rows.map((a) => ({
    accountId: a.account_id,
    merchantNo: a.merchant_no,
    accountNumberMasked: a.account_number_masked,
    accountName: a.account_name,
    accountType: a.account_type,
    bankName: a.bank_name,
    status: a.status,
    validFrom: a.valid_from.toISOString(),
    validTo: iso(a.valid_to),
  }));
}

async function alertsOf(q: Queryable, incidentId: string): Promise<CaseFile['alerts']> {
  const { rows } = await q.query<{
    id: string;
    rule: string;
    severity: string;
    explanation: Bilingual;
    created_at: Date;
  }>(
    `SELECT id, rule, severity, explanation, created_at FROM alerts WHERE incident_id = $1
      ORDER BY created_at, id LIMIT ${CASE_FILE_LIMITS.alerts}`,
    [incidentId],
  );
  return rows.map((a) => ({
    id: a.id,
    rule: a.rule,
    ruleName: RULE_NAMES[a.rule as Rule] ?? { zh: a.rule, en: a.rule },
    severity: a.severity,
    explanation: { zh: a.explanation.zh, en: a.explanation.en },
    createdAt: a.created_at.toISOString(),
  }));
}

async function rulesOf(q: Queryable, incidentId: string): Promise<string[]> {
  const { rows } = await q.query<{ rule: string }>(
    'SELECT DISTINCT rule FROM alerts WHERE incident_id = $1 ORDER BY rule',
    [incidentId],
  );
  return rows.map((r) => r.rule);
}

async function timelineOf(q: Queryable, incidentId: string) {
  const [events, total] = await Promise.all([
    q.query<{ at: Date; kind: string; actor: string; text: Bilingual }>(
      `SELECT at, kind, actor, text FROM incident_events WHERE incident_id = $1
        ORDER BY at, id LIMIT ${CASE_FILE_LIMITS.timeline}`,
      [incidentId],
    ),
    q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incident_events WHERE incident_id = $1',
      [incidentId],
    ),
  ]);
  return {
    timeline: events.rows.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      actor: e.actor,
      text: { zh: e.text.zh, en: e.text.en },
    })),
    timelineTotal: total.rows[0]?.n ?? 0,
  };
}

/** The transactions whose alerts are in the incident: the money affected. */
async function affectedOf(q: Queryable, incidentId: string): Promise<CaseFile['affected']> {
  const offending = `SELECT DISTINCT transaction_id FROM alerts
                      WHERE incident_id = $1 AND transaction_id IS NOT NULL`;
  const [totals, list] = await Promise.all([
    q.query<{ n: number; purchases: number; deductions: number }>(
      `SELECT count(*)::int AS n,
              COALESCE(sum(amount_fen) FILTER (WHERE status = 'approved' AND type = 'purchase'), 0)::bigint AS purchases,
              COALESCE(sum(amount_fen) FILTER (WHERE status = 'approved' AND type <> 'purchase'), 0)::bigint AS deductions
         FROM transactions WHERE id IN (${offending})`,
      [incidentId],
    ),
    q.query<{
      id: string;
      merchant_no: string;
      terminal_id: string;
      type: string;
      status: string;
      amount_fen: number;
      occurred_at: Date;
      pan_masked: string | null;
      rrn: string | null;
    }>(
      `SELECT id, merchant_no, terminal_id, type, status, amount_fen, occurred_at, pan_masked, rrn
         FROM transactions WHERE id IN (${offending})
        ORDER BY occurred_at, id LIMIT ${CASE_FILE_LIMITS.transactions}`,
      [incidentId],
    ),
  ]);
  const t = totals.rows[0] ?? { n: 0, purchases: 0, deductions: 0 };
  return {
    transactionCount: t.n,
    purchasesFen: t.purchases,
    deductionsFen: t.deductions,
    netFen: t.purchases - t.deductions,
    transactions: list.rows.map((r) => ({
      id: r.id,
      merchantNo: r.merchant_no,
      terminalId: r.terminal_id,
      type: r.type,
      status: r.status,
      amountFen: r.amount_fen,
      occurredAt: r.occurred_at.toISOString(),
      panMasked: r.pan_masked,
      rrn: r.rrn,
    })),
  };
}

/**
 * The incident's holds, and the merchant's money on hold now (held and returned lines not yet
 * released). A drill holds nothing, so it shows none of the merchant's real lines.
 */
async function heldOf(
  q: Queryable,
  incident: { id: string; merchantNo: string; drill: boolean },
): Promise<CaseFile['held']> {
  const holds = await q.query<{
    id: string;
    reason: string;
    placed_at: Date;
    placed_by: string;
    released_at: Date | null;
  }>(
    `SELECT id, reason, placed_at, placed_by, released_at FROM settlement_holds
      WHERE incident_id = $1 ORDER BY placed_at, id`,
    [incident.id],
  );
  if (incident.drill) {
    return {
      holds: [],
      heldFen: 0,
      returnedFen: 0,
      lineCount: 0,
      lines: [],
    };
  }
  const onHold = `FROM settlement_lines
                  WHERE merchant_no = $1 AND status IN ('held', 'returned') AND release_id IS NULL`;
  const [totals, lines] = await Promise.all([
    q.query<{ n: number; held: number; returned: number }>(
      `SELECT count(*)::int AS n,
              COALESCE(sum(amount_fen) FILTER (WHERE status = 'held'), 0)::bigint AS held,
              COALESCE(sum(amount_fen) FILTER (WHERE status = 'returned'), 0)::bigint AS returned
       ${onHold}`,
      [incident.merchantNo],
    ),
    q.query<{
      id: string;
      business_date: string;
      status: string;
      amount_fen: number;
      account_number_masked: string | null;
      return_code: string | null;
    }>(
      `SELECT id, business_date::text AS business_date, status, amount_fen,
              account_number_masked, return_code
       ${onHold} ORDER BY business_date, id LIMIT ${CASE_FILE_LIMITS.lines}`,
      [incident.merchantNo],
    ),
  ]);
  const t = totals.rows[0] ?? { n: 0, held: 0, returned: 0 };
  return {
    holds: holds.rows.map((h) => ({
      id: h.id,
      reason: h.reason,
      placedAt: h.placed_at.toISOString(),
      placedBy: h.placed_by,
      releasedAt: iso(h.released_at),
    })),
    heldFen: t.held,
    returnedFen: t.returned,
    lineCount: t.n,
    lines: lines.rows.map((l) => ({
      id: l.id,
      businessDate: l.business_date,
      status: l.status,
      amountFen: l.amount_fen,
      accountNumberMasked: l.account_number_masked,
      returnCode: l.return_code,
    })),
  };
}

function rootCauseOf(row: Record<string, unknown>): CaseFile['rootCause'] {
  const value = row.root_cause;
  if (!value || typeof value !== 'object') return null;
  const cause = value as { category?: unknown; detail?: unknown; recordedAt?: unknown };
  if (typeof cause.category !== 'string') return null;
  return {
    category: cause.category,
    categoryName: ROOT_CAUSE_NAMES[cause.category as RootCauseCategory] ?? {
      zh: cause.category,
      en: cause.category,
    },
    detail: typeof cause.detail === 'string' ? cause.detail : '',
    recordedAt: typeof cause.recordedAt === 'string' ? iso(cause.recordedAt) : null,
  };
}

/** The case file's data, read without authorisation (the CLI and the use case below use it). */
export async function caseFileData(ctx: AppContext, incidentId: string): Promise<CaseFile> {
  const ref = await findIncidentForEvidence(ctx.db, incidentId);
  const row = await incidentRow(ctx.db, ref.id);
  const openedAt = new Date(String(row.opened_at));
  const status = String(row.status);
  const [merchant, terminals, accounts, alerts, rules, timeline, affected, held, evidence] =
    await Promise.all([
      merchantOf(ctx.db, ref.merchantNo),
      terminalsOf(ctx.db, ref.id),
      accountsOf(ctx.db, ref.merchantNo, ref.id),
      alertsOf(ctx.db, ref.id),
      rulesOf(ctx.db, ref.id),
      timelineOf(ctx.db, ref.id),
      affectedOf(ctx.db, ref.id),
      heldOf(ctx.db, ref),
      evidenceRows(ctx.db, ref.id),
    ]);
  const submissions = await listSubmissions(ctx.db, ref.id);
  return {
    reference: caseFileReference({ id: ref.id, openedAt }),
    generatedAt: ctx.now().toISOString(),
    drill: ref.drill,
    incident: {
      id: ref.id,
      merchantNo: ref.merchantNo,
      status,
      statusName: STATUS_NAMES[status as IncidentStatus] ?? { zh: status, en: status },
      severity: String(row.severity),
      title: row.title as Bilingual,
      openedAt: openedAt.toISOString(),
      relatedMerchantNos: (row.related_merchant_nos as string[] | null) ?? [],
    },
    merchant,
    terminals,
    accounts,
    alerts,
    ...timeline,
    affected,
    held,
    evidence: evidence.map((e) => {
      const item = presentEvidence(e);
      return {
        id: item.id,
        kind: item.kind,
        sha256: item.sha256,
        sizeBytes: item.sizeBytes,
        mediaType: item.mediaType,
        fileName: item.fileName,
        createdAt: item.createdAt,
        createdBy: item.createdBy,
      };
    }),
    rootCause: rootCauseOf(row),
    requestedActions: requestedActions({ rules, moneyReturned: held.returnedFen !== 0 }),
    submissions,
  };
}

/** The use case: admin, risk, ops and auditors read the case file. */
export async function buildCaseFile(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<CaseFile> {
  authorise(principal, 'case_file.read');
  const ref = await findIncidentForEvidence(ctx.db, incidentId);
  ensureInScope(principal, ref.merchantNo, 'Incident');
  return caseFileData(ctx, ref.id);
}
