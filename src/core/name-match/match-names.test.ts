import { describe, expect, it } from 'vitest';

import {
  MIN_CLOSE_MATCH_SCORE,
  NAME_MATCH_REASONS,
  SCORE_EXACT,
  compareNameMatches,
  editDistance,
  matchNames,
} from './match-names.js';
import type { NameKind, NameMatch, NameMatchReason, NameMatchResult } from './match-names.js';

type Row = readonly [
  accountName: string,
  expectedName: string,
  kind: NameKind,
  result: NameMatchResult,
  reasons: readonly NameMatchReason[],
];

function check([accountName, expectedName, kind, result, reasons]: Row): void {
  const outcome = matchNames({ accountName, expectedName, kind });
  expect(outcome.result).toBe(result);
  expect(outcome.reasons).toEqual(reasons);
  expect(outcome.score).toBeGreaterThanOrEqual(0);
  expect(outcome.score).toBeLessThanOrEqual(1);
  if (result === 'no_match') expect(outcome.score).toBeLessThan(MIN_CLOSE_MATCH_SCORE);
  else expect(outcome.score).toBeGreaterThanOrEqual(MIN_CLOSE_MATCH_SCORE);
  // The comparison is symmetric.
  const reverse = matchNames({ accountName: expectedName, expectedName: accountName, kind });
  expect(reverse.result).toBe(result);
}

describe('matchNames: identical and normalised names', () => {
  it.each<Row>([
    ['张三', '张三', 'person', 'match', ['exact']],
    ['北京小米科技有限责任公司', '北京小米科技有限责任公司', 'organisation', 'match', ['exact']],
    [
      '北京小米科技有限责任公司（海淀）',
      '北京小米科技有限责任公司(海淀)',
      'organisation',
      'match',
      ['normalised_equal'],
    ],
    [
      '阿里巴巴（中国）网络技术有限公司',
      '阿里巴巴【中国】网络技术有限公司',
      'organisation',
      'match',
      ['normalised_equal'],
    ],
    ['张 三', '张三', 'person', 'match', ['normalised_equal']],
    ['张\u3000三', '张三', 'person', 'match', ['normalised_equal']],
    [
      ' 北京小米科技 有限责任公司 ',
      '北京小米科技有限责任公司',
      'organisation',
      'match',
      ['normalised_equal'],
    ],
    ['ＺＨＡＮＧ　ＳＡＮ', 'zhang san', 'person', 'match', ['normalised_equal']],
    ['John Smith', 'JOHN  SMITH', 'person', 'match', ['normalised_equal']],
    ['Zhāng Sān', 'ZHANG SAN', 'person', 'match', ['normalised_equal']],
    ['ABC Trading Co., Ltd.', 'ABC TRADING LIMITED', 'organisation', 'match', ['normalised_equal']],
    [
      '上海浦東發展銀行',
      '上海浦东发展银行',
      'organisation',
      'match',
      ['normalised_equal', 'traditional_chinese'],
    ],
    ['台積電', '台积电', 'organisation', 'match', ['normalised_equal', 'traditional_chinese']],
    ['臺積電', '台积电', 'organisation', 'match', ['normalised_equal', 'traditional_chinese']],
    [
      '台灣積體電路製造股份有限公司',
      '台湾积体电路制造股份有限公司',
      'organisation',
      'match',
      ['normalised_equal', 'traditional_chinese'],
    ],
    [
      '滙豐銀行(中國)有限公司',
      '汇丰银行（中国）有限公司',
      'organisation',
      'match',
      ['normalised_equal', 'traditional_chinese'],
    ],
    ['張三', '张三', 'person', 'match', ['normalised_equal', 'traditional_chinese']],
    // Both sides traditional and equal once normalised: the conversion did not matter.
    ['張 三', '張三', 'person', 'match', ['normalised_equal']],
    ['买买提·艾力', '买买提•艾力', 'person', 'match', ['normalised_equal']],
    ['买买提·艾力', '买买提・艾力', 'person', 'match', ['normalised_equal']],
    ['买买提·艾力', '买买提．艾力', 'person', 'match', ['normalised_equal']],
    // Bank systems that cannot store the middle dot drop it or type a full stop.
    ['买买提艾力', '买买提·艾力', 'person', 'match', ['normalised_equal']],
    ['买买提.艾力', '买买提·艾力', 'person', 'match', ['normalised_equal']],
  ])('%s / %s (%s) → %s', (...row) => {
    check(row);
  });

  it('scores exact as 1', () => {
    expect(matchNames({ accountName: '张三', expectedName: '张三', kind: 'person' }).score).toBe(
      SCORE_EXACT,
    );
  });
});

describe('matchNames: organisations', () => {
  it.each<Row>([
    // Company forms.
    [
      '北京小米科技有限公司',
      '北京小米科技有限责任公司',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      '北京小米科技股份有限公司',
      '北京小米科技有限公司',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      '北京小米科技股份有限公司',
      '北京小米科技有限责任公司',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      '北京小米科技',
      '北京小米科技有限责任公司',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      '中国石油化工集团公司',
      '中国石油化工集团有限公司',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      '上海XX投资合伙企业（有限合伙）',
      '上海XX投资合伙企业(普通合伙)',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    [
      'ABC TRADING INC.',
      'ABC TRADING LIMITED',
      'organisation',
      'close_match',
      ['company_form_differs'],
    ],
    // A group and its subsidiary are two legal entities.
    ['深圳XX集团有限公司', '深圳XX有限公司', 'organisation', 'no_match', ['different_name']],
    // Branches.
    [
      '中国平安财产保险股份有限公司深圳分公司',
      '中国平安财产保险股份有限公司',
      'organisation',
      'close_match',
      ['branch_of_merchant'],
    ],
    [
      '中国工商银行股份有限公司北京西单支行',
      '中国工商银行股份有限公司',
      'organisation',
      'close_match',
      ['branch_of_merchant'],
    ],
    [
      '上海拉扎斯信息科技有限公司北京分公司',
      '上海拉扎斯信息科技有限公司',
      'organisation',
      'close_match',
      ['branch_of_merchant'],
    ],
    [
      '招商银行深圳分行',
      '招商银行股份有限公司',
      'organisation',
      'close_match',
      ['branch_of_merchant', 'company_form_differs'],
    ],
    [
      '北京XX餐饮管理有限责任公司朝阳分店',
      '北京XX餐饮管理有限公司',
      'organisation',
      'close_match',
      ['branch_of_merchant', 'company_form_differs'],
    ],
    // Two branches of one company are not each other's branch.
    [
      '中国平安财产保险股份有限公司深圳分公司',
      '中国平安财产保险股份有限公司广州分公司',
      'organisation',
      'no_match',
      ['different_name'],
    ],
    // A branch of another organisation whose name starts the same way.
    ['上海华联超市有限公司南京路分店', '上海华联', 'organisation', 'no_match', ['different_name']],
    // Branch of another bank.
    [
      '中国工商银行股份有限公司北京分行',
      '中国建设银行股份有限公司',
      'organisation',
      'no_match',
      ['different_name'],
    ],
    // One-character typos in long names.
    [
      '北京小米科技有限责任公司',
      '北京小米料技有限责任公司',
      'organisation',
      'close_match',
      ['minor_difference'],
    ],
    [
      '深圳市腾讯计算机系统有限公司',
      '深圳市腾迅计算机系统有限公司',
      'organisation',
      'close_match',
      ['minor_difference'],
    ],
    [
      '深圳市腾讯计算机系统有限公司',
      '深圳市腾讯计算机统有限公司',
      'organisation',
      'close_match',
      ['minor_difference'],
    ],
    [
      '北京小米科技有限公司',
      '北京小米料技有限责任公司',
      'organisation',
      'close_match',
      ['company_form_differs', 'minor_difference'],
    ],
    [
      '北京小米科技有限责任公司',
      '北京小米科技有限责仼公司',
      'organisation',
      'close_match',
      ['minor_difference'],
    ],
    [
      '北京小米科技有限公司',
      '北京小米科技有线公司',
      'organisation',
      'close_match',
      ['minor_difference'],
    ],
    // Swapped characters make another trade name: 华联 and 联华 are two real Shanghai chains.
    [
      '上海华联超市有限公司',
      '上海联华超市有限公司',
      'organisation',
      'no_match',
      ['different_name'],
    ],
    // Two differences are not a minor one.
    [
      '上海华联超市有限公司',
      '上海华东商场有限公司',
      'organisation',
      'no_match',
      ['different_name'],
    ],
    // Too short for a one-character difference to be a typo.
    ['华联超市', '华东超市', 'organisation', 'no_match', ['different_name']],
    // Unrelated organisations, and a person against an organisation.
    [
      '北京京东世纪贸易有限公司',
      '北京小米科技有限责任公司',
      'organisation',
      'no_match',
      ['different_name'],
    ],
    ['中国工商银行', '中国建设银行', 'organisation', 'no_match', ['different_name']],
    ['张三', '北京小米科技有限责任公司', 'organisation', 'no_match', ['different_name']],
    ['张三', '张三有限公司', 'organisation', 'no_match', ['different_name']],
    ['HUAWEI', '华为', 'organisation', 'close_match', ['pinyin_equal']],
  ])('%s / %s (%s) → %s', (...row) => {
    check(row);
  });

  it('scores a branch below a company form difference, and both below a match', () => {
    const form = matchNames({
      accountName: '北京小米科技有限公司',
      expectedName: '北京小米科技有限责任公司',
      kind: 'organisation',
    });
    const branch = matchNames({
      accountName: '北京小米科技有限责任公司上海分公司',
      expectedName: '北京小米科技有限责任公司',
      kind: 'organisation',
    });
    expect(form.score).toBeCloseTo(0.9);
    expect(branch.score).toBeLessThan(form.score);
  });
});

describe('matchNames: persons', () => {
  it.each<Row>([
    // Pinyin, in every usual spelling.
    ['ZHANG SAN', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['zhang san', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['Zhang San', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['Zhangsan', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['ZHANG-SAN', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['Zhāng Sān', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['SAN ZHANG', '张三', 'person', 'close_match', ['pinyin_equal']],
    ['ZHANG SANFENG', '张三丰', 'person', 'close_match', ['pinyin_equal']],
    ['SANFENG ZHANG', '张三丰', 'person', 'close_match', ['pinyin_equal']],
    ['ZHANG SAN', '張三', 'person', 'close_match', ['pinyin_equal', 'traditional_chinese']],
    // Compound surnames.
    ['OUYANG FENG', '欧阳锋', 'person', 'close_match', ['pinyin_equal']],
    ['FENG OUYANG', '欧阳锋', 'person', 'close_match', ['pinyin_equal']],
    ['Ouyang Xiaoming', '欧阳小明', 'person', 'close_match', ['pinyin_equal']],
    ['SIMA GUANG', '司马光', 'person', 'close_match', ['pinyin_equal']],
    ['GUANG SIMA', '司马光', 'person', 'close_match', ['pinyin_equal']],
    ['ZHUGE LIANG', '诸葛亮', 'person', 'close_match', ['pinyin_equal']],
    ['YUCHI GONG', '尉迟恭', 'person', 'close_match', ['pinyin_equal']],
    // Polyphonic surnames read as surnames.
    ['SHAN XIONGXIN', '单雄信', 'person', 'close_match', ['pinyin_equal']],
    ['ZENG GUOFAN', '曾国藩', 'person', 'close_match', ['pinyin_equal']],
    ['XIE JIN', '解缙', 'person', 'close_match', ['pinyin_equal']],
    ['QIU YING', '仇英', 'person', 'close_match', ['pinyin_equal']],
    ['PIAO SHU', '朴树', 'person', 'close_match', ['pinyin_equal']],
    ['ZHA LIANGYONG', '查良镛', 'person', 'close_match', ['pinyin_equal']],
    ['OU ZHIWEI', '区志伟', 'person', 'close_match', ['pinyin_equal']],
    // A bank's naive transliteration of the same characters still spells them.
    ['DAN XIONGXIN', '单雄信', 'person', 'close_match', ['pinyin_equal']],
    // ü written v, u or yu.
    ['LV BU', '吕布', 'person', 'close_match', ['pinyin_equal']],
    ['LYU BU', '吕布', 'person', 'close_match', ['pinyin_equal']],
    ['LU BU', '吕布', 'person', 'close_match', ['pinyin_equal']],
    // Minority names.
    ['MAIMAITI AILI', '买买提·艾力', 'person', 'close_match', ['pinyin_equal']],
    ['艾力·买买提', '买买提·艾力', 'person', 'close_match', ['word_order']],
    // Pinyin of another name, or a misspelt pinyin.
    ['LI SI', '张三', 'person', 'no_match', ['different_name']],
    ['ZHANG SHAN', '张三', 'person', 'no_match', ['different_name']],
    ['ZHANG SAN', '张三丰', 'person', 'no_match', ['different_name']],
    // Cantonese or Wade-Giles romanisations are not pinyin.
    ['CHEUNG SAN', '张三', 'person', 'no_match', ['different_name']],
    // Latin names.
    ['JOHN SMITH', 'SMITH JOHN', 'person', 'close_match', ['word_order']],
    ['SMITH, JOHN', 'John Smith', 'person', 'close_match', ['word_order']],
    ['JON SMITH', 'JOHN SMITH', 'person', 'close_match', ['minor_difference']],
    ['JOHN SMIHT', 'JOHN SMITH', 'person', 'close_match', ['minor_difference']],
    ['JOHN SMITH', 'JANE SMYTHE', 'person', 'no_match', ['different_name']],
    // Chinese names: one character in four or more is a minor difference, in three it is
    // another person.
    ['欧阳小明', '欧阳晓明', 'person', 'close_match', ['minor_difference']],
    ['王小明', '王晓明', 'person', 'no_match', ['different_name']],
    ['王小明', '王小', 'person', 'no_match', ['different_name']],
    // 乾 and 於 are simplified characters of their own, not traditional 干 and 于.
    ['王乾', '王干', 'person', 'no_match', ['different_name']],
    ['於丹', '于丹', 'person', 'no_match', ['different_name']],
    // Unrelated.
    ['张三', '李四', 'person', 'no_match', ['different_name']],
    ['张三', '张四', 'person', 'no_match', ['different_name']],
    // A person against an organisation.
    ['张三', '北京小米科技有限责任公司', 'person', 'no_match', ['different_name']],
    ['欧阳小明', '欧阳小明店', 'person', 'no_match', ['different_name']],
    ['王小明', '王小明五金店', 'person', 'no_match', ['different_name']],
    ['ZHANG SAN', 'ZHANG SAN TRADING LIMITED', 'person', 'no_match', ['different_name']],
  ])('%s / %s (%s) → %s', (...row) => {
    check(row);
  });
});

describe('matchNames: 个体户 placeholders', () => {
  it.each<Row>([
    ['王小明', '个体户王小明', 'organisation', 'match', ['placeholder_name']],
    ['王小明', '个体工商户王小明', 'organisation', 'match', ['placeholder_name']],
    ['王小明', '王小明（个体工商户）', 'organisation', 'match', ['placeholder_name']],
    ['王小明', '个体户王小明', 'person', 'match', ['placeholder_name']],
    ['个体户王小明', '王小明(个体工商户)', 'organisation', 'match', ['placeholder_name']],
    [
      'WANG XIAOMING',
      '个体户王小明',
      'organisation',
      'close_match',
      ['placeholder_name', 'pinyin_equal'],
    ],
    [
      '個體戶王小明',
      '王小明',
      'organisation',
      'match',
      ['placeholder_name', 'traditional_chinese'],
    ],
    [
      '欧阳晓明',
      '个体户欧阳小明',
      'organisation',
      'close_match',
      ['placeholder_name', 'minor_difference'],
    ],
    // The person in the placeholder is someone else.
    ['王晓明', '个体户王小明', 'organisation', 'no_match', ['different_name']],
    ['李四', '个体户王小明', 'organisation', 'no_match', ['different_name']],
    // A name that says nothing matches nothing, not even itself.
    ['王小明', '***', 'organisation', 'no_match', ['different_name']],
    ['***', '***', 'organisation', 'no_match', ['different_name']],
    ['王小明', '个体户', 'organisation', 'no_match', ['different_name']],
  ])('%s / %s (%s) → %s', (...row) => {
    check(row);
  });
});

describe('matchNames: blank names', () => {
  it.each([
    ['', '张三'],
    ['张三', ''],
    ['   ', '张三'],
    ['\u3000', '\u3000'],
    ['', ''],
    ['·', '张三'],
  ])('%j / %j → no_match', (accountName, expectedName) => {
    for (const kind of ['person', 'organisation'] as const) {
      expect(matchNames({ accountName, expectedName, kind })).toEqual({
        result: 'no_match',
        score: 0,
        reasons: ['different_name'],
      });
    }
  });
});

describe('matchNames: reasons and scores', () => {
  it('uses only the published reason codes', () => {
    const outcome = matchNames({
      accountName: '招商銀行深圳分行',
      expectedName: '招商银行股份有限公司',
      kind: 'organisation',
    });
    expect(outcome.reasons).toEqual([
      'branch_of_merchant',
      'company_form_differs',
      'traditional_chinese',
    ]);
    for (const reason of outcome.reasons) expect(NAME_MATCH_REASONS).toContain(reason);
  });

  it('ranks match above close match above no match', () => {
    const ranked: NameMatch[] = [
      { result: 'no_match', score: 0.4, reasons: ['different_name'] },
      { result: 'close_match', score: 0.7, reasons: ['branch_of_merchant'] },
      { result: 'match', score: 0.95, reasons: ['placeholder_name'] },
      { result: 'close_match', score: 0.9, reasons: ['pinyin_equal'] },
    ];
    const sorted = [...ranked].sort(compareNameMatches).map((outcome) => outcome.score);
    expect(sorted).toEqual([0.95, 0.9, 0.7, 0.4]);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', false, 0],
    ['华联', '联华', false, 2],
    ['华联', '联华', true, 1],
    ['SMITH', 'SMIHT', true, 1],
    ['张三', '张三丰', false, 1],
    ['𠀋一', '𠀋二', false, 1],
  ])('%s / %s (swaps: %s) → %d', (a, b, transpositions, expected) => {
    expect(editDistance(a, b, transpositions)).toBe(expected);
  });
});
