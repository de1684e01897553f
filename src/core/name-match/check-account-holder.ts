/**
 * Whether a settlement account's holder is who the merchant's type says it must be (PRODUCT.md,
 * "account does not match the merchant"): an enterprise settles to a corporate account in its
 * registered name; an individual business to a corporate account in its licence name or a
 * personal account of its legal person; a micro merchant to a personal account of its legal
 * person. Pure function, no I/O.
 */
import type { ErrorCode } from '../errors.js';
import type { AccountType, MerchantType } from '../registry.js';
import { compareNameMatches, matchNames } from './match-names.js';
import type { NameKind, NameMatch, NameMatchReason } from './match-names.js';
import { normaliseName, parsePlaceholderName } from './normalise.js';

export interface CheckAccountHolderInput {
  merchantType: MerchantType;
  /** The registered name: the business licence's name (or a micro merchant's shop name). */
  merchantName: string;
  legalPersonName: string;
  accountType: AccountType;
  /** The account holder's name (户名) as the bank holds it. */
  accountName: string;
}

export type ComparedWith = 'merchant_name' | 'legal_person';

export interface AccountHolderCheck extends NameMatch {
  /** Which name the holder was compared with (the better of the comparisons that apply). */
  comparedWith: ComparedWith;
  /**
   * Whether the account type is allowed for the merchant type at all. The name check is
   * separate: an allowed account can still be a `no_match`.
   */
  allowed: boolean;
  /** Set when the account type is not allowed (then `result` is `no_match`, `reasons` empty). */
  errorCode?: Extract<ErrorCode, 'account_type_not_allowed'>;
}

/** The account types each merchant type may settle to, and with whose name. */
const RULES: Record<MerchantType, Partial<Record<AccountType, ComparedWith>>> = {
  enterprise: { corporate: 'merchant_name' },
  individual_business: { corporate: 'merchant_name', personal: 'legal_person' },
  micro: { personal: 'legal_person' },
};

/** Whose name a not-allowed account would have been compared with, for `comparedWith`. */
const NOT_ALLOWED_COMPARED_WITH: Record<MerchantType, ComparedWith> = {
  enterprise: 'merchant_name',
  individual_business: 'merchant_name',
  micro: 'legal_person',
};

interface Comparison {
  comparedWith: ComparedWith;
  outcome: NameMatch;
}

function compareWith(
  comparedWith: ComparedWith,
  accountName: string,
  expectedName: string,
  kind: NameKind,
  extraReasons: readonly NameMatchReason[] = [],
): Comparison {
  const outcome = matchNames({ accountName, expectedName, kind });
  if (outcome.result !== 'no_match') {
    for (const reason of extraReasons) {
      if (!outcome.reasons.includes(reason)) outcome.reasons.push(reason);
    }
  }
  return { comparedWith, outcome };
}

/**
 * Checks an account holder's name against the merchant: the account type against the merchant
 * type (a personal account for an enterprise, a corporate account for a micro merchant:
 * `allowed: false`, `account_type_not_allowed`), then the holder's name against the licence
 * name or the legal person's, whichever the rules say. An individual business whose licence
 * name is a placeholder (个体户张三, ***) is also compared, on a corporate account, with its
 * legal person; the better comparison is returned.
 */
export function checkAccountHolder(input: CheckAccountHolderInput): AccountHolderCheck {
  const { merchantType, merchantName, legalPersonName, accountType, accountName } = input;
  const rule = RULES[merchantType][accountType];
  if (rule === undefined) {
    return {
      result: 'no_match',
      score: 0,
      reasons: [],
      comparedWith: NOT_ALLOWED_COMPARED_WITH[merchantType],
      allowed: false,
      errorCode: 'account_type_not_allowed',
    };
  }

  if (rule === 'legal_person') {
    const chosen = compareWith('legal_person', accountName, legalPersonName, 'person');
    return { ...chosen.outcome, comparedWith: chosen.comparedWith, allowed: true };
  }
  let chosen = compareWith('merchant_name', accountName, merchantName, 'organisation');
  if (
    merchantType === 'individual_business' &&
    parsePlaceholderName(normaliseName(merchantName)) !== null
  ) {
    const withPerson = compareWith('legal_person', accountName, legalPersonName, 'person', [
      'placeholder_name',
    ]);
    if (compareNameMatches(withPerson.outcome, chosen.outcome) < 0) chosen = withPerson;
  }
  return { ...chosen.outcome, comparedWith: chosen.comparedWith, allowed: true };
}
