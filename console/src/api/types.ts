/**
 * The shapes the console reads from `/api/v1`. They mirror the server's responses; fields the
 * console does not show are left out.
 */

export const ROLES = [
  'admin',
  'risk',
  'ops',
  'approver',
  'support',
  'auditor',
  'merchant',
] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  username: string;
  role: Role;
  merchantNos: string[];
}

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

export const NAME_CHECK_RESULTS = ['match', 'close_match', 'no_match'] as const;
export type NameCheckResult = (typeof NAME_CHECK_RESULTS)[number];

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface MerchantSummary {
  merchantNo: string;
  name: string;
  type: MerchantType;
  status: MerchantStatus;
  legalPersonName: string;
  accountStatus: AccountStatus | null;
  nameCheckResult: NameCheckResult | null;
  terminalCount: number;
  createdAt: string;
}

export interface FieldWarning {
  path: string;
  code: string;
  message: string;
}

export interface NameCheck {
  result: NameCheckResult;
  /** Similarity from 0 (unrelated) to 1 (identical). */
  score: number;
  reasons: string[];
  comparedWith: 'merchant_name' | 'legal_person';
}

export interface SettlementAccount {
  id: string;
  accountNumberMasked: string;
  accountName: string;
  accountType: AccountType;
  bankName: string | null;
  bankCode: string | null;
  status: AccountStatus;
  /** Why the account is errored or frozen, in the words of whoever set it. */
  statusReason?: string | null;
  nameCheck: NameCheck;
  warnings: FieldWarning[];
  validFrom: string;
}

export interface SettlementAccountVersion extends SettlementAccount {
  validTo: string | null;
}

export interface MerchantTerminal {
  terminalId: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  status: TerminalStatus;
  location: string | null;
}

export interface MerchantDetail {
  merchantNo: string;
  name: string;
  type: MerchantType;
  status: MerchantStatus;
  uscc: string | null;
  usccChecksumOverrideReason: string | null;
  legalPerson: { name: string; idNumberMasked: string };
  mcc: string;
  contactPhoneMasked: string | null;
  address: string | null;
  validFrom: string;
  settlementAccount: SettlementAccount | null;
  terminals: MerchantTerminal[];
}

export interface TerminalSummary {
  terminalId: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  merchantNo: string;
  /** Null when the terminal's merchant is no longer in the registry. */
  merchantName: string | null;
  status: TerminalStatus;
  location: string | null;
  statusReason: string | null;
}

/** An RFC 9457 problem as the server sends it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldWarning[];
}
