import { stdnum } from 'stdnum';
import { describe, expect, it } from 'vitest';
import {
  USCC_ALPHABET,
  checkUscc,
  makeOrganisationCode,
  makeUscc,
  organisationCodeCheckChar,
  usccCheckChar,
} from './uscc.js';

const stdnumCnUscc = stdnum.CN?.uscc;
if (stdnumCnUscc === undefined) {
  throw new Error('stdnum has no CN.uscc');
}

const PATH = 'merchant.uscc';

/**
 * Real codes. Sources:
 * - python-stdnum tests/test_cn_uscc.doctest (arthurdejong/python-stdnum, "found online and should
 *   all be valid"): 91110000600037341L … 91620105L015101280 below;
 * - wenerme/wode packages/utils/src/cn/uscc/uscc.test.ts (阿里云计算): 91330106673959654P;
 * - dromara/hutool CreditCodeUtilTest.java: 91310115591693856A, 91310110666007217T;
 * - shine4u/wbximy-common tests/gslib/test_credit_code.py: 91110000MA01A7RH2R, 53640000MJX173672F.
 */
const PUBLISHED_VALID = [
  '91110000600037341L',
  '121200004013590816',
  '91120224064012553U',
  '911522010783710635',
  '91152201078371135X',
  '9115220107837757XE',
  '91310115MA1K3BTP2B',
  '9144030071526726XG',
  '92340602MA2PBMEM24',
  '92340603MA2PBN17X5',
  // Check character 0 (see below).
  '911522010783762860',
  '92340604MA2PENA300',
  '92340603MA2UK1TD00',
  '91340600MA2PBP2120',
  '91620105L015101280',
  '91330106673959654P',
  '91310115591693856A',
  '91310110666007217T',
  '91110000MA01A7RH2R',
  '53640000MJX173672F',
] as const;

/** A tiny deterministic generator for the property tests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBody(random: () => number): string {
  const pick = (chars: string): string => chars.charAt(Math.floor(random() * chars.length));
  let body = pick('159Y') + pick('123');
  for (let i = 0; i < 6; i += 1) body += pick('0123456789');
  for (let i = 0; i < 9; i += 1) body += pick(USCC_ALPHABET);
  return body;
}

describe('checkUscc', () => {
  it.each(PUBLISHED_VALID)('accepts the published code %s', (code) => {
    expect(checkUscc(code, PATH)).toEqual({ ok: true, value: code, warnings: [] });
  });

  it('normalises case, surrounding and inner spaces, and full-width characters', () => {
    // '91 110000 600037341L' is from the python-stdnum doctest.
    for (const input of [
      ' 91110000600037341l ',
      '91 110000 600037341L',
      '９１１１００００６０００３７３４１Ｌ',
      '\u300091110000600037341L\u3000',
    ]) {
      expect(checkUscc(input, PATH)).toEqual({
        ok: true,
        value: '91110000600037341L',
        warnings: [],
      });
    }
  });

  it.each([
    ['12345', 'too short (python-stdnum doctest)'],
    ['91110000600037341LL', 'too long'],
    ['9111000060003IOZSV', 'I, O, Z, S, V are not in the alphabet (python-stdnum doctest)'],
    ['91110000600037341I', 'I as the check character'],
    ['9111000O600037341L', 'a letter in the region code (positions 3-8)'],
    ['91110000-60003734', 'a hyphen is dropped, leaving 17 characters'],
    ['', 'empty'],
  ])('rejects %s as uscc_format: %s', (code) => {
    const result = checkUscc(code, PATH);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => [i.code, i.path, i.severity])).toEqual([
      ['uscc_format', PATH, 'error'],
    ]);
  });

  it.each([
    ['91110000600037341N', 'wrong check character (python-stdnum doctest)'],
    ['91110000600037342L', 'one digit changed (stdnum-js uscc.spec.ts)'],
    ['91110000600037314L', 'two digits swapped'],
    // The brief's candidate "91310000MA1FL5LX3M": its check character should be K.
    ['91310000MA1FL5LX3M', 'a plausible-looking code with the wrong check character'],
    // A real early code from the pilot regions that fails the check (hutool CreditCodeUtilTest,
    // after bluesky335/IDCheck).
    ['91350211M00013FA1N', 'a real early code'],
    // python-stdnum rejects this as InvalidFormat because it wants digits in positions 1-8; the
    // standard allows letters there (registration authority A, N, Y…), so here it is a checksum.
    ['A1110000600037341L', 'registration authority A, check character computed for 9'],
  ])('rejects %s as uscc_checksum: %s', (code) => {
    const result = checkUscc(code, PATH);
    expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['uscc_checksum']);
  });

  it('accepts a failing check character with an override reason, as a warning', () => {
    const result = checkUscc('91350211M00013FA1N', PATH, {
      overrideReason: '  营业执照原件已核对，早期试点地区代码  ',
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toBe('91350211M00013FA1N');
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatchObject({
        code: 'uscc_checksum',
        severity: 'warning',
        path: PATH,
      });
      expect(result.warnings[0]?.message).toContain('overridden');
      expect(result.warnings[0]?.message).toContain('营业执照原件已核对，早期试点地区代码');
    }
  });

  it.each(['', '   ', 'ok', ' 核对 '])(
    'asks for a reason when the override reason is %j',
    (reason) => {
      const result = checkUscc('91350211M00013FA1N', PATH, { overrideReason: reason });
      expect(!result.ok && result.issues.map((i) => i.code)).toEqual([
        'uscc_checksum',
        'uscc_override_reason_required',
      ]);
    },
  );

  it('needs no override for a good code and ignores one given', () => {
    expect(checkUscc('91110000600037341L', PATH, { overrideReason: '不需要的理由' })).toEqual({
      ok: true,
      value: '91110000600037341L',
      warnings: [],
    });
  });

  it('never lets an override pass a malformed code', () => {
    const result = checkUscc('9111000060003IOZSV', PATH, { overrideReason: '营业执照原件已核对' });
    expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['uscc_format']);
  });
});

describe('agreement with stdnum.CN.uscc', () => {
  it('agrees on every published code whose check character is not 0', () => {
    for (const code of PUBLISHED_VALID.filter((c) => !c.endsWith('0') && /^\d{8}/.test(c))) {
      expect(stdnumCnUscc.validate(code).isValid, code).toBe(true);
    }
  });

  it('documents why stdnum is not used: it rejects real codes whose check character is 0', () => {
    for (const code of PUBLISHED_VALID.filter((c) => c.endsWith('0'))) {
      expect(stdnumCnUscc.validate(code).isValid, code).toBe(false);
      expect(checkUscc(code, PATH).ok, code).toBe(true);
    }
  });

  it('agrees with stdnum on generated codes outside that case', () => {
    const random = prng(32100);
    for (let n = 0; n < 300; n += 1) {
      const code = makeUscc('91' + randomBody(random).slice(2));
      if (!code.endsWith('0')) {
        expect(stdnumCnUscc.validate(code).isValid, code).toBe(true);
      }
    }
  });
});

describe('generators', () => {
  it('computes the check characters of published codes', () => {
    for (const code of PUBLISHED_VALID) {
      expect(usccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
      expect(makeUscc(code.slice(0, 17))).toBe(code);
    }
  });

  it('makes codes that pass, and any one changed character fails', () => {
    const random = prng(11714);
    for (let n = 0; n < 200; n += 1) {
      const code = makeUscc(randomBody(random));
      expect(checkUscc(code, PATH).ok, code).toBe(true);
      const at = 8 + Math.floor(random() * 9);
      const current = USCC_ALPHABET.indexOf(code.charAt(at));
      const other = USCC_ALPHABET.charAt((current + 1 + Math.floor(random() * 30)) % 31);
      const changed = code.slice(0, at) + other + code.slice(at + 1);
      expect(checkUscc(changed, PATH).ok, changed).toBe(false);
    }
  });

  it('refuses bodies that are not 17 characters of the alphabet', () => {
    expect(() => usccCheckChar('9111000060003734')).toThrow(RangeError);
    expect(() => makeUscc('9111000060003734I')).toThrow(RangeError);
  });

  it('computes GB 11714 organisation code check characters of published codes', () => {
    // Characters 9-17 of 91110000600037341L and 91310115MA1K3BTP2B.
    expect(organisationCodeCheckChar('60003734')).toBe('1');
    expect(makeOrganisationCode('MA1K3BTP')).toBe('MA1K3BTP2');
    expect(makeOrganisationCode('MA2PBMEM')).toBe('MA2PBMEM2');
  });
});
