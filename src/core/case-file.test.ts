import { describe, expect, it } from 'vitest';
import {
  caseFileReference,
  chinaDate,
  chinaDateTime,
  formatYuan,
  requestedActions,
} from './case-file.js';

describe('requestedActions', () => {
  it('asks what the rules that fired call for, in a fixed order, and always a written reply', () => {
    expect(
      requestedActions({
        rules: ['shared_account', 'post_change_spike'],
        moneyReturned: false,
      }).map((a) => a.code),
    ).toEqual([
      'suspend_payments',
      'verify_account_ownership',
      'confirm_account_change',
      'assist_return_of_funds',
      'reply_in_writing',
    ]);
    expect(requestedActions({ rules: ['firmware_outdated'], moneyReturned: false })).toEqual([
      expect.objectContaining({
        code: 'reply_in_writing',
        zh: '请书面回复核查结果，并注明本函编号',
      }),
    ]);
  });

  it('asks for help returning money a bank sent back', () => {
    expect(
      requestedActions({ rules: ['unknown_terminal'], moneyReturned: true }).map((a) => a.code),
    ).toEqual(['verify_transactions', 'assist_return_of_funds', 'reply_in_writing']);
  });
});

describe('formats', () => {
  it('writes fen as yuan exactly, with thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(56_789)).toBe('567.89');
    expect(formatYuan(123_456_789_01)).toBe('123,456,789.01');
    expect(formatYuan(-1_000_00)).toBe('-1,000.00');
  });

  it('writes times in China time', () => {
    expect(chinaDateTime('2026-11-26T16:30:00Z')).toBe('2026-11-27 00:30');
    expect(chinaDate(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-26');
  });

  it('makes the reference from the opening date in China and the incident id', () => {
    expect(
      caseFileReference({
        id: '2ce9655c-8d3e-4c6a-9b41-9a1f0c2d3e4f',
        openedAt: '2026-11-26T17:00:00Z',
      }),
    ).toBe('SG-20261127-2CE9655C');
  });
});
