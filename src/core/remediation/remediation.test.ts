import { describe, expect, it } from 'vitest';
import {
  ACTIONS_BY_KIND,
  AFFECTED_KINDS,
  caseFigures,
  conflictsWith,
  decideAdvance,
  decideNewRemediation,
  decideReceipt,
  decideStatusChange,
  decideWriteOff,
  isCalendarDate,
  isOverdue,
  isUnassigned,
  recoveryReceiptJournal,
  REMEDIATION_ACTIONS,
  REMEDIATION_STATUSES,
  splitReceipt,
  writeOffAmount,
  yuan,
  type StatusFacts,
} from './remediation.js';
import { recoveryJournal } from '../settlement/ledger.js';

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
              existing: [],
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

  it('allows one remediation per payment and action; recover before or after an advance', () => {
    const kind = 'settled_to_wrong_account';
    expect(
      decideNewRemediation({
        kind,
        action: 'resettle',
        existing: [{ action: 'resettle', status: 'done' }],
      }),
    ).toBe('remediation_exists');
    expect(decideNewRemediation({ kind, action: 'recover', existing: [] })).toBeNull();
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
    ).toBeNull();
    expect(
      decideNewRemediation({
        kind,
        action: 'recover',
        existing: [{ action: 'recover', status: 'open' }],
      }),
    ).toBe('remediation_exists');
    // The advance may come after the recovery (its amount is then decided by decideAdvance).
    expect(
      decideNewRemediation({
        kind,
        action: 'refund',
        existing: [{ action: 'recover', status: 'open' }],
      }),
    ).toBeNull();
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
  const figures = (over: Partial<Parameters<typeof caseFigures>[0]> = {}) =>
    caseFigures({
      status: 'open',
      amountFen: 20_000,
      advancedFen: 20_000,
      recoveredFen: 5_000,
      passedThroughFen: 0,
      writtenOffFen: 0,
      ...over,
    });

  it('counts what is outstanding and what the acquirer is still owed', () => {
    expect(figures()).toMatchObject({ outstandingFen: 15_000, receivableFen: 15_000 });
    // Claimed with nothing advanced: outstanding, but nothing receivable.
    expect(figures({ advancedFen: 0, recoveredFen: 0 })).toMatchObject({
      outstandingFen: 20_000,
      receivableFen: 0,
      abandonedFen: 0,
    });
    // Closed: nothing outstanding; what was neither received nor written off is given up.
    const closed = figures({
      status: 'written_off',
      advancedFen: 8_000,
      recoveredFen: 5_000,
      writtenOffFen: 3_000,
    });
    expect(closed).toMatchObject({ outstandingFen: 0, receivableFen: 0, abandonedFen: 12_000 });
    for (const f of [figures(), closed, figures({ advancedFen: 0 })]) {
      expect(f.recoveredFen + f.writtenOffFen + f.outstandingFen + f.abandonedFen).toBe(
        f.amountFen,
      );
    }
  });

  it('takes receipts up to what is outstanding, on open cases only', () => {
    expect(decideReceipt('open', figures(), 15_000)).toBeNull();
    expect(decideReceipt('open', figures(), 15_001)).toBe('recovery_amount_exceeded');
    expect(decideReceipt('open', figures(), 0)).toBe('validation_failed');
    expect(decideReceipt('written_off', figures(), 1)).toBe('recovery_case_closed');
    expect(decideReceipt('recovered', figures(), 1)).toBe('recovery_case_closed');
  });

  it('pays back the advance first and passes the rest through to the merchant', () => {
    const partly = figures({ advancedFen: 8_000, recoveredFen: 5_000 });
    expect(splitReceipt(partly, 2_000)).toEqual({ toReceivableFen: 2_000, passedThroughFen: 0 });
    expect(splitReceipt(partly, 10_000)).toEqual({
      toReceivableFen: 3_000,
      passedThroughFen: 7_000,
    });
    expect(splitReceipt(figures({ advancedFen: 0, recoveredFen: 0 }), 4_000)).toEqual({
      toReceivableFen: 0,
      passedThroughFen: 4_000,
    });
  });

  it('writes off only what was advanced and is still owed; a case without it closes at zero', () => {
    expect(decideWriteOff('open')).toBeNull();
    expect(decideWriteOff('recovered')).toBe('recovery_case_closed');
    expect(decideWriteOff('written_off')).toBe('recovery_case_closed');
    expect(writeOffAmount(figures())).toBe(15_000);
    expect(writeOffAmount(figures({ advancedFen: 0, recoveredFen: 0 }))).toBe(0);
    // 3,000 passed through: the 8,000 advanced was paid back in full.
    expect(
      writeOffAmount(
        figures({ advancedFen: 8_000, recoveredFen: 11_000, passedThroughFen: 3_000 }),
      ),
    ).toBe(0);
  });

  it('never lets an advance pay the merchant twice after money was passed through', () => {
    const passed = figures({ advancedFen: 0, recoveredFen: 3_000, passedThroughFen: 3_000 });
    const advance = (requestedFen?: number, over = passed, paymentFen = 20_000) =>
      decideAdvance({ caseStatus: 'open', figures: over, paymentFen, requestedFen });
    expect(advance()).toEqual({ amountFen: 17_000 });
    expect(advance(10_000)).toEqual({ amountFen: 10_000 });
    expect(advance(17_001)).toEqual({ refusal: 'recovery_passed_through', maxFen: 17_000 });
    expect(advance(undefined, passed, 5_000)).toEqual({ amountFen: 5_000 });
    const all = figures({ advancedFen: 0, recoveredFen: 20_000, passedThroughFen: 20_000 });
    expect(advance(undefined, all)).toEqual({ refusal: 'recovery_passed_through', maxFen: 0 });
    // Nothing passed through: the whole payment.
    expect(advance(undefined, figures({ advancedFen: 0, recoveredFen: 0 }))).toEqual({
      amountFen: 20_000,
    });
    expect(
      decideAdvance({
        caseStatus: 'written_off',
        figures: passed,
        paymentFen: 20_000,
        requestedFen: undefined,
      }),
    ).toEqual({ refusal: 'recovery_case_closed', maxFen: 0 });
    // Closed with everything passed through: that is the reason given.
    expect(
      decideAdvance({
        caseStatus: 'recovered',
        figures: all,
        paymentFen: 20_000,
        requestedFen: undefined,
      }),
    ).toEqual({ refusal: 'recovery_passed_through', maxFen: 0 });
  });

  it('journals a receipt as one entry: the advance paid back and the merchant’s part', () => {
    const j = recoveryReceiptJournal({
      caseId: 'c',
      n: 2,
      merchantNo: 'M',
      toReceivableFen: 3_000,
      passedThroughFen: 7_000,
    });
    expect(j).toMatchObject({ id: 'recovery:c:2', kind: 'recovery', merchantNo: 'M' });
    expect(j.postings).toEqual([
      { account: 'settlement_bank', amountFen: 10_000 },
      { account: 'misrouted_receivable', amountFen: -3_000 },
      { account: 'merchant_released', amountFen: -7_000 },
    ]);
    // Without a passed-through part it is exactly recoveryJournal's entry.
    expect(
      recoveryReceiptJournal({
        caseId: 'c',
        n: 1,
        merchantNo: 'M',
        toReceivableFen: 500,
        passedThroughFen: 0,
      }),
    ).toEqual(recoveryJournal({ caseId: 'c', n: 1, merchantNo: 'M', amountFen: 500 }));
    expect(() =>
      recoveryReceiptJournal({
        caseId: 'c',
        n: 1,
        merchantNo: 'M',
        toReceivableFen: 0,
        passedThroughFen: 0,
      }),
    ).toThrow(RangeError);
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
