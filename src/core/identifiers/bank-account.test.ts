import { describe, expect, it } from 'vitest';
import {
  checkBankCard,
  checkCnaps,
  checkCorporateAccount,
  cnapsBankClass,
  isLuhnValid,
  luhnCheckDigit,
  luhnComplete,
} from './bank-account.js';

const PATH = 'settlementAccount.accountNumber';

function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function codes(result: ReturnType<typeof checkBankCard>): string[] {
  return result.ok ? result.warnings.map((w) => w.code) : result.issues.map((i) => i.code);
}

/**
 * Published card numbers. Sources:
 * - UnionPay online payment (全渠道, ACP) test environment cards, published in UnionPay's SDK demo
 *   code and copied into many integrations: debit 6216261000000000018 (平安银行), credit
 *   6221558812340000 (平安银行, fails Luhn), credit 5200831111111113;
 * - the README of hexindai/bcbc, example query 6222021234567890123 (an ICBC BIN, fails Luhn);
 * - the Visa test number 4111111111111111.
 */
describe('checkBankCard', () => {
  it.each(['6216261000000000018', '5200831111111113', '4111111111111111', '6226090000000048'])(
    'accepts %s without warnings',
    (card) => {
      expect(checkBankCard(card, PATH)).toEqual({ ok: true, value: card, warnings: [] });
    },
  );

  it.each(['6221558812340000', '6222021234567890123'])(
    'accepts %s, which fails Luhn, with a card_luhn_failed warning',
    (card) => {
      const result = checkBankCard(card, PATH);
      expect(result.ok).toBe(true);
      expect(result.ok && result.value).toBe(card);
      expect(result.ok && result.warnings).toEqual([
        {
          path: PATH,
          code: 'card_luhn_failed',
          severity: 'warning',
          message: expect.any(String) as unknown,
        },
      ]);
    },
  );

  it('removes spaces and hyphens and reads full-width digits', () => {
    for (const input of [
      '6216 2610 0000 0000 018',
      '6216-2610-0000-0000-018',
      ' 6216261000000000018 ',
      toFullWidth('6216261000000000018'),
      '6216\u30002610\u30000000\u30000000\u3000018',
    ]) {
      expect(checkBankCard(input, PATH)).toEqual({
        ok: true,
        value: '6216261000000000018',
        warnings: [],
      });
    }
  });

  it.each([
    ['621626100000', '12 digits'],
    ['62162610000000000180', '20 digits'],
    ['6216261000000OOO018', 'letters O'],
    ['6216.2610.0000.0000.018', 'dots'],
    ['', 'empty'],
  ])('rejects %s as card_number_format: %s', (card) => {
    expect(codes(checkBankCard(card, PATH))).toEqual(['card_number_format']);
    expect(checkBankCard(card, PATH).ok).toBe(false);
  });

  it('never puts the card number in a message', () => {
    const result = checkBankCard('6221558812340000', PATH);
    expect(JSON.stringify(result.ok ? result.warnings : result.issues)).not.toContain(
      '6221558812340000',
    );
  });
});

describe('Luhn', () => {
  it('completes published numbers', () => {
    expect(luhnComplete('621626100000000001')).toBe('6216261000000000018');
    expect(luhnComplete('411111111111111')).toBe('4111111111111111');
    expect(luhnCheckDigit('520083111111111')).toBe('3');
    expect(isLuhnValid('6221558812340000')).toBe(false);
    expect(isLuhnValid('abc')).toBe(false);
  });

  it('catches any single changed digit of a completed number', () => {
    const card = luhnComplete('622202100012345678');
    expect(isLuhnValid(card)).toBe(true);
    for (let i = 0; i < card.length; i += 1) {
      const d = Number(card.charAt(i));
      const changed = card.slice(0, i) + String((d + 3) % 10) + card.slice(i + 1);
      expect(isLuhnValid(changed), changed).toBe(false);
    }
  });
});

describe('checkCorporateAccount', () => {
  it('accepts 6 to 32 digits, spaces and hyphens aside', () => {
    expect(checkCorporateAccount('1001 2345 6789 0123 456', PATH)).toEqual({
      ok: true,
      value: '1001234567890123456',
      warnings: [],
    });
    expect(checkCorporateAccount('31050161-3600-0000-0123', PATH)).toMatchObject({
      ok: true,
      value: '31050161360000000123',
    });
    expect(checkCorporateAccount('123456', PATH).ok).toBe(true);
    expect(checkCorporateAccount('1'.repeat(32), PATH).ok).toBe(true);
  });

  it('does not apply Luhn', () => {
    expect(checkCorporateAccount('6221558812340000', PATH)).toMatchObject({
      ok: true,
      warnings: [],
    });
  });

  it.each(['12345', '1'.repeat(33), '1001234567890123456A', '', '1001_2345'])(
    'rejects %j as corporate_account_format',
    (account) => {
      const result = checkCorporateAccount(account, PATH);
      expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['corporate_account_format']);
    },
  );
});

describe('CNAPS codes', () => {
  // Head-office codes from the public CNAPS directory (e.g. the bank list of
  // paycq/merchant-registration src/data/bank_list.js).
  it.each([
    ['102100099996', '中国工商银行'],
    ['105100000017', '中国建设银行'],
    ['301290000007', '交通银行'],
    ['308584000013', '招商银行'],
    ['307584007998', '平安银行'],
    ['318110000014', '渤海银行'],
    ['315456000105', '恒丰银行'],
    ['316331000018', '浙商银行'],
    ['325290000012', '上海银行'],
    ['313100000013', '城市商业银行'],
    ['403100000004', '中国邮政储蓄银行'],
  ])('accepts %s, of class %s', (code, bank) => {
    expect(checkCnaps(code, 'settlementAccount.bankCode')).toEqual({
      ok: true,
      value: code,
      warnings: [],
    });
    expect(cnapsBankClass(code)).toBe(bank);
  });

  it.each(['10210009999', '1021000999961', '10210009999A', '102-100-099-996', ''])(
    'rejects %j as cnaps_format',
    (code) => {
      const result = checkCnaps(code, 'settlementAccount.bankCode');
      expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['cnaps_format']);
    },
  );

  it('knows the bank class from 3 digits or more, and nothing else', () => {
    expect(cnapsBankClass('104')).toBe('中国银行');
    expect(cnapsBankClass('999100000000')).toBeNull();
    expect(cnapsBankClass('toString')).toBeNull();
    expect(cnapsBankClass('')).toBeNull();
  });
});
