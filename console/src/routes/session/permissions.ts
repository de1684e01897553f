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
