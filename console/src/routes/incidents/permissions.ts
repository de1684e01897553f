import type { IncidentDetail, Role } from '../../api/types';

/**
 * What the incident screens offer each role. The server decides (src/core/roles.ts and the
 * transition table in src/core/incidents/lifecycle.ts, whose allowed moves come with each
 * incident); this only hides what a role would be refused. Merchant users read their own
 * incidents and act on none.
 */
const WORKERS: readonly Role[] = ['admin', 'risk', 'ops'];
const COMMENTERS: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'support'];
const SEVERITY_ROLES: readonly Role[] = ['admin', 'risk'];
const DRILL_ROLES: readonly Role[] = ['admin', 'risk'];
const STATS_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'];
const EVIDENCE_ADD_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'support', 'merchant'];
const EVIDENCE_VERIFY_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'auditor'];
const NOTIFICATION_ADMIN_ROLES: readonly Role[] = ['admin'];

/** A closed incident is final: nothing more is recorded on it. */
function stillOpen(incident: Pick<IncidentDetail, 'status'>): boolean {
  return incident.status !== 'closed';
}

export function canAssign(role: Role, incident: Pick<IncidentDetail, 'status'>): boolean {
  return WORKERS.includes(role) && stillOpen(incident);
}

export function canComment(role: Role, incident: Pick<IncidentDetail, 'status'>): boolean {
  return COMMENTERS.includes(role) && stillOpen(incident);
}

/** Record (or correct) the root cause and the post-mortem. */
export function canRecordFindings(role: Role, incident: Pick<IncidentDetail, 'status'>): boolean {
  return WORKERS.includes(role) && stillOpen(incident);
}

export function canChangeSeverity(role: Role, incident: Pick<IncidentDetail, 'status'>): boolean {
  return SEVERITY_ROLES.includes(role) && stillOpen(incident);
}

/** Acknowledge when the server sent no allowed moves (an older server): workers, while open. */
export function canAcknowledgeByRole(role: Role, incident: Pick<IncidentDetail, 'status'>) {
  return WORKERS.includes(role) && incident.status === 'open';
}

/** Add an evidence file: staff who work incidents, support (call notes), the merchant itself. */
export function canAddEvidence(role: Role): boolean {
  return EVIDENCE_ADD_ROLES.includes(role);
}

/** Check that no evidence changed since it was added. */
export function canVerifyEvidence(role: Role): boolean {
  return EVIDENCE_VERIFY_ROLES.includes(role);
}

/** Download the case file (merchant, terminals, accounts, amounts: the acquirer's document). */
export function canReadCaseFile(role: Role): boolean {
  return EVIDENCE_VERIFY_ROLES.includes(role);
}

/** Record that the case file was sent to the bank or payment institution. */
export function canRecordCaseFileSent(role: Role): boolean {
  return WORKERS.includes(role);
}

/** The overview's incident figures. */
export function canReadIncidentStats(role: Role): boolean {
  return STATS_ROLES.includes(role);
}

/** Start a drill from a scenario. */
export function canStartDrills(role: Role): boolean {
  return DRILL_ROLES.includes(role);
}

/** Manage webhooks and escalation policies. */
export function canManageNotifications(role: Role): boolean {
  return NOTIFICATION_ADMIN_ROLES.includes(role);
}

/**
 * Sees the acquirer's internal work on an incident (assignee, who acknowledged, root cause,
 * post-mortem): staff. A merchant user's view leaves it out, so its screens do not show it
 * as missing either.
 */
export function seesInternalWork(role: Role): boolean {
  return role !== 'merchant';
}
