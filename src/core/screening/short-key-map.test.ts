import { describe, expect, it } from 'vitest';
import { ShortKeyMap } from './short-key-map.js';

/** A small seeded generator, so that a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ShortKeyMap', () => {
  it('behaves as a Map under random sets, gets and deletes, with growth', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = mulberry32(seed);
      // A small alphabet makes probe runs collide and deletions shift entries.
      const alphabet = ['A', 'B', 'C', '0', '1', 'é', '终', '\u0000'];
      const key = () => {
        const length = Math.floor(random() * 11);
        let k = '';
        for (let i = 0; i < length; i += 1) {
          // Mostly packable ASCII, sometimes not.
          const pick = random() < 0.9 ? Math.floor(random() * 5) : Math.floor(random() * 8);
          k += alphabet[pick] ?? 'A';
        }
        return k;
      };
      const map = new ShortKeyMap<number>();
      const reference = new Map<string, number>();
      // Disagreements are collected rather than asserted one by one: 20,000 steps stay fast.
      const disagreements: string[] = [];
      for (let step = 0; step < 20_000; step += 1) {
        const k = key();
        const r = random();
        if (r < 0.5) {
          map.set(k, step);
          reference.set(k, step);
        } else if (r < 0.8) {
          if (map.delete(k) !== reference.delete(k)) disagreements.push(`delete ${k}`);
        } else if (map.get(k) !== reference.get(k)) {
          disagreements.push(`get ${k} at ${String(step)}`);
        }
        if (map.size !== reference.size) disagreements.push(`size at ${String(step)}`);
      }
      expect(disagreements.slice(0, 5)).toEqual([]);
      for (const [k, v] of reference) expect(map.get(k)).toBe(v);
      expect([...map.values()].sort((a, b) => a - b)).toEqual(
        [...reference.values()].sort((a, b) => a - b),
      );
    }
  });

  it("keeps each key's extra ints with it through deletions and growth, zeroed by a set", () => {
    const random = mulberry32(42);
    const map = new ShortKeyMap<number>(0, { extraInts: 6 });
    expect(map.stride).toBe(8);
    const reference = new Map<string, number>();
    const extrasOf = (k: string): number[] | null => {
      const slot = map.slotOf(k);
      if (slot < 0) return null;
      const at = slot * map.stride + 2;
      return [...map.table.subarray(at, at + 6)];
    };
    const expected = (v: number) => [v, -v, v * 3, 7, v ^ 0x5a5a, -1];
    const problems: string[] = [];
    for (let step = 1; step < 20_000; step += 1) {
      // Keys from a narrow range, so that probe runs are long and deletions move records.
      const k = `K${String(Math.floor(random() * 3_000))}`;
      const r = random();
      if (r < 0.55) {
        map.set(k, step);
        reference.set(k, step);
        const fresh = extrasOf(k);
        if (fresh?.some((x) => x !== 0)) problems.push(`set ${k} left extras ${String(fresh)}`);
        const slot = map.slotOf(k);
        map.table.set(expected(step), slot * map.stride + 2);
        if (map.valueAt(slot) !== step) problems.push(`valueAt ${k}`);
      } else if (r < 0.85) {
        map.delete(k);
        reference.delete(k);
      }
    }
    for (const [k, v] of reference) {
      if (JSON.stringify(extrasOf(k)) !== JSON.stringify(expected(v))) problems.push(`extras ${k}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(map.slotOf('K99999')).toBe(-1);
    expect(map.slotOf('a key too long')).toBe(-1);
  });

  it('tells apart keys that differ only in length or in one character', () => {
    const map = new ShortKeyMap<string>(4);
    for (const k of ['', 'A', 'A0', 'A00', '12345678', '12345679', '123456789', '1234567']) {
      map.set(k, `v${k}`);
    }
    expect(map.get('A')).toBe('vA');
    expect(map.get('A00')).toBe('vA00');
    expect(map.get('A000')).toBeUndefined();
    expect(map.get('12345678')).toBe('v12345678');
    expect(map.get('123456789')).toBe('v123456789');
    expect(map.get('1234567')).toBe('v1234567');
    expect(map.get('')).toBe('v');
    expect(map.size).toBe(8);
  });

  it('holds 100,000 terminal ids and finds each', () => {
    const map = new ShortKeyMap<number>(100_000);
    for (let i = 0; i < 100_000; i += 1) map.set(`T${String(i).padStart(7, '0')}`, i);
    expect(map.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) {
      expect(map.get(`T${String(i).padStart(7, '0')}`)).toBe(i);
    }
    expect(map.get('T9999999')).toBeUndefined();
  });
});
