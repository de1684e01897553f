import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  closeTerminalVersion,
  findTerminal,
  insertTerminal,
} from '../../storage/registry-repository.js';
import { presentTerminal } from './present.js';

export const REASON_LENGTH_MAX = 500;

/**
 * Suspends or resumes a terminal: the current version is closed and a new one with the new
 * status and the reason is written, with its audit entry, in one transaction.
 */
export async function changeTerminalStatus(
  ctx: AppContext,
  principal: Principal,
  input: { terminalId: string; to: 'suspended' | 'active'; reason: string },
): Promise<ReturnType<typeof presentTerminal>> {
  authorise(principal, input.to === 'suspended' ? 'terminals.suspend' : 'terminals.resume');
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > REASON_LENGTH_MAX) {
    throw new DomainError('validation_failed', 'A reason is required', [
      issue('reason', 'validation_failed', `1 to ${REASON_LENGTH_MAX} characters`),
    ]);
  }
  const terminalId = input.terminalId.toUpperCase();
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await findTerminal(tx, terminalId, { forUpdate: true });
    if (!current) throw new DomainError('not_found', 'Terminal not found');
    ensureInScope(principal, current.merchant_no, 'Terminal');
    const allowedFrom = input.to === 'suspended' ? 'active' : 'suspended';
    if (current.status !== allowedFrom) {
      throw new DomainError(
        'invalid_state',
        `Terminal ${terminalId} is ${current.status}; only a ${allowedFrom} terminal can become ${input.to}`,
      );
    }
    await closeTerminalVersion(tx, current.version_id, at);
    await insertTerminal(tx, {
      terminalId: current.terminal_id,
      merchantNo: current.merchant_no,
      serialNumber: current.serial_number,
      model: current.model,
      firmwareVersion: current.firmware_version,
      location: current.location,
      status: input.to,
      statusReason: reason,
      validFrom: at,
      recordedBy: principal.username,
    });
    const next = await findTerminal(tx, terminalId);
    if (!next) throw new Error('terminal vanished after status change');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: input.to === 'suspended' ? 'terminal.suspended' : 'terminal.resumed',
        entityType: 'terminal',
        entityId: terminalId,
        merchantNo: current.merchant_no,
        before: presentTerminal(current),
        after: presentTerminal(next),
      },
      at,
    );
    return presentTerminal(next);
  });
}
