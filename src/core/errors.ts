/**
 * The closed set of error codes SettleGuard answers with. Clients and the console switch on
 * the code; the message is for people. Each code says when it is used. The HTTP status of each
 * code lives in one table, `http/problem.ts`.
 */
export const ERROR_CODES = {
  // Authentication and authorisation.
  /** No token or session, or one that is unknown or expired. */
  unauthenticated: 'unauthenticated',
  /** The caller's role may not perform this action. */
  forbidden: 'forbidden',
  /** The object does not exist, or lies outside the caller's merchant scope. */
  not_found: 'not_found',
  /** Too many attempts (login) in the current window. */
  rate_limited: 'rate_limited',
  /** Wrong username or password at login. */
  invalid_credentials: 'invalid_credentials',
  /** The current password given to change a password is wrong. */
  current_password_wrong: 'current_password_wrong',

  // Generic request problems.
  /** The request body or query does not match the route's schema. */
  validation_failed: 'validation_failed',
  /** The object already exists (same merchant number, terminal id, username…). */
  conflict: 'conflict',
  /** A batch holds more items than the endpoint accepts in one call. */
  batch_too_large: 'batch_too_large',
  /** The request body is larger than the server accepts. */
  payload_too_large: 'payload_too_large',
  /** The action does not apply to the object's current state (resume an active terminal…). */
  invalid_state: 'invalid_state',
  /** A file given to import is neither valid NDJSON nor valid CSV. */
  import_format: 'import_format',
  /** Something the program did not expect; details are in the server log only. */
  internal_error: 'internal_error',

  // Identifiers (each is checked by a pure function in core/identifiers).
  /** Merchant number is not 15 digits. */
  merchant_no_format: 'merchant_no_format',
  /** Terminal id is not 8 characters of digits and capital letters. */
  terminal_id_format: 'terminal_id_format',
  /** Unified social credit code is not 18 characters of the GB 32100-2015 alphabet. */
  uscc_format: 'uscc_format',
  /** Unified social credit code fails its GB 32100-2015 check character. */
  uscc_checksum: 'uscc_checksum',
  /** A uscc_checksum override was asked for without a reason. */
  uscc_override_reason_required: 'uscc_override_reason_required',
  /** Resident ID is not 17 digits and a digit or X. */
  resident_id_format: 'resident_id_format',
  /** Resident ID fails its GB 11643 check digit. */
  resident_id_checksum: 'resident_id_checksum',
  /** Resident ID's birth date does not exist or lies in the future. */
  resident_id_birth_date: 'resident_id_birth_date',
  /** Personal bank card number is not 13 to 19 digits. */
  card_number_format: 'card_number_format',
  /** Warning: the card number fails the Luhn check (some old domestic cards do). */
  card_luhn_failed: 'card_luhn_failed',
  /** Corporate account number is not 6 to 32 digits (hyphens and spaces aside). */
  corporate_account_format: 'corporate_account_format',
  /** CNAPS bank code is not 12 digits. */
  cnaps_format: 'cnaps_format',
  /** Mobile number is not an 11-digit mainland number starting with 1[3-9]. */
  mobile_format: 'mobile_format',
  /** MCC is not 4 digits. */
  mcc_format: 'mcc_format',
  /** Warning: the card's BIN belongs to another bank than the one declared. */
  bin_bank_mismatch: 'bin_bank_mismatch',

  // Transactions.
  /** Transaction id is not 1 to 64 characters of letters, digits and - _ . : */
  transaction_id_format: 'transaction_id_format',
  /** Amount is not a positive whole number of fen within the limit. */
  amount_invalid: 'amount_invalid',
  /** occurredAt is not an RFC 3339 time, or lies too far in the future. */
  occurred_at_invalid: 'occurred_at_invalid',
  /** The same transaction id was sent before with different content. */
  idempotency_mismatch: 'idempotency_mismatch',
  /** The process has no registry index to screen against (a command that cannot ingest). */
  screening_unavailable: 'screening_unavailable',

  // Registry rules.
  /** The account type is not allowed for the merchant's type (e.g. corporate for a micro). */
  account_type_not_allowed: 'account_type_not_allowed',
  /** A unified social credit code is required for this merchant type. */
  uscc_required: 'uscc_required',
  /** The merchant of a terminal or account does not exist. */
  merchant_unknown: 'merchant_unknown',

  // Settlement.
  /** A hold release was asked for while the merchant has no active, verified account in force. */
  no_verified_account: 'no_verified_account',
  /** A hold release was asked for while the merchant has an open incident (containment). */
  open_containment: 'open_containment',
  /** A hold release was asked for a merchant with no hold and no held money. */
  nothing_held: 'nothing_held',
  /** A bank result names a line that is not in a state that result applies to (paid for a held line). */
  result_not_applicable: 'result_not_applicable',

  // Evidence and case files (core/evidence.ts, app/evidence, app/case-file).
  /** An evidence file is not one of the accepted kinds, recognised by content (PNG, JPEG, GIF, WebP, PDF, UTF-8 text). */
  unsupported_media_type: 'unsupported_media_type',
  /** The incident already holds the most evidence items allowed. */
  evidence_limit_reached: 'evidence_limit_reached',
  /** This server has no evidence folder configured (SETTLEGUARD_EVIDENCE_DIR or the data folder). */
  evidence_store_unavailable: 'evidence_store_unavailable',
  /** An evidence item's file is missing or no longer hashes to its SHA-256: it is not served. */
  evidence_file_unavailable: 'evidence_file_unavailable',

  // Incidents (core/incidents/lifecycle.ts).
  /** The incident cannot make that move from its current status (not in the transition table). */
  invalid_transition: 'invalid_transition',
  /** Resolving an incident that has no root cause recorded. */
  root_cause_required: 'root_cause_required',
  /** Closing an incident that has no post-mortem with at least one lesson. */
  post_mortem_required: 'post_mortem_required',
  /** Resolving while the merchant's money is still held, without a plan for it. */
  held_money_plan_required: 'held_money_plan_required',
  /** A backward move (or reopening) without a note saying why. */
  note_required: 'note_required',
  /** Reopening an incident while its merchant has another open one. */
  incident_already_open: 'incident_already_open',
  /** Changing a closed incident (comment, assignee, root cause, post-mortem, severity). */
  incident_closed: 'incident_closed',
  /** The user named (assignee, operator of a root cause) does not exist. */
  user_unknown: 'user_unknown',
  /** The user named as assignee cannot work incidents (merchant, switch, auditor, support, disabled). */
  assignee_not_allowed: 'assignee_not_allowed',
  /** A root cause of category operator_error that does not name the operator. */
  operator_required: 'operator_required',
  /** A drill was asked for with no merchant in the registry to run it on. */
  drill_no_merchant: 'drill_no_merchant',

  // Notifications (ADR 13).
  /** An e-mail address is not a plain `local@domain.tld` address of at most 254 characters. */
  email_format: 'email_format',
  /** An escalation policy names someone who is no active user, no active webhook and no address. */
  notify_target_unknown: 'notify_target_unknown',

  // Merchant documents and the contact log (core/documents.ts, app/documents, app/contacts).
  /** A document that has been reviewed (accepted or rejected) is reviewed again. */
  already_reviewed: 'already_reviewed',
  /** The merchant already holds the most documents allowed. */
  document_limit_reached: 'document_limit_reached',
  /** The incident already holds the most contact log entries allowed. */
  contact_limit_reached: 'contact_limit_reached',

  // Account changes (core/account-changes, app/account-changes).
  /** The user who asked for an account change approves or rejects it, or an approver approves twice. */
  four_eyes_violation: 'four_eyes_violation',
  /** Approving an account change before every required document is accepted. */
  documents_missing: 'documents_missing',
  /** Approving an account change before the merchant's consent is recorded. */
  consent_missing: 'consent_missing',
  /** The merchant has had the most account changes allowed in the window (completed or in progress). */
  velocity_limit: 'velocity_limit',
  /** The merchant already has an account change in progress. */
  account_change_in_progress: 'account_change_in_progress',
  /** Confirming a micro-deposit that has not yet gone out in a payout file. */
  verification_not_sent: 'verification_not_sent',
  /** A test transaction is asked for a merchant with no active terminal (or not that one). */
  no_active_terminal: 'no_active_terminal',

  // Remediation of affected payments (core/remediation, app/remediation).
  /** The payment already has a standing remediation with this action. */
  remediation_exists: 'remediation_exists',
  /** The payment has a remediation this one excludes (resettled and refunded, say), or a recovery rests on the one being cancelled. */
  remediation_conflict: 'remediation_conflict',
  /** The action does not apply to this affected payment (refund of a declined payment, recover before anything was advanced, a drill). */
  remediation_not_applicable: 'remediation_not_applicable',
  /** Marking a remediation done before its act is complete (money not yet taken by a run, refund not paid, case open). */
  remediation_incomplete: 'remediation_incomplete',
  /** Resolving an incident while a remediation is open without an owner and a due date. */
  remediation_unassigned: 'remediation_unassigned',
  /** A recovery receipt larger than what the case still has outstanding. */
  recovery_amount_exceeded: 'recovery_amount_exceeded',
  /** A receipt or write-off on a recovery case already recovered or written off. */
  recovery_case_closed: 'recovery_case_closed',
  /** A re-settlement or refund larger than what the payment's recovery case has not already passed through to the merchant (it would be paid twice). */
  recovery_passed_through: 'recovery_passed_through',
  /** The re-transaction named does not exist, is not an approved purchase of the same merchant, or is older than the payment it replaces. */
  retransaction_invalid: 'retransaction_invalid',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field; `path` is a JSON pointer-like dotted path (`legalPerson.idNumber`). */
export interface FieldIssue {
  path: string;
  code: ErrorCode;
  message: string;
  severity: 'error' | 'warning';
}

/**
 * An expected failure of a use case. Anything else thrown is a bug and becomes a 500
 * `internal_error` without details.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
  }
}

export function issue(path: string, code: ErrorCode, message: string): FieldIssue {
  return { path, code, message, severity: 'error' };
}

export function warning(path: string, code: ErrorCode, message: string): FieldIssue {
  return { path, code, message, severity: 'warning' };
}
