/**
 * Account-holder name matching (户名校验): normalising names, comparing an account holder's
 * name with the merchant's registered name or legal person's name (match / close match / no
 * match, as in the UK Confirmation of Payee and the EU Verification of Payee), and checking a
 * settlement account's holder against the merchant's type. Pure functions, no I/O.
 */
export {
  BRANCH_MARKERS,
  CHINESE_COMPANY_FORMS,
  LATIN_COMPANY_FORMS,
  KEPT_IN_SIMPLIFIED,
  NAME_DOT,
  isPersonLikeName,
  looksLikeOrganisation,
  looseNameKey,
  normaliseName,
  normaliseNameDetailed,
  parsePlaceholderName,
  stripCompanyForm,
  toSimplifiedChinese,
} from './normalise.js';
export type {
  BranchInfo,
  BranchMarker,
  CompanyForm,
  CompanyNameParts,
  NormalisedName,
  PlaceholderName,
} from './normalise.js';
export {
  MAX_BRANCH_LOCATION_LENGTH,
  MAX_CLOSE_MATCH_SCORE,
  MINOR_DIFFERENCE_MAX_EDITS_CHINESE,
  MINOR_DIFFERENCE_MAX_EDITS_LATIN,
  MINOR_DIFFERENCE_MIN_CORE_LENGTH,
  MINOR_DIFFERENCE_MIN_LENGTH_ORGANISATION,
  MINOR_DIFFERENCE_MIN_LENGTH_PERSON,
  MINOR_DIFFERENCE_MIN_SIMILARITY_LATIN,
  MIN_CLOSE_MATCH_SCORE,
  MIN_CORE_LENGTH_WITHOUT_FORM,
  NAME_MATCH_REASONS,
  NAME_MATCH_RESULTS,
  NO_MATCH_SCORE_FACTOR,
  SCORE_BRANCH,
  SCORE_COMPANY_FORM_DIFFERS,
  SCORE_EXACT,
  SCORE_NORMALISED_EQUAL,
  SCORE_PINYIN_EQUAL,
  SCORE_PLACEHOLDER,
  SCORE_WORD_ORDER,
  compareNameMatches,
  editDistance,
  matchNames,
} from './match-names.js';
export type {
  MatchNamesInput,
  NameKind,
  NameMatch,
  NameMatchReason,
  NameMatchResult,
} from './match-names.js';
export { checkAccountHolder } from './check-account-holder.js';
export type {
  AccountHolderCheck,
  CheckAccountHolderInput,
  ComparedWith,
} from './check-account-holder.js';
