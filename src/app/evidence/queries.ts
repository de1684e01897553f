/**
 * Reads of evidence: an incident's items and one item's content. Staff and auditors see every
 * item; a merchant user sees, and downloads, only what it added itself: the snapshots and the
 * acquirer's own files (call notes, letters) are internal to the acquirer.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { EVIDENCE_ITEMS_MAX } from '../../core/evidence.js';
import type { Principal } from '../../core/roles.js';
import { EvidenceFileAltered, type EvidenceStore } from './store.js';
import {
  EVIDENCE_COLUMNS,
  presentEvidence,
  type EvidenceItem,
  type EvidenceRow,
} from './record.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IncidentRef {
  id: string;
  merchantNo: string;
  drill: boolean;
}

/**
 * The incident as the principal may see it: outside a merchant user's scope, or a drill (which
 * merchant users never see), it is not found.
 */
export async function incidentInScope(
  q: Queryable,
  principal: Principal,
  id: string,
): Promise<IncidentRef> {
  const incident = await findIncidentForEvidence(q, id);
  ensureInScope(principal, incident.merchantNo, 'Incident');
  if (principal.role === 'merchant' && incident.drill) {
    throw new DomainError('not_found', 'Incident not found');
  }
  return incident;
}

export async function findIncidentForEvidence(q: Queryable, id: string): Promise<IncidentRef> {
  if (!UUID.test(id)) throw new DomainError('not_found', 'Incident not found');
  const { rows } = await q.query<{ id: string; merchant_no: string; drill: boolean }>(
    'SELECT id, merchant_no, drill FROM incidents WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Incident not found');
  return { id: row.id, merchantNo: row.merchant_no, drill: row.drill };
}

/** Every item of the incident in the order added (its audit entries' order), bounded. */
export async function evidenceRows(q: Queryable, incidentId: string): Promise<EvidenceRow[]> {
  const { rows } = await q.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence_items WHERE incident_id = $1
      ORDER BY audit_seq LIMIT ${EVIDENCE_ITEMS_MAX + 1}`,
    [incidentId],
  );
  return rows;
}

function visibleTo(principal: Principal, row: EvidenceRow): boolean {
  return principal.role !== 'merchant' || row.created_by === principal.username;
}

export async function listEvidence(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<{ items: EvidenceItem[] }> {
  authorise(principal, 'evidence.read');
  const incident = await incidentInScope(ctx.db, principal, incidentId);
  const rows = await evidenceRows(ctx.db, incident.id);
  return { items: rows.filter((row) => visibleTo(principal, row)).map(presentEvidence) };
}

export async function evidenceContent(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  input: { incidentId: string; evidenceId: string },
): Promise<{ item: EvidenceItem; bytes: Buffer }> {
  authorise(principal, 'evidence.read');
  const incident = await incidentInScope(ctx.db, principal, input.incidentId);
  if (!UUID.test(input.evidenceId)) throw new DomainError('not_found', 'Evidence not found');
  const { rows } = await ctx.db.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence_items WHERE id = $1 AND incident_id = $2`,
    [input.evidenceId, incident.id],
  );
  const row = rows[0];
  if (!row || !visibleTo(principal, row)) throw new DomainError('not_found', 'Evidence not found');
  if (!store) {
    throw new DomainError(
      'evidence_store_unavailable',
      'This server keeps no evidence files: set SETTLEGUARD_EVIDENCE_DIR',
    );
  }
  let bytes: Buffer | null;
  try {
    bytes = await store.read(row.sha256);
  } catch (error) {
    if (!(error instanceof EvidenceFileAltered)) throw error;
    throw new DomainError(
      'evidence_file_unavailable',
      `The file of evidence ${row.id} no longer matches its SHA-256; run evidence verification`,
    );
  }
  if (!bytes) {
    throw new DomainError(
      'evidence_file_unavailable',
      `The file of evidence ${row.id} is missing from the store; run evidence verification`,
    );
  }
  return { item: presentEvidence(row), bytes };
}
