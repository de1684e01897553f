/**
 * Writing and verifying the audit trail. `recordAudit` must be called with the transaction of
 * the change it records: both commit or neither does. The head row is locked for the length
 * of the transaction, which serialises writers; see docs/adr/0004-audit-chain.md for why one
 * chain is enough for now and how it partitions later.
 */
import type { Database, Queryable } from '../storage/database.js';
import {
  ChainVerifier,
  hashAuditEntry,
  type AuditContent,
  type ChainVerdict,
} from '../core/audit-chain.js';

export interface AuditEvent {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  merchantNo?: string | null;
  /** Masked state before the change; never a full card, account or ID number. */
  before?: unknown;
  after?: unknown;
}

/**
 * Takes the audit chain's lock for the rest of the transaction. Every transaction that will
 * audit AND lock other rows (terminals, incidents) takes it first, so that all of them lock in
 * one order and cannot deadlock one another.
 */
export async function lockAuditChain(tx: Queryable): Promise<void> {
  await tx.query('SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE');
}

export async function recordAudit(tx: Queryable, event: AuditEvent, at: Date): Promise<number> {
  const head = await tx.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE',
  );
  const current = head.rows[0];
  if (!current) throw new Error('audit_head row is missing');
  const content: AuditContent = {
    seq: current.last_seq + 1,
    at: at.toISOString(),
    actor: event.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    merchantNo: event.merchantNo ?? null,
    // Round-trip through JSON so that what is hashed is exactly what jsonb gives back.
    before: normaliseJson(event.before),
    after: normaliseJson(event.after),
  };
  const hash = hashAuditEntry(content, current.last_hash);
  await tx.query(
    `INSERT INTO audit_entries
       (seq, at, actor, action, entity_type, entity_id, merchant_no, before, after, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      content.seq,
      content.at,
      content.actor,
      content.action,
      content.entityType,
      content.entityId,
      content.merchantNo,
      content.before === null ? null : JSON.stringify(content.before),
      content.after === null ? null : JSON.stringify(content.after),
      current.last_hash,
      hash,
    ],
  );
  await tx.query('UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1', [
    content.seq,
    hash,
  ]);
  return content.seq;
}

function normaliseJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  merchant_no: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

/** Pages through the whole trail in bounded batches and recomputes every link. */
export async function verifyAuditTrail(
  db: Database,
  options: { batchSize?: number } = {},
): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? 5000;
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>(
      'SELECT * FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, batchSize],
    );
    for (const row of rows) {
      verifier.push({
        seq: row.seq,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        merchantNo: row.merchant_no,
        before: row.before,
        after: row.after,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) break;
    after = last.seq;
  }
  const head = await db.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_head WHERE id = 1',
  );
  const headRow = head.rows[0];
  return verifier.finish({
    lastSeq: headRow ? headRow.last_seq : -1,
    lastHash: headRow?.last_hash ?? '',
  });
}
