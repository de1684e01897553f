/**
 * Recording one evidence item whose file is already in the store: the row, its audit entry and
 * the incident's timeline entry, in one transaction that takes the audit chain's lock first.
 * What the audit entry records is everything the row says, so that verification can tell a
 * row changed afterwards from the one that was written.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { DomainError } from '../../core/errors.js';
import { EVIDENCE_ITEMS_MAX, type EvidenceKind } from '../../core/evidence.js';

export const EVIDENCE_AUDIT_ACTION = 'evidence.added';
export const EVIDENCE_ENTITY = 'evidence';

export interface NewEvidenceItem {
  incidentId: string;
  kind: EvidenceKind;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  note: string | null;
  createdBy: string;
}

export interface EvidenceItem {
  id: string;
  incidentId: string;
  kind: EvidenceKind;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  note: string | null;
  createdAt: string;
  createdBy: string;
}

export interface EvidenceRow {
  id: string;
  incident_id: string;
  kind: EvidenceKind;
  sha256: string;
  size_bytes: number;
  media_type: string;
  file_name: string;
  note: string | null;
  created_at: Date;
  created_by: string;
  audit_seq: number;
}

export const EVIDENCE_COLUMNS = `id, incident_id, kind, sha256, size_bytes, media_type, file_name,
  note, created_at, created_by, audit_seq`;

export function presentEvidence(row: EvidenceRow): EvidenceItem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    mediaType: row.media_type,
    fileName: row.file_name,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

/** What the audit entry of an item records: the row's content, masked by nature (no numbers). */
export function auditedContent(item: {
  incidentId: string;
  kind: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  note: string | null;
}) {
  return {
    incidentId: item.incidentId,
    kind: item.kind,
    sha256: item.sha256,
    sizeBytes: item.sizeBytes,
    mediaType: item.mediaType,
    fileName: item.fileName,
    note: item.note,
  };
}

function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

/**
 * Adds the item. A snapshot whose document is already recorded for the incident is not added
 * again: the existing item is returned with `added: false`.
 */
export async function recordEvidence(
  ctx: AppContext,
  input: NewEvidenceItem,
  at: Date = ctx.now(),
): Promise<{ item: EvidenceItem; added: boolean }> {
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const incident = await tx.query<{ merchant_no: string }>(
      'SELECT merchant_no FROM incidents WHERE id = $1',
      [input.incidentId],
    );
    const merchantNo = incident.rows[0]?.merchant_no;
    if (!merchantNo) throw new DomainError('not_found', 'Incident not found');
    if (input.kind === 'snapshot') {
      const existing = await findSnapshot(tx, input.incidentId, input.sha256);
      if (existing) return { item: presentEvidence(existing), added: false };
    }
    const count = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM evidence_items WHERE incident_id = $1',
      [input.incidentId],
    );
    if ((count.rows[0]?.n ?? 0) >= EVIDENCE_ITEMS_MAX) {
      throw new DomainError(
        'evidence_limit_reached',
        `An incident holds at most ${EVIDENCE_ITEMS_MAX} evidence items`,
      );
    }
    const id = ctx.newId();
    const seq = await recordAudit(
      tx,
      {
        actor: input.createdBy,
        action: EVIDENCE_AUDIT_ACTION,
        entityType: EVIDENCE_ENTITY,
        entityId: id,
        merchantNo,
        after: auditedContent(input),
      },
      at,
    );
    const { rows } = await tx.query<EvidenceRow>(
      `INSERT INTO evidence_items (id, incident_id, kind, sha256, size_bytes, media_type,
         file_name, note, created_at, created_by, audit_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${EVIDENCE_COLUMNS}`,
      [
        id,
        input.incidentId,
        input.kind,
        input.sha256,
        input.sizeBytes,
        input.mediaType,
        input.fileName,
        input.note,
        at,
        input.createdBy,
        seq,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('evidence row not returned');
    await addIncidentEvent(tx, {
      incidentId: input.incidentId,
      at,
      kind: 'evidence_added',
      actor: input.createdBy,
      text:
        input.kind === 'snapshot'
          ? {
              zh: `已固定检测时的证据快照（SHA-256 ${shortHash(input.sha256)}）`,
              en: `Evidence snapshot of the detection frozen (SHA-256 ${shortHash(input.sha256)})`,
            }
          : {
              zh: `已添加证据文件「${input.fileName}」（SHA-256 ${shortHash(input.sha256)}）`,
              en: `Evidence file "${input.fileName}" added (SHA-256 ${shortHash(input.sha256)})`,
            },
      data: { evidenceId: id, kind: input.kind, sha256: input.sha256 },
    });
    await tx.query('UPDATE incidents SET updated_at = GREATEST(updated_at, $2) WHERE id = $1', [
      input.incidentId,
      at,
    ]);
    return { item: presentEvidence(row), added: true };
  });
}

async function findSnapshot(
  tx: Queryable,
  incidentId: string,
  sha256: string,
): Promise<EvidenceRow | undefined> {
  const { rows } = await tx.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence_items
      WHERE incident_id = $1 AND sha256 = $2 AND kind = 'snapshot'`,
    [incidentId, sha256],
  );
  return rows[0];
}
