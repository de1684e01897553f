/**
 * What the remediation use cases share: the incident they act on (locked, in scope), the
 * owner check, bounded inputs, and China's today for due dates.
 */
import type { Queryable } from '../../storage/database.js';
import { ensureInScope } from '../context.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal, Role } from '../../core/roles.js';
import { businessDateOf } from '../../core/settlement/calendar.js';
import { isCalendarDate } from '../../core/remediation/remediation.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** Who may own a remediation: the staff who work incidents and decide on them. */
export const OWNER_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'support'];

export interface IncidentRef {
  id: string;
  merchant_no: string;
  status: string;
  drill: boolean;
  opened_at: Date;
}

/** The incident, in the caller's scope (merchant users never see drills); locked when asked. */
export async function incidentFor(
  db: Queryable,
  principal: Principal,
  id: string,
  options: { lock?: boolean } = {},
): Promise<IncidentRef> {
  if (!isUuid(id)) throw new DomainError('not_found', 'Incident not found');
  const { rows } = await db.query<IncidentRef>(
    `SELECT id, merchant_no, status, drill, opened_at FROM incidents WHERE id = $1
     ${options.lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  const incident = rows[0];
  if (!incident) throw new DomainError('not_found', 'Incident not found');
  ensureInScope(principal, incident.merchant_no, 'Incident');
  if (incident.drill && principal.role === 'merchant') {
    throw new DomainError('not_found', 'Incident not found');
  }
  return incident;
}

export function refuseClosedIncident(incident: IncidentRef): void {
  if (incident.status === 'closed') {
    throw new DomainError('incident_closed', `Incident ${incident.id} is closed; it is final`);
  }
}

export async function checkOwner(tx: Queryable, username: string, path = 'owner'): Promise<void> {
  const { rows } = await tx.query<{ role: Role; disabled: boolean }>(
    'SELECT role, disabled FROM users WHERE username = $1',
    [username],
  );
  const user = rows[0];
  if (!user) {
    throw new DomainError('user_unknown', `No user ${username}`, [
      issue(path, 'user_unknown', 'no such user'),
    ]);
  }
  if (user.disabled || !OWNER_ROLES.includes(user.role)) {
    throw new DomainError(
      'assignee_not_allowed',
      `User ${username} (${user.role}${user.disabled ? ', disabled' : ''}) cannot own a remediation`,
      [issue(path, 'assignee_not_allowed', `an active user of ${OWNER_ROLES.join(', ')}`)],
    );
  }
}

/** Today in China (due dates are China dates). */
export function chinaToday(at: Date): string {
  return businessDateOf(at);
}

/** A due date: a real date, not before today in China. */
export function checkDueDate(value: string, at: Date, path = 'dueDate'): string {
  if (!isCalendarDate(value)) {
    throw new DomainError('validation_failed', `${path}: a date YYYY-MM-DD`, [
      issue(path, 'validation_failed', 'a calendar date, YYYY-MM-DD'),
    ]);
  }
  if (value < chinaToday(at)) {
    throw new DomainError('validation_failed', `${path}: not in the past`, [
      issue(path, 'validation_failed', `today (${chinaToday(at)}) or later`),
    ]);
  }
  return value;
}

/** Trimmed text of 1..max characters, or null when absent or blank. */
export function optionalText(value: string | undefined | null, path: string, max: number) {
  if (value === undefined || value === null || value.trim().length === 0) return null;
  return requiredText(value, path, max);
}

export function requiredText(value: string | undefined | null, path: string, max: number) {
  const text = (value ?? '').trim();
  if (text.length === 0 || text.length > max) {
    throw new DomainError('validation_failed', `${path}: 1 to ${String(max)} characters`, [
      issue(path, 'validation_failed', `1 to ${String(max)} characters`),
    ]);
  }
  return text;
}

export function dateText(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  // date columns come back as local-midnight Dates from pg, or strings from PGlite.
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
