import { describe, expect, it } from 'vitest';
import { cycleOf, DEFAULT_SETTLEMENT_POLICY, parseSettlementPolicy } from './policy.js';

describe('parseSettlementPolicy', () => {
  it('merges a file over the default', () => {
    const policy = parseSettlementPolicy({
      defaultCycle: 'D1',
      feeRatePercent: '0.55',
      feeRatePercentByMcc: { '5411': '0.38' },
      feeRatePercentByMerchant: { '100000000000001': '0.2' },
      cycleByMerchant: { '100000000000002': 'D0' },
      runAt: { D0: '22:15' },
      holidays: ['2026-10-01'],
      workdays: ['2026-10-10'],
    });
    expect(policy.defaultCycle).toBe('D1');
    expect(policy.feeRatePpmDefault).toBe(5_500);
    expect(policy.feeRatePpmByMcc).toEqual({ '5411': 3_800 });
    expect(policy.feeRatePpmByMerchant).toEqual({ '100000000000001': 2_000 });
    expect(policy.runAtMinute.D0).toBe(22 * 60 + 15);
    expect(policy.runAtMinute.T1).toBe(DEFAULT_SETTLEMENT_POLICY.runAtMinute.T1);
    expect(policy.calendar.holidays).toEqual(['2026-10-01']);
    expect(cycleOf(policy, '100000000000002')).toBe('D0');
    expect(cycleOf(policy, '100000000000003')).toBe('D1');
  });

  it('names what is wrong', () => {
    expect(() => parseSettlementPolicy({ feeRate: '0.6' })).toThrow(/unknown field "feeRate"/);
    expect(() => parseSettlementPolicy({ feeRatePercent: 0.6 })).toThrow(/per-cent rate as text/);
    expect(() => parseSettlementPolicy({ defaultCycle: 'T0' })).toThrow(/defaultCycle/);
    expect(() => parseSettlementPolicy({ holidays: ['2026-02-30'] })).toThrow(/holidays/);
    expect(() => parseSettlementPolicy({ runAt: { T1: '25:00' } })).toThrow(/runAt.T1/);
    expect(() => parseSettlementPolicy({ coolingOffHours: -1 })).toThrow(/coolingOffHours/);
  });
});
