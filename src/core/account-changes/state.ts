/**
 * The account change's states and what each allows: the stored stage, the status shown
 * (`pending_documents` is computed: documents are reviewed elsewhere without telling the
 * request), the actions a caller may take, and the decisions of approving and confirming a
 * micro-deposit. Pure: the use cases gather the facts, ask here, and apply the answer.
 *
 *   pending_approval ──approve (1 or 2 approvers)──▶ pending_verification ──verified──▶ completed
 *        │  └─reject─▶ rejected                          │  └─3 wrong amounts─▶ locked
 *        └─cancel─▶ cancelled ◀──────────cancel──────────┘
 */
import type { ErrorCode } from '../errors.js';
import { roleAllows, type Role } from '../roles.js';

export const STAGES = [
  'pending_approval',
  'pending_verification',
  'completed',
  'rejected',
  'cancelled',
  'locked',
] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ['pending_documents', ...STAGES] as const;
export type Status = (typeof STATUSES)[number];

export const OPEN_STAGES: readonly Stage[] = ['pending_approval', 'pending_verification'];
export const TERMINAL_STAGES: readonly Stage[] = ['completed', 'rejected', 'cancelled', 'locked'];

export const VERIFICATION_METHODS = ['micro_deposit', 'test_transaction'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_STATUSES = [
  'awaiting_file',
  'sent',
  'paid',
  'returned',
  'awaiting_transaction',
  'matched',
  'confirmed',
  'locked',
  // The request was cancelled before the deposit went out or the transaction came.
  'cancelled',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** A verification that has ended without verifying: another one may be started. */
export const FAILED_VERIFICATION: readonly VerificationStatus[] = ['returned'];

export const CONSENT_CHANNELS = ['signed_form', 'phone_recorded', 'merchant_console'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** Wrong micro-deposit amounts allowed before the request is locked. */
export const CONFIRM_ATTEMPTS = 3;
/** A micro-deposit: 0.01 to 0.99 yuan. */
export const MICRO_DEPOSIT_FEN = { min: 1, max: 99 } as const;
/** A test transaction: 1.01 to 9.99 yuan, keyed by the merchant on its terminal. */
export const TEST_TRANSACTION_FEN = { min: 101, max: 999 } as const;

export function displayStatus(stage: Stage, missingDocuments: readonly string[]): Status {
  return stage === 'pending_approval' && missingDocuments.length > 0 ? 'pending_documents' : stage;
}

/** Stages a status filter selects, and whether documents must be missing (true) or not (false). */
export function stageOfStatus(status: Status): { stage: Stage; missing: boolean | null } {
  if (status === 'pending_documents') return { stage: 'pending_approval', missing: true };
  if (status === 'pending_approval') return { stage: 'pending_approval', missing: false };
  return { stage: status, missing: null };
}

export const ACTIONS = [
  'approve',
  'reject',
  'cancel',
  'attach_documents',
  'record_consent',
  'start_verification',
  'confirm',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface RequestFacts {
  stage: Stage;
  requestedBy: string;
  approvals: readonly { by: string }[];
  approvalsNeeded: number;
  /** Required documents without an accepted, unexpired one attached. */
  unacceptedDocuments: readonly string[];
  consentRecorded: boolean;
  attemptsLeft: number;
  verification: { method: VerificationMethod; status: VerificationStatus } | null;
}

export interface Caller {
  username: string;
  role: Role;
}

/** Why an approval by this caller would be refused now; null: it would be taken. */
export function approvalRefusal(facts: RequestFacts, caller: Caller): ErrorCode | null {
  if (!roleAllows(caller.role, 'account_changes.approve')) return 'forbidden';
  if (facts.stage !== 'pending_approval') return 'invalid_state';
  if (caller.username === facts.requestedBy) return 'four_eyes_violation';
  if (facts.approvals.some((a) => a.by === caller.username)) return 'four_eyes_violation';
  if (facts.unacceptedDocuments.length > 0) return 'documents_missing';
  if (!facts.consentRecorded) return 'consent_missing';
  return null;
}

/** After one more approval: is the change approved (enough different approvers)? */
export function approvedAfter(facts: RequestFacts): boolean {
  return facts.approvals.length + 1 >= facts.approvalsNeeded;
}

export function verificationStartRefusal(facts: RequestFacts): ErrorCode | null {
  if (facts.stage !== 'pending_verification') return 'invalid_state';
  if (facts.verification && !FAILED_VERIFICATION.includes(facts.verification.status)) {
    return 'invalid_state';
  }
  return null;
}

export function confirmRefusal(facts: RequestFacts): ErrorCode | null {
  if (facts.stage !== 'pending_verification') return 'invalid_state';
  if (!facts.verification || facts.verification.method !== 'micro_deposit') return 'invalid_state';
  if (facts.verification.status === 'awaiting_file') return 'verification_not_sent';
  if (facts.verification.status !== 'sent' && facts.verification.status !== 'paid') {
    return 'invalid_state';
  }
  if (facts.attemptsLeft <= 0) return 'invalid_state';
  return null;
}

/** The outcome of one amount given by the merchant. */
export function confirmOutcome(
  facts: Pick<RequestFacts, 'attemptsLeft'>,
  input: { givenFen: number; expectedFen: number },
): { matched: boolean; attemptsLeft: number; locked: boolean } {
  if (input.givenFen === input.expectedFen) {
    return { matched: true, attemptsLeft: facts.attemptsLeft, locked: false };
  }
  const attemptsLeft = Math.max(facts.attemptsLeft - 1, 0);
  return { matched: false, attemptsLeft, locked: attemptsLeft === 0 };
}

/** The actions this caller may take now (each would pass the role, state and four-eyes rules). */
export function allowedActions(facts: RequestFacts, caller: Caller): Action[] {
  const can = (p: Parameters<typeof roleAllows>[1]) => roleAllows(caller.role, p);
  const open = OPEN_STAGES.includes(facts.stage);
  const actions: Action[] = [];
  if (approvalRefusal(facts, caller) === null) actions.push('approve');
  if (
    can('account_changes.approve') &&
    facts.stage === 'pending_approval' &&
    caller.username !== facts.requestedBy
  ) {
    actions.push('reject');
  }
  if (can('account_changes.cancel') && open) actions.push('cancel');
  if (can('account_changes.request') && facts.stage === 'pending_approval') {
    actions.push('attach_documents');
  }
  if (
    can('account_changes.consent') &&
    facts.stage === 'pending_approval' &&
    !facts.consentRecorded
  ) {
    actions.push('record_consent');
  }
  if (can('account_changes.verify') && verificationStartRefusal(facts) === null) {
    actions.push('start_verification');
  }
  if (can('account_changes.confirm') && confirmRefusal(facts) === null) actions.push('confirm');
  return actions;
}
