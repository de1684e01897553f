/**
 * Walks the whole transition table: every (from, to) pair of the nine statuses, for every role,
 * allowed or refused with its code, against an expectation written out by hand below (not
 * derived from the table, so that a changed table fails here). Then every requirement of every
 * allowed move, refused alone with its code.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { ROLES, type Role } from '../roles.js';
import {
  ACK_TIMEOUT_SECONDS,
  ackDueAt,
  ackOverdue,
  allowedTransitions,
  decideTransition,
  INCIDENT_STATUSES,
  TRANSITIONS,
  type IncidentStatus,
  type TransitionFacts,
} from './lifecycle.js';

const W = ['admin', 'risk', 'ops'] as const;
const D = ['admin', 'risk', 'approver'] as const;
const R = ['admin', 'risk'] as const;

/** The documented table: from → to → [roles, requirements, event]. */
const EXPECTED: Record<
  string,
  { roles: readonly Role[]; requires: string[]; emits: string | null; action: string }
> = {
  'open→acknowledged': {
    roles: W,
    requires: [],
    emits: 'incident.acknowledged',
    action: 'acknowledge',
  },
  'acknowledged→contained': { roles: W, requires: [], emits: null, action: 'contain' },
  'acknowledged→investigating': { roles: W, requires: [], emits: null, action: 'investigate' },
  'contained→investigating': { roles: W, requires: [], emits: null, action: 'investigate' },
  'investigating→correcting': { roles: W, requires: [], emits: null, action: 'correct' },
  'investigating→resolved': {
    roles: D,
    requires: ['root_cause_required', 'held_money_plan_required', 'remediation_unassigned'],
    emits: 'incident.resolved',
    action: 'resolve',
  },
  'correcting→verifying': { roles: W, requires: [], emits: null, action: 'verify' },
  'correcting→investigating': {
    roles: W,
    requires: ['note_required'],
    emits: null,
    action: 'revisit_cause',
  },
  'verifying→remediating': { roles: W, requires: [], emits: null, action: 'remediate' },
  'verifying→correcting': {
    roles: W,
    requires: ['note_required'],
    emits: null,
    action: 'verification_failed',
  },
  'verifying→resolved': {
    roles: D,
    requires: ['root_cause_required', 'held_money_plan_required', 'remediation_unassigned'],
    emits: 'incident.resolved',
    action: 'resolve',
  },
  'remediating→resolved': {
    roles: D,
    requires: ['root_cause_required', 'held_money_plan_required', 'remediation_unassigned'],
    emits: 'incident.resolved',
    action: 'resolve',
  },
  'remediating→correcting': {
    roles: W,
    requires: ['note_required'],
    emits: null,
    action: 'remediation_failed',
  },
  'resolved→closed': {
    roles: D,
    requires: ['post_mortem_required'],
    emits: null,
    action: 'close',
  },
  'resolved→investigating': {
    roles: R,
    requires: ['note_required', 'incident_already_open'],
    emits: null,
    action: 'reopen',
  },
};

/** Every requirement met. */
const ALL_MET: TransitionFacts = {
  hasRootCause: true,
  postMortemLessons: 1,
  moneyHeld: false,
  heldMoneyPlan: false,
  note: true,
  otherOpenIncident: false,
  unassignedRemediations: false,
};

/** The facts that leave exactly one requirement unmet. */
const BREAK: Record<string, Partial<TransitionFacts>> = {
  root_cause_required: { hasRootCause: false },
  post_mortem_required: { postMortemLessons: 0 },
  held_money_plan_required: { moneyHeld: true, heldMoneyPlan: false },
  note_required: { note: false },
  incident_already_open: { otherOpenIncident: true },
  remediation_unassigned: { unassignedRemediations: true },
};

function outcome(from: IncidentStatus, to: IncidentStatus, role: Role, facts = ALL_MET): string {
  try {
    const t = decideTransition({ from, to, role, facts });
    return `ok:${t.action}:${t.emits ?? '-'}`;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('the incident transition table', () => {
  it('lists exactly the documented moves', () => {
    expect(TRANSITIONS.map((t) => `${t.from}→${t.to}`).sort()).toEqual(
      Object.keys(EXPECTED).sort(),
    );
  });

  const roleCases = INCIDENT_STATUSES.flatMap((from) =>
    INCIDENT_STATUSES.flatMap((to) => ROLES.map((role) => [from, to, role] as const)),
  );

  it.each(roleCases)('%s → %s as %s', (from, to, role) => {
    const expected = EXPECTED[`${from}→${to}`];
    const got = outcome(from, to, role);
    const movesAtAll = Object.values(EXPECTED).some((e) => e.roles.includes(role));
    if (!movesAtAll) {
      // auditor, support, merchant, switch: never, whatever the pair.
      expect(got).toBe('forbidden');
    } else if (!expected) {
      expect(got).toBe('invalid_transition');
    } else if (!expected.roles.includes(role)) {
      expect(got).toBe('forbidden');
    } else {
      expect(got).toBe(`ok:${expected.action}:${expected.emits ?? '-'}`);
    }
  });

  it('never lets auditor, support, merchant or switch move anything', () => {
    for (const role of ['auditor', 'support', 'merchant', 'switch'] as const) {
      for (const from of INCIDENT_STATUSES) {
        expect(allowedTransitions(from, role, ALL_MET)).toEqual([]);
      }
    }
  });

  it('has no move out of closed and no move into open', () => {
    for (const s of INCIDENT_STATUSES) {
      expect(outcome('closed', s, 'admin')).toBe('invalid_transition');
      expect(outcome(s, 'open', 'admin')).toBe('invalid_transition');
    }
  });

  const requirementCases = Object.entries(EXPECTED).flatMap(([pair, e]) =>
    e.requires.map((code) => [pair, code] as const),
  );

  it.each(requirementCases)('%s refuses with %s when that alone is missing', (pair, code) => {
    const [from, to] = pair.split('→') as [IncidentStatus, IncidentStatus];
    const expected = EXPECTED[pair];
    if (!expected) throw new Error(pair);
    for (const role of expected.roles) {
      expect(outcome(from, to, role, { ...ALL_MET, ...BREAK[code] })).toBe(code);
    }
  });

  it.each(Object.keys(EXPECTED))('%s ignores requirements it does not have', (pair) => {
    const [from, to] = pair.split('→') as [IncidentStatus, IncidentStatus];
    const expected = EXPECTED[pair];
    if (!expected) throw new Error(pair);
    for (const [code, broken] of Object.entries(BREAK)) {
      if (expected.requires.includes(code)) continue;
      expect(outcome(from, to, 'admin', { ...ALL_MET, ...broken })).toMatch(/^ok:/);
    }
  });

  it('lets money held be resolved with a plan, and without one refuses', () => {
    const held = { ...ALL_MET, moneyHeld: true };
    expect(outcome('remediating', 'resolved', 'approver', held)).toBe('held_money_plan_required');
    expect(outcome('remediating', 'resolved', 'approver', { ...held, heldMoneyPlan: true })).toBe(
      'ok:resolve:incident.resolved',
    );
  });

  it('checks requirements in the table order: root cause before held money', () => {
    expect(
      outcome('verifying', 'resolved', 'risk', {
        ...ALL_MET,
        hasRootCause: false,
        moneyHeld: true,
      }),
    ).toBe('root_cause_required');
  });

  it('refuses to resolve while a remediation lacks an owner or a due date, after root cause and held money', () => {
    const unassigned = { ...ALL_MET, unassignedRemediations: true };
    for (const from of ['investigating', 'verifying', 'remediating'] as const) {
      expect(outcome(from, 'resolved', 'risk', unassigned)).toBe('remediation_unassigned');
      expect(outcome(from, 'resolved', 'risk', { ...unassigned, moneyHeld: true })).toBe(
        'held_money_plan_required',
      );
      expect(outcome(from, 'resolved', 'risk', { ...unassigned, hasRootCause: false })).toBe(
        'root_cause_required',
      );
    }
    // Facts from callers that do not know of remediations: nothing blocks.
    const withoutRemediations: TransitionFacts = { ...ALL_MET };
    delete withoutRemediations.unassignedRemediations;
    expect(outcome('remediating', 'resolved', 'approver', withoutRemediations)).toBe(
      'ok:resolve:incident.resolved',
    );
    // Closing and the other moves do not look at remediations.
    expect(outcome('resolved', 'closed', 'approver', unassigned)).toBe('ok:close:-');
    expect(
      allowedTransitions('remediating', 'approver', {
        hasRootCause: true,
        postMortemLessons: 0,
        moneyHeld: false,
        otherOpenIncident: false,
        unassignedRemediations: true,
      }),
    ).toEqual([{ to: 'resolved', action: 'resolve', blockedBy: ['remediation_unassigned'] }]);
  });

  it('tells the console which buttons to show and what still blocks them', () => {
    const facts = { hasRootCause: false, postMortemLessons: 0, moneyHeld: true };
    const ops = allowedTransitions('remediating', 'ops', { ...facts, otherOpenIncident: false });
    expect(ops).toEqual([
      { to: 'correcting', action: 'remediation_failed', blockedBy: ['note_required'] },
    ]);
    const approver = allowedTransitions('remediating', 'approver', {
      ...facts,
      otherOpenIncident: false,
    });
    expect(approver).toEqual([
      {
        to: 'resolved',
        action: 'resolve',
        blockedBy: ['root_cause_required', 'held_money_plan_required'],
      },
    ]);
    expect(allowedTransitions('open', 'approver', { ...facts, otherOpenIncident: false })).toEqual(
      [],
    );
  });
});

describe('acknowledgement clock', () => {
  it('has the documented default timeouts', () => {
    expect(ACK_TIMEOUT_SECONDS).toEqual({ P1: 300, P2: 900, P3: 3600, P4: 14400 });
  });

  it('falls due after the timeout, and is overdue only while open and unacknowledged', () => {
    const openedAt = new Date('2026-11-26T08:00:00Z');
    expect(ackDueAt(openedAt, 'P1').toISOString()).toBe('2026-11-26T08:05:00.000Z');
    expect(ackDueAt(openedAt, 'P4').toISOString()).toBe('2026-11-26T12:00:00.000Z');
    const base = { openedAt, severity: 'P1' as const, acknowledgedAt: null };
    const at = (iso: string) => new Date(iso);
    expect(ackOverdue({ ...base, status: 'open', now: at('2026-11-26T08:05:00Z') })).toBe(false);
    expect(ackOverdue({ ...base, status: 'open', now: at('2026-11-26T08:05:01Z') })).toBe(true);
    expect(ackOverdue({ ...base, status: 'acknowledged', now: at('2026-11-26T09:00:00Z') })).toBe(
      false,
    );
    expect(
      ackOverdue({
        ...base,
        status: 'open',
        acknowledgedAt: openedAt,
        now: at('2026-11-26T09:00:00Z'),
      }),
    ).toBe(false);
  });
});
