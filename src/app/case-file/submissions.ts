/**
 * The record of a case file's sending: to whom, how, when, and the reference the other side
 * gave. Recorded by a person after the letter left (the system does not send it), audited, and
 * put on the incident's timeline; later case files list every sending.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { DomainError, issue, type FieldIssue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  CASE_FILE_CHANNELS,
  CHANNEL_NAMES,
  SENT_REFERENCE_LENGTH_MAX,
  SENT_TO_LENGTH_MAX,
  type CaseFileChannel,
} from '../../core/case-file.js';
import { findIncidentForEvidence } from '../evidence/queries.js';

/** A sending may be recorded late, but not for a time more than this ahead of the clock. */
const SENT_AT_FUTURE_MS_MAX = 5 * 60_000;
const SUBMISSIONS_MAX = 200;

export interface CaseFileSubmission {
  id: string;
  sentTo: string;
  channel: CaseFileChannel;
  reference: string | null;
  sentAt: string;
  recordedAt: string;
  recordedBy: string;
}

interface SubmissionRow {
  id: string;
  sent_to: string;
  channel: CaseFileChannel;
  reference: string | null;
  sent_at: Date;
  recorded_at: Date;
  recorded_by: string;
}

function present(row: SubmissionRow): CaseFileSubmission {
  return {
    id: row.id,
    sentTo: row.sent_to,
    channel: row.channel,
    reference: row.reference,
    sentAt: row.sent_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
  };
}

export async function listSubmissions(
  q: Queryable,
  incidentId: string,
): Promise<CaseFileSubmission[]> {
  const { rows } = await q.query<SubmissionRow>(
    `SELECT id, sent_to, channel, reference, sent_at, recorded_at, recorded_by
       FROM case_file_submissions WHERE incident_id = $1
      ORDER BY sent_at, id LIMIT ${SUBMISSIONS_MAX}`,
    [incidentId],
  );
  return rows.map(present);
}

export async function caseFileSubmissions(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<{ items: CaseFileSubmission[] }> {
  authorise(principal, 'case_file.read');
  const incident = await findIncidentForEvidence(ctx.db, incidentId);
  ensureInScope(principal, incident.merchantNo, 'Incident');
  return { items: await listSubmissions(ctx.db, incident.id) };
}

export interface SentInput {
  sentTo: string;
  channel: string;
  reference?: string | null | undefined;
  sentAt?: string | undefined;
}

function validate(input: SentInput, now: Date) {
  const problems: FieldIssue[] = [];
  const sentTo = input.sentTo.trim();
  if (sentTo.length === 0 || sentTo.length > SENT_TO_LENGTH_MAX) {
    problems.push(issue('sentTo', 'validation_failed', `1 to ${SENT_TO_LENGTH_MAX} characters`));
  }
  if (!(CASE_FILE_CHANNELS as readonly string[]).includes(input.channel)) {
    problems.push(issue('channel', 'validation_failed', `One of ${CASE_FILE_CHANNELS.join(', ')}`));
  }
  const reference = input.reference?.trim() ? input.reference.trim() : null;
  if (reference !== null && reference.length > SENT_REFERENCE_LENGTH_MAX) {
    problems.push(
      issue('reference', 'validation_failed', `At most ${SENT_REFERENCE_LENGTH_MAX} characters`),
    );
  }
  const sentAt = input.sentAt === undefined ? now : new Date(input.sentAt);
  if (Number.isNaN(sentAt.getTime())) {
    problems.push(issue('sentAt', 'validation_failed', 'An RFC 3339 date-time'));
  } else if (sentAt.getTime() > now.getTime() + SENT_AT_FUTURE_MS_MAX) {
    problems.push(issue('sentAt', 'validation_failed', 'Not in the future'));
  }
  if (problems.length > 0) {
    throw new DomainError('validation_failed', 'The sending cannot be recorded as given', problems);
  }
  return { sentTo, channel: input.channel as CaseFileChannel, reference, sentAt };
}

export async function recordCaseFileSent(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: SentInput,
): Promise<CaseFileSubmission> {
  authorise(principal, 'case_file.record_sent');
  const incident = await findIncidentForEvidence(ctx.db, incidentId);
  ensureInScope(principal, incident.merchantNo, 'Incident');
  const at = ctx.now();
  const sent = validate(input, at);
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const id = ctx.newId();
    const after = {
      incidentId: incident.id,
      sentTo: sent.sentTo,
      channel: sent.channel,
      reference: sent.reference,
      sentAt: sent.sentAt.toISOString(),
    };
    const seq = await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'case_file.sent',
        entityType: 'case_file_submission',
        entityId: id,
        merchantNo: incident.merchantNo,
        after,
      },
      at,
    );
    const { rows } = await tx.query<SubmissionRow>(
      `INSERT INTO case_file_submissions (id, incident_id, sent_to, channel, reference, sent_at,
         recorded_at, recorded_by, audit_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, sent_to, channel, reference, sent_at, recorded_at, recorded_by`,
      [
        id,
        incident.id,
        sent.sentTo,
        sent.channel,
        sent.reference,
        sent.sentAt,
        at,
        principal.username,
        seq,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('submission row not returned');
    const channel = CHANNEL_NAMES[sent.channel];
    const ref = sent.reference;
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'case_file_sent',
      actor: principal.username,
      text: {
        zh: `事件函已通过${channel.zh}发送至 ${sent.sentTo}${ref ? `，对方编号 ${ref}` : ''}`,
        en: `Case file sent to ${sent.sentTo} by ${channel.en.toLowerCase()}${ref ? `, their reference ${ref}` : ''}`,
      },
      data: { submissionId: id, ...after },
    });
    await tx.query('UPDATE incidents SET updated_at = GREATEST(updated_at, $2) WHERE id = $1', [
      incident.id,
      at,
    ]);
    return present(row);
  });
}
