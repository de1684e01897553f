import { Converter } from 'opencc-js/t2cn';
import { warning, type FieldIssue } from '../errors.js';
import { SHARED_CNAPS_BANK_CLASSES } from '../identifiers/bank-account.js';
import { compact, toHalfWidth } from '../identifiers/normalize.js';
import { BIN_TABLE, type BinTableRow } from './bin-table.data.js';

/** What a card's BIN says about it. */
export interface BinInfo {
  bin: string;
  /** Chinese short name of the issuer, e.g. 中国工商银行. */
  bank: string;
  /** 3-digit CNAPS bank class code of the issuer, e.g. 102. */
  bankCode: string;
  cardType: 'debit' | 'credit';
}

let binIndex: Map<string, BinTableRow> | undefined;
let binLengths: number[] = [];

function index(): Map<string, BinTableRow> {
  if (binIndex === undefined) {
    binIndex = new Map(BIN_TABLE.map((row) => [row.bin, row]));
    binLengths = [...new Set(BIN_TABLE.map((row) => row.bin.length))].sort((a, b) => b - a);
  }
  return binIndex;
}

/**
 * The issuer of a card number from its BIN; the longest matching prefix wins. Spaces, hyphens and
 * full-width digits are accepted. Null when the number is too short or its BIN is not in the table.
 */
export function lookupBin(cardNumber: string): BinInfo | null {
  const digits = compact(typeof cardNumber === 'string' ? cardNumber : '');
  if (!/^\d{6,}$/.test(digits)) {
    return null;
  }
  const table = index();
  for (const length of binLengths) {
    const row = table.get(digits.slice(0, length));
    if (row !== undefined && digits.length > length) {
      return { bin: row.bin, bank: row.bank, bankCode: row.bankCode, cardType: row.cardType };
    }
  }
  return null;
}

interface BankAliases {
  /** Canonical name, as in the BIN table. */
  bank: string;
  bankCode: string;
  /** Chinese names and abbreviations, found anywhere in the declared name. */
  chinese: readonly string[];
  /** English names in capitals without spaces, found anywhere in the declared name's letters. */
  english?: readonly string[];
  /** Latin abbreviations, matched as whole words only. */
  codes?: readonly string[];
}

/**
 * The banks of the BIN table with the names people write for them. Abbreviations shared by two
 * banks (HSB: 徽商 and 恒生; JSB: 江苏 and 晋商; BOCD: 成都 and 承德; SRCB: 上海 and 深圳农商)
 * are left out.
 */
const BANK_DIRECTORY: readonly BankAliases[] = [
  {
    bank: '中国工商银行',
    bankCode: '102',
    chinese: ['中国工商银行', '工商银行', '工行'],
    english: ['INDUSTRIALANDCOMMERCIALBANKOFCHINA'],
    codes: ['ICBC'],
  },
  {
    bank: '中国农业银行',
    bankCode: '103',
    chinese: ['中国农业银行', '农业银行', '农行'],
    english: ['AGRICULTURALBANKOFCHINA'],
    codes: ['ABC'],
  },
  {
    bank: '中国银行',
    bankCode: '104',
    chinese: ['中国银行', '中行'],
    english: ['BANKOFCHINA'],
    codes: ['BOC'],
  },
  {
    bank: '中国建设银行',
    bankCode: '105',
    chinese: ['中国建设银行', '建设银行', '建行'],
    english: ['CHINACONSTRUCTIONBANK'],
    codes: ['CCB'],
  },
  {
    bank: '交通银行',
    bankCode: '301',
    chinese: ['交通银行', '交行'],
    english: ['BANKOFCOMMUNICATIONS'],
    codes: ['BOCOM', 'BCM', 'COMM'],
  },
  {
    bank: '中信银行',
    bankCode: '302',
    chinese: ['中信银行'],
    english: ['CHINACITICBANK'],
    codes: ['CITIC', 'CNCB'],
  },
  {
    bank: '中国光大银行',
    bankCode: '303',
    chinese: ['中国光大银行', '光大银行'],
    english: ['CHINAEVERBRIGHTBANK'],
    codes: ['CEB'],
  },
  {
    bank: '华夏银行',
    bankCode: '304',
    chinese: ['华夏银行'],
    english: ['HUAXIABANK'],
    codes: ['HXB', 'HXBANK'],
  },
  {
    bank: '中国民生银行',
    bankCode: '305',
    chinese: ['中国民生银行', '民生银行'],
    english: ['CHINAMINSHENGBANK'],
    codes: ['CMBC'],
  },
  {
    bank: '广发银行',
    bankCode: '306',
    chinese: ['广发银行', '广东发展银行'],
    english: ['CHINAGUANGFABANK', 'GUANGDONGDEVELOPMENTBANK'],
    codes: ['CGB', 'GDB'],
  },
  {
    bank: '平安银行',
    bankCode: '307',
    chinese: ['平安银行', '深圳发展银行', '深发展'],
    english: ['PINGANBANK', 'SHENZHENDEVELOPMENTBANK'],
    codes: ['PAB', 'SPABANK'],
  },
  {
    bank: '招商银行',
    bankCode: '308',
    chinese: ['招商银行', '招行'],
    english: ['CHINAMERCHANTSBANK'],
    codes: ['CMB'],
  },
  {
    bank: '兴业银行',
    bankCode: '309',
    chinese: ['兴业银行'],
    english: ['INDUSTRIALBANK'],
    codes: ['CIB'],
  },
  {
    bank: '上海浦东发展银行',
    bankCode: '310',
    chinese: ['上海浦东发展银行', '浦东发展银行', '浦发银行', '浦发'],
    english: ['SHANGHAIPUDONGDEVELOPMENTBANK'],
    codes: ['SPDB'],
  },
  {
    bank: '恒丰银行',
    bankCode: '315',
    chinese: ['恒丰银行'],
    english: ['EVERGROWINGBANK', 'HENGFENGBANK'],
    codes: ['EGB', 'EGBANK'],
  },
  {
    bank: '浙商银行',
    bankCode: '316',
    chinese: ['浙商银行'],
    english: ['CHINAZHESHANGBANK'],
    codes: ['CZB', 'CZBANK'],
  },
  {
    bank: '渤海银行',
    bankCode: '318',
    chinese: ['渤海银行'],
    english: ['CHINABOHAIBANK'],
    codes: ['CBHB'],
  },
  {
    bank: '徽商银行',
    bankCode: '319',
    chinese: ['徽商银行'],
    english: ['HUISHANGBANK'],
  },
  { bank: '重庆三峡银行', bankCode: '321', chinese: ['重庆三峡银行', '三峡银行'] },
  {
    bank: '上海农村商业银行',
    bankCode: '322',
    chinese: ['上海农村商业银行', '上海农商银行', '上海农商行'],
    english: ['SHANGHAIRURALCOMMERCIALBANK'],
  },
  {
    bank: '上海银行',
    bankCode: '325',
    chinese: ['上海银行'],
    english: ['BANKOFSHANGHAI'],
    codes: ['BOSC'],
  },
  {
    bank: '中国邮政储蓄银行',
    bankCode: '403',
    chinese: ['中国邮政储蓄银行', '邮政储蓄银行', '邮储银行', '邮政银行', '邮储'],
    english: ['POSTALSAVINGSBANKOFCHINA'],
    codes: ['PSBC'],
  },
  {
    bank: '北京银行',
    bankCode: '313',
    chinese: ['北京银行'],
    english: ['BANKOFBEIJING'],
    codes: ['BOB'],
  },
  { bank: '南京银行', bankCode: '313', chinese: ['南京银行'], english: ['BANKOFNANJING'] },
  {
    bank: '宁波银行',
    bankCode: '313',
    chinese: ['宁波银行'],
    english: ['BANKOFNINGBO'],
    codes: ['NBCB'],
  },
  { bank: '江苏银行', bankCode: '313', chinese: ['江苏银行'], english: ['BANKOFJIANGSU'] },
  { bank: '杭州银行', bankCode: '313', chinese: ['杭州银行'], english: ['BANKOFHANGZHOU'] },
  { bank: '重庆银行', bankCode: '313', chinese: ['重庆银行'], english: ['BANKOFCHONGQING'] },
  { bank: '成都银行', bankCode: '313', chinese: ['成都银行'], english: ['BANKOFCHENGDU'] },
  {
    bank: '北京农村商业银行',
    bankCode: '402',
    chinese: ['北京农村商业银行', '北京农商银行', '北京农商行'],
    codes: ['BJRCB'],
  },
  {
    bank: '重庆农村商业银行',
    bankCode: '314',
    chinese: ['重庆农村商业银行', '重庆农商银行', '重庆农商行'],
    codes: ['CQRCB'],
  },
  {
    bank: '广州农村商业银行',
    bankCode: '314',
    chinese: ['广州农村商业银行', '广州农商银行', '广州农商行'],
    codes: ['GRCB'],
  },
];

/** The canonical names of the banks `resolveBankName` knows. */
export const KNOWN_BANKS: readonly string[] = BANK_DIRECTORY.map((entry) => entry.bank);

// opencc-js's declaration files import './core' without an extension, which NodeNext resolution
// cannot follow, so its option and result types come out unresolved: restate them.
const makeConverter = Converter as unknown as (options: {
  from: string;
  to: string;
}) => (text: string) => string;

let toSimplified: ((text: string) => string) | undefined;

function simplified(text: string): string {
  const convert = (toSimplified ??= makeConverter({ from: 't', to: 'cn' }));
  return convert(text);
}

/** The entry with an alias earliest in `haystack`, the longest alias on a tie. */
function earliest(
  haystack: string,
  aliasesOf: (entry: BankAliases) => readonly string[] | undefined,
): BankAliases | undefined {
  let best: { entry: BankAliases; at: number; length: number } | undefined;
  for (const entry of BANK_DIRECTORY) {
    for (const alias of aliasesOf(entry) ?? []) {
      const at = haystack.indexOf(alias);
      if (
        at >= 0 &&
        (best === undefined || at < best.at || (at === best.at && alias.length > best.length))
      ) {
        best = { entry, at, length: alias.length };
      }
    }
  }
  return best?.entry;
}

/**
 * The bank a declared bank name refers to, compared loosely: 中国工商银行, 工商银行, 工行, ICBC,
 * 中國工商銀行 and 中国工商银行上海市分行 all give 中国工商银行. Chinese names are looked for
 * first, then English names, then Latin abbreviations as whole words. The bank whose name starts
 * earliest in the text wins (branch names come after the bank's), then the longest name. Null
 * when no known bank is named.
 */
export function resolveBankName(declared: string): { bank: string; bankCode: string } | null {
  if (typeof declared !== 'string' || declared.trim() === '') {
    return null;
  }
  const text = simplified(toHalfWidth(declared)).toUpperCase();
  const words = new Set(text.split(/[^A-Z0-9]+/));
  const entry =
    earliest(text.replace(/\s/g, ''), (e) => e.chinese) ??
    earliest(text.replace(/[^A-Z]/g, ''), (e) => e.english) ??
    BANK_DIRECTORY.find((e) => (e.codes ?? []).some((code) => words.has(code)));
  return entry === undefined ? null : { bank: entry.bank, bankCode: entry.bankCode };
}

export interface DeclaredBank {
  cardNumber: string;
  /** The bank name as entered (any common form). */
  declaredBankName?: string;
  /** The 12-digit CNAPS code as entered; only its first 3 digits (bank class) are compared. */
  declaredBankCode?: string;
  /** Field path for the warning. */
  path: string;
}

/**
 * A `bin_bank_mismatch` warning when the card's BIN names one bank and the declared bank name,
 * or the bank class of the declared CNAPS code, says another; null when they agree, or when the
 * BIN or the declared bank is unknown. Bank classes that many banks share (313 city commercial
 * banks, 314 rural commercial banks, 402 rural credit co-operatives…) are only compared with
 * classes of a single bank, since one kind of local bank is often registered under another.
 * The message names the BIN (6 to 8 digits), never the whole card number.
 */
export function checkDeclaredBank(declared: DeclaredBank): FieldIssue | null {
  const info = lookupBin(declared.cardNumber);
  if (info === null) {
    return null;
  }
  const problems: string[] = [];
  if (declared.declaredBankName !== undefined) {
    const named = resolveBankName(declared.declaredBankName);
    if (named !== null && named.bank !== info.bank) {
      problems.push(`the declared bank name names ${named.bank}`);
    }
  }
  if (declared.declaredBankCode !== undefined) {
    const bankClass = compact(declared.declaredBankCode).slice(0, 3);
    if (
      /^\d{3}$/.test(bankClass) &&
      bankClass !== info.bankCode &&
      !(SHARED_CNAPS_BANK_CLASSES.has(bankClass) && SHARED_CNAPS_BANK_CLASSES.has(info.bankCode))
    ) {
      problems.push(`the declared CNAPS code is of bank class ${bankClass}`);
    }
  }
  if (problems.length === 0) {
    return null;
  }
  return warning(
    declared.path,
    'bin_bank_mismatch',
    `The card's BIN ${info.bin} belongs to ${info.bank} (bank class ${info.bankCode}), but ` +
      `${problems.join(' and ')}.`,
  );
}
