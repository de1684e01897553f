import { describe, expect, it } from 'vitest';
import {
  ACTIONS_BY_KIND,
  AFFECTED_KINDS,
  caseFigures,
  conflictsWith,
  decideNewRemediation,
  decideReceipt,
  decideStatusChange,
  decideWriteOff,
  isCalendarDate,
  isOverdue,
  isUnassigned,
  REMEDIATION_ACTIONS,
  REMEDIATION_STATUSES,
  yuan,
  type StatusFacts,
} from './remediation.js';

const NOTHING: StatusFacts = {
  action: 'resettle',
  moneyTaken: false,
  refundPaid: false,
  caseClosed: false,
  caseHasMovements: false,
  retransactionRecorded: false,
  recoveryDepends: false,
};

describe('which remediation a payment may get', () => {
  it('applies each action only to the kinds it fits', () => {
    const table = Object.fromEntries(
      AFFECTED_KINDS.map((kind) => [
        kind,
        REMEDIATION_ACTIONS.filter(
          (action) =>
            decideNewRemediation({
              kind,
              action,
              existing: action === 'recover' ? [{ action: 'resettle', status: 'open' }] : [],
            }) === null,
        ),
      ]),
    );
    expect(table).toEqual({
      settled_to_wrong_account: ['resettle', 'recover', 'refund', 'retransaction'],
      payout_returned: ['resettle'],
      customer_saw_failure: ['retransaction'],
    });
    expect(ACTIONS_BY_KIND.payout_returned).toEqual(['resettle']);
  });

  it('never resettles and refunds (or re-transacts) one payment', () => {
    const kind = 'settled_to_wrong_account';
    expect(conflictsWith('resettle').sort()).toEqual(['refund', 'retransaction']);
    expect(conflictsWith('recover')).toEqual([]);
    expect(
      decideNewRemediation({
        kind,
        action: 'refund',
        existing: [{ action: 'resettle', status: 'open' }],
      }),
    ).toBe('remediation_conflict');
    expect(
      decideNewRemediation({
        kind,
        action: 'resettle',
        existing: [{ action: 'refund', status: 'done' }],
      }),
    ).toBe('remediation_conflict');
    expect(
      decideNewRemediation({
        kind,
        action: 'resettle',
        existing: [{ action: 'retransaction', status: 'in_progress' }],
      }),
    ).toBe('remediation_conflict');
    // A cancelled one stands in the way of nothing.
    expect(
      decideNewRemediation({
        kind,
        action: 'refund',
        existing: [{ action: 'resettle', status: 'cancelled' }],
      }),
    ).toBeNull();
    expect(
      decideNewRemediation({
        kind,
        action: 'retransaction',
        existing: [{ action: 'refund', status: 'open' }],
      }),
    ).toBeNull();
  });

  it('allows one remediation per payment and action, and recover only after an advance', () => {
    const kind = 'settled_to_wrong_account';
    expect(
      decideNewRemediation({
        kind,
        action: 'resettle',
        existing: [{ action: 'resettle', status: 'done' }],
      }),
    ).toBe('remediation_exists');
    expect(decideNewRemediation({ kind, action: 'recover', existing: [] })).toBe(
      'remediation_not_applicable',
    );
    expect(
      decideNewRemediation({
        kind,
        action: 'recover',
        existing: [{ action: 'refund', status: 'open' }],
      }),
    ).toBeNull();
    expect(
      decideNewRemediation({
        kind,
        action: 'recover',
        existing: [{ action: 'refund', status: 'cancelled' }],
      }),
    ).toBe('remediation_not_applicable');
  });
});

describe('a remediation status', () => {
  it('moves only as the table says; done and cancelled are final', () => {
    const allowed: string[] = [];
    for (const from of REMEDIATION_STATUSES) {
      for (const to of REMEDIATION_STATUSES) {
        const facts = { ...NOTHING, action: 'retransaction' as const, retransactionRecorded: true };
        if (from !== to && decideStatusChange(from, to, facts) === null)
          allowed.push(`${from}→${to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      [
        'in_progress→cancelled',
        'in_progress→done',
        'in_progress→open',
        'open→cancelled',
        'open→done',
        'open→in_progress',
      ].sort(),
    );
    expect(decideStatusChange('done', 'open', NOTHING)).toBe('invalid_state');
    expect(decideStatusChange('done', 'done', NOTHING)).toBeNull();
  });

  it('is done only once its act is', () => {
    expect(decideStatusChange('open', 'done', NOTHING)).toBe('remediation_incomplete');
    expect(decideStatusChange('open', 'done', { ...NOTHING, moneyTaken: true })).toBeNull();
    const refund = { ...NOTHING, action: 'refund' as const };
    expect(decideStatusChange('open', 'done', refund)).toBe('remediation_incomplete');
    expect(decideStatusChange('open', 'done', { ...refund, refundPaid: true })).toBeNull();
    const recover = { ...NOTHING, action: 'recover' as const };
    expect(decideStatusChange('in_progress', 'done', recover)).toBe('remediation_incomplete');
    expect(decideStatusChange('in_progress', 'done', { ...recover, caseClosed: true })).toBeNull();
    const again = { ...NOTHING, action: 'retransaction' as const };
    expect(decideStatusChange('open', 'done', again)).toBe('remediation_incomplete');
  });

  it('is cancelled only while its money has not moved on and nothing rests on it', () => {
    expect(decideStatusChange('open', 'cancelled', NOTHING)).toBeNull();
    expect(decideStatusChange('open', 'cancelled', { ...NOTHING, moneyTaken: true })).toBe(
      'invalid_state',
    );
    expect(decideStatusChange('open', 'cancelled', { ...NOTHING, recoveryDepends: true })).toBe(
      'remediation_conflict',
    );
    const refund = { ...NOTHING, action: 'refund' as const };
    expect(decideStatusChange('open', 'cancelled', { ...refund, refundPaid: true })).toBe(
      'invalid_state',
    );
    const recover = { ...NOTHING, action: 'recover' as const };
    expect(decideStatusChange('open', 'cancelled', { ...recover, caseHasMovements: true })).toBe(
      'invalid_state',
    );
    expect(decideStatusChange('open', 'cancelled', recover)).toBeNull();
  });

  it('is unassigned while open without owner or due date, and overdue past its date', () => {
    expect(isUnassigned({ status: 'open', owner: null, dueDate: '2026-12-01' })).toBe(true);
    expect(isUnassigned({ status: 'in_progress', owner: 'rita', dueDate: null })).toBe(true);
    expect(isUnassigned({ status: 'open', owner: 'rita', dueDate: '2026-12-01' })).toBe(false);
    expect(isUnassigned({ status: 'done', owner: null, dueDate: null })).toBe(false);
    expect(isUnassigned({ status: 'cancelled', owner: null, dueDate: null })).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: '2026-11-25' }, '2026-11-26')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2026-11-26' }, '2026-11-26')).toBe(false);
    expect(isOverdue({ status: 'done', dueDate: '2026-11-01' }, '2026-11-26')).toBe(false);
  });
});

describe('recovery cases', () => {
  const figures = caseFigures({ amountFen: 20_000, recoveredFen: 5_000, writtenOffFen: 0 });

  it('counts what is outstanding', () => {
    expect(figures.outstandingFen).toBe(15_000);
  });

  it('takes receipts up to what is outstanding, on open cases only', () => {
    expect(decideReceipt('open', figures, 15_000)).toBeNull();
    expect(decideReceipt('open', figures, 15_001)).toBe('recovery_amount_exceeded');
    expect(decideReceipt('open', figures, 0)).toBe('validation_failed');
    expect(decideReceipt('written_off', figures, 1)).toBe('recovery_case_closed');
    expect(decideReceipt('recovered', figures, 1)).toBe('recovery_case_closed');
  });

  it('writes off only an open case with something outstanding', () => {
    expect(decideWriteOff('open', figures)).toBeNull();
    expect(decideWriteOff('recovered', figures)).toBe('recovery_case_closed');
    expect(
      decideWriteOff('open', caseFigures({ amountFen: 1, recoveredFen: 1, writtenOffFen: 0 })),
    ).toBe('invalid_state');
  });
});

describe('formats', () => {
  it('checks calendar dates and writes yuan', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-28')).toBe(false);
    expect(yuan(123_456)).toBe('¥1,234.56');
    expect(yuan(5)).toBe('¥0.05');
    expect(yuan(-100)).toBe('-¥1.00');
  });
});
