import { describe, expect, it } from 'vitest';

import type { AccountType, MerchantType } from '../registry.js';
import { checkAccountHolder } from './check-account-holder.js';
import type { ComparedWith } from './check-account-holder.js';
import type { NameMatchReason, NameMatchResult } from './match-names.js';

const ENTERPRISE = { merchantName: '北京小米科技有限责任公司', legalPersonName: '雷军' };
const SHOP = { merchantName: '张三五金店', legalPersonName: '张三' };
const PLACEHOLDER_SHOP = { merchantName: '个体户王小明', legalPersonName: '王小明' };
const MICRO = { merchantName: '李四便利店', legalPersonName: '李四' };

describe('checkAccountHolder: account type rules', () => {
  it.each<
    [
      merchantType: MerchantType,
      accountType: AccountType,
      names: { merchantName: string; legalPersonName: string },
      accountName: string,
      allowed: boolean,
      comparedWith: ComparedWith,
    ]
  >([
    ['enterprise', 'corporate', ENTERPRISE, '北京小米科技有限责任公司', true, 'merchant_name'],
    ['enterprise', 'personal', ENTERPRISE, '雷军', false, 'merchant_name'],
    ['individual_business', 'corporate', SHOP, '张三五金店', true, 'merchant_name'],
    ['individual_business', 'personal', SHOP, '张三', true, 'legal_person'],
    ['micro', 'personal', MICRO, '李四', true, 'legal_person'],
    ['micro', 'corporate', MICRO, '李四便利店', false, 'legal_person'],
  ])(
    '%s with a %s account',
    (merchantType, accountType, names, accountName, allowed, comparedWith) => {
      const check = checkAccountHolder({ merchantType, accountType, accountName, ...names });
      expect(check.allowed).toBe(allowed);
      expect(check.comparedWith).toBe(comparedWith);
      if (allowed) {
        expect(check.errorCode).toBeUndefined();
        expect(check.result).toBe('match');
        expect(check.reasons).toEqual(['exact']);
      } else {
        expect(check).toEqual({
          result: 'no_match',
          score: 0,
          reasons: [],
          comparedWith,
          allowed: false,
          errorCode: 'account_type_not_allowed',
        });
      }
    },
  );
});

describe('checkAccountHolder: names', () => {
  it.each<
    [
      label: string,
      merchantType: MerchantType,
      accountType: AccountType,
      names: { merchantName: string; legalPersonName: string },
      accountName: string,
      result: NameMatchResult,
      reasons: readonly NameMatchReason[],
      comparedWith: ComparedWith,
    ]
  >([
    [
      'enterprise, form differs',
      'enterprise',
      'corporate',
      ENTERPRISE,
      '北京小米科技有限公司',
      'close_match',
      ['company_form_differs'],
      'merchant_name',
    ],
    [
      'enterprise, branch account',
      'enterprise',
      'corporate',
      ENTERPRISE,
      '北京小米科技有限责任公司上海分公司',
      'close_match',
      ['branch_of_merchant'],
      'merchant_name',
    ],
    [
      'enterprise, corporate account in the legal person’s name',
      'enterprise',
      'corporate',
      ENTERPRISE,
      '雷军',
      'no_match',
      ['different_name'],
      'merchant_name',
    ],
    [
      'enterprise, another company',
      'enterprise',
      'corporate',
      ENTERPRISE,
      '北京京东世纪贸易有限公司',
      'no_match',
      ['different_name'],
      'merchant_name',
    ],
    [
      'enterprise, traditional characters',
      'enterprise',
      'corporate',
      { merchantName: '上海浦东发展银行股份有限公司', legalPersonName: '张三' },
      '上海浦東發展銀行股份有限公司',
      'match',
      ['normalised_equal', 'traditional_chinese'],
      'merchant_name',
    ],
    [
      'individual business, corporate account compared with the licence name only',
      'individual_business',
      'corporate',
      SHOP,
      '张三',
      'no_match',
      ['different_name'],
      'merchant_name',
    ],
    [
      'individual business, personal account in pinyin',
      'individual_business',
      'personal',
      SHOP,
      'ZHANG SAN',
      'close_match',
      ['pinyin_equal'],
      'legal_person',
    ],
    [
      'individual business, personal account of someone else',
      'individual_business',
      'personal',
      SHOP,
      '李四',
      'no_match',
      ['different_name'],
      'legal_person',
    ],
    [
      'individual business, personal account in the shop’s name',
      'individual_business',
      'personal',
      SHOP,
      '张三五金店',
      'no_match',
      ['different_name'],
      'legal_person',
    ],
    [
      'placeholder licence name, corporate account in the licence name',
      'individual_business',
      'corporate',
      PLACEHOLDER_SHOP,
      '个体户王小明',
      'match',
      ['exact'],
      'merchant_name',
    ],
    [
      'placeholder licence name, corporate account in the person’s name',
      'individual_business',
      'corporate',
      PLACEHOLDER_SHOP,
      '王小明',
      'match',
      ['exact', 'placeholder_name'],
      'legal_person',
    ],
    [
      'placeholder licence name, corporate account in another placeholder style',
      'individual_business',
      'corporate',
      PLACEHOLDER_SHOP,
      '王小明（个体工商户）',
      'match',
      ['placeholder_name'],
      'merchant_name',
    ],
    [
      'placeholder licence name, corporate account in pinyin',
      'individual_business',
      'corporate',
      PLACEHOLDER_SHOP,
      'WANG XIAOMING',
      'close_match',
      ['pinyin_equal', 'placeholder_name'],
      'legal_person',
    ],
    [
      'placeholder *** licence name, compared with the legal person',
      'individual_business',
      'corporate',
      { merchantName: '***', legalPersonName: '王小明' },
      '王小明',
      'match',
      ['exact', 'placeholder_name'],
      'legal_person',
    ],
    [
      'placeholder licence name, someone else',
      'individual_business',
      'corporate',
      PLACEHOLDER_SHOP,
      '李四',
      'no_match',
      ['different_name'],
      'merchant_name',
    ],
    [
      'individual business, personal account in the placeholder’s name',
      'individual_business',
      'personal',
      PLACEHOLDER_SHOP,
      '王小明',
      'match',
      ['exact'],
      'legal_person',
    ],
    [
      'micro, personal account of the legal person in traditional characters',
      'micro',
      'personal',
      { merchantName: '张三水果摊', legalPersonName: '张三' },
      '張三',
      'match',
      ['normalised_equal', 'traditional_chinese'],
      'legal_person',
    ],
    [
      'micro, minority name without its dot',
      'micro',
      'personal',
      { merchantName: '买买提烤肉', legalPersonName: '买买提·艾力' },
      '买买提艾力',
      'match',
      ['normalised_equal'],
      'legal_person',
    ],
    [
      'micro, personal account of someone else',
      'micro',
      'personal',
      MICRO,
      '王五',
      'no_match',
      ['different_name'],
      'legal_person',
    ],
    [
      'micro, personal account in the shop’s name',
      'micro',
      'personal',
      MICRO,
      '李四便利店',
      'no_match',
      ['different_name'],
      'legal_person',
    ],
  ])(
    '%s',
    (_label, merchantType, accountType, names, accountName, result, reasons, comparedWith) => {
      const check = checkAccountHolder({ merchantType, accountType, accountName, ...names });
      expect(check.allowed).toBe(true);
      expect(check.errorCode).toBeUndefined();
      expect(check.result).toBe(result);
      expect(check.reasons).toEqual(reasons);
      expect(check.comparedWith).toBe(comparedWith);
    },
  );

  it('answers no_match for a blank account name', () => {
    const check = checkAccountHolder({
      merchantType: 'micro',
      accountType: 'personal',
      accountName: '  ',
      ...MICRO,
    });
    expect(check).toMatchObject({
      result: 'no_match',
      allowed: true,
      comparedWith: 'legal_person',
    });
  });
});
