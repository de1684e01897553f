/**
 * Verifying evidence: every item's file still hashes to the SHA-256 its row names; every row
 * still says what its audit entry recorded when it was added; every item the audit chain
 * records still has its row; and the audit chain itself verifies. Together: a file changed on
 * disk, a row changed or deleted in the database, or an audit entry changed to match either,
 * is found and named. What this cannot prove is in docs/adr/0014-evidence-and-case-file.md.
 */
import type { Database, Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { verifyAuditTrail } from '../audit.js';
import { canonicalJson, type ChainVerdict } from '../../core/audit-chain.js';
import { DomainError } from '../../core/errors.js';
import type { EvidenceProblemCode } from '../../core/evidence.js';
import type { Principal } from '../../core/roles.js';
import type { EvidenceStore } from './store.js';
import {
  auditedContent,
  EVIDENCE_AUDIT_ACTION,
  EVIDENCE_COLUMNS,
  EVIDENCE_ENTITY,
  type EvidenceRow,
} from './record.js';
import { findIncidentForEvidence } from './queries.js';

export interface EvidenceProblem {
  code: EvidenceProblemCode;
  evidenceId: string | null;
  sha256: string | null;
  message: string;
}

export interface EvidenceVerdict {
  ok: boolean;
  incidentId: string | null;
  /** Items (rows) checked. */
  items: number;
  auditChain: ChainVerdict;
  problems: EvidenceProblem[];
}

const PAGE = 500;

interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  after: unknown;
}

async function auditEntries(q: Queryable, seqs: readonly number[]): Promise<Map<number, AuditRow>> {
  const { rows } = await q.query<AuditRow>(
    `SELECT seq, at, actor, action, entity_type, entity_id, after FROM audit_entries
      WHERE seq = ANY($1::bigint[])`,
    [seqs],
  );
  return new Map(rows.map((row) => [row.seq, row]));
}

/** Which of the row's fields differ from what its audit entry recorded. */
function differences(row: EvidenceRow, entry: AuditRow): string[] {
  const recorded = (entry.after ?? {}) as Record<string, unknown>;
  const now = auditedContent({
    incidentId: row.incident_id,
    kind: row.kind,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    mediaType: row.media_type,
    fileName: row.file_name,
    note: row.note,
  }) as Record<string, unknown>;
  const fields = Object.keys(now).filter(
    (key) => canonicalJson(now[key]) !== canonicalJson(recorded[key] ?? null),
  );
  if (entry.actor !== row.created_by) fields.push('createdBy');
  if (new Date(entry.at).getTime() !== row.created_at.getTime()) fields.push('createdAt');
  return fields;
}

async function checkRow(
  store: EvidenceStore,
  row: EvidenceRow,
  entry: AuditRow | undefined,
): Promise<EvidenceProblem[]> {
  const problems: EvidenceProblem[] = [];
  const at = { evidenceId: row.id, sha256: row.sha256 };
  if (
    !entry ||
    entry.entity_type !== EVIDENCE_ENTITY ||
    entry.entity_id !== row.id ||
    entry.action !== EVIDENCE_AUDIT_ACTION
  ) {
    problems.push({
      code: 'audit_entry_missing',
      ...at,
      message: `Evidence ${row.id}: audit entry ${row.audit_seq} does not record this item`,
    });
  } else {
    const changed = differences(row, entry);
    if (changed.length > 0) {
      problems.push({
        code: 'row_altered',
        ...at,
        message: `Evidence ${row.id}: ${changed.join(', ')} differ from audit entry ${row.audit_seq}`,
      });
    }
  }
  const file = await store.check(row.sha256);
  if (file.state === 'missing') {
    problems.push({
      code: 'file_missing',
      ...at,
      message: `Evidence ${row.id}: file ${row.sha256} is not in the store`,
    });
  } else if (file.state === 'altered') {
    problems.push({
      code: 'file_altered',
      ...at,
      message: `Evidence ${row.id}: file ${row.sha256} now hashes to ${file.sha256} (${file.sizeBytes} bytes)`,
    });
  } else if (file.sizeBytes !== row.size_bytes) {
    problems.push({
      code: 'row_altered',
      ...at,
      message: `Evidence ${row.id}: the row says ${row.size_bytes} bytes, the file has ${file.sizeBytes}`,
    });
  }
  return problems;
}

/** Items the audit chain records whose row is gone. */
async function missingRows(q: Queryable, incidentId: string | null): Promise<EvidenceProblem[]> {
  const { rows } = await q.query<{ seq: number; entity_id: string; sha256: string | null }>(
    `SELECT a.seq, a.entity_id, a.after->>'sha256' AS sha256 FROM audit_entries a
      WHERE a.entity_type = $1 AND a.action = $2
        AND ($3::text IS NULL OR a.after->>'incidentId' = $3)
        AND NOT EXISTS (SELECT 1 FROM evidence_items e WHERE e.id::text = a.entity_id)
      ORDER BY a.seq LIMIT 1000`,
    [EVIDENCE_ENTITY, EVIDENCE_AUDIT_ACTION, incidentId],
  );
  return rows.map((row) => ({
    code: 'row_missing' as const,
    evidenceId: row.entity_id,
    sha256: row.sha256,
    message: `Evidence ${row.entity_id}: recorded by audit entry ${row.seq}, but its row is gone`,
  }));
}

/** Verifies the evidence of one incident, or of every incident when `incidentId` is null. */
export async function verifyEvidence(
  db: Database,
  store: EvidenceStore,
  options: { incidentId: string | null },
): Promise<EvidenceVerdict> {
  const problems: EvidenceProblem[] = [];
  let items = 0;
  let afterSeq = 0;
  for (;;) {
    const { rows } = await db.query<EvidenceRow>(
      `SELECT ${EVIDENCE_COLUMNS} FROM evidence_items
        WHERE ($1::uuid IS NULL OR incident_id = $1) AND audit_seq > $2
        ORDER BY audit_seq LIMIT ${PAGE}`,
      [options.incidentId, afterSeq],
    );
    const entries = await auditEntries(
      db,
      rows.map((row) => row.audit_seq),
    );
    for (const row of rows) {
      problems.push(...(await checkRow(store, row, entries.get(row.audit_seq))));
    }
    items += rows.length;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) break;
    afterSeq = last.audit_seq;
  }
  problems.push(...(await missingRows(db, options.incidentId)));
  const auditChain = await verifyAuditTrail(db);
  if (!auditChain.ok) {
    problems.push({
      code: 'audit_chain_broken',
      evidenceId: null,
      sha256: null,
      message: `The audit chain is broken at entry ${auditChain.firstBrokenSeq} (${auditChain.problem})`,
    });
  }
  return { ok: problems.length === 0, incidentId: options.incidentId, items, auditChain, problems };
}

/** The HTTP use case: one incident's evidence, for the roles that may verify. */
export async function verifyIncidentEvidence(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  incidentId: string,
): Promise<EvidenceVerdict> {
  authorise(principal, 'evidence.verify');
  const incident = await findIncidentForEvidence(ctx.db, incidentId);
  ensureInScope(principal, incident.merchantNo, 'Incident');
  if (!store) {
    throw new DomainError(
      'evidence_store_unavailable',
      'This server keeps no evidence files: set SETTLEGUARD_EVIDENCE_DIR',
    );
  }
  return verifyEvidence(ctx.db, store, { incidentId: incident.id });
}
