import type { Role } from '../../api/types';

/**
 * What the remediation screens offer each role. The server decides (src/core/roles.ts); this only
 * hides what a role would be refused. Merchant users read what the API gives them of their own
 * incidents: affected payments and the status of their remediations; no owners, no contact log.
 */
const WORKERS: readonly Role[] = ['admin', 'risk', 'ops'];
const REFUND_PAYERS: readonly Role[] = ['admin', 'ops'];
const RECEIPT_RECORDERS: readonly Role[] = ['admin', 'risk', 'ops'];
// Writing off a loss is a decision, not operations' work.
const WRITE_OFF_ROLES: readonly Role[] = ['admin', 'risk', 'approver'];
const CONTACT_LOGGERS: readonly Role[] = ['admin', 'risk', 'ops', 'support'];

/** Owners, notes, the history of each remediation and the contact log: the acquirer's staff. */
export function seesRemediationWork(role: Role): boolean {
  return role !== 'merchant' && role !== 'switch';
}

/**
 * The affected payments, their remediations, recovery cases and refunds; a merchant user reads
 * those of its own incidents as the API gives them (no owners, notes or other accounts' cases).
 */
export function readsRemediations(role: Role): boolean {
  return role !== 'switch';
}

/** Arrange remediations and change their status, owner and due date. */
export function canWorkRemediations(role: Role): boolean {
  return WORKERS.includes(role);
}

/** Record that a cardholder refund was paid, with the bank's reference. */
export function canMarkRefundPaid(role: Role): boolean {
  return REFUND_PAYERS.includes(role);
}

/** Record money received back on a recovery case. */
export function canRecordReceipt(role: Role): boolean {
  return RECEIPT_RECORDERS.includes(role);
}

/** Write off what a recovery case still has outstanding. */
export function canWriteOff(role: Role): boolean {
  return WRITE_OFF_ROLES.includes(role);
}

/** Write a contact with a customer, partner, the merchant or a bank into the log. */
export function canLogContacts(role: Role): boolean {
  return CONTACT_LOGGERS.includes(role);
}
