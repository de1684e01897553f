import type { AppContext } from '../context.js';
import { authorise, changeRegistry } from '../context.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { TerminalInput } from '../../core/registry.js';
import { validateTerminal } from '../../core/registry-validation.js';
import { findMerchant } from '../../storage/registry-repository.js';
import { writeTerminal } from './write-registry.js';
import { presentTerminal } from './present.js';

/** Registers a terminal bound to an existing merchant. */
export async function createTerminal(
  ctx: AppContext,
  principal: Principal,
  input: TerminalInput,
): Promise<ReturnType<typeof presentTerminal>> {
  authorise(principal, 'terminals.create');
  const validated = validateTerminal(input);
  if (!validated.ok) {
    throw new DomainError(
      validated.issues[0]?.code ?? 'validation_failed',
      'The terminal has invalid data',
      validated.issues,
    );
  }
  const at = ctx.now();
  const row = await changeRegistry(ctx, async (tx, changed) => {
    const merchant = await findMerchant(tx, validated.value.merchantNo);
    if (!merchant) {
      throw new DomainError('merchant_unknown', 'The merchant does not exist', [
        issue(
          'merchantNo',
          'merchant_unknown',
          `Merchant ${validated.value.merchantNo} is not registered`,
        ),
      ]);
    }
    changed({ terminals: [validated.value.terminalId] });
    return writeTerminal(tx, validated.value, { actor: principal.username, at });
  });
  return presentTerminal(row);
}
