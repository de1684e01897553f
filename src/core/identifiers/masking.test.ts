import { describe, expect, it } from 'vitest';
import { maskAccountNumber, maskMobile, maskResidentId } from './masking.js';

function visibleDigits(masked: string): number {
  return masked.replace(/\*/g, '').length;
}

describe('maskAccountNumber', () => {
  it('shows the first 6 and last 4 digits of personal cards of standard length', () => {
    expect(maskAccountNumber('6226090000000048', 'personal')).toBe('622609******0048');
    expect(maskAccountNumber('6216261000000000018', 'personal')).toBe('621626*********0018');
    expect(maskAccountNumber('6216 2610 0000 0000 018', 'personal')).toBe('621626*********0018');
  });

  it('shows at most half of the digits of shorter personal numbers', () => {
    expect(maskAccountNumber('6212345678901', 'personal')).toBe('62*******8901');
    for (let n = 1; n < 16; n += 1) {
      const masked = maskAccountNumber('9'.repeat(n), 'personal');
      expect(masked).toHaveLength(n);
      expect(visibleDigits(masked) * 2, masked).toBeLessThanOrEqual(n);
    }
  });

  it('shows the last 4 digits of corporate accounts', () => {
    expect(maskAccountNumber('1001234567890123456', 'corporate')).toBe('****3456');
    expect(maskAccountNumber('3105-0161-3600-0000-0123', 'corporate')).toBe('****0123');
    expect(maskAccountNumber('123456', 'corporate')).toBe('****456');
  });

  it('never throws and never shows what it cannot read', () => {
    expect(maskAccountNumber('', 'personal')).toBe('****');
    expect(maskAccountNumber('', 'corporate')).toBe('****');
    expect(maskAccountNumber(undefined as unknown as string, 'personal')).toBe('****');
  });
});

describe('maskResidentId', () => {
  it('shows the first and the last character only', () => {
    expect(maskResidentId('11010519491231002X')).toBe('1****************X');
    expect(maskResidentId('11010519491231002x')).toBe('1****************X');
    expect(maskResidentId('abc')).toBe('****');
  });
});

describe('maskMobile', () => {
  it('shows the first 3 and the last 4 digits', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
    expect(maskMobile('+86 138 1234 1234')).toBe('138****1234');
    expect(maskMobile('123')).toBe('****');
  });
});
