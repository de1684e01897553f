export type { CheckResult } from './check-result.js';
export { toHalfWidth, compact } from './normalize.js';
export { checkMerchantNo, checkTerminalId, checkMcc } from './merchant.js';
export { checkMobile } from './mobile.js';
export {
  USCC_ALPHABET,
  USCC_OVERRIDE_REASON_MIN_LENGTH,
  checkUscc,
  makeOrganisationCode,
  makeUscc,
  normalizeUscc,
  organisationCodeCheckChar,
  usccCheckChar,
} from './uscc.js';
export {
  RESIDENT_ID_MIN_BIRTH_DATE,
  chinaDate,
  checkResidentId,
  makeResidentId,
  normalizeResidentId,
  residentIdBirthDate,
  residentIdCheckChar,
} from './resident-id.js';
export {
  CNAPS_BANK_CLASSES,
  SHARED_CNAPS_BANK_CLASSES,
  checkBankCard,
  checkCnaps,
  checkCorporateAccount,
  cnapsBankClass,
  isLuhnValid,
  luhnCheckDigit,
  luhnComplete,
} from './bank-account.js';
export { maskAccountNumber, maskMobile, maskResidentId } from './masking.js';
