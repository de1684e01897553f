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
  // The acquirer's switch pushing transactions: a machine user, normally not in the console.
  'switch',
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
  /** Why the terminal was suspended or resumed, in the words of whoever did it. */
  statusReason?: string | null;
  /** The open incident whose containment suspended this terminal, if any. */
  suspendedByIncidentId?: string | null;
}

/** Funds of a merchant kept back from payout until the hold is released. */
export interface SettlementHold {
  reason: string;
  /** The rules behind an automatic hold; the console names them in the reader's language. */
  rules?: string[];
  since: string;
  incidentId: string | null;
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
  /** The merchant's open incident, if any (absent from a server without screening). */
  openIncidentId?: string | null;
  /** Present while the merchant's settlement is held (absent from a server without screening). */
  settlementHold?: SettlementHold | null;
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

/** A text the server writes in both of the console's languages. */
export interface LocalizedText {
  zh: string;
  en: string;
}

/** The screening rules; a rule the console does not know is shown by its code. */
export const ALERT_RULES = [
  'terminal_merchant_mismatch',
  'unknown_terminal',
  'unknown_merchant',
  'suspended_terminal_activity',
  'receipt_name_mismatch',
  'account_not_active',
  'account_name_mismatch',
  'shared_account',
  'post_change_spike',
  'firmware_outdated',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const DECISIONS = ['ok', 'review', 'contain'] as const;
export type Decision = (typeof DECISIONS)[number];

/** A screening rule that fired on a transaction or on the registry. */
export interface Alert {
  id: string;
  /** One of ALERT_RULES, or a newer rule the console does not know yet. */
  rule: string;
  severity: AlertSeverity;
  merchantNo: string;
  terminalId: string | null;
  transactionId: string | null;
  incidentId: string | null;
  decision: Decision;
  explanation: LocalizedText & { data: Record<string, unknown> };
  createdAt: string;
}

export const INCIDENT_STATUSES = [
  'open',
  'acknowledged',
  'contained',
  'investigating',
  'correcting',
  'verifying',
  'remediating',
  'resolved',
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export interface IncidentSummary {
  id: string;
  status: IncidentStatus;
  severity: IncidentSeverity;
  merchantNo: string;
  merchantName: string | null;
  title: LocalizedText;
  /** A practice incident started on purpose (演练), not a real one. */
  drill?: boolean;
  openedAt: string;
  updatedAt: string;
  alertCount: number;
  containment: { terminalsSuspended: string[]; settlementHeld: boolean };
}

export interface TimelineEntry {
  at: string;
  kind: string;
  /** A username, or `system` for what SettleGuard did by itself. */
  actor: string;
  text: LocalizedText;
}

export interface IncidentDetail extends IncidentSummary {
  containment: {
    terminalsSuspended: string[];
    settlementHeld: boolean;
    holdReason: string | null;
    holdRules?: string[];
  };
  alerts: Alert[];
  timeline: TimelineEntry[];
  /** Other merchants the incident concerns (the terminal's registered merchant, say). */
  relatedMerchantNos: string[];
}

export const TRANSACTION_TYPES = ['purchase', 'refund', 'reversal', 'void'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['approved', 'declined'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export interface Transaction {
  id: string;
  terminalId: string;
  merchantNo: string;
  type: TransactionType;
  amountFen: number;
  currency: string;
  occurredAt: string;
  panMasked: string | null;
  status: TransactionStatus;
  decision: Decision;
  /** Codes of the rules that fired. */
  alerts: string[];
  receivedAt: string;
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

// Settlement and the ledger (issue 4).

/** What a settlement line is: see src/core/settlement/screening.ts on the server. */
export const LINE_STATUSES = ['ready', 'held', 'carried', 'paid', 'returned'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** Why a line is held; a reason the console does not know is shown by its code. */
export const HOLD_REASONS = [
  'merchant_unknown',
  'account_missing',
  'account_changed',
  'account_not_active',
  'account_not_verified',
  'account_name_mismatch',
  'account_cooling_off',
  'shared_account',
  'settlement_hold',
  'open_incident',
  // Money the bank sent back (the summary of money on hold names it so).
  'settlement_returned',
] as const;

/** The bank's return reasons, normalised by the server; the bank's own words come beside them. */
export const RETURN_CODES = [
  'account_closed',
  'account_frozen',
  'name_mismatch',
  'invalid_account',
  'bank_rejected',
  'other',
] as const;
export type ReturnCode = (typeof RETURN_CODES)[number];

export const SETTLEMENT_CYCLES = ['T1', 'D1', 'D0'] as const;
export type SettlementCycle = (typeof SETTLEMENT_CYCLES)[number];

export interface SettlementRunTotals {
  lines: number;
  readyCount: number;
  readyFen: number;
  heldCount: number;
  heldFen: number;
  carriedCount: number;
  carriedFen: number;
  paidCount: number;
  paidFen: number;
  returnedCount: number;
  returnedFen: number;
  netFen: number;
  feesFen: number;
}

export interface SettlementRun {
  id: string;
  /** YYYY-MM-DD, a day in China time. */
  businessDate: string;
  cycle: SettlementCycle;
  trigger: 'manual' | 'scheduled';
  periodStart: string;
  periodEnd: string;
  cutoffAt: string;
  createdBy: string;
  createdAt: string;
  totals: SettlementRunTotals;
}

export interface SettlementLine {
  id: string;
  runId: string;
  merchantNo: string;
  businessDate: string;
  transactionCount: number;
  /** Transactions of earlier dates that arrived after their run, settled in this line. */
  lateTransactionCount?: number;
  /** Their net, part of netFen. */
  lateNetFen?: number;
  purchasesFen: number;
  /** Refunds, reversals and voids of the day. */
  deductionsFen: number;
  netFen: number;
  /** Parts per million: 0.6 % is 6,000. */
  feeRatePpm: number;
  feeFen: number;
  releasedInFen: number;
  carriedInFen: number;
  amountFen: number;
  status: LineStatus;
  /** Codes of HOLD_REASONS, or newer ones. */
  holdReasons: string[];
  accountId: string | null;
  accountNumberMasked: string | null;
  accountName: string | null;
  bankName: string | null;
  releaseId: string | null;
  absorbedByLineId: string | null;
  paidAt: string | null;
  returnedAt: string | null;
  returnCode: ReturnCode | null;
  /** The bank's own words. */
  returnText: string | null;
  createdAt: string;
}

export interface SettlementRunWithLines extends SettlementRun {
  lines: SettlementLine[];
  linesNextCursor?: string;
}

/** One bank answer, as POST /settlement-results takes it. */
export interface SettlementResultInput {
  lineId: string;
  status: 'paid' | 'returned';
  reason?: string;
  bankReference?: string;
}

export const RESULT_OUTCOMES = ['applied', 'unchanged', 'rejected'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

export interface SettlementResultOutcome {
  lineId: string;
  merchantNo?: string;
  amountFen?: number;
  outcome: ResultOutcome;
  lineStatus?: string;
  returnCode?: string;
  incidentId?: string;
  error?: { code: string; message: string };
}

export interface SettlementResultsResponse {
  applied: number;
  unchanged: number;
  rejected: number;
  results: SettlementResultOutcome[];
}

export interface SettlementRelease {
  id: string;
  merchantNo: string;
  holdId: string | null;
  amountFen: number;
  lineCount: number;
  reason: string;
  releasedBy: string;
  releasedAt: string;
}

/** A merchant's money by state, from the ledger. */
export interface SettlementBalance {
  merchantNo: string;
  /** Owed, not yet in a payout; may be negative after refunds. */
  pendingFen: number;
  heldFen: number;
  /** Released from hold, going out on the next run. */
  releasedFen: number;
  inFlightFen: number;
  /** Paid and not returned. */
  paidFen: number;
  /** Returned and still held (part of heldFen). */
  returnedFen: number;
  feesFen: number;
  capturedFen: number;
  /** Approved transactions (net, before fees) that no run has taken yet. */
  unsettledFen?: number;
  unsettledTransactionCount?: number;
  hold: null | {
    id: string;
    reason: string;
    placedAt: string;
    placedBy: string;
    incidentId: string | null;
  };
}

/** The ledger's accounts; an account the console does not know is shown by the server's name. */
export const LEDGER_ACCOUNTS = [
  'clearing_receivable',
  'settlement_bank',
  'fee_income',
  'merchant_payable',
  'merchant_held',
  'merchant_released',
  'payout_in_flight',
  'misrouted_receivable',
  'cardholder_refund_payable',
] as const;

export const JOURNAL_KINDS = [
  'settlement',
  'hold',
  'paid',
  'returned',
  'release',
  'reversal',
] as const;

/** One posting of a merchant's ledger: `amountFen` positive is a debit, negative a credit. */
export interface LedgerEntry {
  journalId: string;
  seq: number;
  kind: string;
  at: string;
  actor: string;
  account: string;
  accountName: LocalizedText;
  amountFen: number;
  runId: string | null;
  lineId: string | null;
}

export interface HeldByReason {
  totalFen: number;
  lineCount: number;
  merchantCount: number;
  items: {
    reason: string;
    name: LocalizedText;
    lineCount: number;
    merchantCount: number;
    amountFen: number;
  }[];
}

/** What GET /ledger/verify found: balanced, or each problem with its code. */
export interface LedgerVerification {
  balanced: boolean;
  checkedAt: string;
  journals: number;
  postings: number;
  merchants: number;
  /** Balance per ledger account over all merchants (debit positive). */
  totals: Record<string, number>;
  problems: {
    code: string;
    message: string;
    journalId?: string;
    lineId?: string;
    merchantNo?: string;
    account?: string;
    expectedFen?: number;
    actualFen?: number;
  }[];
}
