import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type IsoMessage } from './codec.js';
import { toTransaction } from './to-transaction.js';

/** 2025-03-14 10:30:00 in China. */
const RECEIVED = new Date('2025-03-14T02:30:00Z');

const BASE: IsoMessage['fields'] = {
  2: '6222021234567890123',
  3: '000000',
  4: '000000012345',
  11: '000123',
  12: '102233',
  13: '0314',
  37: '407410123456',
  38: 'AB1234',
  39: '00',
  41: '12345678',
  42: '310290058125801',
  43: '上海浦东某某餐饮'.padEnd(32, ' '),
  49: '156',
};

function msg(mti: string, fields: IsoMessage['fields'] = {}): IsoMessage {
  return { mti, fields: { ...BASE, ...fields } };
}

function transaction(message: IsoMessage, receivedAt: Date = RECEIVED) {
  const result = toTransaction(message, { receivedAt });
  if (result.kind !== 'transaction') throw new Error(`${result.kind}: ${result.reason}`);
  return result.transaction;
}

describe('toTransaction: message types', () => {
  it('maps a 0210 purchase response', () => {
    expect(transaction(msg('0210'))).toEqual({
      id: 'purchase-310290058125801-12345678-407410123456',
      terminalId: '12345678',
      merchantNo: '310290058125801',
      type: 'purchase',
      amountFen: 12345,
      occurredAt: '2025-03-14T10:22:33+08:00',
      status: 'approved',
      pan: '6222021234567890123',
      merchantNameOnReceipt: '上海浦东某某餐饮',
      rrn: '407410123456',
      stan: '000123',
      authCode: 'AB1234',
      responseCode: '00',
      currency: 'CNY',
    });
  });

  it('maps a 0210 with processing code 20 to a void (消费撤销)', () => {
    const t = transaction(msg('0210', { 3: '200000', 37: '407410123457' }));
    expect(t.type).toBe('void');
    expect(t.id).toBe('void-310290058125801-12345678-407410123457');
  });

  it.each([
    ['00', 'approved'],
    ['10', 'approved'],
    ['11', 'approved'],
    ['51', 'declined'],
    ['05', 'declined'],
    ['A0', 'declined'],
  ])('response code %s is %s', (code, status) => {
    const t = transaction(msg('0210', { 39: code }));
    expect(t.status).toBe(status);
    expect(t.responseCode).toBe(code);
  });

  it('maps 0220 advices: 00 to an offline purchase, 20 to a refund (退货), both approved', () => {
    const purchase = transaction(msg('0220', { 39: undefined }));
    expect(purchase).toMatchObject({ type: 'purchase', status: 'approved' });
    expect(purchase.responseCode).toBeUndefined();
    const refund = transaction(msg('0220', { 3: '200000', 39: undefined }));
    expect(refund).toMatchObject({ type: 'refund', status: 'approved' });
    expect(transaction(msg('0221', { 3: '200000' })).id).toBe(refund.id);
  });

  it('maps 0400 and 0420 reversals (冲正) alike, approved, with the same id', () => {
    const request = transaction(msg('0400', { 39: '98' }));
    expect(request).toMatchObject({ type: 'reversal', status: 'approved' });
    // Field 39 of a reversal is its reason, not an issuer's answer.
    expect(request.responseCode).toBeUndefined();
    expect(transaction(msg('0420', { 39: '06' })).id).toBe(request.id);
    expect(transaction(msg('0401')).id).toBe(request.id);
    expect(request.id).not.toBe(transaction(msg('0210')).id);
    expect(transaction(msg('0400', { 3: '200000' })).type).toBe('reversal');
  });

  it.each([
    ['0200', 'request: the response carries the outcome'],
    ['0201', 'request: the response carries the outcome'],
    ['0230', 'advice response: the advice carries the transaction'],
    ['0410', 'reversal response: the reversal carries the transaction'],
    ['0430', 'reversal response: the reversal carries the transaction'],
    ['0100', 'authorisation message: a pre-authorisation moves no money'],
    ['0810', 'network management message'],
    ['0320', 'batch upload message: not read'],
    ['0500', 'reconciliation message'],
    ['0600', 'message type 0600 is not a financial transaction'],
    ['1200', 'message type 1200: only ISO 8583:1987 (0xxx) messages are read'],
    ['02', 'message type "02" is not 4 digits'],
  ])('skips %s', (mti, reason) => {
    expect(toTransaction(msg(mti), { receivedAt: RECEIVED })).toEqual({ kind: 'skip', reason });
  });

  it('skips processing codes other than 00 and 20', () => {
    expect(toTransaction(msg('0210', { 3: '310000' }), { receivedAt: RECEIVED })).toEqual({
      kind: 'skip',
      reason: 'processing code 310000: neither a purchase (00) nor a void or refund (20)',
    });
  });
});

describe('toTransaction: invalid messages', () => {
  it.each([
    [{ 41: undefined }, 'missing field 41 (terminal id)'],
    [{ 42: '               ' }, 'missing field 42 (merchant number)'],
    [{ 4: undefined, 41: undefined }, 'missing fields 41 (terminal id), 4 (amount)'],
    [{ 3: undefined }, 'missing field 3 (processing code)'],
    [{ 39: undefined }, 'missing field 39 (response code)'],
    [{ 4: '000000000000' }, 'field 4 (amount) is zero'],
    [{ 4: '999999999999' }, 'field 4 (amount) exceeds 10000000000 fen'],
    [{ 4: '12.00' }, 'field 4 (amount) is not 1 to 12 digits'],
    [{ 37: undefined, 11: undefined }, 'neither field 37 (RRN) nor field 11 (STAN): no stable id'],
  ])('%j: %s', (fields, reason) => {
    expect(toTransaction(msg('0210', fields), { receivedAt: RECEIVED })).toEqual({
      kind: 'invalid',
      reason,
    });
  });

  it('refuses ids with characters the transaction id does not allow', () => {
    const result = toTransaction(msg('0210', { 41: 'T 00 01' }), { receivedAt: RECEIVED });
    expect(result.kind).toBe('invalid');
  });
});

describe('toTransaction: ids', () => {
  it('uses STAN and local date when there is no RRN (or an RRN of zeros)', () => {
    expect(transaction(msg('0400', { 37: undefined })).id).toBe(
      'reversal-310290058125801-12345678-000123-0314',
    );
    const zeros = transaction(msg('0400', { 37: '000000000000' }));
    expect(zeros.id).toBe('reversal-310290058125801-12345678-000123-0314');
    expect(zeros.rrn).toBeUndefined();
  });

  it('without field 13, takes the date from field 7 (in China time)', () => {
    const t = transaction(
      msg('0400', { 37: undefined, 12: undefined, 13: undefined, 7: '0313170000' }),
    );
    expect(t.occurredAt).toBe('2025-03-14T01:00:00+08:00');
    expect(t.id).toBe('reversal-310290058125801-12345678-000123-0314');
  });

  it('is the same for every copy, whatever the time it arrives', () => {
    const a = transaction(msg('0220'), new Date('2025-03-14T02:30:00Z'));
    const b = transaction(msg('0220'), new Date('2025-03-20T02:30:00Z'));
    expect(b.id).toBe(a.id);
    expect(b.occurredAt).toBe(a.occurredAt);
  });

  it('stays within 64 characters', () => {
    const t = transaction(
      msg('0220', { 3: '200000', 41: 'ZZZZZZZZ', 42: '999999999999999', 37: 'ABCDEFGHIJKL' }),
    );
    expect(t.id.length).toBeLessThanOrEqual(64);
  });
});

describe('toTransaction: time', () => {
  it('reads fields 13 and 12 as China time', () => {
    expect(transaction(msg('0210', { 13: '0314', 12: '000001' })).occurredAt).toBe(
      '2025-03-14T00:00:01+08:00',
    );
  });

  it('puts 31 December received on 1 January in the year before', () => {
    const receivedAt = new Date('2025-12-31T16:00:30Z'); // 2026-01-01 00:00:30 in China
    expect(transaction(msg('0210', { 13: '1231', 12: '235959' }), receivedAt).occurredAt).toBe(
      '2025-12-31T23:59:59+08:00',
    );
  });

  it('puts 1 January received on 31 December in the year after (a clock running fast)', () => {
    const receivedAt = new Date('2025-12-31T15:59:00Z'); // 2025-12-31 23:59:00 in China
    expect(transaction(msg('0210', { 13: '0101', 12: '000010' }), receivedAt).occurredAt).toBe(
      '2026-01-01T00:00:10+08:00',
    );
  });

  it('reads 29 February only in a leap year', () => {
    const receivedAt = new Date('2024-03-01T02:00:00Z');
    expect(transaction(msg('0210', { 13: '0229', 12: '120000' }), receivedAt).occurredAt).toBe(
      '2024-02-29T12:00:00+08:00',
    );
  });

  it('falls back to field 7 (GMT), across the new year', () => {
    const receivedAt = new Date('2025-12-31T16:05:00Z');
    const t = transaction(
      msg('0210', { 12: undefined, 13: undefined, 7: '1231160000' }),
      receivedAt,
    );
    expect(t.occurredAt).toBe('2026-01-01T00:00:00+08:00');
  });

  it('falls back to field 7 when field 13 is not a date, then to the time received', () => {
    expect(transaction(msg('0210', { 13: '1332', 7: '0314013000' })).occurredAt).toBe(
      '2025-03-14T09:30:00+08:00',
    );
    const received = new Date('2025-03-14T02:30:00.750Z');
    expect(transaction(msg('0210', { 12: undefined, 13: undefined }), received).occurredAt).toBe(
      '2025-03-14T10:30:00+08:00',
    );
  });
});

describe('toTransaction: other fields', () => {
  it('maps currencies to their alphabetic codes, or keeps the number', () => {
    expect(transaction(msg('0210', { 49: '344' })).currency).toBe('HKD');
    expect(transaction(msg('0210', { 49: '840' })).currency).toBe('USD');
    expect(transaction(msg('0210', { 49: '999' })).currency).toBe('999');
    expect(transaction(msg('0210', { 49: undefined })).currency).toBeUndefined();
  });

  it('trims the receipt name, full-width padding and a cut GBK character included', () => {
    expect(
      transaction(msg('0210', { 43: '  上海浦东某某餐饮\u3000\u3000   ' })).merchantNameOnReceipt,
    ).toBe('上海浦东某某餐饮');
    expect(
      transaction(msg('0210', { 43: 'CAFE' + ' '.repeat(30) + '\ufffd' })).merchantNameOnReceipt,
    ).toBe('CAFE');
    expect(transaction(msg('0210', { 43: ' '.repeat(40) })).merchantNameOnReceipt).toBeUndefined();
  });

  it('takes the card number from track 2 when field 2 is absent', () => {
    expect(transaction(msg('0210', { 2: undefined, 35: '6222021234567890=2812101' })).pan).toBe(
      '6222021234567890',
    );
    expect(transaction(msg('0210', { 2: undefined })).pan).toBeUndefined();
  });

  it('works on decoded GBK messages in both encodings', () => {
    for (const encoding of ['ascii', 'bcd'] as const) {
      const bytes = encodeMessage(msg('0210'), encoding);
      expect(transaction(decodeMessage(bytes, encoding))).toEqual(transaction(msg('0210')));
    }
  });
});

describe('toTransaction: a published CUP capture', () => {
  // The 0210 purchase response of github.com/he3210/mposSDK, mposSDKtest/test.cpp
  // (commit 8cabebcd85f975bcfae93f12cbda9c18133983a0, `test_Union_Pay`); the same vector is
  // decoded field for field in codec.test.ts. The message starts after length, TPDU and header.
  const capture = Buffer.from(
    '009f60000000066031009999990210703e02810ed082131962122602000241255730000000000000073700002332203217082723020827000100084803100032303332313734393138323730313233343530303030303036353930373133313030303538313230363131223031303230303030202020343830333130303020202031353600059f3602004700142200006500050100034355503635304341433741',
    'hex',
  );

  it('is an approved purchase of 737.00 yuan', () => {
    const message = decodeMessage(capture.subarray(13), 'bcd');
    expect(transaction(message, new Date('2017-08-27T12:33:00Z'))).toEqual({
      id: 'purchase-713100058120611-00006590-203217491827',
      terminalId: '00006590',
      merchantNo: '713100058120611',
      type: 'purchase',
      amountFen: 73700,
      occurredAt: '2017-08-27T20:32:17+08:00',
      status: 'approved',
      pan: '6212260200024125573',
      rrn: '203217491827',
      stan: '002332',
      authCode: '012345',
      responseCode: '00',
      currency: 'CNY',
    });
  });
});
