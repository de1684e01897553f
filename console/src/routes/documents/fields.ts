import type { DocumentFields, DocumentType, ReviewFields } from '../../api/correction';

export const REVIEW_FIELDS = [
  'licenseNumber',
  'idNumber',
  'holderName',
  'accountNumber',
  'validFrom',
  'validUntil',
] as const;
export type ReviewField = (typeof REVIEW_FIELDS)[number];

/**
 * What a reviewer reads off each kind of document: the fields the server compares with the
 * registry (licence number with the USCC, ID number with the legal person's, holder name, account
 * number with the requested account) and the dates that make it expire.
 */
export const FIELDS_BY_TYPE: Record<DocumentType, readonly ReviewField[]> = {
  business_license: ['licenseNumber', 'holderName', 'validFrom', 'validUntil'],
  legal_person_id_front: ['idNumber', 'holderName'],
  legal_person_id_back: ['validFrom', 'validUntil'],
  account_opening_permit: ['accountNumber', 'holderName', 'licenseNumber'],
  bank_card: ['accountNumber', 'holderName', 'validUntil'],
  settlement_authorization: ['accountNumber', 'holderName', 'idNumber', 'validUntil'],
  other: REVIEW_FIELDS,
};

/** Fields typed as dates (YYYY-MM-DD). */
export const DATE_FIELDS: readonly ReviewField[] = ['validFrom', 'validUntil'];

/** 2026-11-26: a calendar date as the server takes it. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * A field as the server gave it back: ID and account numbers only masked (under their own name
 * or a `…Masked` one), never in full.
 */
export function storedField(fields: DocumentFields, field: ReviewField): string | null {
  const masked = (fields as Record<string, unknown>)[`${field}Masked`];
  if (typeof masked === 'string' && masked !== '') return masked;
  const value = (fields as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The typed values, trimmed, blanks left out; numbers without the spaces people type in them. */
export function cleanReviewFields(values: Partial<Record<ReviewField, string>>): ReviewFields {
  const cleaned: ReviewFields = {};
  for (const field of REVIEW_FIELDS) {
    const raw = values[field]?.trim() ?? '';
    if (raw === '') continue;
    cleaned[field] =
      field === 'idNumber' || field === 'accountNumber' || field === 'licenseNumber'
        ? raw.replace(/\s+/g, '').toUpperCase()
        : raw;
  }
  return cleaned;
}
