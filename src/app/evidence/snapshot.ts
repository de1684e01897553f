/**
 * The evidence snapshot of a detection: at the moment containment adds alerts to an incident,
 * a job freezes what a later dispute needs (the offending transactions, the alerts with their
 * explanations, the registry versions in force, the settlement state) as one canonical JSON
 * document, stored content-addressed and recorded as an evidence item.
 *
 * The document describes the world AS OF the detection instant `at`, whenever the job runs:
 * versions are those in force at `at` (a `validTo` later than `at` was not known then and is
 * shown as null), holds and lines in their state at `at`. So a retried job writes the same
 * bytes, and the same hash is recorded once. Only masked numbers appear.
 */
import { TRANSACTION_COLUMNS, type TransactionRow } from '../transactions/queries.js';
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { canonicalJson } from '../../core/audit-chain.js';
import { DomainError } from '../../core/errors.js';
import { RULE_NAMES } from '../../core/screening/rule-names.js';
import type { Rule } from '../../core/screening/policy.js';
import { EvidenceStore } from './store.js';
import { recordEvidence, type EvidenceItem } from './record.js';

export const EVIDENCE_SNAPSHOT_JOB = 'evidence.snapshot';
export const EVIDENCE_ACTOR = 'evidence';
export const SNAPSHOT_FORMAT = 'settleguard.evidence.snapshot/1';
export const SNAPSHOT_MEDIA_TYPE = 'application/json';

/** Bounds on what one snapshot holds (one ingest batch is at most 1,000 transactions). */
const ITEMS_MAX = 1000;
const MERCHANTS_MAX = 100;

export interface SnapshotRequest {
  incidentId: string;
  at: Date;
  alertIds: readonly string[];
  transactionIds: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a job payload `{ incidentId, at, alertIds, transactionIds }`; throws when malformed. */
export function parseSnapshotPayload(payload: Record<string, unknown>): SnapshotRequest {
  const { incidentId, at, alertIds, transactionIds } = payload;
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? value.slice(0, ITEMS_MAX)
      : null;
  const alerts = strings(alertIds ?? []);
  const transactions = strings(transactionIds ?? []);
  const instant = typeof at === 'string' ? new Date(at) : null;
  if (
    typeof incidentId !== 'string' ||
    !UUID.test(incidentId) ||
    !instant ||
    Number.isNaN(instant.getTime()) ||
    !alerts ||
    !transactions
  ) {
    throw new Error(`malformed ${EVIDENCE_SNAPSHOT_JOB} payload`);
  }
  return {
    incidentId,
    at: instant,
    alertIds: alerts.filter((id) => UUID.test(id)),
    transactionIds: transactions,
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
/** A later instant was not known at `at`. */
const knownAt = (value: Date | null, at: Date) =>
  value && value.getTime() <= at.getTime() ? value.toISOString() : null;

async function incidentFacts(q: Queryable, incidentId: string) {
  const { rows } = await q.query<{
    id: string;
    merchant_no: string;
    drill: boolean;
    opened_at: Date;
  }>('SELECT id, merchant_no, drill, opened_at FROM incidents WHERE id = $1', [incidentId]);
  return rows[0];
}

async function alertsOf(q: Queryable, incidentId: string, ids: readonly string[]) {
  const { rows } = await q.query<{
    id: string;
    rule: string;
    severity: string;
    decision: string;
    merchant_no: string;
    terminal_id: string | null;
    account_id: string | null;
    transaction_id: string | null;
    explanation: { zh: string; en: string; data?: Record<string, unknown> };
    created_at: Date;
  }>(
    `SELECT id, rule, severity, decision, merchant_no, terminal_id, account_id, transaction_id,
            explanation, created_at
       FROM alerts WHERE id = ANY($1::uuid[]) AND incident_id = $2
      ORDER BY created_at, id`,
    [ids, incidentId],
  );
  return rows.map((a) => ({
    id: a.id,
    rule: a.rule,
    ruleName: RULE_NAMES[a.rule as Rule] ?? { zh: a.rule, en: a.rule },
    severity: a.severity,
    decision: a.decision,
    merchantNo: a.merchant_no,
    terminalId: a.terminal_id,
    accountId: a.account_id,
    transactionId: a.transaction_id,
    explanation: { zh: a.explanation.zh, en: a.explanation.en, data: a.explanation.data ?? {} },
    createdAt: a.created_at.toISOString(),
  }));
}

async function transactionsOf(q: Queryable, ids: readonly string[]) {
  const { rows } = await q.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS}
       FROM transactions WHERE id = ANY($1::text[]) ORDER BY occurred_at, id`,
    [ids],
  );
  return rows.map((t) => ({
    id: t.id,
    merchantNo: t.merchant_no,
    terminalId: t.terminal_id,
    type: t.type,
    status: t.status,
    amountFen: t.amount_fen,
    currency: t.currency,
    occurredAt: t.occurred_at.toISOString(),
    receivedAt: t.received_at.toISOString(),
    panMasked: t.pan_masked,
    merchantNameOnReceipt: t.merchant_name_on_receipt,
    rrn: t.rrn,
    stan: t.stan,
    authCode: t.auth_code,
    responseCode: t.response_code,
    source: t.source,
    decision: t.decision,
    alerts: t.alerts,
  }));
}

/** Versions in force at `at`, the one closed at that very instant included (containment). */
const IN_FORCE = 'valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)';

async function terminalVersions(q: Queryable, terminalIds: readonly string[], at: Date) {
  const { rows } = await q.query<{
    version_id: number;
    terminal_id: string;
    merchant_no: string;
    serial_number: string;
    model: string;
    firmware_version: string;
    location: string | null;
    status: string;
    status_reason: string | null;
    valid_from: Date;
    valid_to: Date | null;
    recorded_by: string;
  }>(
    `SELECT version_id, terminal_id, merchant_no, serial_number, model, firmware_version,
            location, status, status_reason, valid_from, valid_to, recorded_by
       FROM terminals WHERE terminal_id = ANY($1::text[]) AND ${IN_FORCE}
      ORDER BY terminal_id, valid_from, version_id LIMIT ${ITEMS_MAX}`,
    [terminalIds, at],
  );
  return rows.map((t) => ({
    versionId: t.version_id,
    terminalId: t.terminal_id,
    merchantNo: t.merchant_no,
    serialNumber: t.serial_number,
    model: t.model,
    firmwareVersion: t.firmware_version,
    location: t.location,
    status: t.status,
    statusReason: t.status_reason,
    validFrom: t.valid_from.toISOString(),
    validTo: knownAt(t.valid_to, at),
    recordedBy: t.recorded_by,
  }));
}

async function terminalIdsOfMerchants(q: Queryable, merchantNos: readonly string[], at: Date) {
  const { rows } = await q.query<{ terminal_id: string }>(
    `SELECT DISTINCT terminal_id FROM terminals
      WHERE merchant_no = ANY($1::text[]) AND ${IN_FORCE} LIMIT ${ITEMS_MAX}`,
    [merchantNos, at],
  );
  return rows.map((r) => r.terminal_id);
}

async function merchantVersions(q: Queryable, merchantNos: readonly string[], at: Date) {
  const { rows } = await q.query<{
    version_id: number;
    merchant_no: string;
    name: string;
    type: string;
    status: string;
    uscc: string | null;
    legal_person_name: string;
    legal_person_id_masked: string;
    mcc: string;
    contact_phone_masked: string | null;
    address: string | null;
    valid_from: Date;
    valid_to: Date | null;
    recorded_by: string;
  }>(
    `SELECT version_id, merchant_no, name, type, status, uscc, legal_person_name,
            legal_person_id_masked, mcc, contact_phone_masked, address, valid_from, valid_to,
            recorded_by
       FROM merchants WHERE merchant_no = ANY($1::text[]) AND ${IN_FORCE}
      ORDER BY merchant_no, valid_from, version_id`,
    [merchantNos, at],
  );
  return rows.map((m) => ({
    versionId: m.version_id,
    merchantNo: m.merchant_no,
    name: m.name,
    type: m.type,
    status: m.status,
    uscc: m.uscc,
    legalPerson: { name: m.legal_person_name, idNumberMasked: m.legal_person_id_masked },
    mcc: m.mcc,
    contactPhoneMasked: m.contact_phone_masked,
    address: m.address,
    validFrom: m.valid_from.toISOString(),
    validTo: knownAt(m.valid_to, at),
    recordedBy: m.recorded_by,
  }));
}

async function accountVersions(
  q: Queryable,
  merchantNos: readonly string[],
  accountIds: readonly string[],
  at: Date,
) {
  const { rows } = await q.query<{
    version_id: number;
    account_id: string;
    merchant_no: string;
    account_number_masked: string;
    account_name: string;
    account_type: string;
    bank_code: string | null;
    bank_name: string | null;
    status: string;
    status_reason: string | null;
    name_check: unknown;
    valid_from: Date;
    valid_to: Date | null;
    recorded_by: string;
  }>(
    `SELECT version_id, account_id, merchant_no, account_number_masked, account_name,
            account_type, bank_code, bank_name, status, status_reason, name_check, valid_from,
            valid_to, recorded_by
       FROM settlement_accounts
      WHERE (merchant_no = ANY($1::text[]) OR account_id = ANY($3::uuid[])) AND ${IN_FORCE}
      ORDER BY merchant_no, account_id, valid_from, version_id LIMIT ${ITEMS_MAX}`,
    [merchantNos, at, accountIds],
  );
  return rows.map((a) => ({
    versionId: a.version_id,
    accountId: a.account_id,
    merchantNo: a.merchant_no,
    accountNumberMasked: a.account_number_masked,
    accountName: a.account_name,
    accountType: a.account_type,
    bankCode: a.bank_code,
    bankName: a.bank_name,
    status: a.status,
    statusReason: a.status_reason,
    nameCheck: a.name_check,
    validFrom: a.valid_from.toISOString(),
    validTo: knownAt(a.valid_to, at),
    recordedBy: a.recorded_by,
  }));
}

/** Holds in place at `at`, and lines held or returned then and not yet released. */
async function settlementAt(q: Queryable, merchantNos: readonly string[], at: Date) {
  const holds = await q.query<{
    id: string;
    merchant_no: string;
    reason: string;
    rules: string[];
    incident_id: string | null;
    placed_at: Date;
    placed_by: string;
  }>(
    `SELECT id, merchant_no, reason, rules, incident_id, placed_at, placed_by
       FROM settlement_holds
      WHERE merchant_no = ANY($1::text[]) AND placed_at <= $2
        AND (released_at IS NULL OR released_at > $2)
      ORDER BY merchant_no, placed_at, id`,
    [merchantNos, at],
  );
  const lines = await q.query<{
    id: string;
    run_id: string;
    merchant_no: string;
    business_date: string;
    amount_fen: number;
    status_at: string;
    hold_reasons: string[];
    account_number_masked: string | null;
    account_name: string | null;
    bank_name: string | null;
    return_code: string | null;
    returned_at: Date | null;
  }>(
    `SELECT l.id, l.run_id, l.merchant_no, l.business_date::text AS business_date, l.amount_fen,
            CASE WHEN l.returned_at IS NOT NULL AND l.returned_at <= $2 THEN 'returned'
                 ELSE 'held' END AS status_at,
            l.hold_reasons, l.account_number_masked, l.account_name, l.bank_name,
            CASE WHEN l.returned_at <= $2 THEN l.return_code END AS return_code,
            CASE WHEN l.returned_at <= $2 THEN l.returned_at END AS returned_at
       FROM settlement_lines l
       LEFT JOIN settlement_releases r ON r.id = l.release_id
      WHERE l.merchant_no = ANY($1::text[]) AND l.created_at <= $2
        AND (l.status = 'held' OR (l.returned_at IS NOT NULL AND l.returned_at <= $2))
        AND (r.id IS NULL OR r.released_at > $2)
      ORDER BY l.merchant_no, l.business_date, l.id LIMIT ${ITEMS_MAX}`,
    [merchantNos, at],
  );
  const heldFen = lines.rows.reduce((sum, l) => sum + l.amount_fen, 0);
  return {
    holds: holds.rows.map((h) => ({
      id: h.id,
      merchantNo: h.merchant_no,
      reason: h.reason,
      rules: h.rules,
      incidentId: h.incident_id,
      placedAt: h.placed_at.toISOString(),
      placedBy: h.placed_by,
    })),
    lines: lines.rows.map((l) => ({
      id: l.id,
      runId: l.run_id,
      merchantNo: l.merchant_no,
      businessDate: l.business_date,
      amountFen: l.amount_fen,
      status: l.status_at,
      holdReasons: l.hold_reasons,
      accountNumberMasked: l.account_number_masked,
      accountName: l.account_name,
      bankName: l.bank_name,
      returnCode: l.return_code,
      returnedAt: iso(l.returned_at),
    })),
    heldFen,
  };
}

/** Merchant numbers an alert names in its explanation (bound merchant, sharers…). */
function merchantsNamed(data: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const key of ['merchantNo', 'boundMerchantNo', 'transactionMerchantNo']) {
    const value = data[key];
    if (typeof value === 'string') found.push(value);
  }
  const others = data.otherMerchantNos;
  if (Array.isArray(others))
    found.push(...others.filter((v): v is string => typeof v === 'string'));
  return found.filter((m) => /^[0-9]{15}$/.test(m));
}

/** Builds the snapshot document of a detection. */
export async function buildSnapshot(q: Queryable, request: SnapshotRequest) {
  const incident = await incidentFacts(q, request.incidentId);
  if (!incident) throw new DomainError('not_found', 'Incident not found');
  const at = request.at;
  const alerts = await alertsOf(q, request.incidentId, request.alertIds);
  const transactionIds = new Set(request.transactionIds);
  for (const a of alerts) if (a.transactionId) transactionIds.add(a.transactionId);
  const transactions = await transactionsOf(q, [...transactionIds]);

  const merchantNos = new Set<string>([incident.merchant_no]);
  for (const a of alerts) {
    merchantNos.add(a.merchantNo);
    for (const m of merchantsNamed(a.explanation.data)) merchantNos.add(m);
  }
  for (const t of transactions) merchantNos.add(t.merchantNo);
  const terminalIds = new Set<string>([
    ...alerts.flatMap((a) => (a.terminalId ? [a.terminalId] : [])),
    ...transactions.map((t) => t.terminalId),
    ...(await terminalIdsOfMerchants(q, [incident.merchant_no], at)),
  ]);
  const terminals = await terminalVersions(q, [...terminalIds].sort(), at);
  for (const t of terminals) merchantNos.add(t.merchantNo);
  const merchantList = [...merchantNos].sort().slice(0, MERCHANTS_MAX);
  const accountIds = new Set<string>();
  for (const a of alerts) {
    if (a.accountId) accountIds.add(a.accountId);
    const named = a.explanation.data.accountId;
    if (typeof named === 'string' && UUID.test(named)) accountIds.add(named);
  }

  return {
    format: SNAPSHOT_FORMAT,
    detectedAt: at.toISOString(),
    incident: {
      id: incident.id,
      merchantNo: incident.merchant_no,
      drill: incident.drill,
      openedAt: incident.opened_at.toISOString(),
    },
    alerts,
    transactions,
    registry: {
      merchants: await merchantVersions(q, merchantList, at),
      terminals,
      settlementAccounts: await accountVersions(q, merchantList, [...accountIds], at),
    },
    settlement: await settlementAt(q, merchantList, at),
  };
}

export type SnapshotDocument = Awaited<ReturnType<typeof buildSnapshot>>;

/** The bytes stored: canonical JSON (keys sorted), so the same state always hashes the same. */
export function snapshotBytes(document: SnapshotDocument): Buffer {
  return Buffer.from(`${canonicalJson(document)}\n`, 'utf8');
}

/** Builds, stores and records the snapshot; a second run for the same state adds nothing. */
export async function takeSnapshot(
  ctx: AppContext,
  store: EvidenceStore,
  request: SnapshotRequest,
): Promise<{ item: EvidenceItem; added: boolean }> {
  const document = await buildSnapshot(ctx.db, request);
  const bytes = snapshotBytes(document);
  const stored = await store.put(bytes);
  const stamp = request.at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return recordEvidence(ctx, {
    incidentId: request.incidentId,
    kind: 'snapshot',
    sha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
    mediaType: SNAPSHOT_MEDIA_TYPE,
    fileName: `snapshot-${stamp}.json`,
    note: `检测时快照：${document.alerts.length} 条告警，${document.transactions.length} 笔交易 / Snapshot at detection: ${document.alerts.length} alert(s), ${document.transactions.length} transaction(s)`,
    createdBy: EVIDENCE_ACTOR,
  });
}
