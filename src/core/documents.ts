/**
 * A merchant's documents, pure: the types, what files are accepted (recognised by content:
 * images and PDF only, never text), the identifiers a reviewer reads off a document and how
 * they are checked, and the comparison of those identifiers with the registry. No I/O, no
 * clock: the caller gives today's date (China) and fingerprints. See
 * docs/adr/0015-merchant-documents.md.
 */
import { issue, type FieldIssue } from './errors.js';
import { sniffMediaType } from './evidence.js';
import {
  checkBankCard,
  checkCorporateAccount,
  checkResidentId,
  checkUscc,
  maskAccountNumber,
  maskResidentId,
} from './identifiers/index.js';
import { matchNames, type NameKind } from './name-match/index.js';

export const DOCUMENT_TYPES = [
  'business_license',
  'legal_person_id_front',
  'legal_person_id_back',
  'account_opening_permit',
  'bank_card',
  'settlement_authorization',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['pending_review', 'accepted', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const REVIEW_RESULTS = ['accepted', 'rejected'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

export const DOCUMENT_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'application/pdf',
] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

/** One file at most this large (the same bound as evidence). */
export const DOCUMENT_FILE_BYTES_MAX = 10 * 1024 * 1024;
/** Documents kept per merchant: bounds the merchant's list. */
export const DOCUMENTS_PER_MERCHANT_MAX = 200;
export const REVIEW_NOTE_LENGTH_MAX = 1000;
export const HOLDER_NAME_LENGTH_MAX = 100;
/** The `expiringWithinDays` filter: at most ten years ahead. */
export const EXPIRING_WITHIN_DAYS_MAX = 3650;

export const DOCUMENT_TYPE_NAMES: Readonly<Record<DocumentType, { zh: string; en: string }>> = {
  business_license: { zh: '营业执照', en: 'Business licence' },
  legal_person_id_front: { zh: '法人身份证人像面', en: 'Legal person ID (photo side)' },
  legal_person_id_back: { zh: '法人身份证国徽面', en: 'Legal person ID (emblem side)' },
  account_opening_permit: { zh: '开户许可证', en: 'Account-opening permit' },
  bank_card: { zh: '银行卡', en: 'Bank card' },
  settlement_authorization: { zh: '结算授权书', en: 'Settlement authorisation letter' },
  other: { zh: '其他材料', en: 'Other document' },
};

/**
 * The type of an uploaded document by its first bytes: PNG, JPEG, WebP or PDF; null for
 * anything else (GIF and plain text, which evidence accepts, are no documents).
 */
export function documentContentType(bytes: Uint8Array): DocumentContentType | null {
  const sniffed = sniffMediaType(bytes);
  return (DOCUMENT_CONTENT_TYPES as readonly string[]).includes(sniffed ?? '')
    ? (sniffed as DocumentContentType)
    : null;
}

/** What a reviewer reads off a document, as sent. */
export interface ReviewFieldsInput {
  licenseNumber?: string;
  idNumber?: string;
  holderName?: string;
  accountNumber?: string;
  validFrom?: string;
  validUntil?: string;
}

/**
 * The fields once checked: identifiers normalised. `idNumber` and `accountNumber` are in clear
 * here only for the caller to fingerprint; they are never stored or shown (see `StoredFields`).
 */
export interface CheckedFields {
  licenseNumber?: string;
  idNumber?: string;
  holderName?: string;
  accountNumber?: string;
  validFrom?: string;
  validUntil?: string;
}

/** What is stored in `fields` and shown: masked numbers, fingerprints kept for matching only. */
export interface StoredFields {
  licenseNumber?: string;
  idNumberMasked?: string;
  idNumberFp?: string;
  holderName?: string;
  accountNumberMasked?: string;
  accountNumberFp?: string;
  validFrom?: string;
  validUntil?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return (
    y >= 1900 &&
    y <= 2200 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d
  );
}

/** `today` plus `days` calendar days, both `YYYY-MM-DD`. */
export function addDays(today: string, days: number): string {
  const m = DATE.exec(today);
  if (!m) throw new RangeError(`not a date: ${today}`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return date.toISOString().slice(0, 10);
}

/** A document has expired once the day after its last valid day has begun (China time). */
export function isExpired(expiresOn: string | null, today: string): boolean {
  return expiresOn !== null && expiresOn < today;
}

/**
 * Checks the fields a reviewer read off a document. Identifiers must pass their checks (a
 * licence number its GB 32100 check character, an ID number GB 11643, an account number its
 * shape); dates must exist and be in order. `today` is a Date for the ID's birth-date check.
 */
export function checkReviewFields(
  input: ReviewFieldsInput,
  documentType: DocumentType,
  today: Date,
): { ok: true; fields: CheckedFields } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const fields: CheckedFields = {};
  const text = (value: string | undefined) => (value ?? '').trim();

  if (text(input.licenseNumber)) {
    const checked = checkUscc(text(input.licenseNumber), 'fields.licenseNumber');
    if (checked.ok) fields.licenseNumber = checked.value;
    else issues.push(...checked.issues);
  }
  if (text(input.idNumber)) {
    const checked = checkResidentId(text(input.idNumber), 'fields.idNumber', today);
    if (checked.ok) fields.idNumber = checked.value;
    else issues.push(...checked.issues);
  }
  if (text(input.holderName)) {
    const name = text(input.holderName);
    if (Array.from(name).length > HOLDER_NAME_LENGTH_MAX) {
      issues.push(
        issue(
          'fields.holderName',
          'validation_failed',
          `At most ${HOLDER_NAME_LENGTH_MAX} characters`,
        ),
      );
    } else {
      fields.holderName = name;
    }
  }
  if (text(input.accountNumber)) {
    const checked =
      documentType === 'bank_card'
        ? checkBankCard(text(input.accountNumber), 'fields.accountNumber')
        : checkCorporateAccount(text(input.accountNumber), 'fields.accountNumber');
    if (checked.ok) fields.accountNumber = checked.value;
    else issues.push(...checked.issues);
  }
  for (const key of ['validFrom', 'validUntil'] as const) {
    const value = text(input[key]);
    if (!value) continue;
    if (isCalendarDate(value)) fields[key] = value;
    else issues.push(issue(`fields.${key}`, 'validation_failed', 'A date YYYY-MM-DD that exists'));
  }
  if (fields.validFrom && fields.validUntil && fields.validFrom > fields.validUntil) {
    issues.push(issue('fields.validUntil', 'validation_failed', 'Before validFrom'));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, fields };
}

/** The mask of an account number read off a document: a card shows its BIN, others less. */
export function maskDocumentAccount(accountNumber: string, documentType: DocumentType): string {
  return maskAccountNumber(accountNumber, documentType === 'bank_card' ? 'personal' : 'corporate');
}

/** The fields as stored: numbers masked and fingerprinted by the caller's `fingerprint`. */
export function storedFields(
  fields: CheckedFields,
  documentType: DocumentType,
  fingerprint: { idNumber: (v: string) => string; accountNumber: (v: string) => string },
): StoredFields {
  const stored: StoredFields = {};
  if (fields.licenseNumber) stored.licenseNumber = fields.licenseNumber;
  if (fields.idNumber) {
    stored.idNumberMasked = maskResidentId(fields.idNumber);
    stored.idNumberFp = fingerprint.idNumber(fields.idNumber);
  }
  if (fields.holderName) stored.holderName = fields.holderName;
  if (fields.accountNumber) {
    stored.accountNumberMasked = maskDocumentAccount(fields.accountNumber, documentType);
    stored.accountNumberFp = fingerprint.accountNumber(fields.accountNumber);
  }
  if (fields.validFrom) stored.validFrom = fields.validFrom;
  if (fields.validUntil) stored.validUntil = fields.validUntil;
  return stored;
}

/** The fields as shown: without the fingerprints, which only the server compares. */
export function presentFields(
  stored: StoredFields,
): Omit<StoredFields, 'idNumberFp' | 'accountNumberFp'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { idNumberFp, accountNumberFp, ...shown } = stored;
  return shown;
}

export const COMPARISON_FIELDS = [
  'licenseNumber',
  'idNumber',
  'holderName',
  'accountNumber',
  'validUntil',
] as const;
export type ComparisonField = (typeof COMPARISON_FIELDS)[number];
export const COMPARISON_RESULTS = ['match', 'mismatch', 'expired', 'not_checked'] as const;
export type ComparisonResult = (typeof COMPARISON_RESULTS)[number];

export interface Comparison {
  field: ComparisonField;
  result: ComparisonResult;
  message: { zh: string; en: string };
}

/** What the registry (and an open account change) says, for the comparison. */
export interface RegistryFacts {
  merchantName: string;
  uscc: string | null;
  legalPersonName: string;
  legalPersonIdFp: string;
  /**
   * The account the document should show: an open account change's new account if there is
   * one, else the account in force; null when the merchant has neither.
   */
  account: { fp: string; masked: string; source: 'account_change' | 'registry' } | null;
}

/** Which name a document's holder is expected to carry. */
function expectedHolders(
  type: DocumentType,
  facts: RegistryFacts,
): { name: string; kind: NameKind; what: { zh: string; en: string } }[] {
  const merchant = {
    name: facts.merchantName,
    kind: 'organisation' as const,
    what: { zh: '商户名称', en: 'the merchant name' },
  };
  const person = {
    name: facts.legalPersonName,
    kind: 'person' as const,
    what: { zh: '法人姓名', en: 'the legal person' },
  };
  if (type === 'business_license') return [merchant];
  if (type === 'legal_person_id_front' || type === 'legal_person_id_back') return [person];
  return [merchant, person];
}

/**
 * Compares what a reviewer read off a document with the registry: the licence number with the
 * merchant's USCC, the ID number's fingerprint with the legal person's, the holder's name with
 * the merchant's or legal person's (as the name rules match them; only `match` counts), the
 * account number's fingerprint with the account it should be, and the expiry with today.
 * A field not given is not compared.
 */
export function compareWithRegistry(
  type: DocumentType,
  fields: StoredFields,
  facts: RegistryFacts,
  today: string,
): Comparison[] {
  const out: Comparison[] = [];
  if (fields.licenseNumber !== undefined) {
    if (facts.uscc === null) {
      out.push({
        field: 'licenseNumber',
        result: 'not_checked',
        message: {
          zh: '登记信息中没有统一社会信用代码，无法核对',
          en: 'The registry holds no unified social credit code to compare with',
        },
      });
    } else if (facts.uscc === fields.licenseNumber) {
      out.push({
        field: 'licenseNumber',
        result: 'match',
        message: {
          zh: '统一社会信用代码与登记一致',
          en: 'The licence number matches the registered USCC',
        },
      });
    } else {
      out.push({
        field: 'licenseNumber',
        result: 'mismatch',
        message: {
          zh: `统一社会信用代码与登记（${facts.uscc}）不一致`,
          en: `The licence number differs from the registered USCC (${facts.uscc})`,
        },
      });
    }
  }
  if (fields.idNumberFp !== undefined) {
    const same = fields.idNumberFp === facts.legalPersonIdFp;
    out.push({
      field: 'idNumber',
      result: same ? 'match' : 'mismatch',
      message: same
        ? { zh: '身份证号与登记的法人一致', en: 'The ID number is the registered legal person’s' }
        : {
            zh: '身份证号与登记的法人不一致',
            en: 'The ID number is not the registered legal person’s',
          },
    });
  }
  if (fields.holderName !== undefined) {
    const holder = fields.holderName;
    const candidates = expectedHolders(type, facts);
    const matched = candidates.find(
      (c) =>
        matchNames({ accountName: holder, expectedName: c.name, kind: c.kind }).result === 'match',
    );
    if (matched) {
      out.push({
        field: 'holderName',
        result: 'match',
        message: {
          zh: `名称与${matched.what.zh}一致`,
          en: `The name matches ${matched.what.en}`,
        },
      });
    } else {
      out.push({
        field: 'holderName',
        result: 'mismatch',
        message: {
          zh: `名称与${candidates.map((c) => `${c.what.zh}（${c.name}）`).join('或')}不一致`,
          en: `The name matches neither ${candidates.map((c) => `${c.what.en} (${c.name})`).join(' nor ')}`,
        },
      });
    }
  }
  if (fields.accountNumberFp !== undefined) {
    const account = facts.account;
    if (account === null) {
      out.push({
        field: 'accountNumber',
        result: 'not_checked',
        message: {
          zh: '商户没有在用账户或进行中的账户变更，无法核对',
          en: 'The merchant has no account in force and no open account change to compare with',
        },
      });
    } else {
      const same = account.fp === fields.accountNumberFp;
      const which =
        account.source === 'account_change'
          ? {
              zh: `进行中账户变更的新账户（${account.masked}）`,
              en: `the open account change’s new account (${account.masked})`,
            }
          : {
              zh: `在用结算账户（${account.masked}）`,
              en: `the settlement account in force (${account.masked})`,
            };
      out.push({
        field: 'accountNumber',
        result: same ? 'match' : 'mismatch',
        message: same
          ? { zh: `账号与${which.zh}一致`, en: `The account number is ${which.en}` }
          : { zh: `账号与${which.zh}不一致`, en: `The account number is not ${which.en}` },
      });
    }
  }
  if (fields.validUntil !== undefined) {
    const expired = isExpired(fields.validUntil, today);
    out.push({
      field: 'validUntil',
      result: expired ? 'expired' : 'match',
      message: expired
        ? { zh: `证件已于 ${fields.validUntil} 过期`, en: `Expired on ${fields.validUntil}` }
        : { zh: `有效期至 ${fields.validUntil}`, en: `Valid until ${fields.validUntil}` },
    });
  }
  return out;
}
