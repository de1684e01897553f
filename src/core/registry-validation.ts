/**
 * Validation of registry inputs, pure: every identifier checked, every problem collected with
 * its field path (not only the first), values normalised. Use cases call these before touching
 * the database.
 */
import { issue, type FieldIssue } from './errors.js';
import {
  checkBankCard,
  checkCnaps,
  checkCorporateAccount,
  checkMcc,
  checkMerchantNo,
  checkMobile,
  checkResidentId,
  checkTerminalId,
  checkUscc,
  maskAccountNumber,
} from './identifiers/index.js';
import { checkDeclaredBank, lookupBin } from './bins/bins.js';
import { checkAccountHolder } from './name-match/index.js';
import {
  ACCOUNT_TYPES,
  MERCHANT_TYPES,
  type AccountType,
  type MerchantInput,
  type MerchantType,
  type SettlementAccountInput,
  type TerminalInput,
} from './registry.js';

export const NAME_LENGTH_MAX = 200;
export const PERSON_NAME_LENGTH_MAX = 100;
export const ADDRESS_LENGTH_MAX = 300;
export const OVERRIDE_REASON_LENGTH_MAX = 500;
const SERIAL_PATTERN = /^[A-Za-z0-9-]{4,40}$/;
const SHORT_TEXT_MAX = 60;

export type Validated<T> =
  { ok: true; value: T; warnings: FieldIssue[] } | { ok: false; issues: FieldIssue[] };

export interface ValidMerchant {
  merchantNo: string;
  name: string;
  type: MerchantType;
  uscc: string | null;
  usccOverrideReason: string | null;
  legalPersonName: string;
  legalPersonIdNumber: string;
  mcc: string;
  contactPhone: string | null;
  address: string | null;
}

/** Text of a value from untyped input (a number where text belongs is taken as its digits). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value.toString();
  return '';
}

function at(prefix: string, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

function text(
  raw: unknown,
  path: string,
  options: { max: number; required: boolean },
  issues: FieldIssue[],
): string | null {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (options.required) issues.push(issue(path, 'validation_failed', 'Required'));
    return null;
  }
  if (typeof raw !== 'string') {
    issues.push(issue(path, 'validation_failed', 'Must be text'));
    return null;
  }
  const value = raw.trim();
  if (value.length > options.max) {
    issues.push(issue(path, 'validation_failed', `At most ${options.max} characters`));
    return null;
  }
  return value;
}

/** Runs an identifier check and collects its outcome into the issue and warning lists. */
function checked<T extends { ok: true; value: string; warnings: FieldIssue[] }>(
  result: T | { ok: false; issues: FieldIssue[] },
  issues: FieldIssue[],
  warnings: FieldIssue[],
): string | null {
  if (!result.ok) {
    issues.push(...result.issues);
    return null;
  }
  warnings.push(...result.warnings);
  return result.value;
}

export function validateMerchant(
  input: MerchantInput,
  options: { today: Date; pathPrefix?: string },
): Validated<ValidMerchant> {
  const prefix = options.pathPrefix ?? '';
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const p = (field: string) => at(prefix, field);

  const merchantNo = checked(
    checkMerchantNo(asText(input.merchantNo), p('merchantNo')),
    issues,
    warnings,
  );
  const name = text(input.name, p('name'), { max: NAME_LENGTH_MAX, required: true }, issues);
  const type = input.type;
  if (!(MERCHANT_TYPES as readonly string[]).includes(type)) {
    issues.push(
      issue(p('type'), 'validation_failed', `Type must be one of ${MERCHANT_TYPES.join(', ')}`),
    );
  }
  const overrideReason = text(
    input.usccChecksumOverrideReason,
    p('usccChecksumOverrideReason'),
    { max: OVERRIDE_REASON_LENGTH_MAX, required: false },
    issues,
  );
  let uscc: string | null = null;
  if (input.uscc === undefined || input.uscc === null || input.uscc.trim() === '') {
    if (type !== 'micro') {
      issues.push(
        issue(p('uscc'), 'uscc_required', 'A unified social credit code is required for this type'),
      );
    }
  } else {
    uscc = checked(
      checkUscc(input.uscc, p('uscc'), overrideReason ? { overrideReason } : {}),
      issues,
      warnings,
    );
  }
  const legalPersonName = text(
    input.legalPerson?.name,
    p('legalPerson.name'),
    { max: PERSON_NAME_LENGTH_MAX, required: true },
    issues,
  );
  const legalPersonIdNumber = checked(
    checkResidentId(asText(input.legalPerson?.idNumber), p('legalPerson.idNumber'), options.today),
    issues,
    warnings,
  );
  const mcc = checked(checkMcc(asText(input.mcc), p('mcc')), issues, warnings);
  const contactPhone =
    input.contactPhone === undefined || input.contactPhone === null || input.contactPhone === ''
      ? null
      : checked(checkMobile(input.contactPhone, p('contactPhone')), issues, warnings);
  const address = text(
    input.address,
    p('address'),
    { max: ADDRESS_LENGTH_MAX, required: false },
    issues,
  );

  if (
    issues.length > 0 ||
    !merchantNo ||
    !name ||
    !legalPersonName ||
    !legalPersonIdNumber ||
    !mcc
  ) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    warnings,
    value: {
      merchantNo,
      name,
      type,
      uscc,
      usccOverrideReason:
        uscc && warnings.some((w) => w.code === 'uscc_checksum') ? overrideReason : null,
      legalPersonName,
      legalPersonIdNumber,
      mcc,
      contactPhone,
      address,
    },
  };
}

export interface ValidTerminal {
  terminalId: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  merchantNo: string;
  location: string | null;
}

export function validateTerminal(
  input: Omit<TerminalInput, 'merchantNo'> & { merchantNo?: string },
  options: { pathPrefix?: string; merchantNo?: string } = {},
): Validated<ValidTerminal> {
  const prefix = options.pathPrefix ?? '';
  const p = (field: string) => at(prefix, field);
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const terminalId = checked(
    checkTerminalId(asText(input.terminalId), p('terminalId')),
    issues,
    warnings,
  );
  const serialNumber = text(
    input.serialNumber,
    p('serialNumber'),
    { max: 40, required: true },
    issues,
  );
  if (serialNumber && !SERIAL_PATTERN.test(serialNumber)) {
    issues.push(
      issue(p('serialNumber'), 'validation_failed', '4 to 40 letters, digits or hyphens'),
    );
  }
  const model = text(input.model, p('model'), { max: SHORT_TEXT_MAX, required: true }, issues);
  const firmwareVersion = text(
    input.firmwareVersion,
    p('firmwareVersion'),
    { max: SHORT_TEXT_MAX, required: true },
    issues,
  );
  const location = text(
    input.location,
    p('location'),
    { max: ADDRESS_LENGTH_MAX, required: false },
    issues,
  );
  const merchantNo =
    options.merchantNo ??
    checked(checkMerchantNo(asText(input.merchantNo), p('merchantNo')), issues, warnings);
  if (
    issues.length > 0 ||
    !terminalId ||
    !serialNumber ||
    !model ||
    !firmwareVersion ||
    !merchantNo
  ) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    warnings,
    value: {
      terminalId,
      serialNumber: serialNumber.toUpperCase(),
      model,
      firmwareVersion,
      merchantNo,
      location,
    },
  };
}

export interface NameCheck {
  result: 'match' | 'close_match' | 'no_match';
  score: number;
  reasons: string[];
  comparedWith: 'merchant_name' | 'legal_person';
}

export interface ValidAccount {
  accountNumber: string;
  accountNumberMasked: string;
  accountName: string;
  accountType: AccountType;
  bankCode: string | null;
  bankName: string | null;
  nameCheck: NameCheck;
}

/**
 * Checks an account against its merchant: the number by its type (card Luhn as a warning,
 * corporate digits), the CNAPS code, the bank behind the card, and the holder name under the
 * merchant-type rules (a type the merchant may not use is an error).
 */
export function validateAccount(
  input: SettlementAccountInput,
  merchant: Pick<ValidMerchant, 'type' | 'name' | 'legalPersonName'>,
  options: { pathPrefix?: string } = {},
): Validated<ValidAccount> {
  const prefix = options.pathPrefix ?? '';
  const p = (field: string) => at(prefix, field);
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const accountType = input.accountType;
  if (!(ACCOUNT_TYPES as readonly string[]).includes(accountType)) {
    issues.push(
      issue(p('accountType'), 'validation_failed', `Must be one of ${ACCOUNT_TYPES.join(', ')}`),
    );
    return { ok: false, issues };
  }
  const rawNumber = asText(input.accountNumber);
  const accountNumber = checked(
    accountType === 'personal'
      ? checkBankCard(rawNumber, p('accountNumber'))
      : checkCorporateAccount(rawNumber, p('accountNumber')),
    issues,
    warnings,
  );
  const accountName = text(
    input.accountName,
    p('accountName'),
    { max: NAME_LENGTH_MAX, required: true },
    issues,
  );
  const bankCode =
    input.bankCode === undefined || input.bankCode === null || input.bankCode === ''
      ? null
      : checked(checkCnaps(input.bankCode, p('bankCode')), issues, warnings);
  const declaredBankName = text(
    input.bankName,
    p('bankName'),
    { max: SHORT_TEXT_MAX, required: false },
    issues,
  );
  let bankName = declaredBankName;
  if (accountNumber && accountType === 'personal') {
    const bin = lookupBin(accountNumber);
    bankName = declaredBankName ?? bin?.bank ?? null;
    const mismatch = checkDeclaredBank({
      cardNumber: accountNumber,
      path: p('bankCode'),
      ...(declaredBankName ? { declaredBankName } : {}),
      ...(bankCode ? { declaredBankCode: bankCode } : {}),
    });
    if (mismatch) warnings.push(mismatch);
  }
  if (issues.length > 0 || !accountNumber || !accountName) return { ok: false, issues };

  const holder = checkAccountHolder({
    merchantType: merchant.type,
    merchantName: merchant.name,
    legalPersonName: merchant.legalPersonName,
    accountType,
    accountName,
  });
  if (!holder.allowed) {
    return {
      ok: false,
      issues: [
        issue(
          p('accountType'),
          'account_type_not_allowed',
          `A ${accountType} account is not allowed for a ${merchant.type} merchant`,
        ),
      ],
    };
  }
  return {
    ok: true,
    warnings,
    value: {
      accountNumber,
      accountNumberMasked: maskAccountNumber(accountNumber, accountType),
      accountName,
      accountType,
      bankCode,
      bankName,
      nameCheck: {
        result: holder.result,
        score: Math.round(holder.score * 1000) / 1000,
        reasons: [...holder.reasons],
        comparedWith: holder.comparedWith,
      },
    },
  };
}
