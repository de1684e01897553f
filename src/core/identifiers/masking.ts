import type { AccountType } from '../registry.js';
import { compact } from './normalize.js';

/**
 * Masks for showing identifiers to people. The functions accept anything and never throw: what
 * cannot be read is masked whole.
 */

function digitsOf(text: string): string {
  return compact(typeof text === 'string' ? text : '').replace(/[^\dX]/gi, '');
}

/**
 * Personal cards: the first 6 (the BIN) and the last 4 digits, `622202*********1234`, as card
 * schemes allow for numbers of standard length (16 digits and more). Shorter numbers show fewer
 * digits, so that at most half of them show: first `half - 4` and last 4 (13 digits:
 * `62*******1234`). Corporate accounts show the last 4 only, after four stars whatever the length
 * (`****1234`), or fewer when the number is shorter than 8 digits.
 */
export function maskAccountNumber(number: string, accountType: AccountType): string {
  const digits = digitsOf(number);
  const n = digits.length;
  if (n === 0) {
    return '****';
  }
  if (accountType === 'corporate') {
    const tail = Math.min(4, Math.floor(n / 2));
    return '****' + digits.slice(n - tail);
  }
  let head: number;
  let tail: number;
  if (n >= 16) {
    head = 6;
    tail = 4;
  } else {
    const visible = Math.floor(n / 2);
    tail = Math.min(4, visible);
    head = visible - tail;
  }
  return digits.slice(0, head) + '*'.repeat(n - head - tail) + digits.slice(n - tail);
}

/** Resident ID: the first and the last character only, `1****************X`. */
export function maskResidentId(id: string): string {
  const value = digitsOf(id).toUpperCase();
  if (value.length < 4) {
    return '*'.repeat(Math.max(value.length, 4));
  }
  return value.charAt(0) + '*'.repeat(value.length - 2) + value.charAt(value.length - 1);
}

/** Mobile number: the first 3 and the last 4 digits, `138****1234` (without the +86 prefix). */
export function maskMobile(mobile: string): string {
  const digits = digitsOf(mobile).replace(/^(?:0086|86)(?=\d{11}$)/, '');
  if (digits.length < 8) {
    return '*'.repeat(Math.max(digits.length, 4));
  }
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(digits.length - 4);
}
