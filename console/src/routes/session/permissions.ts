import type { Role } from '../../api/types';

/**
 * What the console offers each role. The server decides; this only hides what a role would be
 * refused, and must follow the server's permission table (src/core/roles.ts).
 */
const TERMINAL_STATUS_ROLES: readonly Role[] = ['admin', 'risk'];

/** Suspend and resume terminals. */
export function canChangeTerminalStatus(role: Role): boolean {
  return TERMINAL_STATUS_ROLES.includes(role);
}

// Settlement: `settlement.*` in src/core/roles.ts.
const SETTLEMENT_READ_ROLES: readonly Role[] = [
  'admin',
  'risk',
  'ops',
  'approver',
  'support',
  'auditor',
];
const SETTLEMENT_RUN_ROLES: readonly Role[] = ['admin', 'ops'];
const SETTLEMENT_RELEASE_ROLES: readonly Role[] = ['admin', 'approver'];

/** See settlement runs and their lines (the acquirer's staff; a merchant sees its own page). */
export function canReadSettlement(role: Role): boolean {
  return SETTLEMENT_READ_ROLES.includes(role);
}

/** Settle a business date. */
export function canCreateSettlementRun(role: Role): boolean {
  return SETTLEMENT_RUN_ROLES.includes(role);
}

/** Download a payout file (full account numbers; every download is audited). */
export function canDownloadPayoutFile(role: Role): boolean {
  return SETTLEMENT_RUN_ROLES.includes(role);
}

/** Send the bank's results (paid, returned). */
export function canRecordSettlementResults(role: Role): boolean {
  return SETTLEMENT_RUN_ROLES.includes(role);
}

/** Release a merchant's held money, with a reason. */
export function canReleaseSettlementHold(role: Role): boolean {
  return SETTLEMENT_RELEASE_ROLES.includes(role);
}

const LEDGER_VERIFY_ROLES: readonly Role[] = ['admin', 'auditor', 'ops'];

/** Check the whole ledger: journals balanced, merchants owed what their transactions say. */
export function canVerifyLedger(role: Role): boolean {
  return LEDGER_VERIFY_ROLES.includes(role);
}

const AUDIT_READ_ROLES: readonly Role[] = ['admin', 'auditor', 'risk'];

/** Read the audit trail (`audit.read`): who did what, in the order it was written. */
export function canReadAudit(role: Role): boolean {
  return AUDIT_READ_ROLES.includes(role);
}
