import { describe, expect, it } from 'vitest';
import {
  accountStatusAfterReturn,
  normaliseReturnReason,
  redactAccountNumbers,
} from './returns.js';

describe('normaliseReturnReason', () => {
  it.each([
    ['账户已销户', 'account_closed'],
    ['该卡已注销', 'account_closed'],
    ['Account closed', 'account_closed'],
    ['账户已冻结，交易被拒绝', 'account_frozen'],
    ['司法冻结', 'account_frozen'],
    ['久悬账户', 'account_frozen'],
    ['ACCOUNT FROZEN', 'account_frozen'],
    ['户名不符', 'name_mismatch'],
    ['收款人户名与账号不符', 'name_mismatch'],
    ['Ａｃｃｏｕｎｔ　ｎａｍｅ　ｍｉｓｍａｔｃｈ', 'name_mismatch'],
    ['Beneficiary name does not match', 'name_mismatch'],
    ['账号不存在', 'invalid_account'],
    ['无此账户', 'invalid_account'],
    ['Invalid account number', 'invalid_account'],
    ['No such account', 'invalid_account'],
    ['交易受限', 'bank_rejected'],
    ['Rejected by beneficiary bank', 'bank_rejected'],
    ['系统繁忙', 'other'],
    ['', 'other'],
  ])('%s → %s', (text, code) => {
    expect(normaliseReturnReason(text)).toBe(code);
  });

  it('treats a missing reason as other', () => {
    expect(normaliseReturnReason(undefined)).toBe('other');
    expect(normaliseReturnReason(null)).toBe('other');
  });

  it('freezes the account only for a frozen return', () => {
    expect(accountStatusAfterReturn('account_frozen')).toBe('frozen');
    expect(accountStatusAfterReturn('account_closed')).toBe('errored');
    expect(accountStatusAfterReturn('other')).toBe('errored');
  });
});

describe('redactAccountNumbers', () => {
  it('masks account numbers quoted in a reason and leaves short numbers alone', () => {
    expect(redactAccountNumbers('账号6222020200001234562不存在')).toBe(
      '账号622202*********4562不存在',
    );
    expect(redactAccountNumbers('acct 6222 0202 0000 1234 562 closed')).toBe(
      'acct 622202*********4562 closed',
    );
    expect(redactAccountNumbers('错误码 R03，金额 12345.67')).toBe('错误码 R03，金额 12345.67');
    expect(redactAccountNumbers('1001234509000012345')).toBe('100123*********2345');
  });
});
