import { describe, expect, it } from 'vitest';

import {
  looksLikeOrganisation,
  normaliseName,
  normaliseNameDetailed,
  parsePlaceholderName,
  stripCompanyForm,
  toSimplifiedChinese,
} from './normalise.js';

describe('normaliseName', () => {
  it.each([
    ['full-width brackets', '北京小米科技有限责任公司（海淀）', '北京小米科技有限责任公司(海淀)'],
    ['【】 brackets', '【测试】商行', '(测试)商行'],
    ['〔〕 brackets', '〔2021〕商行', '(2021)商行'],
    ['[] and full-width ［］ brackets', '[A]［B］', '(A)(B)'],
    ['ASCII spaces', ' 上海 浦东 发展银行 ', '上海浦东发展银行'],
    ['ideographic space U+3000', '张\u3000三', '张三'],
    ['tabs, NBSP and newlines', '张\t三\u00a0丰\n', '张三丰'],
    ['zero-width characters', '张\u200b三\ufeff', '张三'],
    ['full-width Latin and digits', 'ＡＢＣ１２３', 'ABC123'],
    ['Latin upper-cased', 'Zhang San', 'ZHANGSAN'],
    ['full-width Latin company form', 'ＡＢＣ　Ｃｏ．，Ｌｔｄ．', 'ABCCO.,LTD.'],
    ['traditional to simplified', '上海浦東發展銀行', '上海浦东发展银行'],
    ['Taiwan variants', '臺積電', '台积电'],
    ['Hong Kong variants', '滙豐銀行', '汇丰银行'],
    ['middle dot kept', '买买提·艾力', '买买提·艾力'],
    ['bullet to middle dot', '买买提•艾力', '买买提·艾力'],
    ['katakana dot to middle dot', '买买提・艾力', '买买提·艾力'],
    ['half-width katakana dot', '买买提･艾力', '买买提·艾力'],
    ['full-width full stop between Chinese', '买买提．艾力', '买买提·艾力'],
    ['ASCII full stop between Chinese', '买买提.艾力', '买买提·艾力'],
    ['hyphenation point (Taiwan)', '買買提‧艾力', '买买提·艾力'],
    ['dot with spaces', '买买提 · 艾力', '买买提·艾力'],
    ['repeated and stray dots', '·买买提··艾力·', '买买提·艾力'],
    ['full stop between Latin letters stays', 'J.R. SMITH', 'J.R.SMITH'],
  ])('%s', (_label, raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });

  it.each([
    '北京小米科技有限责任公司（海淀）',
    '買買提‧艾力',
    'ＡＢＣ　Ｃｏ．，Ｌｔｄ．',
    ' 个体户 王小明 ',
  ])('is idempotent on %s', (raw) => {
    const once = normaliseName(raw);
    expect(normaliseName(once)).toBe(once);
  });

  it('reports traditional conversion', () => {
    expect(normaliseNameDetailed('張三').convertedTraditional).toBe(true);
    expect(normaliseNameDetailed('张三').convertedTraditional).toBe(false);
    expect(normaliseNameDetailed('John Smith').spaced).toBe('JOHN SMITH');
  });

  it.each([
    ['乾', '王乾'],
    ['於', '於丹'],
    ['昇', '王昇'],
  ])('keeps %s, a simplified character of its own in names', (_character, name) => {
    expect(toSimplifiedChinese(name)).toBe(name);
  });
});

describe('stripCompanyForm', () => {
  it.each([
    ['北京小米科技有限责任公司', '北京小米科技', '有限责任公司'],
    ['中国平安财产保险股份有限公司', '中国平安财产保险', '股份有限公司'],
    ['深圳市腾讯计算机系统有限公司', '深圳市腾讯计算机系统', '有限公司'],
    ['中国石油化工集团公司', '中国石油化工集团', '公司'],
    ['XX集团有限公司', 'XX集团', '有限公司'],
    ['上海XX投资合伙企业（有限合伙）', '上海XX投资合伙企业', '(有限合伙)'],
    ['XX会计师事务所(特殊普通合伙)', 'XX会计师事务所', '(特殊普通合伙)'],
    ['XX咨询服务部（个人独资）', 'XX咨询服务部', '(个人独资)'],
    ['ABC Trading Co., Ltd.', 'ABCTRADING', 'LIMITED'],
    ['ABC Trading Limited', 'ABCTRADING', 'LIMITED'],
    ['Acme Inc.', 'ACME', 'INC'],
    ['张三五金店', '张三五金店', null],
    ['ZINC', 'ZINC', null],
  ])('%s → core %s, form %s', (name, core, form) => {
    const parts = stripCompanyForm(name);
    expect(parts.core).toBe(core);
    expect(parts.form).toBe(form);
    expect(parts.branch).toBeNull();
  });

  it.each([
    ['XX有限公司上海分公司', 'XX有限公司', '上海', '分公司', 'XX', '有限公司'],
    [
      '中国平安财产保险股份有限公司深圳分公司',
      '中国平安财产保险股份有限公司',
      '深圳',
      '分公司',
      '中国平安财产保险',
      '股份有限公司',
    ],
    ['招商银行深圳分行', '招商银行', '深圳', '分行', '招商银行', null],
    [
      '中国工商银行股份有限公司北京西单支行',
      '中国工商银行股份有限公司',
      '北京西单',
      '支行',
      '中国工商银行',
      '股份有限公司',
    ],
    ['上海华联超市南京路分店', '上海华联超市', '南京路', '分店', '上海华联超市', null],
  ])('%s is a branch of %s at %s', (name, head, location, marker, core, form) => {
    const parts = stripCompanyForm(name);
    expect(parts.branch).toEqual({ head, location, marker });
    expect(parts.core).toBe(core);
    expect(parts.form).toBe(form);
  });

  it('detects a branch whose head cannot be told apart', () => {
    expect(stripCompanyForm('XX分公司').branch).toEqual({
      marker: '分公司',
      head: null,
      location: null,
    });
  });
});

describe('parsePlaceholderName', () => {
  it.each([
    ['个体户王小明', '王小明'],
    ['个体工商户王小明', '王小明'],
    ['个体工商户：王小明', '王小明'],
    ['个体户(王小明)', '王小明'],
    ['王小明（个体工商户）', '王小明'],
    ['王小明(个体户)', '王小明'],
    ['王小明个体户', '王小明'],
    ['个体户欧阳小明', '欧阳小明'],
    ['个体户买买提·艾力', '买买提·艾力'],
  ])('%s carries %s', (name, person) => {
    expect(parsePlaceholderName(normaliseName(name))).toEqual({ person });
  });

  it.each(['***', '＊＊＊', '×××', 'XXX', '个体户', '个体工商户', '无', '个体户***'])(
    '%s carries no name',
    (name) => {
      expect(parsePlaceholderName(normaliseName(name))).toEqual({ person: null });
    },
  );

  it.each(['王小明', '王小明五金店', '个体户之家超市', '北京小米科技有限责任公司'])(
    '%s is not a placeholder',
    (name) => {
      expect(parsePlaceholderName(normaliseName(name))).toBeNull();
    },
  );
});

describe('looksLikeOrganisation', () => {
  it.each([
    ['北京小米科技有限责任公司', true],
    ['招商银行深圳分行', true],
    ['张三五金店', true],
    ['ABC TRADING LIMITED', true],
    ['张三', false],
    ['欧阳小明', false],
    ['买买提·艾力', false],
  ])('%s → %s', (name, expected) => {
    const { value, spaced } = normaliseNameDetailed(name);
    expect(looksLikeOrganisation(value, spaced)).toBe(expected);
  });
});
