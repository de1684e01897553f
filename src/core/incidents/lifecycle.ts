/**
 * The incident lifecycle as data: every move an incident may make, who may make it, what it
 * requires and what it triggers. Handlers never decide a move with their own `if`s; they ask
 * `decideTransition` and apply what it answers. Pure: no I/O, no clock. See
 * docs/adr/0012-incident-lifecycle.md for the reasons behind the shortcuts and backward moves.
 *
 *   open → acknowledged → contained → investigating → correcting → verifying → remediating
 *        → resolved → closed
 *
 * Shortcuts: acknowledged → investigating (nothing left to contain: screening contained at
 * detection, or the incident holds review alerts only); investigating → resolved (a false
 * alarm: the investigation finds nothing to correct); verifying → resolved (nothing to
 * remediate: no money went to a wrong account). Backward moves, each with a note saying why:
 * correcting → investigating (the cause was wrong), verifying → correcting (verification
 * failed), remediating → correcting (remediation showed the correction incomplete), resolved →
 * investigating (reopened). `closed` is final: a new problem opens a new incident.
 */
import { DomainError, type ErrorCode } from '../errors.js';
import type { EventType } from '../events.js';
import type { Role } from '../roles.js';

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

export function isIncidentStatus(value: string): value is IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(value);
}

/** Statuses in which an incident is still being worked (the merchant's one open incident). */
export const ACTIVE_STATUSES: readonly IncidentStatus[] = INCIDENT_STATUSES.filter(
  (s) => s !== 'resolved' && s !== 'closed',
);

export const STATUS_NAMES: Record<IncidentStatus, { zh: string; en: string }> = {
  open: { zh: '待确认', en: 'open' },
  acknowledged: { zh: '已确认', en: 'acknowledged' },
  contained: { zh: '已控制', en: 'contained' },
  investigating: { zh: '调查中', en: 'investigating' },
  correcting: { zh: '纠正中', en: 'correcting' },
  verifying: { zh: '验证中', en: 'verifying' },
  remediating: { zh: '补救中', en: 'remediating' },
  resolved: { zh: '已解决', en: 'resolved' },
  closed: { zh: '已关闭', en: 'closed' },
};

export const INCIDENT_SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/**
 * How long the first people notified have to acknowledge an incident of each severity, in
 * seconds, when no escalation policy says otherwise. The queue's `ackDueAt`/`ackOverdue` use it;
 * the notifications part starts its escalation policies from it.
 */
export const ACK_TIMEOUT_SECONDS: Record<IncidentSeverity, number> = {
  P1: 300,
  P2: 900,
  P3: 3600,
  P4: 14400,
};

/** The categories of a root cause (API.md). `operator_error` names the user whose change caused it. */
export const ROOT_CAUSE_CATEGORIES = [
  'operator_error',
  'system_error',
  'bank_side',
  'fraud',
  'other',
] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

export const ROOT_CAUSE_NAMES: Record<RootCauseCategory, { zh: string; en: string }> = {
  operator_error: { zh: '操作失误', en: 'operator error' },
  system_error: { zh: '系统故障', en: 'system error' },
  bank_side: { zh: '银行方原因', en: 'bank side' },
  fraud: { zh: '欺诈', en: 'fraud' },
  other: { zh: '其他', en: 'other' },
};

/** Bounds of what people write into an incident. */
export const COMMENT_LENGTH_MAX = 2000;
export const NOTE_LENGTH_MAX = 2000;
export const HELD_MONEY_PLAN_LENGTH_MAX = 2000;
export const ROOT_CAUSE_DETAIL_LENGTH_MAX = 2000;
export const POST_MORTEM_SUMMARY_LENGTH_MAX = 4000;
export const LESSON_LENGTH_MAX = 500;
export const LESSONS_MAX = 20;
export const SEVERITY_REASON_LENGTH_MAX = 500;

/**
 * What a move needs, each refused with its own code:
 * - `note`: a note saying why (backward moves) → `note_required`;
 * - `root_cause`: a root cause recorded → `root_cause_required`;
 * - `post_mortem`: a post-mortem with at least one lesson → `post_mortem_required`;
 * - `held_money_settled_or_plan`: no money of the merchant still held (an active hold, or held
 *   or returned lines not released), or a plan for it sent with the move →
 *   `held_money_plan_required`;
 * - `no_other_open_incident`: reopening a real incident while its merchant has another one
 *   open would make two → `incident_already_open`;
 * - `remediations_assigned`: every remediation of an affected payment that is still open or in
 *   progress has an owner and a due date → `remediation_unassigned`.
 */
export type Requirement =
  | 'note'
  | 'root_cause'
  | 'post_mortem'
  | 'held_money_settled_or_plan'
  | 'no_other_open_incident'
  | 'remediations_assigned';

export const REQUIREMENT_CODES: Record<Requirement, ErrorCode> = {
  note: 'note_required',
  root_cause: 'root_cause_required',
  post_mortem: 'post_mortem_required',
  held_money_settled_or_plan: 'held_money_plan_required',
  no_other_open_incident: 'incident_already_open',
  remediations_assigned: 'remediation_unassigned',
};

/** The time column a move sets (first time only for acknowledged and contained). */
export type Stamp = 'acknowledged' | 'contained' | 'resolved' | 'closed' | 'reopened';

export type TransitionAction =
  | 'acknowledge'
  | 'contain'
  | 'investigate'
  | 'correct'
  | 'verify'
  | 'remediate'
  | 'resolve'
  | 'close'
  | 'revisit_cause'
  | 'verification_failed'
  | 'remediation_failed'
  | 'reopen';

/** How each move is named in the audit trail, in the past tense like the other actions. */
export const AUDIT_ACTIONS: Record<TransitionAction, string> = {
  acknowledge: 'incident.acknowledged',
  contain: 'incident.contained',
  investigate: 'incident.investigation_started',
  correct: 'incident.correction_started',
  verify: 'incident.verification_started',
  remediate: 'incident.remediation_started',
  resolve: 'incident.resolved',
  close: 'incident.closed',
  revisit_cause: 'incident.cause_revisited',
  verification_failed: 'incident.verification_failed',
  remediation_failed: 'incident.remediation_failed',
  reopen: 'incident.reopened',
};

export interface Transition {
  from: IncidentStatus;
  to: IncidentStatus;
  /** Names the move in the audit trail (`incident.<action>`) and the timeline. */
  action: TransitionAction;
  roles: readonly Role[];
  requires: readonly Requirement[];
  /** The event announced when the move is made, if any. */
  emits: EventType | null;
  stamp: Stamp | null;
}

/** Operational steps: the people who work the incident day to day. */
const WORKERS: readonly Role[] = ['admin', 'risk', 'ops'];
/** Decisions that end an incident: the risk side and the approvers, not operations alone. */
const DECIDERS: readonly Role[] = ['admin', 'risk', 'approver'];
/** Reopening a resolved incident undoes a decision: risk and admin only. */
const REOPENERS: readonly Role[] = ['admin', 'risk'];

function move(
  from: IncidentStatus,
  to: IncidentStatus,
  action: TransitionAction,
  roles: readonly Role[],
  options: { requires?: readonly Requirement[]; emits?: EventType; stamp?: Stamp } = {},
): Transition {
  return {
    from,
    to,
    action,
    roles,
    requires: options.requires ?? [],
    emits: options.emits ?? null,
    stamp: options.stamp ?? null,
  };
}

const RESOLVE_REQUIRES: readonly Requirement[] = [
  'root_cause',
  'held_money_settled_or_plan',
  'remediations_assigned',
];

/** THE table. Any (from, to) pair not listed is refused with `invalid_transition`. */
export const TRANSITIONS: readonly Transition[] = [
  move('open', 'acknowledged', 'acknowledge', WORKERS, {
    emits: 'incident.acknowledged',
    stamp: 'acknowledged',
  }),
  move('acknowledged', 'contained', 'contain', WORKERS, { stamp: 'contained' }),
  move('acknowledged', 'investigating', 'investigate', WORKERS),
  move('contained', 'investigating', 'investigate', WORKERS),
  move('investigating', 'correcting', 'correct', WORKERS),
  move('investigating', 'resolved', 'resolve', DECIDERS, {
    requires: RESOLVE_REQUIRES,
    emits: 'incident.resolved',
    stamp: 'resolved',
  }),
  move('correcting', 'verifying', 'verify', WORKERS),
  move('correcting', 'investigating', 'revisit_cause', WORKERS, { requires: ['note'] }),
  move('verifying', 'remediating', 'remediate', WORKERS),
  move('verifying', 'correcting', 'verification_failed', WORKERS, { requires: ['note'] }),
  move('verifying', 'resolved', 'resolve', DECIDERS, {
    requires: RESOLVE_REQUIRES,
    emits: 'incident.resolved',
    stamp: 'resolved',
  }),
  move('remediating', 'resolved', 'resolve', DECIDERS, {
    requires: RESOLVE_REQUIRES,
    emits: 'incident.resolved',
    stamp: 'resolved',
  }),
  move('remediating', 'correcting', 'remediation_failed', WORKERS, { requires: ['note'] }),
  move('resolved', 'closed', 'close', DECIDERS, { requires: ['post_mortem'], stamp: 'closed' }),
  move('resolved', 'investigating', 'reopen', REOPENERS, {
    requires: ['note', 'no_other_open_incident'],
    stamp: 'reopened',
  }),
];

/** The roles that may make at least one move; every other role is refused any transition. */
export const ROLES_WITH_MOVES: readonly Role[] = [...new Set(TRANSITIONS.flatMap((t) => t.roles))];

/** What is known about the incident and the request when a move is asked for. */
export interface TransitionFacts {
  hasRootCause: boolean;
  postMortemLessons: number;
  /** The merchant still has money held: an active hold, or held/returned lines not released. */
  moneyHeld: boolean;
  /** The request carries a plan for the held money. */
  heldMoneyPlan: boolean;
  /** The request carries a note. */
  note: boolean;
  /** The merchant has another real incident that is not resolved or closed. */
  otherOpenIncident: boolean;
  /**
   * A remediation of the incident is open or in progress without an owner or a due date
   * (app/remediation). Absent: none.
   */
  unassignedRemediations?: boolean;
}

export function findTransition(from: IncidentStatus, to: IncidentStatus): Transition | null {
  return TRANSITIONS.find((t) => t.from === from && t.to === to) ?? null;
}

function unmet(requirement: Requirement, facts: TransitionFacts): boolean {
  switch (requirement) {
    case 'note':
      return !facts.note;
    case 'root_cause':
      return !facts.hasRootCause;
    case 'post_mortem':
      return facts.postMortemLessons < 1;
    case 'held_money_settled_or_plan':
      return facts.moneyHeld && !facts.heldMoneyPlan;
    case 'no_other_open_incident':
      return facts.otherOpenIncident;
    case 'remediations_assigned':
      return facts.unassignedRemediations === true;
  }
}

/** The codes of the move's requirements not met, in the table's order. */
export function blockersOf(transition: Transition, facts: TransitionFacts): ErrorCode[] {
  return transition.requires.filter((r) => unmet(r, facts)).map((r) => REQUIREMENT_CODES[r]);
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  note_required: 'This move needs a note saying why',
  root_cause_required: 'Record the root cause before resolving the incident',
  post_mortem_required: 'Record a post-mortem with at least one lesson before closing',
  held_money_plan_required:
    "The merchant's money is still held: release it first, or send a heldMoneyPlan saying what happens to it",
  incident_already_open:
    'The merchant has another open incident; work that one instead of reopening this one',
  remediation_unassigned:
    'A remediation of an affected payment is open without an owner and a due date: give each one both, or finish or cancel it',
};

/**
 * Decides a move: the transition to apply, or a DomainError. Checked in this order: a role
 * with no move at all → `forbidden`; a pair not in the table → `invalid_transition`; a role
 * not allowed this move → `forbidden`; then the requirements, first unmet first.
 */
export function decideTransition(input: {
  from: IncidentStatus;
  to: IncidentStatus;
  role: Role;
  facts: TransitionFacts;
}): Transition {
  if (!ROLES_WITH_MOVES.includes(input.role)) {
    throw new DomainError('forbidden', `Role ${input.role} may not move incidents`);
  }
  const transition = findTransition(input.from, input.to);
  if (!transition) {
    throw new DomainError(
      'invalid_transition',
      `An incident cannot move from ${input.from} to ${input.to}`,
    );
  }
  if (!transition.roles.includes(input.role)) {
    throw new DomainError(
      'forbidden',
      `Role ${input.role} may not move an incident from ${input.from} to ${input.to}`,
    );
  }
  const [blocker] = blockersOf(transition, input.facts);
  if (blocker) throw new DomainError(blocker, MESSAGES[blocker] ?? blocker);
  return transition;
}

export interface AllowedTransition {
  to: IncidentStatus;
  action: TransitionAction;
  /**
   * Requirements not met yet. `root_cause_required`, `post_mortem_required` and
   * `incident_already_open` must be dealt with first; `note_required` and
   * `held_money_plan_required` are met by sending a note or a plan with the move.
   */
  blockedBy: ErrorCode[];
}

/** The moves the role may make from the status, for the console's buttons. */
export function allowedTransitions(
  from: IncidentStatus,
  role: Role,
  facts: Omit<TransitionFacts, 'note' | 'heldMoneyPlan'>,
): AllowedTransition[] {
  return TRANSITIONS.filter((t) => t.from === from && t.roles.includes(role)).map((t) => ({
    to: t.to,
    action: t.action,
    blockedBy: blockersOf(t, { ...facts, note: false, heldMoneyPlan: false }),
  }));
}

/** When the acknowledgement of an incident opened at `openedAt` falls due. */
export function ackDueAt(openedAt: Date, severity: IncidentSeverity): Date {
  return new Date(openedAt.getTime() + ACK_TIMEOUT_SECONDS[severity] * 1000);
}

/** Overdue: still open, not acknowledged, and its acknowledgement time has passed. */
export function ackOverdue(input: {
  status: IncidentStatus;
  acknowledgedAt: Date | null;
  openedAt: Date;
  severity: IncidentSeverity;
  now: Date;
}): boolean {
  return (
    input.status === 'open' &&
    input.acknowledgedAt === null &&
    input.now.getTime() > ackDueAt(input.openedAt, input.severity).getTime()
  );
}
