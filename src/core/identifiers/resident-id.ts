import { issue, type FieldIssue } from '../errors.js';
import { failed, passed, type CheckResult } from './check-result.js';
import { asText, toHalfWidth } from './normalize.js';

/**
 * Resident identity card number (公民身份号码), GB 11643-1999: 18 characters.
 *
 * - 1-6: administrative division code of the place of household registration;
 * - 7-14: birth date, YYYYMMDD;
 * - 15-17: sequence number (odd for men, even for women);
 * - 18: check character, ISO 7064 MOD 11-2, 0-9 or X.
 *
 * `stdnum.CN.ric` computes the same check character (the tests compare them), but its
 * `validate()` cannot be used here: it reads the wall clock (`new Date()`) to reject future birth
 * dates, where this function must be pure and takes `today`; it has no lower bound on the birth
 * year; and it stops at the first problem, so a number with both a bad birth date and a bad
 * check character would not report both.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Earliest birth date accepted. */
export const RESIDENT_ID_MIN_BIRTH_DATE = '19000101';

/** The MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('a resident ID body is 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS.charAt(sum % 11);
}

/** Generator: the 17 digits with their check character appended. */
export function makeResidentId(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The birth date of a well-formed ID, or null when characters 7-14 are not a calendar date. */
export function residentIdBirthDate(
  id: string,
): { year: number; month: number; day: number } | null {
  const digits = id.slice(6, 14);
  if (!/^\d{8}$/.test(digits)) {
    return null;
  }
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

/**
 * The calendar date (YYYYMMDD) of an instant in China Standard Time (UTC+8, no daylight saving
 * since 1991), the time zone in which IDs are issued.
 */
export function chinaDate(instant: Date): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) {
    throw new RangeError('today is not a valid date');
  }
  const shifted = new Date(time + 8 * 60 * 60 * 1000);
  const y = String(shifted.getUTCFullYear()).padStart(4, '0');
  const m = String(shifted.getUTCMonth() + 1).padStart(2, '0');
  const d = String(shifted.getUTCDate()).padStart(2, '0');
  return `${y}${m}${d}`;
}

/** Trim, full-width to half-width, drop inner spaces, upper-case a final x. */
export function normalizeResidentId(raw: string): string {
  return toHalfWidth(asText(raw)).replace(/\s/g, '').toUpperCase();
}

/**
 * Check a resident ID. A malformed number gives `resident_id_format` alone; otherwise a bad check
 * character (`resident_id_checksum`) and an impossible birth date (`resident_id_birth_date`: not a
 * calendar date, after `today` in China, or before 1900-01-01) are reported independently.
 */
export function checkResidentId(raw: string, path: string, today: Date): CheckResult {
  const value = normalizeResidentId(raw);
  if (!/^\d{17}[\dX]$/.test(value)) {
    return failed(
      issue(
        path,
        'resident_id_format',
        'Resident ID must be 18 characters: 17 digits and a final digit or X ' +
          '(15-digit first-generation numbers are not accepted).',
      ),
    );
  }
  const issues: FieldIssue[] = [];
  if (residentIdCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    issues.push(
      issue(path, 'resident_id_checksum', 'Resident ID fails its GB 11643 check character.'),
    );
  }
  const birth = residentIdBirthDate(value);
  const birthDigits = value.slice(6, 14);
  if (birth === null) {
    issues.push(
      issue(path, 'resident_id_birth_date', 'Resident ID birth date is not a calendar date.'),
    );
  } else if (birthDigits < RESIDENT_ID_MIN_BIRTH_DATE) {
    issues.push(
      issue(path, 'resident_id_birth_date', 'Resident ID birth date is before 1900-01-01.'),
    );
  } else if (birthDigits > chinaDate(today)) {
    issues.push(issue(path, 'resident_id_birth_date', 'Resident ID birth date is in the future.'));
  }
  return issues.length > 0 ? failed(...issues) : passed(value);
}
