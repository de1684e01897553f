/**
 * Which documents an account change needs, by merchant type and account type, and which of
 * them are still missing given the documents attached to the request. Pure.
 *
 * The table follows what acquirers ask for under 银发〔2021〕259号 and the usual KYC practice:
 * - enterprise, corporate account: business licence and the account-opening permit (开户许可证,
 *   or its successor the 基本存款账户信息) of the new account;
 * - individual business: business licence; corporate account: the account-opening permit;
 *   personal account: the legal person's ID (front and back) and the bank card;
 * - micro merchant (personal account only): the legal person's ID and the bank card;
 * - a holder who is neither the merchant nor its legal person (the name check is not a `match`
 *   against them) adds a settlement authorisation letter (结算授权书).
 */
import type { AccountType, MerchantType } from '../registry.js';

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

export type DocumentStatus = 'pending_review' | 'accepted' | 'rejected';

const BASE: Record<MerchantType, Partial<Record<AccountType, readonly DocumentType[]>>> = {
  enterprise: { corporate: ['business_license', 'account_opening_permit'] },
  individual_business: {
    corporate: ['business_license', 'account_opening_permit'],
    personal: ['business_license', 'legal_person_id_front', 'legal_person_id_back', 'bank_card'],
  },
  micro: { personal: ['legal_person_id_front', 'legal_person_id_back', 'bank_card'] },
};

/**
 * The document types a change to this account needs. `holderIsMerchantOrLegalPerson` is false
 * when the holder-name check is not a `match` (a close match or no match needs the letter that
 * authorises settling to that holder). An account type the merchant type may not use needs
 * nothing here: the request is refused before (account_type_not_allowed).
 */
export function requiredDocumentTypes(input: {
  merchantType: MerchantType;
  accountType: AccountType;
  holderIsMerchantOrLegalPerson: boolean;
}): DocumentType[] {
  const base = [...(BASE[input.merchantType][input.accountType] ?? [])];
  if (!input.holderIsMerchantOrLegalPerson) base.push('settlement_authorization');
  return base;
}

export interface AttachedDocument {
  type: string;
  status: DocumentStatus;
  /** ISO date (YYYY-MM-DD) the document is valid until; null: no end. */
  expiresOn: string | null;
}

/** Valid on `today` (YYYY-MM-DD, China time): an expiry date of today still counts. */
export function documentExpired(expiresOn: string | null, today: string): boolean {
  return expiresOn !== null && expiresOn < today;
}

/**
 * Required types with no attached document that is accepted or waiting for review and not
 * expired: what the merchant still has to send. In the order of the requirement.
 */
export function missingDocuments(
  required: readonly string[],
  attached: readonly AttachedDocument[],
  today: string,
): string[] {
  return required.filter(
    (type) =>
      !attached.some(
        (d) =>
          d.type === type &&
          (d.status === 'accepted' || d.status === 'pending_review') &&
          !documentExpired(d.expiresOn, today),
      ),
  );
}

/** Required types with no attached document that is accepted and not expired: what blocks approval. */
export function unacceptedDocuments(
  required: readonly string[],
  attached: readonly AttachedDocument[],
  today: string,
): string[] {
  return required.filter(
    (type) =>
      !attached.some(
        (d) => d.type === type && d.status === 'accepted' && !documentExpired(d.expiresOn, today),
      ),
  );
}
