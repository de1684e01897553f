/**
 * Comparing an account holder's name (户名) with the name it should be, with the three outcomes
 * of the UK Confirmation of Payee and the EU Verification of Payee: match, close match, no
 * match. Every outcome carries the reasons behind it as closed string codes the console
 * translates. Pure functions, no I/O.
 */
import { pinyin } from 'pinyin-pro';

import {
  FORM_MARK,
  isPersonLikeName,
  looksLikeOrganisation,
  looseNameKey,
  markCompanyForms,
  normaliseNameDetailed,
  parsePlaceholderName,
  splitBranchMarker,
  splitCompanyForm,
} from './normalise.js';
import type { NormalisedName } from './normalise.js';

export const NAME_MATCH_RESULTS = ['match', 'close_match', 'no_match'] as const;
export type NameMatchResult = (typeof NAME_MATCH_RESULTS)[number];

/**
 * Why a comparison came out as it did. Closed set: the console translates each code.
 *
 * - `exact`: identical as given.
 * - `normalised_equal`: identical once width, whitespace, brackets, dots, punctuation, case and
 *   traditional/simplified characters are normalised (→ match).
 * - `traditional_chinese`: traditional characters were converted to simplified to get the
 *   result (informational, always with another reason).
 * - `company_form_differs`: the same name with another company form (有限公司 / 有限责任公司 /
 *   股份有限公司) or with none on one side (→ close match).
 * - `branch_of_merchant`: one side is a branch (分公司, 分行…) of the other (→ close match).
 * - `pinyin_equal`: a person's name in pinyin (ZHANG SAN, Zhangsan, SAN ZHANG) spells the
 *   Chinese name, tones aside (→ close match).
 * - `placeholder_name`: a name was a 个体户 placeholder (个体户张三, 张三(个体工商户), ***), and the
 *   comparison used the person's name in it (or, for a name without one, the legal person's).
 * - `minor_difference`: one character differs, is missing or is extra in a long enough name
 *   (a typo, a similar-looking character) (→ close match).
 * - `word_order`: the same words in another order (JOHN SMITH / SMITH JOHN) (→ close match).
 * - `different_name`: none of the above (→ no match).
 */
export const NAME_MATCH_REASONS = [
  'exact',
  'normalised_equal',
  'traditional_chinese',
  'company_form_differs',
  'branch_of_merchant',
  'pinyin_equal',
  'placeholder_name',
  'minor_difference',
  'word_order',
  'different_name',
] as const;
export type NameMatchReason = (typeof NAME_MATCH_REASONS)[number];

export type NameKind = 'organisation' | 'person';

export interface MatchNamesInput {
  /** The account holder's name as the bank holds it. */
  accountName: string;
  /** The name the holder should have: the registered (licence) name or the legal person's. */
  expectedName: string;
  kind: NameKind;
}

export interface NameMatch {
  result: NameMatchResult;
  /** 0..1, 1 = identical. Results rank match > close_match > no_match whatever the score. */
  score: number;
  reasons: NameMatchReason[];
}

// ---------------------------------------------------------------------------------------------
// Thresholds and scores

/** Score of names identical as given. */
export const SCORE_EXACT = 1;
/** Score of names identical after normalisation. */
export const SCORE_NORMALISED_EQUAL = 0.98;
/** Score of a placeholder whose person's name is the other name (个体户王小明 / 王小明). */
export const SCORE_PLACEHOLDER = 0.95;
/** Score (or factor, combined with another difference) of a company form difference. */
export const SCORE_COMPANY_FORM_DIFFERS = 0.9;
/** Score (factor) of a pinyin spelling of a Chinese personal name. */
export const SCORE_PINYIN_EQUAL = 0.9;
/** Score of the same words in another order. */
export const SCORE_WORD_ORDER = 0.85;
/** Score (factor) of a branch and its head organisation. */
export const SCORE_BRANCH = 0.8;
/** Close matches score at most this (minor differences score their similarity, 1 − edits / length). */
export const MAX_CLOSE_MATCH_SCORE = 0.94;
/** Close matches score at least this, whatever differences combine. */
export const MIN_CLOSE_MATCH_SCORE = 0.6;
/** No matches score their similarity (1 − edits / length) times this, so always below a close match. */
export const NO_MATCH_SCORE_FACTOR = 0.5;

/**
 * A Chinese name (or a name mixing Chinese and other characters) differs only slightly when a
 * single character is substituted, missing or extra. Swapped characters count as two edits
 * and are not a minor difference: in Chinese a swap makes another name rather than a typo
 * (上海华联超市 and 上海联华超市 are two real, different supermarket chains).
 */
export const MINOR_DIFFERENCE_MAX_EDITS_CHINESE = 1;
/** …in a person's name of at least this many characters on both sides (欧阳小明). */
export const MINOR_DIFFERENCE_MIN_LENGTH_PERSON = 4;
/** …in an organisation's name of at least this many characters on both sides. */
export const MINOR_DIFFERENCE_MIN_LENGTH_ORGANISATION = 6;
/** …and the name left without its company form still has this many characters. */
export const MINOR_DIFFERENCE_MIN_CORE_LENGTH = 4;
/** A Latin name differs only slightly with at most this many edits (a swap counts as one)… */
export const MINOR_DIFFERENCE_MAX_EDITS_LATIN = 2;
/** …and a similarity (1 − edits / length) of at least this. */
export const MINOR_DIFFERENCE_MIN_SIMILARITY_LATIN = 0.85;
/** At most this many characters stand between a branch's head and its marker (深圳 in …深圳分行). */
export const MAX_BRANCH_LOCATION_LENGTH = 20;
/** A name without a company form matches a name with one only with a core this long. */
export const MIN_CORE_LENGTH_WITHOUT_FORM = 4;

// ---------------------------------------------------------------------------------------------
// Helpers

interface Analysed extends NormalisedName {
  /** {@link looseNameKey} of the value. */
  loose: string;
}

function analyse(raw: string): Analysed {
  const normalised = normaliseNameDetailed(raw);
  return { ...normalised, loose: looseNameKey(normalised.value) };
}

function analyseNormalised(value: string): Analysed {
  return {
    value,
    spaced: value,
    convertedTraditional: false,
    withoutConversion: value,
    loose: looseNameKey(value),
  };
}

function chars(text: string): string[] {
  return Array.from(text);
}

function length(text: string): number {
  return chars(text).length;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

function match(score: number, reasons: NameMatchReason[]): NameMatch {
  return { result: 'match', score: round(score), reasons };
}

function closeMatch(score: number, reasons: NameMatchReason[]): NameMatch {
  return {
    result: 'close_match',
    score: round(Math.min(Math.max(score, MIN_CLOSE_MATCH_SCORE), MAX_CLOSE_MATCH_SCORE)),
    reasons,
  };
}

function noMatch(similarity: number): NameMatch {
  return {
    result: 'no_match',
    score: round(Math.max(0, similarity) * NO_MATCH_SCORE_FACTOR),
    reasons: ['different_name'],
  };
}

/**
 * Edit distance between two strings of code points: substitutions, insertions, deletions and,
 * when `transpositions` is set, swaps of two adjacent characters (optimal string alignment).
 */
export function editDistance(a: string, b: string, transpositions = false): number {
  const x = chars(a);
  const y = chars(b);
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= y.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const above = rows[i - 1]?.[j] ?? Infinity;
      const diagonal = rows[i - 1]?.[j - 1] ?? Infinity;
      let best = Math.min(above + 1, (row[j - 1] ?? Infinity) + 1, diagonal + cost);
      if (transpositions && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? Infinity) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[x.length]?.[y.length] ?? Math.max(x.length, y.length);
}

/** 1 − edit distance / length of the longer string; 1 for two empty strings. */
function similarity(a: string, b: string, transpositions = false): number {
  const longest = Math.max(length(a), length(b));
  return longest === 0 ? 1 : 1 - editDistance(a, b, transpositions) / longest;
}

const LATIN_NAME = /^[A-Z][A-Z '.,·-]*$/u;
const CHINESE_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;

function withoutDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

function isLatin(name: Analysed): boolean {
  return LATIN_NAME.test(withoutDiacritics(name.spaced));
}

function isChinese(name: Analysed): boolean {
  return CHINESE_NAME.test(name.value);
}

function hasChinese(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/** Words of a name: Latin words, or the `·`-separated parts of a minority name. */
function words(name: Analysed): string[] {
  return withoutDiacritics(name.spaced)
    .split(/[\s,.·-]+/u)
    .filter((word) => word.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Pinyin

const readingsCache = new Map<string, readonly string[]>();

/** Tone-less readings of one character, every one pinyin-pro knows, with ü spelt v, u or yu. */
function readingsOf(character: string, preferred: string | undefined): readonly string[] {
  const key = `${character}|${preferred ?? ''}`;
  const cached = readingsCache.get(key);
  if (cached !== undefined) return cached;
  const all = new Set<string>();
  const add = (reading: string): void => {
    const lower = reading.toLowerCase();
    if (!/^[a-zü]+$/u.test(lower)) return;
    if (/[üv]/u.test(lower)) {
      for (const spelling of ['v', 'u', 'yu']) all.add(lower.replace(/[üv]/gu, spelling));
    } else {
      all.add(lower);
    }
  };
  if (preferred !== undefined) add(preferred);
  for (const reading of pinyin(character, { toneType: 'none', type: 'array', multiple: true })) {
    add(reading);
  }
  const readings = [...all];
  readingsCache.set(key, readings);
  return readings;
}

/** Whether the letters can be read as the characters in order, one reading each. */
function spells(letters: string, readings: readonly (readonly string[])[]): boolean {
  let positions = new Set<number>([0]);
  for (const options of readings) {
    const next = new Set<number>();
    for (const position of positions) {
      for (const reading of options) {
        if (letters.startsWith(reading, position)) next.add(position + reading.length);
      }
    }
    if (next.size === 0) return false;
    positions = next;
  }
  return positions.has(letters.length);
}

/**
 * Whether a Latin name is the pinyin of a Chinese personal name: tones and spacing aside, in
 * Chinese order or with the family name last (SAN ZHANG, FENG OUYANG), a minority name's parts
 * in either order. The family name reads as a surname (单 Shan, 曾 Zeng, 解 Xie, 仇 Qiu, 尉迟
 * Yuchi); any other reading of a polyphonic character is accepted too, since the bank's
 * transliteration may have picked it.
 */
function isPinyinOf(latin: Analysed, chinese: Analysed): boolean {
  const letters = withoutDiacritics(latin.spaced)
    .replace(/[^A-Z]/gu, '')
    .toLowerCase();
  if (letters.length === 0) return false;
  const parts = chinese.value.split('·');
  const name = parts.join('');
  const characters = chars(name);
  const preferred = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' });
  const aligned = preferred.length === characters.length;
  const readings = characters.map((character, index) =>
    readingsOf(character, aligned ? preferred[index] : undefined),
  );
  const orders: (readonly (readonly string[])[])[] = [readings];
  if (parts.length > 1) {
    // A minority name's parts in reverse order (艾力·买买提).
    const byPart: (readonly string[])[][] = [];
    let start = 0;
    for (const part of parts) {
      const end = start + length(part);
      byPart.push(readings.slice(start, end));
      start = end;
    }
    orders.push(byPart.reverse().flat());
  } else {
    // Family name (one or two characters) last.
    for (const surnameLength of [1, 2]) {
      if (characters.length > surnameLength) {
        orders.push([...readings.slice(surnameLength), ...readings.slice(0, surnameLength)]);
      }
    }
  }
  return orders.some((order) => spells(letters, order));
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/** A single-character (Chinese) or small (Latin) difference between two loose keys. */
function minorDifference(a: string, b: string, minLength: number): number | null {
  if (a === b) return null;
  if (Math.min(length(a), length(b)) < minLength) return null;
  if (hasChinese(a) || hasChinese(b)) {
    if (editDistance(a, b) > MINOR_DIFFERENCE_MAX_EDITS_CHINESE) return null;
    return similarity(a, b);
  }
  if (editDistance(a, b, true) > MINOR_DIFFERENCE_MAX_EDITS_LATIN) return null;
  const score = similarity(a, b, true);
  return score >= MINOR_DIFFERENCE_MIN_SIMILARITY_LATIN ? score : null;
}

function sameWordsInAnotherOrder(a: Analysed, b: Analysed): boolean {
  const x = words(a);
  const y = words(b);
  if (x.length < 2 || x.length !== y.length) return false;
  if (x.join(' ') === y.join(' ')) return false;
  return [...x].sort().join(' ') === [...y].sort().join(' ');
}

function comparePersons(a: Analysed, b: Analysed): NameMatch {
  const fallback = noMatch(similarity(a.loose, b.loose));
  if (looksLikeOrganisation(a.value, a.spaced) || looksLikeOrganisation(b.value, b.spaced)) {
    return fallback;
  }
  if (isLatin(a) && isChinese(b) && isPinyinOf(a, b)) {
    return closeMatch(SCORE_PINYIN_EQUAL, ['pinyin_equal']);
  }
  if (isLatin(b) && isChinese(a) && isPinyinOf(b, a)) {
    return closeMatch(SCORE_PINYIN_EQUAL, ['pinyin_equal']);
  }
  if (sameWordsInAnotherOrder(a, b)) return closeMatch(SCORE_WORD_ORDER, ['word_order']);
  const minor = minorDifference(a.loose, b.loose, MINOR_DIFFERENCE_MIN_LENGTH_PERSON);
  if (minor !== null) return closeMatch(minor, ['minor_difference']);
  return fallback;
}

/**
 * One side a branch of the other: the branch's name is the other name (or its core), a
 * location of a few characters, and a branch marker. Returns whether the forms differ too, or
 * null when neither is a branch of the other.
 */
function branchRelation(branch: Analysed, head: Analysed): { formDiffers: boolean } | null {
  const split = splitBranchMarker(branch.value);
  if (split === null || length(head.loose) < 4) return null;
  if (splitBranchMarker(head.value) !== null) return null;
  const body = looseNameKey(markCompanyForms(split.body));
  const headMarked = looseNameKey(markCompanyForms(head.value));
  const headCore = looseNameKey(markCompanyForms(splitCompanyForm(head.value, head.spaced).core));
  const plainPrefix = looseNameKey(split.body).startsWith(head.loose);
  const locationOf = (prefix: string): string | null => {
    if (!body.startsWith(prefix)) return null;
    const location = body.slice(prefix.length);
    return location.length > 0 && length(location) <= MAX_BRANCH_LOCATION_LENGTH ? location : null;
  };
  const afterHead = locationOf(headMarked);
  if (afterHead !== null && !afterHead.includes(FORM_MARK)) return { formDiffers: !plainPrefix };
  // The head without its form, with or without a form in the branch's name (招商银行深圳分行
  // against 招商银行股份有限公司, XX有限公司上海分公司 against XX).
  const afterCore = locationOf(headCore);
  if (afterCore === null) return null;
  const location = afterCore.startsWith(FORM_MARK) ? afterCore.slice(FORM_MARK.length) : afterCore;
  if (location.length === 0 || location.includes(FORM_MARK)) return null;
  return { formDiffers: true };
}

function compareOrganisations(a: Analysed, b: Analysed): NameMatch {
  const fallback = noMatch(similarity(a.loose, b.loose));
  const splitA = splitCompanyForm(a.value, a.spaced);
  const splitB = splitCompanyForm(b.value, b.spaced);
  const coreA = looseNameKey(splitA.core);
  const coreB = looseNameKey(splitB.core);
  const formsDiffer = splitA.form !== splitB.form;
  const oneWithoutForm = splitA.form === null || splitB.form === null;
  const withoutFormCoreIsSubstantial =
    !oneWithoutForm || length(splitA.form === null ? coreA : coreB) >= MIN_CORE_LENGTH_WITHOUT_FORM;

  // Latin abbreviations of the same form (LTD / LIMITED / CO., LTD.) are the same form.
  if (!formsDiffer && splitA.form !== null && coreA === coreB) {
    return match(SCORE_NORMALISED_EQUAL, ['normalised_equal']);
  }
  if (formsDiffer && coreA === coreB && withoutFormCoreIsSubstantial) {
    return closeMatch(SCORE_COMPANY_FORM_DIFFERS, ['company_form_differs']);
  }
  // Forms differing inside the name (XX有限公司上海分公司 / XX有限责任公司上海分公司).
  const markedA = looseNameKey(markCompanyForms(a.value));
  const markedB = looseNameKey(markCompanyForms(b.value));
  if (markedA === markedB) return closeMatch(SCORE_COMPANY_FORM_DIFFERS, ['company_form_differs']);

  const branch = branchRelation(a, b) ?? branchRelation(b, a);
  if (branch !== null) {
    return branch.formDiffers
      ? closeMatch(SCORE_BRANCH * SCORE_COMPANY_FORM_DIFFERS, [
          'branch_of_merchant',
          'company_form_differs',
        ])
      : closeMatch(SCORE_BRANCH, ['branch_of_merchant']);
  }

  // A short Chinese name against Latin letters: the pinyin of a person-like name (an individual
  // business registered under its operator's name) or of a trade name (华为 / HUAWEI).
  if (isLatin(a) && isChinese(b) && isPersonLikeName(b.value) && isPinyinOf(a, b)) {
    return closeMatch(SCORE_PINYIN_EQUAL, ['pinyin_equal']);
  }
  if (isLatin(b) && isChinese(a) && isPersonLikeName(a.value) && isPinyinOf(b, a)) {
    return closeMatch(SCORE_PINYIN_EQUAL, ['pinyin_equal']);
  }

  if (sameWordsInAnotherOrder(a, b) && !hasChinese(a.value)) {
    return closeMatch(SCORE_WORD_ORDER, ['word_order']);
  }

  const longEnough =
    Math.min(length(a.loose), length(b.loose)) >= MINOR_DIFFERENCE_MIN_LENGTH_ORGANISATION;
  if (longEnough && !formsDiffer) {
    const minor = minorDifference(markedA, markedB, MINOR_DIFFERENCE_MIN_CORE_LENGTH);
    if (minor !== null) return closeMatch(minor, ['minor_difference']);
  }
  if (longEnough && formsDiffer && withoutFormCoreIsSubstantial) {
    const minor = minorDifference(coreA, coreB, MINOR_DIFFERENCE_MIN_CORE_LENGTH);
    if (minor !== null) {
      return closeMatch(minor * SCORE_COMPANY_FORM_DIFFERS, [
        'company_form_differs',
        'minor_difference',
      ]);
    }
  }
  // A typo inside the company form itself (有限公司 / 有线公司).
  if (longEnough) {
    const minor = minorDifference(a.loose, b.loose, MINOR_DIFFERENCE_MIN_LENGTH_ORGANISATION);
    if (minor !== null) return closeMatch(minor, ['minor_difference']);
  }
  return fallback;
}

function compare(a: Analysed, b: Analysed, kind: NameKind, placeholders: boolean): NameMatch {
  if (a.value === b.value || a.loose === b.loose) {
    return match(SCORE_NORMALISED_EQUAL, ['normalised_equal']);
  }
  if (placeholders) {
    const placeholderA = parsePlaceholderName(a.value);
    const placeholderB = parsePlaceholderName(b.value);
    if (placeholderA !== null || placeholderB !== null) {
      if (placeholderA?.person === null || placeholderB?.person === null) {
        return noMatch(0);
      }
      const personA = placeholderA === null ? a : analyseNormalised(placeholderA.person);
      const personB = placeholderB === null ? b : analyseNormalised(placeholderB.person);
      const inner = compare(personA, personB, 'person', false);
      if (inner.result === 'no_match') return inner;
      if (inner.result === 'match') return match(SCORE_PLACEHOLDER, ['placeholder_name']);
      return closeMatch(inner.score * SCORE_PLACEHOLDER, ['placeholder_name', ...inner.reasons]);
    }
  }
  return kind === 'person' ? comparePersons(a, b) : compareOrganisations(a, b);
}

/**
 * Compares an account holder's name with the name it should be and answers match, close
 * match or no match, with a score and the reasons. `kind` says whose name is expected: an
 * organisation's (company forms and branches are understood) or a person's (pinyin spellings
 * are understood). Placeholder licence names of individual businesses (个体户张三) are compared
 * through the person's name in them.
 */
export function matchNames(input: MatchNamesInput): NameMatch {
  const { accountName, expectedName, kind } = input;
  const account = analyse(accountName);
  const expected = analyse(expectedName);
  if (account.loose.length === 0 || expected.loose.length === 0) return noMatch(0);
  // A name that says nothing (***, 个体户) matches nothing, not even itself.
  for (const side of [account, expected]) {
    if (parsePlaceholderName(side.value)?.person === null) return noMatch(0);
  }
  if (accountName === expectedName) return match(SCORE_EXACT, ['exact']);
  const outcome = compare(account, expected, kind, true);
  if (
    outcome.result !== 'no_match' &&
    (account.convertedTraditional || expected.convertedTraditional) &&
    looseNameKey(account.withoutConversion) !== looseNameKey(expected.withoutConversion)
  ) {
    outcome.reasons.push('traditional_chinese');
  }
  return outcome;
}

/** Ranks two outcomes: the better result first, then the higher score. */
export function compareNameMatches(a: NameMatch, b: NameMatch): number {
  const rank = (result: NameMatchResult): number => NAME_MATCH_RESULTS.indexOf(result);
  return rank(a.result) - rank(b.result) || b.score - a.score;
}
