import { describe, expect, it } from 'vitest';
import { isoUtc } from './transaction-repository.js';

describe('isoUtc', () => {
  it('gives exactly the text of toISOString', () => {
    const edges = [
      0,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 1, 29),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 1),
      Date.UTC(2027, 0, 1),
      253_402_300_799_999,
      // Outside the range it formats itself: toISOString answers.
      -1,
      Date.UTC(1969, 11, 31, 16),
      253_402_300_800_000,
      1_764_000_000_000.5,
    ];
    for (const ms of edges) expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    const differing: number[] = [];
    let state = 7;
    for (let i = 0; i < 200_000; i += 1) {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      const ms = Math.floor((state / 2 ** 32) * 253_402_300_799_999);
      if (isoUtc(ms) !== new Date(ms).toISOString()) differing.push(ms);
    }
    expect(differing).toEqual([]);
  });
});
