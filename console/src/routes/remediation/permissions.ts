import type { Role } from '../../api/types';

/**
 * What the remediation screens offer each role. The server decides (src/core/roles.ts); this only
 * hides what a role would be refused. Merchant users read the status of their incident's
 * remediations and nothing else: no owners, no recovery case, no contact log.
 */
const WORKERS: readonly Role[] = ['admin', 'risk', 'ops'];
const CONTACT_LOGGERS: readonly Role[] = ['admin', 'risk', 'ops', 'support'];

/** The affected payments, the recovery case, refunds and contact log: the acquirer's staff. */
export function seesRemediationWork(role: Role): boolean {
  return role !== 'merchant' && role !== 'switch';
}

/** The incident's remediations (a merchant user reads its own, without owners). */
export function readsRemediations(role: Role): boolean {
  return role !== 'switch';
}

/** Create and update remediations, record receipts, write off, mark refunds paid. */
export function canWorkRemediations(role: Role): boolean {
  return WORKERS.includes(role);
}

/** Write a contact with a customer, partner, the merchant or a bank into the log. */
export function canLogContacts(role: Role): boolean {
  return CONTACT_LOGGERS.includes(role);
}
