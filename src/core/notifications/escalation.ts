/**
 * Escalation policies (ADR 13): per incident severity, the levels of people (or addresses, or
 * webhook endpoints) told in turn, how long each level has to acknowledge before the next one
 * is told, and how many times the whole list is gone through again after the last level.
 * Pure: the app resolves the notify entries and works the steps as jobs.
 *
 * Steps are numbered by level (1…) and round (1 = the first pass, up to 1 + repeat). The first
 * step (level 1, round 1) happens when the incident opens; each next step `ackTimeoutSeconds`
 * of the current level later, unless the incident has been acknowledged by then.
 */
import {
  ACK_TIMEOUT_SECONDS,
  INCIDENT_SEVERITIES,
  type IncidentSeverity,
} from '../incidents/lifecycle.js';
import { ROLES, type Role } from '../roles.js';

export { INCIDENT_SEVERITIES, type IncidentSeverity };

export interface EscalationLevel {
  /** Usernames, e-mail addresses, webhook endpoint ids, or `role:<role>` (every active user). */
  notify: string[];
  ackTimeoutSeconds: number;
}

export interface EscalationPolicy {
  levels: EscalationLevel[];
  repeat: number;
}

export interface EscalationStep {
  level: number;
  round: number;
}

export const LEVELS_MAX = 10;
export const NOTIFY_ENTRIES_MAX = 20;
export const NOTIFY_ENTRY_LENGTH_MAX = 254;
export const ACK_TIMEOUT_SECONDS_MIN = 30;
export const ACK_TIMEOUT_SECONDS_MAX = 86_400;
export const REPEAT_MAX = 10;

/** Roles a `role:` entry may name: people who work incidents, not machines or merchants. */
export const PAGEABLE_ROLES: readonly Role[] = ROLES.filter(
  (role) => role !== 'switch' && role !== 'merchant',
);

const ROLE_PREFIX = 'role:';

/** The role of a `role:<role>` entry, null for any other entry. */
export function roleOfEntry(entry: string): Role | null {
  if (!entry.startsWith(ROLE_PREFIX)) return null;
  const role = entry.slice(ROLE_PREFIX.length);
  return (PAGEABLE_ROLES as readonly string[]).includes(role) ? (role as Role) : null;
}

export function isRoleEntry(entry: string): boolean {
  return entry.startsWith(ROLE_PREFIX);
}

/**
 * What applies when nobody has set a policy: the risk officers first, within the lifecycle's
 * acknowledgement time of the severity (P1: 5 minutes), then the administrators; P1 and P2
 * go round again, P3 and P4 tell the risk officers once.
 */
export const DEFAULT_ESCALATION_POLICIES: Record<IncidentSeverity, EscalationPolicy> = {
  P1: {
    levels: [
      { notify: ['role:risk'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P1 },
      { notify: ['role:admin'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P1 },
    ],
    repeat: 2,
  },
  P2: {
    levels: [
      { notify: ['role:risk'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P2 },
      { notify: ['role:admin'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P2 * 2 },
    ],
    repeat: 1,
  },
  P3: { levels: [{ notify: ['role:risk'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P3 }], repeat: 0 },
  P4: { levels: [{ notify: ['role:risk'], ackTimeoutSeconds: ACK_TIMEOUT_SECONDS.P4 }], repeat: 0 },
};

export interface ShapeIssue {
  path: string;
  message: string;
}

/** Problems of a policy's shape (counts, bounds, duplicates); entries are resolved by the app. */
export function policyShapeIssues(policy: EscalationPolicy): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  if (policy.levels.length < 1 || policy.levels.length > LEVELS_MAX) {
    issues.push({ path: 'levels', message: `1 to ${LEVELS_MAX} levels` });
  }
  if (!Number.isInteger(policy.repeat) || policy.repeat < 0 || policy.repeat > REPEAT_MAX) {
    issues.push({ path: 'repeat', message: `A whole number from 0 to ${REPEAT_MAX}` });
  }
  policy.levels.forEach((level, i) => {
    const timeout = level.ackTimeoutSeconds;
    if (
      !Number.isInteger(timeout) ||
      timeout < ACK_TIMEOUT_SECONDS_MIN ||
      timeout > ACK_TIMEOUT_SECONDS_MAX
    ) {
      issues.push({
        path: `levels.${i}.ackTimeoutSeconds`,
        message: `Seconds from ${ACK_TIMEOUT_SECONDS_MIN} to ${ACK_TIMEOUT_SECONDS_MAX} (one day)`,
      });
    }
    if (level.notify.length < 1 || level.notify.length > NOTIFY_ENTRIES_MAX) {
      issues.push({ path: `levels.${i}.notify`, message: `1 to ${NOTIFY_ENTRIES_MAX} entries` });
    }
    const seen = new Set<string>();
    level.notify.forEach((entry, j) => {
      if (entry.length === 0 || entry.length > NOTIFY_ENTRY_LENGTH_MAX) {
        issues.push({
          path: `levels.${i}.notify.${j}`,
          message: `1 to ${NOTIFY_ENTRY_LENGTH_MAX} characters`,
        });
      }
      if (isRoleEntry(entry) && roleOfEntry(entry) === null) {
        issues.push({
          path: `levels.${i}.notify.${j}`,
          message: `role: names one of ${PAGEABLE_ROLES.join(', ')}`,
        });
      }
      if (seen.has(entry)) {
        issues.push({ path: `levels.${i}.notify.${j}`, message: 'Named twice in this level' });
      }
      seen.add(entry);
    });
  });
  return issues;
}

/** The step after `step`, or null when the policy is spent. */
export function nextStep(policy: EscalationPolicy, step: EscalationStep): EscalationStep | null {
  if (step.level < policy.levels.length) return { level: step.level + 1, round: step.round };
  if (step.round < policy.repeat + 1) return { level: 1, round: step.round + 1 };
  return null;
}

/** The first step of every escalation: level 1, first round, when the incident opens. */
export const FIRST_STEP: EscalationStep = { level: 1, round: 1 };

export function isFirstStep(step: EscalationStep): boolean {
  return step.level === 1 && step.round === 1;
}

export function isSeverity(value: string): value is IncidentSeverity {
  return (INCIDENT_SEVERITIES as readonly string[]).includes(value);
}
