/**
 * Normalising account-holder names (户名) and registered names before comparing them, and
 * taking them apart: company form (有限公司…), branch (分公司…), 个体户 placeholder. Pure
 * functions, no I/O; the traditional → simplified converter is built once at module load.
 */
import * as OpenCC from 'opencc-js/t2cn';

/**
 * opencc-js's declarations import `./core` without an extension, which NodeNext resolution
 * cannot follow, so its types come out unresolved; this is the signature it documents.
 */
type ConverterFactory = (options: { from: string; to: string }) => (text: string) => string;
const Converter = OpenCC.Converter as ConverterFactory;

// Hong Kong variants first, then Taiwan variants; both end in mainland simplified. Applied
// to both sides of every comparison, so any over-conversion is the same on both sides.
const hongKongToSimplified = Converter({ from: 'hk', to: 'cn' });
const taiwanToSimplified = Converter({ from: 'tw', to: 'cn' });

/**
 * Characters OpenCC converts that are standard simplified characters of their own in mainland
 * names (通用规范汉字表): 乾 qián (not 干), 於 the surname Yū (not 于), 著 zhù (not 着), 昇 and 陞
 * (names, not 升). Converting them would make 王乾 and 王干 the same person, so they are kept
 * as written. The cost: a traditional 乾洗 (dry cleaning) stays apart from 干洗.
 */
export const KEPT_IN_SIMPLIFIED = ['乾', '於', '著', '昇', '陞'] as const;
/** Private-use stand-ins that OpenCC leaves alone while the kept characters are hidden. */
const KEPT_STAND_INS = KEPT_IN_SIMPLIFIED.map((_, index) => String.fromCodePoint(0xe000 + index));

/** Traditional (Taiwan, Hong Kong or OpenCC standard) Chinese to mainland simplified. */
export function toSimplifiedChinese(text: string): string {
  let hidden = text;
  KEPT_IN_SIMPLIFIED.forEach((character, index) => {
    hidden = hidden.replaceAll(character, KEPT_STAND_INS[index] ?? character);
  });
  let converted = taiwanToSimplified(hongKongToSimplified(hidden));
  KEPT_STAND_INS.forEach((standIn, index) => {
    converted = converted.replaceAll(standIn, KEPT_IN_SIMPLIFIED[index] ?? standIn);
  });
  return converted;
}

/** The canonical separator of minority and foreign personal names (买买提·艾力). */
export const NAME_DOT = '·';

/**
 * Characters that are only ever a middle dot in a name: U+00B7, Greek ano teleia, bullet •,
 * hyphenation point ‧ (Taiwan), ∙, ⋅, katakana ・ and its half-width ･, ⸱, ꞏ, and the
 * Hangul araea ㆍ/ᆞ that Korean input methods type for a middle dot.
 */
const MIDDLE_DOTS = /[\u00B7\u0387\u2022\u2027\u2219\u22C5\u30FB\uFF65\u2E31\uA78F\u318D\u119E]/gu;
/**
 * Characters that are a middle dot only between two Chinese characters (买买提.艾力, full-width
 * ．, 。, hyphens). Between Latin letters they stay what they are (CO.,LTD).
 */
const HAN_SEPARATORS =
  /(?<=\p{Script=Han})\s*[.\uFF0E\uFE52\u3002\-\uFF0D\u2010-\u2015_]\s*(?=\p{Script=Han})/gu;
const OPENING_BRACKETS = /[[【〔〖〘⦅]/gu;
const CLOSING_BRACKETS = /[\]】〕〗〙⦆]/gu;
/** Whitespace of every kind (\s covers U+3000, U+00A0, U+FEFF and the U+2000 block). */
const WHITESPACE = /\s+/gu;
/** Invisible characters: controls and format characters (zero-width space, joiners, marks). */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/** The result of {@link normaliseNameDetailed}. */
export interface NormalisedName {
  /** The normalised name, without any whitespace. */
  value: string;
  /**
   * The normalised name with each run of whitespace kept as one space: Latin names keep their
   * word boundaries (`JOHN SMITH`) for token comparisons and Latin company forms.
   */
  spaced: string;
  /** Traditional characters were converted to simplified. */
  convertedTraditional: boolean;
  /** The same normalisation without traditional → simplified conversion (whitespace removed). */
  withoutConversion: string;
}

function tidyDots(text: string): string {
  return (
    text
      // A dot with spaces around it, or several dots in a row, is one dot.
      .replace(/\s*·[\s·]*/gu, NAME_DOT)
      // A dot next to a bracket or at either end separates nothing.
      .replace(/·(?=[()])|(?<=[()])·/gu, '')
      .replace(/^·+|·+$/gu, '')
  );
}

/**
 * Normalises a name and says what the normalisation did. See {@link normaliseName}.
 */
export function normaliseNameDetailed(raw: string): NormalisedName {
  let text = raw.replace(MIDDLE_DOTS, NAME_DOT).normalize('NFKC');
  // NFKC has turned full-width letters, digits, （）［］ and U+3000 into their ASCII forms.
  text = text
    .replace(OPENING_BRACKETS, '(')
    .replace(CLOSING_BRACKETS, ')')
    .replace(WHITESPACE, ' ')
    .replace(INVISIBLE, '')
    .replace(HAN_SEPARATORS, NAME_DOT);
  text = tidyDots(text).replace(/ {2,}/gu, ' ').trim();
  const unconverted = text.toUpperCase();
  const converted = toSimplifiedChinese(text).toUpperCase();
  return {
    value: converted.replace(/ /gu, ''),
    spaced: converted,
    convertedTraditional: converted !== unconverted,
    withoutConversion: unconverted.replace(/ /gu, ''),
  };
}

/**
 * Normalises a name for comparison: Unicode NFKC (full-width letters, digits and punctuation to
 * half-width), brackets （）【】〔〕［］[] to (), every kind of whitespace removed (U+3000
 * included), the middle-dot variants • ・ ･ ‧ (and ． . - between Chinese characters) to `·`,
 * which is kept because it separates the parts of minority and foreign personal names,
 * traditional characters to simplified (OpenCC hk/tw → cn), Latin letters upper-cased.
 */
export function normaliseName(raw: string): string {
  return normaliseNameDetailed(raw).value;
}

/**
 * The name with everything that is punctuation rather than name removed: dots, brackets,
 * commas, apostrophes, hyphens, slashes, and the diacritics of Latin letters (ZHĀNG → ZHANG).
 * Two names with the same loose key differ only in how they are written.
 */
export function looseNameKey(normalised: string): string {
  return normalised
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s·.,;:'"‘’“”()\-_/\\、，。]/gu, '');
}

// ---------------------------------------------------------------------------------------------
// Company forms and branches

/**
 * Company forms (组织形式) that can end a registered name, longest first so that 股份有限公司
 * is never read as 有限公司. Chinese forms are matched on the normalised name (brackets are
 * ASCII by then); Latin forms are normalised to one label each.
 *
 * 集团 is deliberately not part of any form: XX集团有限公司 and XX有限公司 are usually two legal
 * entities (a group and its subsidiary), and settling one's money to the other needs proof of a
 * fund relationship, so they must not pass as "the same name with another form".
 */
export const CHINESE_COMPANY_FORMS = [
  '(特殊普通合伙)',
  '(个人独资企业)',
  '股份有限公司',
  '有限责任公司',
  '(个人独资)',
  '(普通合伙)',
  '(有限合伙)',
  '有限公司',
  '股份公司',
  '公司',
] as const;

export const LATIN_COMPANY_FORMS = ['LIMITED', 'INC', 'LLC', 'CORPORATION', 'PLC'] as const;

export type CompanyForm =
  (typeof CHINESE_COMPANY_FORMS)[number] | (typeof LATIN_COMPANY_FORMS)[number];

/** Latin forms at the end of the spaced name; each needs a word boundary before it. */
const LATIN_FORM_PATTERNS: readonly (readonly [RegExp, (typeof LATIN_COMPANY_FORMS)[number]])[] = [
  [/(?:^|[\s.,])(?:CO(?:MPANY)?[\s.,]*)?(?:LTD|LIMITED)\.?$/u, 'LIMITED'],
  [/(?:^|[\s.,])(?:INC|INCORPORATED)\.?$/u, 'INC'],
  [/(?:^|[\s.,])(?:LLC|L\.L\.C)\.?$/u, 'LLC'],
  [/(?:^|[\s.,])(?:CORP|CORPORATION)\.?$/u, 'CORPORATION'],
  [/(?:^|[\s.,])PLC\.?$/u, 'PLC'],
];

/** Suffixes that make a name a branch of the organisation named before them, longest first. */
export const BRANCH_MARKERS = [
  '分公司',
  '分理处',
  '营业部',
  '办事处',
  '分店',
  '分行',
  '支行',
  '分部',
  '分厂',
  '分社',
  '分所',
  '分院',
] as const;

export type BranchMarker = (typeof BRANCH_MARKERS)[number];

export interface BranchInfo {
  marker: BranchMarker;
  /**
   * The head organisation (XX有限公司 in XX有限公司上海分公司), or null when it cannot be told
   * from the name alone (no company form or organisation word before the location).
   */
  head: string | null;
  /** What stands between the head and the marker (上海), or null when the head is unknown. */
  location: string | null;
}

export interface CompanyNameParts {
  /** The normalised name. */
  name: string;
  /**
   * The name without its trailing company form; for a branch whose head is known, the head's
   * name without its form (so a branch and its head have the same core).
   */
  core: string;
  /** The company form removed from the end of the name (or of the branch's head), if any. */
  form: CompanyForm | null;
  branch: BranchInfo | null;
}

/** Words that end the name of a head organisation in front of a branch's location. */
const HEAD_ORGANISATION_END =
  /^(.*(?:公司|银行|集团|企业|超市|商行|商场|酒店|饭店|宾馆|事务所|合作社|中心|医院|学校|\)))(.+)$/u;

/** Splits a trailing company form off an already normalised (whitespace-free) name. */
function splitChineseForm(name: string): { core: string; form: CompanyForm } | null {
  for (const form of CHINESE_COMPANY_FORMS) {
    if (!name.endsWith(form) || name.length === form.length) continue;
    const core = name.slice(0, -form.length);
    // XX分公司 is a branch, XX总公司 and XX子公司 name their status: none of them ends in a form.
    if (form === '公司' && /[分总子]$/u.test(core)) continue;
    return { core, form };
  }
  return null;
}

function splitLatinForm(spaced: string): { core: string; form: CompanyForm } | null {
  for (const [pattern, form] of LATIN_FORM_PATTERNS) {
    const found = pattern.exec(spaced);
    if (found === null) continue;
    const core = spaced
      .slice(0, found.index)
      .replace(/[\s.,]+$/u, '')
      .replace(/ /gu, '');
    if (core.length > 0) return { core, form };
  }
  return null;
}

/** Internal: the form split of a normalised name, Chinese first, then Latin. */
export function splitCompanyForm(
  value: string,
  spaced: string = value,
): { core: string; form: CompanyForm | null } {
  return splitChineseForm(value) ?? splitLatinForm(spaced) ?? { core: value, form: null };
}

/** Internal: the branch marker a normalised name ends with, and what stands before it. */
export function splitBranchMarker(value: string): { body: string; marker: BranchMarker } | null {
  for (const marker of BRANCH_MARKERS) {
    if (value.endsWith(marker) && value.length > marker.length) {
      return { body: value.slice(0, -marker.length), marker };
    }
  }
  return null;
}

/**
 * Takes a registered or account-holder name apart: its trailing company form (longest first:
 * 股份有限公司 before 有限公司, the partnership forms (普通合伙)/(有限合伙)/(特殊普通合伙), (个人独资),
 * and the Latin LIMITED/LTD/CO.,LTD., INC, LLC, CORP, PLC) and, when it ends in 分公司, 分店,
 * 分行, 支行, 营业部…, the branch: XX有限公司上海分公司 is a branch of XX有限公司 at 上海. The
 * name is normalised first; every string returned is normalised.
 */
export function stripCompanyForm(name: string): CompanyNameParts {
  const normalised = normaliseNameDetailed(name);
  const value = normalised.value;
  const branch = splitBranchMarker(value);
  if (branch !== null) {
    const parsed = HEAD_ORGANISATION_END.exec(branch.body);
    const head = parsed?.[1];
    const location = parsed?.[2];
    if (head !== undefined && location !== undefined) {
      const { core, form } = splitCompanyForm(head);
      return { name: value, core, form, branch: { marker: branch.marker, head, location } };
    }
    return {
      name: value,
      core: value,
      form: null,
      branch: { marker: branch.marker, head: null, location: null },
    };
  }
  const { core, form } = splitCompanyForm(value, normalised.spaced);
  return { name: value, core, form, branch: null };
}

/**
 * Replaces each Chinese company form inside a normalised name (not only at its end: XX有限公司
 * 上海分公司) with one mark, so that names differing only in their forms become equal. 公司 on
 * its own is not replaced here: it is also the end of 分公司.
 */
export const FORM_MARK = '§';
const INNER_FORMS =
  /\((?:特殊普通合伙|个人独资企业|个人独资|普通合伙|有限合伙)\)|股份有限公司|有限责任公司|有限公司/gu;

export function markCompanyForms(value: string): string {
  return value.replace(INNER_FORMS, FORM_MARK);
}

// ---------------------------------------------------------------------------------------------
// Persons and 个体户 placeholders

/**
 * Whether a normalised name can be a person's name: 2 to 4 Chinese characters (a compound
 * surname included), a minority or foreign name of Chinese parts joined by `·`, or Latin words.
 */
export function isPersonLikeName(value: string): boolean {
  return (
    /^\p{Script=Han}{2,4}$/u.test(value) ||
    /^\p{Script=Han}+(?:·\p{Script=Han}+)+$/u.test(value) ||
    /^[A-Z]+(?:[ '.\-·][A-Z]+)*$/u.test(looseLatin(value))
  );
}

function looseLatin(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * Whether a normalised name reads as an organisation rather than a person: a company form, a
 * branch, or a word that only organisations' names contain or end with. Pass the spaced form
 * too (see {@link NormalisedName}) for Latin company forms to be seen.
 */
export function looksLikeOrganisation(value: string, spaced: string = value): boolean {
  if (splitCompanyForm(value, spaced).form !== null || splitBranchMarker(value) !== null) {
    return true;
  }
  if (
    /公司|集团|企业|银行|商行|商店|商场|超市|经营部|门市部|工作室|合作社|事务所|中心|酒店|饭店|餐厅|宾馆|有限|合伙|个体|厂$/u.test(
      value,
    )
  ) {
    return true;
  }
  // A one-character trade word at the end of a name longer than most persons' names (五金店).
  return Array.from(value).length >= 5 && /[店行部社所馆坊院场站铺]$/u.test(value);
}

/** Words that stand for 个体工商户 in a placeholder licence name. */
const PLACEHOLDER_WORD = '(?:个体工商户|个体经营户|个体经营者|个体户|个体)';
const PLACEHOLDER_PREFIX = new RegExp(`^${PLACEHOLDER_WORD}[:\\-_·]?(.*)$`, 'u');
const PLACEHOLDER_SUFFIX = new RegExp(`^(.*?)\\(?${PLACEHOLDER_WORD}\\)?$`, 'u');
/** Names that say nothing: masks (***, ×××, XXX) and words for "none". */
const NAME_WITHOUT_CONTENT =
  /^(?:[*×X#?？\-_/.·]+|无|空|暂无|无字号|无名称|未命名|NULL|NONE|N\/?A)$/u;

export interface PlaceholderName {
  /** The person's name the placeholder carries (王小明 in 个体户王小明), or null (`***`). */
  person: string | null;
}

/**
 * Recognises the placeholder names individual businesses without a trade name (字号) are
 * registered under: 个体户王小明, 个体工商户:王小明, 王小明(个体工商户), 王小明个体户, `***`,
 * ×××, 个体户 on its own. Takes a normalised name; returns null when the name is a real one.
 */
export function parsePlaceholderName(value: string): PlaceholderName | null {
  if (NAME_WITHOUT_CONTENT.test(value)) return { person: null };
  const inner = PLACEHOLDER_PREFIX.exec(value)?.[1] ?? PLACEHOLDER_SUFFIX.exec(value)?.[1];
  if (inner === undefined) return null;
  const person = inner.replace(/^\((.*)\)$/u, '$1');
  if (person === '' || NAME_WITHOUT_CONTENT.test(person)) return { person: null };
  return isPersonLikeName(person) && !looksLikeOrganisation(person) ? { person } : null;
}
