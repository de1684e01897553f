/**
 * What the incident screens compute without asking the server: where a status sits in the
 * lifecycle, the queue's age filter as a time, how long something took, and what a move needs.
 * No I/O and no clock: the time comes in as an argument.
 */
import { INCIDENT_STATUSES } from '../../api/types';
import type { AllowedTransition, IncidentDetail, IncidentStatus } from '../../api/types';

/** The lifecycle in order, as the stepper on the incident page shows it. */
export const LIFECYCLE: readonly IncidentStatus[] = INCIDENT_STATUSES;

/** The step of `status` in LIFECYCLE (0 for `open`). */
export function lifecycleStep(status: IncidentStatus): number {
  return Math.max(0, LIFECYCLE.indexOf(status));
}

/** Statuses in which the incident is still being worked (the queue's "open" meaning). */
export function isActive(status: IncidentStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/** The queue's age filter: incidents opened at least this long ago. */
export const INCIDENT_AGES = ['1h', '4h', '24h', '7d'] as const;
export type IncidentAge = (typeof INCIDENT_AGES)[number];

const AGE_MS: Record<IncidentAge, number> = {
  '1h': 3_600_000,
  '4h': 4 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

/** The `openedBefore` time of an age filter, as RFC 3339 (UTC). */
export function openedBeforeFor(age: IncidentAge, nowMs: number): string {
  return new Date(nowMs - AGE_MS[age]).toISOString();
}

/** The queue's drill filter: real incidents only (the default), drills too, or drills only. */
export const DRILL_VIEWS = ['exclude', 'include', 'only'] as const;
export type DrillView = (typeof DRILL_VIEWS)[number];

/** The API's `drill` parameter for a drill view; no view hides drills. */
export function drillQuery(view: DrillView | undefined): 'true' | 'false' | 'all' {
  if (view === 'only') return 'true';
  if (view === 'include') return 'all';
  return 'false';
}

/** A duration in whole units, largest first, at most two: `[[1, 'h'], [5, 'm']]`. */
export type DurationPart = [number, 'd' | 'h' | 'm' | 's'];

export function durationParts(seconds: number): DurationPart[] {
  const total = Math.max(0, Math.round(seconds));
  const units: [number, DurationPart[1]][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: DurationPart[] = [];
  let rest = total;
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (unit === 's' && parts.length === 0)) parts.push([count, unit]);
  }
  return parts.slice(0, 2);
}

/** What the form of a move asks for, and what stands in its way. */
export interface TransitionNeeds {
  /** A backward move (or reopening) needs a note saying why. */
  note: boolean;
  /** `resolved` needs a root cause on record: the server refuses it without one. */
  rootCauseMissing: boolean;
  /** `resolved` while money is still held needs a plan for that money. */
  heldMoneyPlan: boolean;
  /** `closed` needs a post-mortem with lessons learned. */
  postMortemMissing: boolean;
  /** Reopening while the merchant has another open incident is refused. */
  otherIncidentOpen: boolean;
}

/**
 * What a move needs, from the server's `blockedBy` codes when it sent them, else from what the
 * incident shows (a server that lists bare statuses).
 */
export function transitionNeeds(
  incident: Pick<
    IncidentDetail,
    'rootCause' | 'postMortem' | 'containment' | 'status' | 'heldMoney'
  >,
  move: AllowedTransition,
): TransitionNeeds {
  const to = move.to;
  if (move.blockedBy !== undefined) {
    const blocked = (code: string) => move.blockedBy?.includes(code) === true;
    return {
      note: blocked('note_required'),
      rootCauseMissing: blocked('root_cause_required'),
      heldMoneyPlan: blocked('held_money_plan_required'),
      postMortemMissing: blocked('post_mortem_required'),
      otherIncidentOpen: blocked('incident_already_open'),
    };
  }
  return {
    note: isBackward(incident.status, to),
    rootCauseMissing: to === 'resolved' && (incident.rootCause ?? null) === null,
    heldMoneyPlan:
      to === 'resolved' &&
      (incident.heldMoney === undefined
        ? incident.containment.settlementHeld
        : incident.heldMoney.holdActive || incident.heldMoney.amountFen > 0),
    postMortemMissing: to === 'closed' && (incident.postMortem ?? null) === null,
    otherIncidentOpen: false,
  };
}

/** A move back to an earlier status (the cause was wrong, verification failed, reopened). */
export function isBackward(from: IncidentStatus, to: IncidentStatus): boolean {
  return lifecycleStep(to) < lifecycleStep(from);
}

/**
 * The moves offered as buttons, from the server's allowed transitions (objects, or bare
 * statuses from an older server): without `acknowledged` (the acknowledge button does that, and
 * records who acknowledged), forward moves first in lifecycle order, then the backward ones.
 */
export function transitionButtons(
  from: IncidentStatus,
  allowed: readonly (AllowedTransition | IncidentStatus)[] | undefined,
): AllowedTransition[] {
  const moves = (allowed ?? []).map((item) => (typeof item === 'string' ? { to: item } : item));
  const order = (move: AllowedTransition) =>
    (isBackward(from, move.to) ? LIFECYCLE.length : 0) + lifecycleStep(move.to);
  return moves.filter((move) => move.to !== 'acknowledged').sort((a, b) => order(a) - order(b));
}

/** Whether the caller may acknowledge: the server lists `acknowledged` among the moves. */
export function canAcknowledgeNow(
  allowed: readonly (AllowedTransition | IncidentStatus)[] | undefined,
): boolean {
  return (allowed ?? []).some(
    (item) => (typeof item === 'string' ? item : item.to) === 'acknowledged',
  );
}

/** Lessons typed one per line: trimmed, blank lines dropped. */
export function lessonsFrom(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
