import { stdnum } from 'stdnum';
import { describe, expect, it } from 'vitest';
import {
  chinaDate,
  checkResidentId,
  makeResidentId,
  residentIdBirthDate,
  residentIdCheckChar,
} from './resident-id.js';

const stdnumCnRic = stdnum.CN?.ric;
if (stdnumCnRic === undefined) {
  throw new Error('stdnum has no CN.ric');
}

const PATH = 'legalPerson.idNumber';
const TODAY = new Date('2025-06-01T04:00:00Z');

function codes(raw: string, today: Date = TODAY): string[] {
  const result = checkResidentId(raw, PATH, today);
  return result.ok ? [] : result.issues.map((i) => i.code);
}

/**
 * Real-world examples. Sources:
 * - GB 11643-1999 《公民身份号码》, worked example: 11010519491231002X (北京市朝阳区) and
 *   440524188001010014 (广东省汕头市), quoted in many implementations;
 * - python-stdnum tests/test_cn_ric.doctest: 360426199101010071, 44011320141005001x (valid),
 *   36042619910102009X (bad checksum), 360426199113010079 (month 13), T60426199101010078;
 * - stdnum-js src/cn/ric.spec.ts: 120103198806018241, 360426199101010072 (bad checksum);
 * - UnionPay online payment (全渠道) test environment cardholder: 341126197709218366.
 */
describe('checkResidentId', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    [' 11010519491231002X ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['360426199101010071', '360426199101010071'],
    ['44011320141005001x', '44011320141005001X'],
    ['120103198806018241', '120103198806018241'],
    ['341126197709218366', '341126197709218366'],
  ])('accepts %s', (raw, value) => {
    expect(checkResidentId(raw, PATH, TODAY)).toEqual({ ok: true, value, warnings: [] });
  });

  it('rejects the standard example born in 1880 on its birth date only (1900 is the floor)', () => {
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(codes('440524188001010014')).toEqual(['resident_id_birth_date']);
  });

  it.each([
    ['11010519491231003X', 'one digit changed'],
    ['110105194912310021', 'wrong check character'],
    ['110105194912310029', 'a digit instead of X'],
    ['36042619910102009X', 'python-stdnum doctest'],
    ['360426199101010072', 'stdnum-js spec'],
    ['11010519941231002X', 'two digits swapped in the year'],
  ])('rejects %s as resident_id_checksum: %s', (raw) => {
    expect(codes(raw)).toEqual(['resident_id_checksum']);
  });

  it.each([
    ['1101051949123100X2', 'X in the wrong place'],
    ['T60426199101010078', 'letter first (python-stdnum doctest)'],
    ['11010519491231002', '17 characters'],
    ['11010519491231002X1', '19 characters'],
    ['110105491231002', 'a 15-digit first-generation number'],
    ['11010519491231OO2X', 'letters O for zeros'],
    ['', 'empty'],
  ])('rejects %s as resident_id_format: %s', (raw) => {
    expect(codes(raw)).toEqual(['resident_id_format']);
  });

  it.each([
    ['11010519900230001', '1990-02-30'],
    ['11010519000229001', '1900-02-29, 1900 is not a leap year'],
    ['11010519491331001', 'month 13'],
    ['11010519490000001', 'month and day 0'],
    ['11010519490431001', 'April 31'],
    ['11010518991231001', 'before 1900-01-01'],
    ['11010520300101001', 'in the future'],
  ])('rejects %s… (good check character) as resident_id_birth_date: %s', (first17) => {
    expect(codes(makeResidentId(first17))).toEqual(['resident_id_birth_date']);
  });

  it('accepts leap days and the bounds', () => {
    expect(codes(makeResidentId('11010520000229001'))).toEqual([]);
    expect(codes(makeResidentId('11010519000101001'))).toEqual([]);
    expect(codes(makeResidentId('11010520250601001'))).toEqual([]);
    expect(codes(makeResidentId('11010520250602001'))).toEqual(['resident_id_birth_date']);
  });

  it('takes today in China time, not UTC or the machine clock', () => {
    const born = makeResidentId('11010520250601001');
    // 16:30 UTC on 31 May is 00:30 on 1 June in Beijing.
    expect(codes(born, new Date('2025-05-31T16:30:00Z'))).toEqual([]);
    expect(codes(born, new Date('2025-05-31T15:30:00Z'))).toEqual(['resident_id_birth_date']);
    // A date long past: a 2020 birth is in the future for a 2010 `today`.
    expect(codes(makeResidentId('11010520200101001'), new Date('2010-01-01T00:00:00Z'))).toEqual([
      'resident_id_birth_date',
    ]);
  });

  it('reports a bad check character and an impossible birth date together', () => {
    const good = makeResidentId('11010519900230001');
    const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
    expect(codes(bad)).toEqual(['resident_id_checksum', 'resident_id_birth_date']);
    // python-stdnum's 360426199113010079 (month 13) fails its check character too.
    expect(codes('360426199113010079')).toContain('resident_id_birth_date');
  });

  it('puts the path and severity on every issue', () => {
    const result = checkResidentId('110105194912310021', PATH, TODAY);
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: PATH,
          code: 'resident_id_checksum',
          severity: 'error',
          message: expect.any(String) as unknown,
        },
      ],
    });
  });

  it('throws on an invalid today, a programming error', () => {
    expect(() => checkResidentId('11010519491231002X', PATH, new Date('nonsense'))).toThrow(
      RangeError,
    );
  });
});

describe('helpers', () => {
  it('computes check characters and birth dates', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(makeResidentId('36042619910101007')).toBe('360426199101010071');
    expect(residentIdBirthDate('11010519491231002X')).toEqual({ year: 1949, month: 12, day: 31 });
    expect(residentIdBirthDate(makeResidentId('11010519900230001'))).toBeNull();
    expect(chinaDate(new Date('2024-12-31T16:00:00Z'))).toBe('20250101');
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
  });

  it('agrees with stdnum.CN.ric on the check character', () => {
    let seed = 11643;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let n = 0; n < 300; n += 1) {
      const year = 1930 + (next() % 90);
      const month = 1 + (next() % 12);
      const day = 1 + (next() % 28);
      const first17 =
        '110105' +
        String(year) +
        String(month).padStart(2, '0') +
        String(day).padStart(2, '0') +
        String(next() % 1000).padStart(3, '0');
      const id = makeResidentId(first17);
      expect(stdnumCnRic.validate(id).isValid, id).toBe(true);
      expect(checkResidentId(id, PATH, TODAY).ok, id).toBe(true);
      const wrong = first17 + (id.endsWith('1') ? '2' : '1');
      expect(stdnumCnRic.validate(wrong).isValid, wrong).toBe(false);
    }
  });
});
