import { describe, expect, it } from 'vitest';
import {
  addDays,
  checkReviewFields,
  compareWithRegistry,
  documentContentType,
  isCalendarDate,
  isExpired,
  presentFields,
  storedFields,
  type RegistryFacts,
} from './documents.js';

const TODAY = new Date('2026-11-26T08:00:00Z');
const fp = {
  idNumber: (v: string) => `id:${v}`,
  accountNumber: (v: string) => `acct:${v}`,
};
const FACTS: RegistryFacts = {
  merchantName: '北京示例餐饮管理有限公司',
  uscc: '91110000600037341L',
  legalPersonName: '王建国',
  legalPersonIdFp: 'id:11010519491231002X',
  account: { fp: 'acct:1001234509000012345', masked: '****2345', source: 'registry' },
};

describe('documentContentType', () => {
  it('knows PNG, JPEG, WebP and PDF by their bytes, and nothing else', () => {
    expect(documentContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'image/png',
    );
    expect(documentContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(documentContentType(Buffer.from('RIFF\x1a\x00\x00\x00WEBPVP8L', 'latin1'))).toBe(
      'image/webp',
    );
    expect(documentContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(documentContentType(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBeNull();
    expect(documentContentType(Buffer.from('a plain text note'))).toBeNull();
    expect(documentContentType(Buffer.alloc(0))).toBeNull();
  });
});

describe('dates', () => {
  it('accepts only dates that exist, and counts days across months and years', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
    expect(addDays('2026-11-26', 36)).toBe('2027-01-01');
    expect(addDays('2026-11-26', 0)).toBe('2026-11-26');
  });
  it('expires once the day after the last valid day has begun', () => {
    expect(isExpired('2026-11-25', '2026-11-26')).toBe(true);
    expect(isExpired('2026-11-26', '2026-11-26')).toBe(false);
    expect(isExpired(null, '2026-11-26')).toBe(false);
  });
});

describe('checkReviewFields', () => {
  it('normalises identifiers (full-width, spaces, lower-case x) and keeps what was given', () => {
    const checked = checkReviewFields(
      {
        licenseNumber: '９１１１００００６０００３７３４１ｌ',
        idNumber: '110105 19491231 002x',
        accountNumber: '1001-2345-0900-0012-345',
        holderName: '  王建国 ',
        validFrom: '2016-05-01',
        validUntil: '2036-05-01',
      },
      'legal_person_id_front',
      TODAY,
    );
    expect(checked).toEqual({
      ok: true,
      fields: {
        licenseNumber: '91110000600037341L',
        idNumber: '11010519491231002X',
        accountNumber: '1001234509000012345',
        holderName: '王建国',
        validFrom: '2016-05-01',
        validUntil: '2036-05-01',
      },
    });
  });
  it('collects every problem with its path and code', () => {
    const checked = checkReviewFields(
      {
        licenseNumber: '91110000600037341M',
        idNumber: '110105194912310021',
        accountNumber: '12',
        validFrom: '2030-01-01',
        validUntil: '2029-01-01',
      },
      'bank_card',
      TODAY,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues.map((i) => [i.path, i.code])).toEqual([
      ['fields.licenseNumber', 'uscc_checksum'],
      ['fields.idNumber', 'resident_id_checksum'],
      ['fields.accountNumber', 'card_number_format'],
      ['fields.validUntil', 'validation_failed'],
    ]);
  });
});

describe('storedFields and presentFields', () => {
  it('stores numbers masked and fingerprinted, and shows them masked only', () => {
    const stored = storedFields(
      { idNumber: '11010519491231002X', accountNumber: '6222020200001234562' },
      'bank_card',
      fp,
    );
    expect(stored).toEqual({
      idNumberMasked: '1****************X',
      idNumberFp: 'id:11010519491231002X',
      accountNumberMasked: '622202*********4562',
      accountNumberFp: 'acct:6222020200001234562',
    });
    expect(presentFields(stored)).toEqual({
      idNumberMasked: '1****************X',
      accountNumberMasked: '622202*********4562',
    });
  });
});

describe('compareWithRegistry', () => {
  const compare = (
    type: Parameters<typeof compareWithRegistry>[0],
    fields: object,
    facts = FACTS,
  ) =>
    compareWithRegistry(type, storedFields(fields, type, fp), facts, '2026-11-26').map((c) => [
      c.field,
      c.result,
    ]);

  it('matches what the registry holds', () => {
    expect(
      compare('business_license', {
        licenseNumber: '91110000600037341L',
        holderName: '北京示例餐饮管理有限公司',
        validUntil: '2026-11-26',
      }),
    ).toEqual([
      ['licenseNumber', 'match'],
      ['holderName', 'match'],
      ['validUntil', 'match'],
    ]);
    expect(
      compare('legal_person_id_front', { idNumber: '11010519491231002X', holderName: '王建国' }),
    ).toEqual([
      ['idNumber', 'match'],
      ['holderName', 'match'],
    ]);
    // A bank card may be held by the merchant or by its legal person.
    expect(
      compare('account_opening_permit', {
        accountNumber: '1001234509000012345',
        holderName: '王建国',
      }),
    ).toEqual([
      ['holderName', 'match'],
      ['accountNumber', 'match'],
    ]);
  });

  it('says what differs, what expired and what could not be checked', () => {
    expect(
      compare('business_license', {
        licenseNumber: '92330106MA2H0AAB1P',
        holderName: '王建国',
        validUntil: '2026-11-25',
      }),
    ).toEqual([
      ['licenseNumber', 'mismatch'],
      // A licence is the company's: the legal person's name is not its holder.
      ['holderName', 'mismatch'],
      ['validUntil', 'expired'],
    ]);
    expect(
      compare(
        'bank_card',
        { licenseNumber: '91110000600037341L', accountNumber: '6222020200001234562' },
        { ...FACTS, uscc: null, account: null },
      ),
    ).toEqual([
      ['licenseNumber', 'not_checked'],
      ['accountNumber', 'not_checked'],
    ]);
  });

  it('names the account it compared with, the open change’s before the one in force', () => {
    const [comparison] = compareWithRegistry(
      'bank_card',
      storedFields({ accountNumber: '6222020200001234562' }, 'bank_card', fp),
      {
        ...FACTS,
        account: {
          fp: 'acct:6222020200001234562',
          masked: '622202*********4562',
          source: 'account_change',
        },
      },
      '2026-11-26',
    );
    expect(comparison).toEqual({
      field: 'accountNumber',
      result: 'match',
      message: {
        zh: '账号与进行中账户变更的新账户（622202*********4562）一致',
        en: 'The account number is the open account change’s new account (622202*********4562)',
      },
    });
  });
});
