import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { SettlementAccountInput } from '../../core/registry.js';
import { validateAccount, type NameCheck } from '../../core/registry-validation.js';
import { lookupBin } from '../../core/bins/bins.js';
import { findMerchant, merchantsSharingAccount } from '../../storage/registry-repository.js';

export interface AccountCheckResult {
  accountNumberMasked: string;
  accountType: 'corporate' | 'personal';
  bank: {
    name: string;
    code: string | null;
    cardType: string | null;
    source: 'bin' | 'declared';
  } | null;
  nameCheck: NameCheck;
  warnings: { path: string; code: string; message: string }[];
  /** Other merchants whose account in force is this same account. */
  alsoUsedBy: number;
}

/**
 * Checks a settlement account against a merchant without storing anything: the number, the
 * bank behind the card, the holder name under the merchant-type rules, and whether another
 * merchant already settles to it. Problems answer 422 with their codes; what passes comes back
 * with its warnings, for a person to judge before an account is entered or changed.
 */
export async function checkAccount(
  ctx: AppContext,
  principal: Principal,
  input: SettlementAccountInput & { merchantNo: string },
): Promise<AccountCheckResult> {
  authorise(principal, 'accounts.check');
  ensureInScope(principal, input.merchantNo, 'Merchant');
  const merchant = await findMerchant(ctx.db, input.merchantNo);
  if (!merchant) throw new DomainError('not_found', 'Merchant not found');
  const checked = validateAccount(input, {
    type: merchant.type,
    name: merchant.name,
    legalPersonName: merchant.legal_person_name,
  });
  if (!checked.ok) {
    throw new DomainError(
      checked.issues[0]?.code ?? 'validation_failed',
      'The account has invalid data',
      checked.issues,
    );
  }
  const account = checked.value;
  const bin = account.accountType === 'personal' ? lookupBin(account.accountNumber) : null;
  const sharing = await merchantsSharingAccount(
    ctx.db,
    ctx.vault.fingerprint('account_number', account.accountNumber),
    merchant.merchant_no,
  );
  return {
    accountNumberMasked: account.accountNumberMasked,
    accountType: account.accountType,
    bank: bin
      ? { name: bin.bank, code: bin.bankCode, cardType: bin.cardType, source: 'bin' }
      : account.bankName
        ? { name: account.bankName, code: account.bankCode, cardType: null, source: 'declared' }
        : null,
    nameCheck: account.nameCheck,
    warnings: checked.warnings.map(({ path, code, message }) => ({ path, code, message })),
    alsoUsedBy: sharing.length,
  };
}
