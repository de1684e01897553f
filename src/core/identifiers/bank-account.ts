import { issue, warning } from '../errors.js';
import { failed, passed, type CheckResult } from './check-result.js';
import { asText, compact, toHalfWidth } from './normalize.js';

/** True when a string of digits passes the Luhn (ISO/IEC 7812-1) check. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) {
    return false;
  }
  return luhnSum(digits, false) % 10 === 0;
}

/** The Luhn check digit to append to `partial` (a string of digits). */
export function luhnCheckDigit(partial: string): string {
  if (!/^\d*$/.test(partial)) {
    throw new RangeError('Luhn works on digits only');
  }
  return String((10 - (luhnSum(partial, true) % 10)) % 10);
}

/** Generator: `partial` with its Luhn check digit appended. */
export function luhnComplete(partial: string): string {
  return partial + luhnCheckDigit(partial);
}

/** Sum of the Luhn-transformed digits; `doubleLast` when the check digit is still to come. */
function luhnSum(digits: string, doubleLast: boolean): number {
  let sum = 0;
  let double = doubleLast;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = Number(digits.charAt(i));
    if (double) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * Personal bank card (个人银行卡): 13 to 19 digits once spaces and hyphens are removed. A number
 * that fails the Luhn check is accepted with a `card_luhn_failed` warning: some old domestic
 * cards (and UnionPay's own test credit card 6221558812340000) do not carry a Luhn digit.
 */
export function checkBankCard(raw: string, path: string): CheckResult {
  const value = compact(asText(raw));
  if (!/^\d{13,19}$/.test(value)) {
    return failed(issue(path, 'card_number_format', 'Bank card number must be 13 to 19 digits.'));
  }
  if (!isLuhnValid(value)) {
    return passed(value, [
      warning(
        path,
        'card_luhn_failed',
        'Bank card number fails the Luhn check; some old domestic cards do, so check it against the card.',
      ),
    ]);
  }
  return passed(value);
}

/**
 * Corporate settlement account (对公账户): 6 to 32 digits once spaces and hyphens are removed.
 * Banks number these accounts in their own ways; there is no common check digit.
 */
export function checkCorporateAccount(raw: string, path: string): CheckResult {
  const value = compact(asText(raw));
  if (!/^\d{6,32}$/.test(value)) {
    return failed(
      issue(
        path,
        'corporate_account_format',
        'Corporate account number must be 6 to 32 digits (spaces and hyphens aside).',
      ),
    );
  }
  return passed(value);
}

/**
 * CNAPS bank codes (支付系统行号, 联行号): 12 digits = 3-digit bank class (行别代码) + 4-digit city
 * code + 4-digit branch number + 1 check digit.
 */
export function checkCnaps(raw: string, path: string): CheckResult {
  const value = toHalfWidth(asText(raw)).trim();
  if (!/^\d{12}$/.test(value)) {
    return failed(issue(path, 'cnaps_format', 'CNAPS bank code must be 12 digits.'));
  }
  return passed(value);
}

/**
 * The main CNAPS bank class codes (the first 3 digits of a 联行号), from the public CNAPS
 * directory of participants. Classes 313, 314, 317, 320, 323, 401 and 402 are shared by many
 * banks of one kind; the others belong to one bank.
 */
export const CNAPS_BANK_CLASSES: Readonly<Record<string, string>> = {
  '102': '中国工商银行',
  '103': '中国农业银行',
  '104': '中国银行',
  '105': '中国建设银行',
  '201': '国家开发银行',
  '202': '中国进出口银行',
  '203': '中国农业发展银行',
  '301': '交通银行',
  '302': '中信银行',
  '303': '中国光大银行',
  '304': '华夏银行',
  '305': '中国民生银行',
  '306': '广发银行',
  '307': '平安银行',
  '308': '招商银行',
  '309': '兴业银行',
  '310': '上海浦东发展银行',
  '313': '城市商业银行',
  '314': '农村商业银行',
  '315': '恒丰银行',
  '316': '浙商银行',
  '317': '农村合作银行',
  '318': '渤海银行',
  '319': '徽商银行',
  '320': '村镇银行',
  '321': '重庆三峡银行',
  '322': '上海农村商业银行',
  '323': '民营银行',
  '325': '上海银行',
  '401': '城市信用社',
  '402': '农村信用社',
  '403': '中国邮政储蓄银行',
  '501': '汇丰银行',
  '502': '东亚银行',
  '531': '花旗银行',
  '593': '友利银行',
  '595': '新韩银行',
  '596': '企业银行',
  '597': '韩亚银行',
  '621': '华侨永亨银行',
  '671': '渣打银行',
  '781': '厦门国际银行',
  '785': '华商银行',
  '787': '富邦华一银行',
};

/** CNAPS bank classes that many banks share (city and rural commercial banks, credit unions…). */
export const SHARED_CNAPS_BANK_CLASSES: ReadonlySet<string> = new Set([
  '313',
  '314',
  '317',
  '320',
  '323',
  '401',
  '402',
]);

/**
 * The bank (or kind of bank) of a CNAPS code's class, from its first 3 digits; null when the
 * class is not one of the main ones listed in `CNAPS_BANK_CLASSES`.
 */
export function cnapsBankClass(code: string): string | null {
  const bankClass = toHalfWidth(asText(code)).trim().slice(0, 3);
  return Object.hasOwn(CNAPS_BANK_CLASSES, bankClass)
    ? (CNAPS_BANK_CLASSES[bankClass] ?? null)
    : null;
}
