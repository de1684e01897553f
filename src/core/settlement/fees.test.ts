import { describe, expect, it } from 'vitest';
import { feeFen, feeRateFor, percentToPpm, ppmToPercent } from './fees.js';

describe('feeFen', () => {
  it('rounds half-up to the fen', () => {
    // 0.6 % of 12,345 fen = 74.07 fen → 74; of 12,375 = 74.25 → 74; of 12,417 = 74.502 → 75.
    expect(feeFen(12_345, 6_000)).toBe(74);
    expect(feeFen(12_375, 6_000)).toBe(74);
    expect(feeFen(12_417, 6_000)).toBe(75);
    // Exactly half a fen goes up: 0.5 % of 100 fen... of 1 fen at 50 % = 0.5 → 1.
    expect(feeFen(1, 500_000 / 5)).toBe(0);
    expect(feeFen(5, 100_000)).toBe(1); // 0.5 fen → 1
    expect(feeFen(15, 100_000)).toBe(2); // 1.5 fen → 2
    expect(feeFen(14, 100_000)).toBe(1); // 1.4 fen → 1
  });

  it('takes no fee on a zero or negative day', () => {
    expect(feeFen(0, 6_000)).toBe(0);
    expect(feeFen(-5_000, 6_000)).toBe(0);
  });

  it('stays exact on amounts beyond float precision', () => {
    // 9,000,000,000,000,001 fen × 0.38 % = 34,200,000,000,000.0038 → 34,200,000,000,000.
    expect(feeFen(9_000_000_000_000_001, 3_800)).toBe(34_200_000_000_000);
  });

  it('refuses rates outside the accepted range', () => {
    expect(() => feeFen(100, -1)).toThrow(RangeError);
    expect(() => feeFen(100, 100_001)).toThrow(RangeError);
    expect(() => feeFen(1.5, 6_000)).toThrow(RangeError);
  });
});

describe('rates', () => {
  it('parses per-cent text exactly', () => {
    expect(percentToPpm('0.38')).toBe(3_800);
    expect(percentToPpm('0.6')).toBe(6_000);
    expect(percentToPpm('0.125')).toBe(1_250);
    expect(percentToPpm('1')).toBe(10_000);
    expect(percentToPpm('0.00001')).toBeNull();
    expect(percentToPpm('11')).toBeNull();
    expect(percentToPpm('abc')).toBeNull();
    expect(ppmToPercent(3_800)).toBe('0.38');
    expect(ppmToPercent(10_000)).toBe('1');
  });

  it('prefers the merchant rate, then the MCC rate, then the default', () => {
    const rates = { defaultPpm: 6_000, byMcc: { '5411': 3_800 }, byMerchant: { M1: 2_000 } };
    expect(feeRateFor(rates, { merchantNo: 'M1', mcc: '5411' })).toBe(2_000);
    expect(feeRateFor(rates, { merchantNo: 'M2', mcc: '5411' })).toBe(3_800);
    expect(feeRateFor(rates, { merchantNo: 'M2', mcc: '5812' })).toBe(6_000);
    expect(feeRateFor(rates, { merchantNo: 'M2', mcc: null })).toBe(6_000);
  });
});
