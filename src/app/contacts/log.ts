/**
 * The contact log of an incident: support and the people working the incident record who was
 * contacted (cardholder, partner, the merchant, a bank), how, what was said and what came of
 * it. Each entry is written with its audit entry and an internal timeline entry (merchant users
 * do not see it) in one transaction; entries are never changed. Staff only: merchant users get
 * `forbidden`, whatever the incident.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { DomainError, issue, type FieldIssue } from '../../core/errors.js';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOME_LENGTH_MAX,
  CONTACT_PARTIES,
  CONTACT_PARTY_NAME_LENGTH_MAX,
  CONTACT_SUMMARY_LENGTH_MAX,
  CONTACTS_PER_INCIDENT_MAX,
  contactTimelineText,
  TEMPLATE_IDS,
  type ContactChannel,
  type ContactParty,
} from '../../core/contacts.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CONTACT_ENTITY = 'incident_contact';
export const CONTACT_TIMELINE_KIND = 'contact_logged';

export interface IncidentContact {
  id: string;
  incidentId: string;
  party: ContactParty;
  partyName: string | null;
  channel: ContactChannel;
  summary: string;
  outcome: string | null;
  templateId: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ContactRow {
  id: string;
  incident_id: string;
  party: ContactParty;
  party_name: string | null;
  channel: ContactChannel;
  summary: string;
  outcome: string | null;
  template_id: string | null;
  created_by: string;
  created_at: Date;
}

export const CONTACT_COLUMNS = `id, incident_id, party, party_name, channel, summary, outcome,
  template_id, created_by, created_at`;

export function presentContact(row: ContactRow): IncidentContact {
  return {
    id: row.id,
    incidentId: row.incident_id,
    party: row.party,
    partyName: row.party_name,
    channel: row.channel,
    summary: row.summary,
    outcome: row.outcome,
    templateId: row.template_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export interface IncidentForContacts {
  id: string;
  merchantNo: string;
  status: string;
  drill: boolean;
  openedAt: Date;
}

/** The incident, or not found. Contacts are staff's: no merchant scope applies past `authorise`. */
export async function incidentForContacts(
  q: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<IncidentForContacts> {
  if (!UUID.test(id)) throw new DomainError('not_found', 'Incident not found');
  const { rows } = await q.query<{
    id: string;
    merchant_no: string;
    status: string;
    drill: boolean;
    opened_at: Date;
  }>(
    `SELECT id, merchant_no, status, drill, opened_at FROM incidents WHERE id = $1${
      options.forUpdate ? ' FOR UPDATE' : ''
    }`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Incident not found');
  return {
    id: row.id,
    merchantNo: row.merchant_no,
    status: row.status,
    drill: row.drill,
    openedAt: row.opened_at,
  };
}

export interface LogContactInput {
  party: string;
  partyName?: string | null;
  channel: string;
  summary: string;
  outcome?: string | null;
  templateId?: string | null;
}

function optionalText(
  value: string | null | undefined,
  path: string,
  max: number,
  issues: FieldIssue[],
): string | null {
  const text = value?.trim() ? value.trim() : null;
  if (text !== null && Array.from(text).length > max) {
    issues.push(issue(path, 'validation_failed', `At most ${max} characters`));
  }
  return text;
}

export async function logContact(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  input: LogContactInput,
): Promise<IncidentContact> {
  authorise(principal, 'contacts.log');
  const issues: FieldIssue[] = [];
  if (!(CONTACT_PARTIES as readonly string[]).includes(input.party)) {
    issues.push(issue('party', 'validation_failed', `One of ${CONTACT_PARTIES.join(', ')}`));
  }
  if (!(CONTACT_CHANNELS as readonly string[]).includes(input.channel)) {
    issues.push(issue('channel', 'validation_failed', `One of ${CONTACT_CHANNELS.join(', ')}`));
  }
  const summary = optionalText(input.summary, 'summary', CONTACT_SUMMARY_LENGTH_MAX, issues);
  if (summary === null) issues.push(issue('summary', 'validation_failed', 'Say what was said'));
  const partyName = optionalText(
    input.partyName,
    'partyName',
    CONTACT_PARTY_NAME_LENGTH_MAX,
    issues,
  );
  const outcome = optionalText(input.outcome, 'outcome', CONTACT_OUTCOME_LENGTH_MAX, issues);
  const templateId = input.templateId?.trim() ? input.templateId.trim() : null;
  if (templateId !== null && !(TEMPLATE_IDS as readonly string[]).includes(templateId)) {
    issues.push(issue('templateId', 'validation_failed', `One of ${TEMPLATE_IDS.join(', ')}`));
  }
  if (issues.length > 0 || summary === null) {
    throw new DomainError('validation_failed', 'The contact entry is not valid', issues);
  }
  const party = input.party as ContactParty;
  const channel = input.channel as ContactChannel;
  const at = ctx.now();
  const id = ctx.newId();
  const row = await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const incident = await incidentForContacts(tx, incidentId, { forUpdate: true });
    if (incident.status === 'closed') {
      throw new DomainError('incident_closed', 'The incident is closed');
    }
    const count = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incident_contacts WHERE incident_id = $1',
      [incident.id],
    );
    if ((count.rows[0]?.n ?? 0) >= CONTACTS_PER_INCIDENT_MAX) {
      throw new DomainError(
        'contact_limit_reached',
        `An incident holds at most ${CONTACTS_PER_INCIDENT_MAX} contact entries`,
      );
    }
    const { rows } = await tx.query<ContactRow>(
      `INSERT INTO incident_contacts (id, incident_id, party, party_name, channel, summary,
         outcome, template_id, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING ${CONTACT_COLUMNS}`,
      [
        id,
        incident.id,
        party,
        partyName,
        channel,
        summary,
        outcome,
        templateId,
        principal.username,
        at,
      ],
    );
    const inserted = rows[0];
    if (!inserted) throw new Error('contact row not returned');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.contact_logged',
        entityType: CONTACT_ENTITY,
        entityId: id,
        merchantNo: incident.merchantNo,
        after: { incidentId: incident.id, party, partyName, channel, summary, outcome, templateId },
      },
      at,
    );
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: CONTACT_TIMELINE_KIND,
      actor: principal.username,
      text: contactTimelineText({ party, partyName, channel }),
      data: { contactId: id, party, channel, templateId },
    });
    return inserted;
  });
  return presentContact(row);
}

export async function listContacts(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<{ items: IncidentContact[] }> {
  authorise(principal, 'contacts.read');
  const incident = await incidentForContacts(ctx.db, incidentId);
  const { rows } = await ctx.db.query<ContactRow>(
    `SELECT ${CONTACT_COLUMNS} FROM incident_contacts WHERE incident_id = $1
      ORDER BY created_at, id LIMIT ${CONTACTS_PER_INCIDENT_MAX}`,
    [incident.id],
  );
  return { items: rows.map(presentContact) };
}
