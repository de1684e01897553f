/**
 * A person adds a file to an incident's evidence: a screenshot, a bank's letter, a call note.
 * The type is recognised from the content (the declared type and the name's extension are not
 * trusted); the file is stored content-addressed before its row, audit entry and timeline
 * entry are written in one transaction. Merchant users may add to their own merchant's
 * incidents only (others, and drills, are not found).
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  EVIDENCE_FILE_BYTES_MAX,
  EVIDENCE_NOTE_LENGTH_MAX,
  sanitiseFileName,
  sniffMediaType,
} from '../../core/evidence.js';
import type { EvidenceStore } from './store.js';
import { recordEvidence, type EvidenceItem } from './record.js';
import { incidentInScope } from './queries.js';

export async function addEvidenceFile(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  input: { incidentId: string; bytes: Buffer; fileName?: string; note?: string | null },
): Promise<EvidenceItem> {
  authorise(principal, 'evidence.add');
  const incident = await incidentInScope(ctx.db, principal, input.incidentId);
  if (!store) {
    throw new DomainError(
      'evidence_store_unavailable',
      'This server keeps no evidence files: set SETTLEGUARD_EVIDENCE_DIR',
    );
  }
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note !== null && note.length > EVIDENCE_NOTE_LENGTH_MAX) {
    throw new DomainError('validation_failed', 'The note is too long', [
      issue('note', 'validation_failed', `At most ${EVIDENCE_NOTE_LENGTH_MAX} characters`),
    ]);
  }
  if (input.bytes.length === 0) {
    throw new DomainError('validation_failed', 'The file is empty', [
      issue('file', 'validation_failed', 'Send a file of at least one byte'),
    ]);
  }
  if (input.bytes.length > EVIDENCE_FILE_BYTES_MAX) {
    throw new DomainError(
      'payload_too_large',
      `An evidence file may be at most ${EVIDENCE_FILE_BYTES_MAX} bytes`,
    );
  }
  const mediaType = sniffMediaType(input.bytes);
  if (!mediaType || mediaType === 'application/json') {
    throw new DomainError(
      'unsupported_media_type',
      'Accepted evidence files are PNG, JPEG, GIF, WebP, PDF and plain UTF-8 text, recognised by their content',
      [issue('file', 'unsupported_media_type', 'Not a PNG, JPEG, GIF, WebP, PDF or UTF-8 text')],
    );
  }
  const stored = await store.put(input.bytes);
  const { item } = await recordEvidence(ctx, {
    incidentId: incident.id,
    kind: 'file',
    sha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
    mediaType,
    fileName: sanitiseFileName(input.fileName, mediaType),
    note,
    createdBy: principal.username,
  });
  return item;
}
