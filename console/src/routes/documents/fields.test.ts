import { describe, expect, it } from 'vitest';
import {
  DATE_PATTERN,
  FIELDS_BY_TYPE,
  REVIEW_FIELDS,
  cleanReviewFields,
  storedField,
} from './fields';

describe('the fields a reviewer reads off a document', () => {
  it('asks each type for what the server compares, and everything of an unknown kind', () => {
    expect(FIELDS_BY_TYPE.business_license).toContain('licenseNumber');
    expect(FIELDS_BY_TYPE.legal_person_id_front).toContain('idNumber');
    expect(FIELDS_BY_TYPE.bank_card).toContain('accountNumber');
    expect(FIELDS_BY_TYPE.other).toEqual(REVIEW_FIELDS);
  });

  it('sends numbers without spaces, upper case, and leaves blanks out', () => {
    expect(
      cleanReviewFields({
        licenseNumber: ' 91110000600037341l ',
        idNumber: '110101 19800307 1239',
        accountNumber: '6222 0202 0012 3456 788',
        holderName: ' 王秀英 ',
        validUntil: '',
      }),
    ).toEqual({
      licenseNumber: '91110000600037341L',
      idNumber: '110101198003071239',
      accountNumber: '6222020200123456788',
      holderName: '王秀英',
    });
  });

  it('shows what the server returned masked, under either name', () => {
    expect(storedField({ idNumberMasked: '1101**********1239' }, 'idNumber')).toBe(
      '1101**********1239',
    );
    expect(storedField({ accountNumberMasked: '****9099' }, 'accountNumber')).toBe('****9099');
    expect(storedField({ holderName: '王秀英' }, 'holderName')).toBe('王秀英');
    expect(storedField({}, 'validUntil')).toBeNull();
  });

  it('takes dates as YYYY-MM-DD only', () => {
    expect(DATE_PATTERN.test('2030-12-31')).toBe(true);
    expect(DATE_PATTERN.test('2030-13-01')).toBe(false);
    expect(DATE_PATTERN.test('2030/12/31')).toBe(false);
  });
});
