import { describe, expect, it } from 'vitest';
import { CNAPS_BANK_CLASSES, luhnComplete } from '../identifiers/bank-account.js';
import { BIN_TABLE } from './bin-table.data.js';
import { KNOWN_BANKS, checkDeclaredBank, lookupBin, resolveBankName } from './bins.js';

const PATH = 'settlementAccount.bankName';

describe('the BIN table', () => {
  it('has well-formed rows, one per BIN', () => {
    const seen = new Set<string>();
    for (const row of BIN_TABLE) {
      expect(row.bin, row.bin).toMatch(/^\d{6,8}$/);
      expect(row.bankCode, row.bin).toMatch(/^\d{3}$/);
      expect(['debit', 'credit']).toContain(row.cardType);
      expect(row.length, row.bin).toBeGreaterThanOrEqual(15);
      expect(row.length, row.bin).toBeLessThanOrEqual(19);
      expect(seen.has(row.bin), `duplicate ${row.bin}`).toBe(false);
      seen.add(row.bin);
    }
  });

  it('gives each bank one CNAPS bank class, one the CNAPS directory knows', () => {
    const classes = new Map<string, string>();
    for (const row of BIN_TABLE) {
      expect(classes.get(row.bank) ?? row.bankCode, row.bank).toBe(row.bankCode);
      classes.set(row.bank, row.bankCode);
      expect(Object.keys(CNAPS_BANK_CLASSES)).toContain(row.bankCode);
    }
  });

  it('covers the banks asked for, each with UnionPay-branded 62 BINs', () => {
    for (const bank of [
      '中国工商银行',
      '中国农业银行',
      '中国银行',
      '中国建设银行',
      '交通银行',
      '中国邮政储蓄银行',
      '招商银行',
      '中信银行',
      '中国光大银行',
      '华夏银行',
      '中国民生银行',
      '平安银行',
      '兴业银行',
      '上海浦东发展银行',
      '广发银行',
      '浙商银行',
      '渤海银行',
      '恒丰银行',
    ]) {
      expect(
        BIN_TABLE.some((row) => row.bank === bank && row.bin.startsWith('62')),
        bank,
      ).toBe(true);
    }
  });

  it('names only banks that resolveBankName knows, under their own name', () => {
    for (const bank of new Set(BIN_TABLE.map((row) => row.bank))) {
      expect(KNOWN_BANKS).toContain(bank);
      expect(resolveBankName(bank)?.bank).toBe(bank);
    }
  });
});

describe('lookupBin', () => {
  it.each([
    // Widely published BINs (see bin-table.data.ts for the source).
    ['6222021234567890123', '622202', '中国工商银行', '102', 'debit'],
    ['6217001234567890123', '621700', '中国建设银行', '105', 'debit'],
    ['6228481234567890123', '622848', '中国农业银行', '103', 'debit'],
    ['6216611234567890123', '621661', '中国银行', '104', 'debit'],
    ['6222621234567890123', '622262', '交通银行', '301', 'debit'],
    ['6225881234567890', '622588', '招商银行', '308', 'debit'],
    ['6217991234567890123', '621799', '中国邮政储蓄银行', '403', 'debit'],
    ['6221501234567890123', '622150', '中国邮政储蓄银行', '403', 'debit'],
    ['622908123456789012', '622908', '兴业银行', '309', 'debit'],
    // UnionPay's published test cards: both 平安银行, as UnionPay's test card table says.
    ['6216261000000000018', '621626', '平安银行', '307', 'debit'],
    ['6221558812340000', '622155', '平安银行', '307', 'credit'],
    ['6226221234567890', '622622', '中国民生银行', '305', 'debit'],
    ['6226301234567890', '622630', '华夏银行', '304', 'debit'],
    ['6226901234567890', '622690', '中信银行', '302', 'debit'],
    ['6226601234567890', '622660', '中国光大银行', '303', 'debit'],
    ['6225681234567890123', '622568', '广发银行', '306', 'debit'],
    ['6217931234567890', '621793', '上海浦东发展银行', '310', 'debit'],
    ['6226841234567890', '622684', '渤海银行', '318', 'debit'],
    ['62238412345678901', '622384', '恒丰银行', '315', 'debit'],
    ['6210191234567890123', '621019', '浙商银行', '316', 'debit'],
  ])('%s → %s %s', (card, bin, bank, bankCode, cardType) => {
    expect(lookupBin(card)).toEqual({ bin, bank, bankCode, cardType });
  });

  it('accepts spaces, hyphens and full-width digits', () => {
    expect(lookupBin('6222 0212 3456 7890 123')?.bank).toBe('中国工商银行');
    expect(lookupBin('6222-0212-3456-7890-123')?.bank).toBe('中国工商银行');
    expect(lookupBin('６２２２０２１２３４５６７８９０１２３')?.bank).toBe('中国工商银行');
  });

  it('prefers the longest matching prefix', () => {
    const long = BIN_TABLE.find((row) => row.bin.length > 6);
    if (long !== undefined) {
      expect(lookupBin(long.bin + '1234567890')?.bin).toBe(long.bin);
    }
  });

  it('leaves out BINs the source gives to two banks, and unknown or short numbers', () => {
    expect(lookupBin('6223091234567890123')).toBeNull();
    expect(lookupBin('6212601234567890')).toBeNull();
    expect(lookupBin('9999991234567890')).toBeNull();
    expect(lookupBin('62220')).toBeNull();
    expect(lookupBin('622202')).toBeNull();
    expect(lookupBin('')).toBeNull();
  });
});

describe('resolveBankName', () => {
  it.each([
    ['中国工商银行', '中国工商银行'],
    ['工商银行', '中国工商银行'],
    ['工行', '中国工商银行'],
    ['ICBC', '中国工商银行'],
    ['icbc shanghai branch', '中国工商银行'],
    ['Industrial and Commercial Bank of China', '中国工商银行'],
    ['中國工商銀行', '中国工商银行'],
    ['中国工商银行股份有限公司上海市浦东分行', '中国工商银行'],
    ['中国银行', '中国银行'],
    ['Bank of China', '中国银行'],
    ['中国银行北京分行', '中国银行'],
    ['建行', '中国建设银行'],
    ['中国建设银行上海银行卡中心', '中国建设银行'],
    ['中國郵政儲蓄銀行', '中国邮政储蓄银行'],
    ['邮储银行', '中国邮政储蓄银行'],
    ['Postal Savings Bank of China', '中国邮政储蓄银行'],
    ['浦发银行', '上海浦东发展银行'],
    ['上海浦东发展银行', '上海浦东发展银行'],
    ['广东发展银行', '广发银行'],
    ['深圳发展银行', '平安银行'],
    ['恆豐銀行', '恒丰银行'],
    ['上海银行', '上海银行'],
    ['上海农商银行', '上海农村商业银行'],
    ['北京农商银行', '北京农村商业银行'],
    ['北京银行', '北京银行'],
    ['重庆三峡银行', '重庆三峡银行'],
    ['ＣＭＢ', '招商银行'],
  ])('%s → %s', (declared, bank) => {
    expect(resolveBankName(declared)?.bank).toBe(bank);
  });

  it.each(['', '   ', '某某农村信用社', 'CABC', 'Bank', '中国农业发展银行'])(
    'knows no bank in %j',
    (declared) => {
      expect(resolveBankName(declared)).toBeNull();
    },
  );
});

describe('checkDeclaredBank', () => {
  const icbcCard = luhnComplete('622202100012345678');

  it('is null when the declared bank agrees with the BIN, however it is written', () => {
    for (const declaredBankName of ['中国工商银行', '工商银行', 'ICBC', '中國工商銀行上海分行']) {
      expect(checkDeclaredBank({ cardNumber: icbcCard, declaredBankName, path: PATH })).toBeNull();
    }
    expect(
      checkDeclaredBank({ cardNumber: icbcCard, declaredBankCode: '102290012345', path: PATH }),
    ).toBeNull();
    expect(checkDeclaredBank({ cardNumber: icbcCard, path: PATH })).toBeNull();
  });

  it('warns when the declared name names another bank', () => {
    const result = checkDeclaredBank({
      cardNumber: icbcCard,
      declaredBankName: '中国建设银行上海分行',
      path: PATH,
    });
    expect(result).toMatchObject({ path: PATH, code: 'bin_bank_mismatch', severity: 'warning' });
    expect(result?.message).toContain('622202');
    expect(result?.message).toContain('中国工商银行');
    expect(result?.message).toContain('中国建设银行');
    expect(result?.message).not.toContain(icbcCard);
  });

  it("warns when the declared CNAPS code's bank class is another bank's", () => {
    const result = checkDeclaredBank({
      cardNumber: icbcCard,
      declaredBankName: '中国工商银行',
      declaredBankCode: '105290000017',
      path: PATH,
    });
    expect(result?.code).toBe('bin_bank_mismatch');
    expect(result?.message).toContain('105');
  });

  it('tells apart two banks of the shared city commercial bank class by name', () => {
    const bankOfBeijing = luhnComplete('621468123456789');
    expect(lookupBin(bankOfBeijing)?.bank).toBe('北京银行');
    expect(
      checkDeclaredBank({
        cardNumber: bankOfBeijing,
        declaredBankName: '南京银行',
        path: PATH,
      })?.code,
    ).toBe('bin_bank_mismatch');
    // Both classes shared (313 city commercial bank, 402 rural credit): not compared.
    expect(
      checkDeclaredBank({
        cardNumber: bankOfBeijing,
        declaredBankCode: '402100000018',
        path: PATH,
      }),
    ).toBeNull();
    // A shared class against a single bank's class is compared.
    expect(
      checkDeclaredBank({ cardNumber: bankOfBeijing, declaredBankCode: '102100099996', path: PATH })
        ?.code,
    ).toBe('bin_bank_mismatch');
  });

  it('is null when the BIN or the declared bank is unknown', () => {
    expect(
      checkDeclaredBank({
        cardNumber: '9999991234567890',
        declaredBankName: '中国工商银行',
        path: PATH,
      }),
    ).toBeNull();
    expect(
      checkDeclaredBank({ cardNumber: icbcCard, declaredBankName: '某某村镇银行', path: PATH }),
    ).toBeNull();
    expect(
      checkDeclaredBank({ cardNumber: icbcCard, declaredBankCode: 'unknown', path: PATH }),
    ).toBeNull();
  });
});
