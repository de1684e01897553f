import type { AppContext } from '../context.js';
import { authorise, changeRegistry } from '../context.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { MerchantInput } from '../../core/registry.js';
import { validateMerchant } from '../../core/registry-validation.js';
import { writeMerchant } from './write-registry.js';
import { getMerchant, type MerchantView } from './queries.js';

/** Registers a merchant after checking every identifier; 422 with every problem otherwise. */
export async function createMerchant(
  ctx: AppContext,
  principal: Principal,
  input: MerchantInput,
): Promise<MerchantView & { warnings: { path: string; code: string; message: string }[] }> {
  authorise(principal, 'merchants.create');
  const at = ctx.now();
  const validated = validateMerchant(input, { today: at });
  if (!validated.ok) {
    throw new DomainError(
      validated.issues[0]?.code ?? 'validation_failed',
      'The merchant has invalid data',
      validated.issues,
    );
  }
  await changeRegistry(ctx, async (tx, changed) => {
    await writeMerchant(ctx, tx, validated.value, { actor: principal.username, at });
    changed({ merchants: [validated.value.merchantNo] });
  });
  const view = await getMerchant(ctx, principal, validated.value.merchantNo);
  return {
    ...view,
    warnings: validated.warnings.map(({ path, code, message }) => ({ path, code, message })),
  };
}
