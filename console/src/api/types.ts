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
  // The incident playbook (issue 5); absent from a server without it.
  /** The username working the incident, null while nobody has it. */
  assignee?: string | null;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
  /** When the first acknowledgement is due under the severity's escalation policy. */
  ackDueAt?: string | null;
  /** Not acknowledged and past `ackDueAt`. */
  ackOverdue?: boolean;
  containedAt?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
  /** The drill scenario (DRILL_SCENARIOS) a drill was started from. */
  scenario?: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  /** A username, or `system` for what SettleGuard did by itself. */
  actor: string;
  text: LocalizedText;
  /** Masked details of the event (a notification's channel, an evidence item's hash…). */
  data?: Record<string, unknown> | null;
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
  rootCause?: RootCause | null;
  postMortem?: PostMortem | null;
  /** What will happen to money still held when the incident is resolved. */
  heldMoneyPlan?: string | null;
  /** The merchant's money still held: an active hold, or held lines not released. */
  heldMoney?: { holdActive: boolean; amountFen: number; lineCount: number };
  /** The moves the caller may make now, each with what still stands in its way. */
  allowedTransitions?: (AllowedTransition | IncidentStatus)[];
}

/** A move the caller's role may make from the incident's status. */
export interface AllowedTransition {
  to: IncidentStatus;
  /** The move's name (`resolve`, `reopen`, `verification_failed`…). */
  action?: string;
  /**
   * Error codes of requirements not met yet: `root_cause_required`, `post_mortem_required` and
   * `incident_already_open` must be dealt with first; `note_required` and
   * `held_money_plan_required` are met by what the move's form sends.
   */
  blockedBy?: string[];
}

export const ROOT_CAUSE_CATEGORIES = [
  'operator_error',
  'system_error',
  'bank_side',
  'fraud',
  'other',
] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

export interface RootCause {
  category: RootCauseCategory;
  detail: string;
  /** For `operator_error`: the user whose change caused the incident. */
  operator?: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface PostMortem {
  summary: string;
  lessons: string[];
  recordedBy: string;
  recordedAt: string;
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

// The incident playbook (issue 5): statistics, drills, evidence, case file, notifications.

/** Scenarios a drill can be started from. */
export const DRILL_SCENARIOS = [
  'terminal_merchant_mismatch',
  'shared_account',
  'settlement_returned',
  'account_name_mismatch',
] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];

/** GET /incidents/stats: the overview's figures, drills left out. */
export interface IncidentStats {
  generatedAt: string;
  /** Days over which the mean times are taken. */
  windowDays: number;
  open: {
    total: number;
    bySeverity: Record<IncidentSeverity, number>;
    /** Acknowledgements overdue now. */
    ackOverdue: number;
  };
  openedInWindow: number;
  /** Mean seconds from opening to acknowledgement, null when nothing was acknowledged. */
  meanTimeToAcknowledgeSeconds: number | null;
  acknowledgedInWindow: number;
  /** Mean seconds from opening to resolution, null when nothing was resolved. */
  meanTimeToResolveSeconds: number | null;
  resolvedInWindow: number;
  held: { amountFen: number; lineCount: number; merchantsOnHold: number; activeHolds: number };
  /** Alerts per rule per day (China time dates, oldest first; one count per day). */
  alertsByRule: { days: string[]; rules: { rule: string; counts: number[]; total: number }[] };
}

export interface EvidenceItem {
  id: string;
  /** `snapshot` (taken by the system at detection) or `file` (added by a person), or newer. */
  kind: string;
  sha256: string;
  createdAt: string;
  createdBy: string;
  /** The name kept for the file (made safe by the server). */
  fileName: string;
  /** Recognised by the server from the content, not from what the sender declared. */
  mediaType: string;
  sizeBytes: number;
  note: string | null;
}

/** GET /incidents/{id}/evidence/verify: every item's content and row checked against its hash. */
export interface EvidenceVerification {
  ok: boolean;
  incidentId?: string | null;
  /** How many items were checked. */
  items: number;
  auditChain: { ok: boolean; entries: number; firstBrokenSeq?: number; problem?: string };
  problems: { code: string; evidenceId: string | null; sha256: string | null; message: string }[];
}

export const CASE_FILE_CHANNELS = [
  'email',
  'fax',
  'post',
  'courier',
  'portal',
  'in_person',
  'other',
] as const;

export interface CaseFileSubmission {
  id: string;
  sentTo: string;
  channel: string;
  reference: string | null;
  sentAt: string;
  recordedBy: string;
  recordedAt: string;
}

/** The event types a webhook may subscribe to (API.md, Notifications). */
export const EVENT_TYPES = [
  'incident.opened',
  'incident.escalated',
  'incident.acknowledged',
  'incident.resolved',
  'terminal.suspended',
  'terminal.resumed',
  'settlement.held',
  'settlement.released',
  'account.changed',
] as const;

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  /** False once disabled: it gets nothing more, its log stays. */
  active: boolean;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
  disabledBy: string | null;
  deliveries: { pending: number; delivered: number; failed: number };
}

/** POST /webhooks answers the secret once; it is never shown again. */
export interface CreatedWebhook {
  id: string;
  secret: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
}

export interface WebhookDeliveryAttempt {
  at: string;
  trigger: 'scheduled' | 'manual';
  succeeded: boolean;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  /** The webhook-id header: the event's id, the same on every attempt. */
  messageId: string;
  eventId: string | null;
  eventType: string;
  incidentId: string | null;
  /** Why it was sent: the endpoint subscribes, an escalation names it, or a test. */
  reason: string;
  /** pending | delivered | failed, or newer. */
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attempts: WebhookDeliveryAttempt[];
}

export interface EscalationLevel {
  /** Usernames, e-mail addresses or webhook ids. */
  notify: string[];
  ackTimeoutSeconds: number;
}

export interface EscalationPolicy {
  severity: IncidentSeverity;
  levels: EscalationLevel[];
  /** How many more times the levels are worked through when nobody acknowledges. */
  repeat: number;
  /** Nobody set it: the built-in default applies. */
  isDefault?: boolean;
  updatedAt?: string | null;
  updatedBy?: string | null;
}

/** One entry of the bell. */
export interface ConsoleNotification {
  id: string;
  /** `event`: something happened; `page`: you are asked to acknowledge (escalation). */
  kind?: string;
  /** The event type (EVENT_TYPES, `webhook.test`…). */
  type: string;
  eventId?: string | null;
  incidentId?: string | null;
  merchantNo?: string | null;
  severity?: IncidentSeverity | null;
  drill?: boolean;
  title?: LocalizedText | null;
  text?: LocalizedText | null;
  /** The console path of the page it is about. */
  link?: string | null;
  createdAt: string;
  readAt?: string | null;
}
