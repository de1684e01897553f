import { describe, expect, it } from 'vitest';
import { checkMcc, checkMerchantNo, checkTerminalId } from './merchant.js';

describe('checkMerchantNo', () => {
  // 777290058147175: a UnionPay online payment test-environment merchant number, as published
  // in UnionPay SDK demo code.
  it('accepts 15 digits, trimmed', () => {
    expect(checkMerchantNo(' 777290058147175 ', 'merchant.merchantNo')).toEqual({
      ok: true,
      value: '777290058147175',
      warnings: [],
    });
    expect(checkMerchantNo('７７７２９００５８１４７１７５', 'merchant.merchantNo').ok).toBe(true);
  });

  it.each(['77729005814717', '7772900581471755', '77729005814717A', '777 290 058 147 175', ''])(
    'rejects %j as merchant_no_format',
    (raw) => {
      expect(checkMerchantNo(raw, 'merchant.merchantNo')).toEqual({
        ok: false,
        issues: [
          {
            path: 'merchant.merchantNo',
            code: 'merchant_no_format',
            severity: 'error',
            message: expect.any(String) as unknown,
          },
        ],
      });
    },
  );
});

describe('checkTerminalId', () => {
  it('accepts 8 digits and capital letters, upper-casing the input', () => {
    expect(checkTerminalId('01234567', 'terminals.0.terminalId')).toMatchObject({
      ok: true,
      value: '01234567',
    });
    expect(checkTerminalId(' ab12cd34 ', 'terminals.0.terminalId')).toMatchObject({
      ok: true,
      value: 'AB12CD34',
    });
    expect(checkTerminalId('ＡＢ１２ＣＤ３４', 'terminals.0.terminalId')).toMatchObject({
      ok: true,
      value: 'AB12CD34',
    });
  });

  it.each(['AB12CD3', 'AB12CD345', 'AB12CD3!', 'AB12-CD3', 'AB12CD3É', ''])(
    'rejects %j as terminal_id_format',
    (raw) => {
      const result = checkTerminalId(raw, 'terminals.0.terminalId');
      expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['terminal_id_format']);
    },
  );
});

describe('checkMcc', () => {
  it.each(['5812', '5411', '7230', ' 8062 '])('accepts %j', (mcc) => {
    expect(checkMcc(mcc, 'merchant.mcc')).toMatchObject({ ok: true, value: mcc.trim() });
  });

  it.each(['581', '58120', '58a2', ''])('rejects %j as mcc_format', (mcc) => {
    const result = checkMcc(mcc, 'merchant.mcc');
    expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['mcc_format']);
  });
});
