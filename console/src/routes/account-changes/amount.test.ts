import { describe, expect, it } from 'vitest';
import { yuanToFen } from './amount';

describe('yuanToFen', () => {
  it('reads yuan as typed into whole fen, without floating point', () => {
    expect(yuanToFen('0.37')).toBe(37);
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('.5')).toBe(50);
    expect(yuanToFen('0.5')).toBe(50);
    expect(yuanToFen('1')).toBe(100);
    expect(yuanToFen(' 3.27 ')).toBe(327);
    expect(yuanToFen('999.99')).toBe(99_999);
  });

  it('refuses what is not an amount, zero, more than two decimals or too large', () => {
    for (const text of ['', '.', 'abc', '0', '0.00', '0.371', '1,00', '-0.37', '1000', '1e2']) {
      expect(yuanToFen(text)).toBeUndefined();
    }
  });
});
