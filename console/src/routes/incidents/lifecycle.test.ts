import { describe, expect, it } from 'vitest';
import {
  canAcknowledgeNow,
  drillQuery,
  durationParts,
  lessonsFrom,
  lifecycleStep,
  openedBeforeFor,
  transitionButtons,
  transitionNeeds,
} from './lifecycle';

const HELD = { terminalsSuspended: [], settlementHeld: true, holdReason: 'x' };
const NOT_HELD = { terminalsSuspended: [], settlementHeld: false, holdReason: null };
const ROOT_CAUSE = {
  category: 'operator_error' as const,
  detail: 'd',
  operator: 'ops-1',
  recordedBy: 'risk-1',
  recordedAt: '2026-01-05T02:00:00Z',
};

describe('the incident screens without the server', () => {
  it('places each status on the stepper in lifecycle order', () => {
    expect(lifecycleStep('open')).toBe(0);
    expect(lifecycleStep('contained')).toBe(2);
    expect(lifecycleStep('closed')).toBe(8);
  });

  it('turns an age into the time before which incidents were opened', () => {
    const now = Date.parse('2026-01-05T12:00:00Z');
    expect(openedBeforeFor('1h', now)).toBe('2026-01-05T11:00:00.000Z');
    expect(openedBeforeFor('24h', now)).toBe('2026-01-04T12:00:00.000Z');
    expect(openedBeforeFor('7d', now)).toBe('2025-12-29T12:00:00.000Z');
  });

  it('hides drills unless they are asked for', () => {
    expect(drillQuery(undefined)).toBe('false');
    expect(drillQuery('exclude')).toBe('false');
    expect(drillQuery('include')).toBe('all');
    expect(drillQuery('only')).toBe('true');
  });

  it('says a duration in at most its two largest units', () => {
    expect(durationParts(0)).toEqual([[0, 's']]);
    expect(durationParts(59.6)).toEqual([[1, 'm']]);
    expect(durationParts(330)).toEqual([
      [5, 'm'],
      [30, 's'],
    ]);
    expect(durationParts(90_061)).toEqual([
      [1, 'd'],
      [1, 'h'],
    ]);
  });

  it("knows what a move asks for from the server's blockers", () => {
    const incident = {
      status: 'verifying' as const,
      rootCause: null,
      postMortem: null,
      containment: HELD,
    };
    expect(
      transitionNeeds(incident, {
        to: 'resolved',
        blockedBy: ['root_cause_required', 'held_money_plan_required'],
      }),
    ).toEqual({
      note: false,
      rootCauseMissing: true,
      heldMoneyPlan: true,
      postMortemMissing: false,
      otherIncidentOpen: false,
    });
    expect(transitionNeeds(incident, { to: 'correcting', blockedBy: ['note_required'] }).note).toBe(
      true,
    );
  });

  it('works out what a move asks for when the server lists bare statuses', () => {
    expect(
      transitionNeeds(
        { status: 'verifying', rootCause: null, postMortem: null, containment: HELD },
        { to: 'resolved' },
      ),
    ).toEqual({
      note: false,
      rootCauseMissing: true,
      heldMoneyPlan: true,
      postMortemMissing: false,
      otherIncidentOpen: false,
    });
    expect(
      transitionNeeds(
        { status: 'resolved', rootCause: ROOT_CAUSE, postMortem: undefined, containment: NOT_HELD },
        { to: 'closed' },
      ).postMortemMissing,
    ).toBe(true);
    expect(
      transitionNeeds(
        { status: 'verifying', rootCause: ROOT_CAUSE, postMortem: null, containment: NOT_HELD },
        { to: 'correcting' },
      ).note,
    ).toBe(true);
  });

  it('offers forward moves first in lifecycle order, acknowledging by its own button', () => {
    expect(
      transitionButtons('verifying', [
        { to: 'correcting' },
        { to: 'resolved' },
        { to: 'remediating' },
      ]).map((move) => move.to),
    ).toEqual(['remediating', 'resolved', 'correcting']);
    expect(transitionButtons('open', ['acknowledged'])).toEqual([]);
    expect(canAcknowledgeNow(['acknowledged'])).toBe(true);
    expect(canAcknowledgeNow([{ to: 'contained' }])).toBe(false);
    expect(transitionButtons('open', undefined)).toEqual([]);
  });

  it('reads lessons one per line', () => {
    expect(lessonsFrom(' 变更须双人复核 \r\n\n上线前核对终端绑定\n  ')).toEqual([
      '变更须双人复核',
      '上线前核对终端绑定',
    ]);
  });
});
