import { issue, warning, type FieldIssue } from '../errors.js';
import { failed, passed, type CheckResult } from './check-result.js';
import { asText, toHalfWidth } from './normalize.js';

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters.
 *
 * - 1: registration authority (9 market regulation, 1 institutional, 5 civil affairs, Y other, and
 *   later letters such as A and N);
 * - 2: entity type under that authority (for 9: 1 enterprise, 2 individual business, 3 farmers'
 *   co-operative);
 * - 3-8: administrative division code of the registering authority (GB/T 2260, digits);
 * - 9-17: the body's identification code (the old organisation code, GB 11714);
 * - 18: check character.
 *
 * The check is implemented here rather than taken from `stdnum.CN.uscc`, because stdnum 1.12.0
 * gets two things wrong against the standard:
 * - it computes the check as `alphabet[31 - sum % 31]`, which for `sum % 31 === 0` reads index 31,
 *   past the end of the alphabet, instead of wrapping to `0`: every real code whose check
 *   character is `0` is rejected (for example 911522010783762860 and 92340604MA2PENA300 from the
 *   python-stdnum test list);
 * - it requires the first 8 characters to be digits, but the registration authority and the
 *   entity type are characters of the code alphabet (Y, A, N… are in use).
 * The tests compare this implementation with stdnum on every published code where stdnum is right.
 */

/** The 31 characters of the code: digits and capital letters except I, O, S, V and Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** Minimum length of an override reason, once trimmed. */
export const USCC_OVERRIDE_REASON_MIN_LENGTH = 4;

/** The check character for the first 17 characters of a code (which must be of the alphabet). */
export function usccCheckChar(body17: string): string {
  if (body17.length !== 17) {
    throw new RangeError('a USCC body is 17 characters');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_ALPHABET.indexOf(body17.charAt(i));
    if (value < 0) {
      throw new RangeError(`'${body17.charAt(i)}' is not a USCC character`);
    }
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Generator: the 17-character body with its check character appended. */
export function makeUscc(body17: string): string {
  return body17 + usccCheckChar(body17);
}

const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORG_CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The check character of a GB 11714-1997 organisation code (characters 9-17 of a USCC) for its
 * first 8 characters: 11 - (weighted sum mod 11), 10 → X, 11 → 0.
 */
export function organisationCodeCheckChar(body8: string): string {
  if (body8.length !== 8) {
    throw new RangeError('an organisation code body is 8 characters');
  }
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const value = ORG_CODE_CHARS.indexOf(body8.charAt(i));
    if (value < 0) {
      throw new RangeError(`'${body8.charAt(i)}' is not an organisation code character`);
    }
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Generator: the 8-character organisation code body with its GB 11714 check character. */
export function makeOrganisationCode(body8: string): string {
  return body8 + organisationCodeCheckChar(body8);
}

/** Trim, full-width to half-width, upper-case, and drop inner spaces and hyphens. */
export function normalizeUscc(raw: string): string {
  return toHalfWidth(asText(raw)).replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Check a unified social credit code. A code with a wrong check character is an error, unless
 * `overrideReason` gives a reason of at least 4 characters: some real codes issued early in the
 * pilot regions fail the check, and a user holding such a licence may accept it. The result is
 * then ok, with a `uscc_checksum` warning that records the override and its reason.
 */
export function checkUscc(
  raw: string,
  path: string,
  opts: { overrideReason?: string } = {},
): CheckResult {
  const value = normalizeUscc(raw);
  if (!USCC_SHAPE.test(value)) {
    return failed(
      issue(
        path,
        'uscc_format',
        'Unified social credit code must be 18 characters of 0-9 and A-Z without I, O, S, V, Z, ' +
          'with digits in positions 3 to 8.',
      ),
    );
  }
  const expected = usccCheckChar(value.slice(0, 17));
  if (expected === value.charAt(17)) {
    return passed(value);
  }
  const reason = opts.overrideReason?.trim() ?? '';
  if (reason.length >= USCC_OVERRIDE_REASON_MIN_LENGTH) {
    return passed(value, [
      warning(
        path,
        'uscc_checksum',
        `Unified social credit code fails its GB 32100-2015 check character; the check was ` +
          `overridden, reason: ${reason}`,
      ),
    ]);
  }
  const issues: FieldIssue[] = [
    issue(
      path,
      'uscc_checksum',
      'Unified social credit code fails its GB 32100-2015 check character.',
    ),
  ];
  if (opts.overrideReason !== undefined) {
    issues.push(
      issue(
        path,
        'uscc_override_reason_required',
        `To accept a code that fails its check character, give a reason of at least ` +
          `${USCC_OVERRIDE_REASON_MIN_LENGTH} characters.`,
      ),
    );
  }
  return failed(...issues);
}
