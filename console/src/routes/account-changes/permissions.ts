import type { Role } from '../../api/types';

/**
 * What the account-change screens offer each role. The server decides, and sends the actions
 * the caller may take with each request (`allowedActions`); this only chooses what to show
 * before a request exists, and lets an approver try (and be told in words why not).
 */
const STAFF: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'];
const REQUEST_ROLES: readonly Role[] = ['admin', 'ops', 'risk', 'merchant'];
const APPROVE_ROLES: readonly Role[] = ['admin', 'approver'];

/** The queue of change requests across merchants. */
export function canReadChangeQueue(role: Role): boolean {
  return STAFF.includes(role);
}

/** Ask for a new settlement account (a merchant user for its own merchant). */
export function canRequestAccountChange(role: Role): boolean {
  return REQUEST_ROLES.includes(role);
}

/** Approve or reject a change (never one's own request: the server says so in words). */
export function canDecideAccountChange(role: Role): boolean {
  return APPROVE_ROLES.includes(role);
}

/** A staff request records how the merchant agreed; a merchant user's request is its consent. */
export function recordsConsent(role: Role): boolean {
  return role !== 'merchant';
}
