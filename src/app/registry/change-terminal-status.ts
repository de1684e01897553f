import type { AppContext } from '../context.js';
import { authorise, changeRegistry, ensureInScope } from '../context.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { findTerminal } from '../../storage/registry-repository.js';
import { writeTerminalStatus } from './write-registry.js';
import { presentTerminal } from './present.js';
import { emitEvent } from '../events.js';

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
  return changeRegistry(ctx, async (tx, changed) => {
    const current = await findTerminal(tx, terminalId, { forUpdate: true });
    if (!current) throw new DomainError('not_found', 'Terminal not found');
    ensureInScope(principal, current.merchant_no, 'Terminal');
    const from = input.to === 'suspended' ? 'active' : 'suspended';
    const moved = await writeTerminalStatus(tx, {
      terminalId,
      from,
      to: input.to,
      reason,
      actor: principal.username,
      at,
    });
    if (!moved) {
      throw new DomainError(
        'invalid_state',
        `Terminal ${terminalId} is ${current.status}; only a ${from} terminal can become ${input.to}`,
      );
    }
    changed({ terminals: [terminalId] });
    // The switch stops (or lets through) the terminal at its side on this event.
    await emitEvent(
      ctx,
      tx,
      {
        type: input.to === 'suspended' ? 'terminal.suspended' : 'terminal.resumed',
        merchantNo: current.merchant_no,
        data: { terminalId, merchantNo: current.merchant_no, reason, by: principal.username },
      },
      at,
    );
    return presentTerminal(moved.after);
  });
}
