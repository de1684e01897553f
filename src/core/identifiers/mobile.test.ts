import { describe, expect, it } from 'vitest';
import { checkMobile } from './mobile.js';

const PATH = 'merchant.contactPhone';

describe('checkMobile', () => {
  // 13552535506: the phone number of UnionPay's online payment test-environment cardholder.
  it.each([
    '13552535506',
    ' 13552535506 ',
    '+8613552535506',
    '+86 135 5253 5506',
    '+86-135-5253-5506',
    '8613552535506',
    '008613552535506',
    '１３５５２５３５５０６',
  ])('accepts %j as 13552535506', (raw) => {
    expect(checkMobile(raw, PATH)).toEqual({ ok: true, value: '13552535506', warnings: [] });
  });

  it.each([
    ['12345678901', 'second digit 2'],
    ['11012345678', 'second digit 1'],
    ['1355253550', '10 digits'],
    ['135525355061', '12 digits'],
    ['23552535506', 'not starting with 1'],
    ['+85213552535506', 'another country code'],
    ['021-12345678', 'a landline'],
    ['', 'empty'],
  ])('rejects %j as mobile_format: %s', (raw) => {
    const result = checkMobile(raw, PATH);
    expect(!result.ok && result.issues.map((i) => i.code)).toEqual(['mobile_format']);
  });
});
