/**
 * Registry records for tests, with identifiers that are valid by their published algorithms:
 * 91110000600037341L is a real, widely published unified social credit code;
 * 11010519491231002X is the resident ID example of GB 11643-1999 (its other example,
 * 440524188001010014, is born in 1880 and so refused as an implausible birth date); the card numbers carry real
 * BINs (622202 ICBC, 621700 CCB, 622848 ABC) with a Luhn check digit.
 */
import type { ImportRecord } from '../../src/core/registry.js';

export const IDS = {
  usccValid: '91110000600037341L',
  usccValid2: '92330106MA2H0AAB1P',
  usccValid3: '91440300MA5DC0XXXB',
  usccBadCheck: '91110000600037341M',
  residentIdValid: '11010519491231002X',
  residentIdValid2: '440524198001010013',
  residentIdValid3: '330106198503124416',
  residentIdValid4: '310115199001011232',
  residentIdBadCheck: '110105194912310021',
  residentIdBadDate: '110105194902300020',
  cardIcbc: '6222020200001234562',
  cardCcb: '6217001234567890122',
  cardAbc: '6228480000000000018',
  corporateAccount: '1001234509000012345',
} as const;

export function enterpriseRecord(overrides: {
  merchantNo: string;
  name?: string;
  accountName?: string;
  accountNumber?: string;
  terminalIds?: string[];
  uscc?: string;
  legalIdNumber?: string;
}): ImportRecord {
  const name = overrides.name ?? '北京示例餐饮管理有限公司';
  return {
    merchant: {
      merchantNo: overrides.merchantNo,
      name,
      type: 'enterprise',
      uscc: overrides.uscc ?? IDS.usccValid,
      legalPerson: { name: '王建国', idNumber: overrides.legalIdNumber ?? IDS.residentIdValid },
      mcc: '5812',
      contactPhone: '13812345678',
      address: '北京市朝阳区建国路88号',
    },
    settlementAccount: {
      accountNumber: overrides.accountNumber ?? IDS.corporateAccount,
      accountName: overrides.accountName ?? name,
      accountType: 'corporate',
      bankCode: '102100099996',
    },
    terminals: (overrides.terminalIds ?? []).map((terminalId, index) => ({
      terminalId,
      serialNumber: `SN${overrides.merchantNo.slice(-6)}${index}`,
      model: 'PAX A920',
      firmwareVersion: 'V2.3.1',
    })),
  };
}

export function microRecord(overrides: {
  merchantNo: string;
  personName?: string;
  accountName?: string;
  accountNumber?: string;
  legalIdNumber?: string;
}): ImportRecord {
  const personName = overrides.personName ?? '张丽';
  return {
    merchant: {
      merchantNo: overrides.merchantNo,
      name: `${personName}便利店`,
      type: 'micro',
      legalPerson: { name: personName, idNumber: overrides.legalIdNumber ?? IDS.residentIdValid3 },
      mcc: '5499',
    },
    settlementAccount: {
      accountNumber: overrides.accountNumber ?? IDS.cardIcbc,
      accountName: overrides.accountName ?? personName,
      accountType: 'personal',
      bankCode: '102100099996',
    },
  };
}
