/**
 * The registry's vocabulary: merchants, terminals and settlement accounts as they come in
 * (inputs) and as the rest of the system sees them. Pure types and constants, no I/O.
 */

export const MERCHANT_TYPES = ['enterprise', 'individual_business', 'micro'] as const;
export type MerchantType = (typeof MERCHANT_TYPES)[number];

export const MERCHANT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

export const ACCOUNT_TYPES = ['corporate', 'personal'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ACCOUNT_STATUSES = [
  'pending_verification',
  'active',
  'errored',
  'frozen',
  'superseded',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const TERMINAL_STATUSES = ['active', 'suspended', 'retired'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export interface LegalPersonInput {
  name: string;
  /** 18-character resident ID (GB 11643). */
  idNumber: string;
}

export interface MerchantInput {
  /** 15-digit merchant number (商户号). */
  merchantNo: string;
  /** Registered name as on the business licence (or the person's shop name for a micro). */
  name: string;
  type: MerchantType;
  /** 18-character unified social credit code; required unless `micro`. */
  uscc?: string;
  /**
   * Some real early codes fail the GB 32100-2015 check character. A user who has the licence
   * in hand may accept such a code by giving the reason here; it is recorded in the audit trail.
   */
  usccChecksumOverrideReason?: string;
  legalPerson: LegalPersonInput;
  /** 4-digit merchant category code. */
  mcc: string;
  contactPhone?: string;
  address?: string;
}

export interface TerminalInput {
  /** 8-character terminal id (终端号). */
  terminalId: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  merchantNo: string;
  location?: string;
}

export interface SettlementAccountInput {
  /** Full account or card number. Never stored in clear, never logged, never returned. */
  accountNumber: string;
  accountName: string;
  accountType: AccountType;
  /** 12-digit CNAPS bank code (联行号). */
  bankCode?: string;
  /** The bank as declared by whoever entered the account; compared with the card's BIN. */
  bankName?: string;
}

/** One record of an imported portfolio: a merchant, its account and its terminals, taken whole. */
export interface ImportRecord {
  merchant: MerchantInput;
  settlementAccount?: SettlementAccountInput & {
    /** Imported accounts are `active` unless the source says they are not yet verified. */
    status?: 'active' | 'pending_verification';
  };
  terminals?: Omit<TerminalInput, 'merchantNo'>[];
}
