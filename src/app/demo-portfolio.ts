/**
 * A demo portfolio: a deterministic, realistic-looking set of Chinese merchants with their POS
 * terminals and settlement accounts, for demos, docs and tests. Every identifier is well formed
 * (valid check characters, real administrative division codes and card BINs); the people and
 * companies are made up. About 5% of the records carry deliberate faults, listed in `faults`.
 *
 * Merchant numbers have the shape of UnionPay merchant codes: 898, the 4-digit city code, the MCC
 * and a 4-digit sequence number. Not real: the CNAPS codes (right bank class and city code, made-up
 * branch number), the corporate account numbers (bank-like lengths only), the merchant, terminal
 * and serial numbers, and the mobile numbers (random, so any may happen to be someone's).
 */
import { BIN_TABLE, type BinTableRow } from '../core/bins/bin-table.data.js';
import { lookupBin } from '../core/bins/bins.js';
import {
  USCC_ALPHABET,
  chinaDate,
  luhnComplete,
  makeOrganisationCode,
  makeResidentId,
  makeUscc,
} from '../core/identifiers/index.js';
import type { ImportRecord, MerchantType } from '../core/registry.js';

export interface DemoPortfolioOptions {
  /** Any number; the same seed (and `today`) gives the same portfolio. */
  seed: number;
  /** Number of merchants, 1 to 9999; 300 by default. Faults are only planted from 40 up. */
  size?: number;
  /** Birth dates of legal persons are drawn so that they are 22 to 65 years old on this day. */
  today: Date;
}

/** The merchant numbers of the planted faults, and of the records that only look like faults. */
export interface DemoFaults {
  /** Accounts named after an unrelated person or company. */
  mismatchedHolder: string[];
  /**
   * Three unrelated merchants settling to one and the same personal card. The first is the
   * card holder's own merchant; the other two declare the card under their own legal person's
   * name, so each record looks right on its own.
   */
  sharedAccount: string[];
  /** Accounts imported with `status: 'pending_verification'`. */
  unverifiedAccount: string[];
  /** Personal cards declared (bank name and CNAPS code) as another bank than their BIN's. */
  binBankMismatch: string[];
  /** Not a fault: holder names in traditional characters (上海浦東餐飲管理有限公司). */
  traditionalHolderName: string[];
  /** Not a fault: holder names that differ from the licence name only by bracket width. */
  bracketHolderName: string[];
}

export interface DemoPortfolio {
  records: ImportRecord[];
  faults: DemoFaults;
}

/** Mulberry32: a tiny, good-enough 32-bit PRNG, deterministic from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(private readonly random: () => number) {}

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) {
      throw new RangeError('pick from an empty list');
    }
    return item;
  }

  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0);
    let roll = this.random() * total;
    for (const item of items) {
      roll -= item.weight;
      if (roll < 0) {
        return item;
      }
    }
    return this.pick(items);
  }

  /** One character of `chars` (ASCII). */
  char(chars: string): string {
    return chars.charAt(this.int(0, chars.length - 1));
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i += 1) {
      out += String(this.int(0, 9));
    }
    return out;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.int(0, i);
      const a = out[i];
      const b = out[j];
      if (a !== undefined && b !== undefined) {
        out[i] = b;
        out[j] = a;
      }
    }
    return out;
  }
}

interface District {
  name: string;
  /** GB/T 2260 administrative division code. */
  code: string;
}

interface City {
  /** Short name, as used in company names: 上海, 杭州. */
  name: string;
  /** The province prefix of a postal address, empty for the municipalities. */
  province: string;
  /** The 4-digit city code used in CNAPS bank codes and UnionPay merchant numbers. */
  cityCode: string;
  /** A city commercial bank of the city, when the BIN table has one. */
  localBank?: string;
  weight: number;
  districts: readonly District[];
}

const CITIES: readonly City[] = [
  {
    name: '上海',
    province: '',
    cityCode: '2900',
    localBank: '上海银行',
    weight: 14,
    districts: [
      { name: '浦东新区', code: '310115' },
      { name: '徐汇区', code: '310104' },
      { name: '静安区', code: '310106' },
      { name: '黄浦区', code: '310101' },
    ],
  },
  {
    name: '北京',
    province: '',
    cityCode: '1000',
    localBank: '北京银行',
    weight: 12,
    districts: [
      { name: '朝阳区', code: '110105' },
      { name: '海淀区', code: '110108' },
      { name: '东城区', code: '110101' },
      { name: '西城区', code: '110102' },
    ],
  },
  {
    name: '天津',
    province: '',
    cityCode: '1100',
    weight: 4,
    districts: [
      { name: '和平区', code: '120101' },
      { name: '南开区', code: '120104' },
    ],
  },
  {
    name: '重庆',
    province: '',
    cityCode: '6530',
    localBank: '重庆银行',
    weight: 6,
    districts: [
      { name: '渝中区', code: '500103' },
      { name: '江北区', code: '500105' },
      { name: '南岸区', code: '500108' },
    ],
  },
  {
    name: '杭州',
    province: '浙江省',
    cityCode: '3310',
    localBank: '杭州银行',
    weight: 8,
    districts: [
      { name: '西湖区', code: '330106' },
      { name: '上城区', code: '330102' },
      { name: '拱墅区', code: '330105' },
    ],
  },
  {
    name: '南京',
    province: '江苏省',
    cityCode: '3010',
    localBank: '南京银行',
    weight: 6,
    districts: [
      { name: '鼓楼区', code: '320106' },
      { name: '玄武区', code: '320102' },
      { name: '秦淮区', code: '320104' },
    ],
  },
  {
    name: '苏州',
    province: '江苏省',
    cityCode: '3050',
    localBank: '江苏银行',
    weight: 5,
    districts: [
      { name: '姑苏区', code: '320508' },
      { name: '吴中区', code: '320506' },
    ],
  },
  {
    name: '广州',
    province: '广东省',
    cityCode: '5810',
    weight: 9,
    districts: [
      { name: '天河区', code: '440106' },
      { name: '越秀区', code: '440104' },
      { name: '海珠区', code: '440105' },
    ],
  },
  {
    name: '深圳',
    province: '广东省',
    cityCode: '5840',
    weight: 9,
    districts: [
      { name: '南山区', code: '440305' },
      { name: '福田区', code: '440304' },
      { name: '罗湖区', code: '440303' },
    ],
  },
  {
    name: '成都',
    province: '四川省',
    cityCode: '6510',
    localBank: '成都银行',
    weight: 6,
    districts: [
      { name: '武侯区', code: '510107' },
      { name: '锦江区', code: '510104' },
      { name: '青羊区', code: '510105' },
    ],
  },
  {
    name: '武汉',
    province: '湖北省',
    cityCode: '5210',
    weight: 5,
    districts: [
      { name: '武昌区', code: '420106' },
      { name: '江汉区', code: '420103' },
      { name: '洪山区', code: '420111' },
    ],
  },
  {
    name: '西安',
    province: '陕西省',
    cityCode: '7910',
    weight: 4,
    districts: [
      { name: '雁塔区', code: '610113' },
      { name: '碑林区', code: '610103' },
    ],
  },
  {
    name: '长沙',
    province: '湖南省',
    cityCode: '5510',
    weight: 4,
    districts: [
      { name: '岳麓区', code: '430104' },
      { name: '芙蓉区', code: '430102' },
    ],
  },
  {
    name: '郑州',
    province: '河南省',
    cityCode: '4910',
    weight: 3,
    districts: [
      { name: '金水区', code: '410105' },
      { name: '二七区', code: '410103' },
    ],
  },
  {
    name: '济南',
    province: '山东省',
    cityCode: '4510',
    weight: 3,
    districts: [
      { name: '历下区', code: '370102' },
      { name: '市中区', code: '370103' },
    ],
  },
  {
    name: '青岛',
    province: '山东省',
    cityCode: '4520',
    weight: 3,
    districts: [
      { name: '市南区', code: '370202' },
      { name: '崂山区', code: '370212' },
    ],
  },
  {
    name: '厦门',
    province: '福建省',
    cityCode: '3930',
    weight: 3,
    districts: [
      { name: '思明区', code: '350203' },
      { name: '湖里区', code: '350206' },
    ],
  },
  {
    name: '合肥',
    province: '安徽省',
    cityCode: '3610',
    weight: 3,
    districts: [
      { name: '蜀山区', code: '340104' },
      { name: '包河区', code: '340111' },
    ],
  },
];

interface Trade {
  mcc: string;
  /** Industry words for enterprise names (…餐饮管理有限公司). */
  industry: readonly string[];
  /** Shop words for individual businesses and micro merchants; none: enterprises only. */
  shops: readonly string[];
  weight: number;
}

const TRADES: readonly Trade[] = [
  {
    mcc: '5812',
    industry: ['餐饮管理', '餐饮服务', '餐饮'],
    shops: ['面馆', '小吃店', '饺子馆', '快餐店', '火锅店', '烧烤店', '粥铺'],
    weight: 30,
  },
  { mcc: '5411', industry: ['超市', '商贸'], shops: ['便利店', '超市', '便民超市'], weight: 15 },
  { mcc: '5499', industry: ['食品'], shops: ['水果店', '烘焙坊', '熟食店', '茶叶店'], weight: 12 },
  { mcc: '7230', industry: ['美容美发'], shops: ['理发店', '美发店', '美甲店'], weight: 10 },
  { mcc: '5912', industry: ['医药', '大药房'], shops: ['大药房'], weight: 7 },
  { mcc: '5311', industry: ['百货', '商业'], shops: ['百货店'], weight: 5 },
  { mcc: '5722', industry: ['电器', '家用电器'], shops: ['电器行'], weight: 5 },
  { mcc: '5977', industry: ['化妆品'], shops: ['化妆品店'], weight: 5 },
  { mcc: '8062', industry: ['医院'], shops: [], weight: 2 },
];

/** Trade names (字号), generic words; any resemblance to a real company is chance. */
const BRANDS = [
  '鑫源',
  '华丰',
  '恒通',
  '瑞祥',
  '宏达',
  '嘉禾',
  '金穗',
  '德顺',
  '盛世',
  '锦程',
  '福临',
  '润泽',
  '佳和',
  '祥云',
  '宝隆',
  '富春',
  '新锐',
  '汇通',
  '鸿运',
  '启明',
  '和美',
  '优品',
  '康健',
  '同福',
  '聚贤',
  '长兴',
  '景泰',
  '天和',
  '万象',
  '博远',
  '华康',
  '众诚',
  '百味',
  '乐享',
  '品鲜',
] as const;

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '高',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '潘',
  '袁',
  '蔡',
  '蒋',
  '余',
  '叶',
  '程',
  '苏',
  '魏',
  '吕',
  '丁',
  '沈',
] as const;

const MALE_NAMES = [
  '伟',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '杰',
  '涛',
  '明',
  '超',
  '斌',
  '鹏',
  '辉',
  '刚',
  '建国',
  '建华',
  '志强',
  '国强',
  '海波',
  '晓东',
  '文博',
  '子豪',
  '浩然',
  '宇航',
  '俊杰',
  '振华',
] as const;

const FEMALE_NAMES = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '艳',
  '娟',
  '霞',
  '燕',
  '玲',
  '婷',
  '雪',
  '慧',
  '晓燕',
  '秀英',
  '桂英',
  '丽娟',
  '海燕',
  '欣怡',
  '雨婷',
  '思雨',
  '佳怡',
  '玉兰',
  '淑珍',
] as const;

const ROADS = [
  '人民路',
  '解放路',
  '中山路',
  '建设路',
  '和平路',
  '新华路',
  '长江路',
  '文化路',
  '胜利路',
  '朝阳路',
  '青年路',
  '学府路',
  '光明路',
  '幸福路',
  '民主路',
  '工农路',
] as const;

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
] as const;

interface TerminalModel {
  model: string;
  firmware: readonly string[];
  serialPrefix: string;
  serialDigits: number;
  weight: number;
}

const TERMINAL_MODELS: readonly TerminalModel[] = [
  {
    model: 'PAX A920',
    firmware: ['V2.3.1', 'V2.4.0', 'V2.5.2'],
    serialPrefix: '0821',
    serialDigits: 6,
    weight: 30,
  },
  {
    model: 'PAX A920 Pro',
    firmware: ['V1.2.0', 'V1.3.4'],
    serialPrefix: '1850',
    serialDigits: 6,
    weight: 10,
  },
  {
    model: '新大陆 ME31',
    firmware: ['V1.6.8', 'V1.7.2', 'V1.8.0'],
    serialPrefix: 'N7',
    serialDigits: 9,
    weight: 25,
  },
  {
    model: '新大陆 N910',
    firmware: ['V2.0.5', 'V2.1.3'],
    serialPrefix: 'N9',
    serialDigits: 9,
    weight: 10,
  },
  {
    model: '联迪 A8',
    firmware: ['V3.1.0', 'V3.2.5'],
    serialPrefix: 'LD',
    serialDigits: 10,
    weight: 20,
  },
  {
    model: '联迪 E350',
    firmware: ['V5.0.2', 'V5.1.1'],
    serialPrefix: 'LD',
    serialDigits: 10,
    weight: 5,
  },
];

/** Banks for accounts, with their weight among merchants' accounts. */
const ACCOUNT_BANKS: readonly { bank: string; weight: number }[] = [
  { bank: '中国工商银行', weight: 16 },
  { bank: '中国建设银行', weight: 14 },
  { bank: '中国农业银行', weight: 12 },
  { bank: '中国银行', weight: 10 },
  { bank: '招商银行', weight: 9 },
  { bank: '交通银行', weight: 6 },
  { bank: '中国邮政储蓄银行', weight: 6 },
  { bank: '兴业银行', weight: 4 },
  { bank: '上海浦东发展银行', weight: 4 },
  { bank: '中信银行', weight: 3 },
  { bank: '中国民生银行', weight: 3 },
  { bank: '平安银行', weight: 3 },
  { bank: '中国光大银行', weight: 3 },
  { bank: '广发银行', weight: 2 },
  { bank: '华夏银行', weight: 2 },
  { bank: '浙商银行', weight: 1 },
  { bank: '渤海银行', weight: 1 },
  { bank: '恒丰银行', weight: 1 },
];

/** Shorter forms people write for some banks. */
const BANK_SHORT_NAMES: Readonly<Record<string, string>> = {
  中国工商银行: '工商银行',
  中国农业银行: '农业银行',
  中国建设银行: '建设银行',
  中国邮政储蓄银行: '邮储银行',
  中国光大银行: '光大银行',
  中国民生银行: '民生银行',
  上海浦东发展银行: '浦发银行',
};

/** Usual lengths of corporate account numbers, by bank (shape only, not any bank's scheme). */
const CORPORATE_ACCOUNT_LENGTHS: Readonly<Record<string, number>> = {
  中国工商银行: 19,
  中国农业银行: 19,
  中国银行: 12,
  中国建设银行: 20,
  交通银行: 21,
  招商银行: 15,
  中信银行: 19,
  中国光大银行: 16,
  中国民生银行: 16,
  上海浦东发展银行: 16,
  兴业银行: 18,
  平安银行: 15,
  中国邮政储蓄银行: 18,
};

/** Debit BINs of 6 digits, by bank. */
function debitBins(): Map<string, BinTableRow[]> {
  const byBank = new Map<string, BinTableRow[]>();
  for (const row of BIN_TABLE) {
    if (row.cardType === 'debit' && row.bin.length === 6 && row.bin.startsWith('62')) {
      const rows = byBank.get(row.bank) ?? [];
      rows.push(row);
      byBank.set(row.bank, rows);
    }
  }
  return byBank;
}

function bankClassOf(bank: string): string {
  const row = BIN_TABLE.find((r) => r.bank === bank);
  if (row === undefined) {
    throw new RangeError(`no BIN table row for ${bank}`);
  }
  return row.bankCode;
}

/** Names that must still match their licence name: traditional characters and bracket width. */
const LOOKALIKE_NAMES = {
  traditional: [
    {
      city: '上海',
      district: '浦东新区',
      mcc: '5812',
      name: '上海浦东餐饮管理有限公司',
      holder: '上海浦東餐飲管理有限公司',
    },
    {
      city: '深圳',
      district: '南山区',
      mcc: '5722',
      name: '深圳南山区鑫龙电器有限公司',
      holder: '深圳南山區鑫龍電器有限公司',
    },
  ],
  bracket: [
    {
      city: '上海',
      district: '徐汇区',
      mcc: '5812',
      name: '鑫源（上海）餐饮管理有限公司',
      holder: '鑫源(上海)餐饮管理有限公司',
    },
    {
      city: '杭州',
      district: '西湖区',
      mcc: '7230',
      name: '丽华(杭州)美容美发有限公司',
      holder: '丽华（杭州）美容美发有限公司',
    },
  ],
} as const;

/** Industries of the unrelated companies that appear as wrong account holders. */
const STRANGER_INDUSTRIES = ['投资管理', '贸易', '信息咨询', '商务服务', '实业'] as const;

const TERMINAL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

interface Person {
  name: string;
  idNumber: string;
}

interface Draft {
  record: ImportRecord;
  city: City;
  district: District;
  legalPerson: Person;
  /** The bank of the settlement account. */
  bank: string;
}

/** The portfolio and the merchant numbers of its planted faults; same options, same result. */
export function buildDemoPortfolioWithFaults(options: DemoPortfolioOptions): DemoPortfolio {
  const size = options.size ?? 300;
  if (!Number.isInteger(size) || size < 1 || size > 9999) {
    throw new RangeError('size must be an integer from 1 to 9999');
  }
  const dice = new Dice(mulberry32(options.seed));
  const today = chinaDate(options.today);
  const thisYear = Number(today.slice(0, 4));
  const bins = debitBins();
  const usedNames = new Set<string>(
    [...LOOKALIKE_NAMES.traditional, ...LOOKALIKE_NAMES.bracket].map((l) => l.name),
  );
  const usedIds = new Set<string>();
  const usedAccounts = new Set<string>();
  const usedTerminalIds = new Set<string>();
  const usedSerials = new Set<string>();
  const usedUsccs = new Set<string>();

  const unique = (used: Set<string>, make: () => string): string => {
    for (;;) {
      const value = make();
      if (!used.has(value)) {
        used.add(value);
        return value;
      }
    }
  };

  const allDistricts = CITIES.flatMap((city) => city.districts);

  const person = (home: City, male: boolean = dice.chance(0.5)): Person => {
    const surname = dice.pick(SURNAMES);
    const name = surname + dice.pick(male ? MALE_NAMES : FEMALE_NAMES);
    const born = dice.chance(0.6) ? dice.pick(home.districts) : dice.pick(allDistricts);
    const idNumber = unique(usedIds, () => {
      const year = thisYear - dice.int(22, 65);
      const month = dice.int(1, 12);
      const day = dice.int(1, month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31);
      const sequence = dice.int(0, 499) * 2 + (male ? 1 : 0);
      return makeResidentId(
        born.code +
          String(year) +
          String(month).padStart(2, '0') +
          String(day).padStart(2, '0') +
          String(sequence).padStart(3, '0'),
      );
    });
    return { name, idNumber };
  };

  const uscc = (kind: '1' | '2', district: District): string =>
    unique(usedUsccs, () => {
      let body = 'MA';
      for (let i = 0; i < 6; i += 1) {
        body += dice.char(USCC_ALPHABET);
      }
      return makeUscc('9' + kind + district.code + makeOrganisationCode(body));
    });

  const address = (city: City, district: District): string => {
    const suffix = dice.pick(['', '', '1层', '101室', '商铺', `${String(dice.int(1, 30))}号铺`]);
    return `${city.province}${city.name}市${district.name}${dice.pick(ROADS)}${String(dice.int(1, 1999))}号${suffix}`;
  };

  const mobile = (): string => dice.pick(MOBILE_PREFIXES) + dice.digits(8);

  const cnaps = (bank: string, city: City): string =>
    bankClassOf(bank) + city.cityCode + dice.digits(5);

  const declaredBankName = (bank: string, city: City, district: District): string => {
    const roll = dice.int(1, 10);
    if (roll <= 2 && BANK_SHORT_NAMES[bank] !== undefined) {
      return BANK_SHORT_NAMES[bank];
    }
    if (roll <= 4) {
      return `${bank}${city.name}${district.name}支行`;
    }
    return bank;
  };

  const accountBank = (city: City): string =>
    city.localBank !== undefined && dice.chance(0.08)
      ? city.localBank
      : dice.weighted(ACCOUNT_BANKS).bank;

  const personalCard = (bank: string): string => {
    const rows = bins.get(bank);
    if (rows === undefined || rows.length === 0) {
      throw new RangeError(`no debit BIN for ${bank}`);
    }
    const row = dice.pick(rows);
    return unique(usedAccounts, () => luhnComplete(row.bin + dice.digits(row.length - 7)));
  };

  const corporateAccount = (bank: string): string =>
    unique(
      usedAccounts,
      () => String(dice.int(1, 9)) + dice.digits((CORPORATE_ACCOUNT_LENGTHS[bank] ?? 17) - 1),
    );

  const terminals = (city: City, location: string): NonNullable<ImportRecord['terminals']> => {
    const count = dice.weighted([
      { n: 1, weight: 60 },
      { n: 2, weight: 28 },
      { n: 3, weight: 12 },
    ]).n;
    const out: NonNullable<ImportRecord['terminals']> = [];
    for (let i = 0; i < count; i += 1) {
      const model = dice.weighted(TERMINAL_MODELS);
      out.push({
        terminalId: unique(usedTerminalIds, () =>
          dice.chance(0.7)
            ? city.cityCode.slice(0, 2) + dice.digits(6)
            : dice.char(TERMINAL_LETTERS) + dice.digits(7),
        ),
        serialNumber: unique(
          usedSerials,
          () => model.serialPrefix + dice.digits(model.serialDigits),
        ),
        model: model.model,
        firmwareVersion: dice.pick(model.firmware),
        location,
      });
    }
    return out;
  };

  const drafts: Draft[] = [];
  for (let index = 0; index < size; index += 1) {
    const type = dice.weighted<{ type: MerchantType; weight: number }>([
      { type: 'enterprise', weight: 40 },
      { type: 'individual_business', weight: 35 },
      { type: 'micro', weight: 25 },
    ]).type;
    const city = dice.weighted(CITIES);
    const district = dice.pick(city.districts);
    const trade = dice.weighted(
      type === 'enterprise' ? TRADES : TRADES.filter((t) => t.shops.length > 0),
    );
    const legalPerson = person(city);
    const surname = legalPerson.name.charAt(0);
    let name: string;
    if (type === 'enterprise') {
      const form = dice.weighted([
        { form: '有限公司', weight: 70 },
        { form: '有限责任公司', weight: 25 },
        { form: '股份有限公司', weight: 5 },
      ]).form;
      name = unique(usedNames, () => {
        const brand = dice.pick(BRANDS);
        const industry = dice.pick(trade.industry);
        const style = dice.int(1, 10);
        if (style <= 5) return `${city.name}${district.name}${brand}${industry}${form}`;
        if (style <= 9) return `${city.name}${brand}${industry}${form}`;
        return `${brand}（${city.name}）${industry}${form}`;
      });
    } else if (type === 'individual_business') {
      name = unique(usedNames, () => {
        const shop = dice.pick(trade.shops);
        return dice.chance(0.6)
          ? `${city.name}市${district.name}${surname}记${shop}`
          : `${city.name}市${district.name}${dice.pick(BRANDS)}${shop}`;
      });
    } else {
      name = dice.chance(0.5)
        ? `${legalPerson.name}（小微商户）`
        : dice.pick([
            `老${surname}`,
            `小${surname}`,
            `${surname}姐`,
            `${surname}哥`,
            `${surname}记`,
          ]) + dice.pick(trade.shops);
    }
    const merchantAddress = address(city, district);
    const merchantNo = `898${city.cityCode}${trade.mcc}${String(index + 1).padStart(4, '0')}`;
    const personal = type === 'micro' || (type === 'individual_business' && dice.chance(0.5));
    const drawn = accountBank(city);
    const bank = personal && !bins.has(drawn) ? '中国工商银行' : drawn;
    const record: ImportRecord = {
      merchant: {
        merchantNo,
        name,
        type,
        ...(type === 'micro' ? {} : { uscc: uscc(type === 'enterprise' ? '1' : '2', district) }),
        legalPerson: { name: legalPerson.name, idNumber: legalPerson.idNumber },
        mcc: trade.mcc,
        contactPhone: mobile(),
        address: merchantAddress,
      },
      settlementAccount: {
        accountNumber: personal ? personalCard(bank) : corporateAccount(bank),
        accountName: personal ? legalPerson.name : name,
        accountType: personal ? 'personal' : 'corporate',
        bankCode: cnaps(bank, city),
        bankName: declaredBankName(bank, city, district),
      },
      terminals: terminals(city, merchantAddress),
    };
    drafts.push({ record, city, district, legalPerson, bank });
  }

  const faults: DemoFaults = {
    mismatchedHolder: [],
    sharedAccount: [],
    unverifiedAccount: [],
    binBankMismatch: [],
    traditionalHolderName: [],
    bracketHolderName: [],
  };
  if (size < 40) {
    return { records: drafts.map((draft) => draft.record), faults };
  }

  const taken = new Set<number>();
  /** Up to `count` drafts passing `test`, drawn at random, each drawn once over all faults. */
  const take = (count: number, test: (draft: Draft) => boolean): Draft[] => {
    const chosen = dice
      .shuffled(drafts.map((_, i) => i))
      .filter((i) => {
        const draft = drafts[i];
        return draft !== undefined && !taken.has(i) && test(draft);
      })
      .slice(0, count);
    for (const i of chosen) taken.add(i);
    return chosen.flatMap((i) => drafts[i] ?? []);
  };
  const isPersonal = (d: Draft): boolean => d.record.settlementAccount?.accountType === 'personal';
  const no = (d: Draft): string => d.record.merchant.merchantNo;

  // Names that only look wrong. An enterprise (of the lookalike's city if there is one) becomes
  // the lookalike company: its name, city and district, licence, MCC, address and account bank
  // branch; and its account holder name is written differently.
  for (const [kind, list] of [
    ['traditional', LOOKALIKE_NAMES.traditional],
    ['bracket', LOOKALIKE_NAMES.bracket],
  ] as const) {
    for (const lookalike of list) {
      const isEnterprise = (d: Draft): boolean => d.record.merchant.type === 'enterprise';
      let [draft] = take(1, (d) => isEnterprise(d) && d.city.name === lookalike.city);
      if (draft === undefined) {
        [draft] = take(1, isEnterprise);
      }
      const account = draft?.record.settlementAccount;
      const city = CITIES.find((c) => c.name === lookalike.city);
      const district = city?.districts.find((d) => d.name === lookalike.district);
      if (draft === undefined || account === undefined || city === undefined) continue;
      if (district === undefined) continue;
      const merchant = draft.record.merchant;
      merchant.name = lookalike.name;
      merchant.mcc = lookalike.mcc;
      merchant.merchantNo = `898${city.cityCode}${lookalike.mcc}${no(draft).slice(11)}`;
      merchant.uscc = uscc('1', district);
      merchant.address = address(city, district);
      for (const terminal of draft.record.terminals ?? []) {
        terminal.location = merchant.address;
      }
      draft.city = city;
      draft.district = district;
      account.accountName = lookalike.holder;
      account.bankCode = cnaps(draft.bank, city);
      account.bankName = declaredBankName(draft.bank, city, district);
      (kind === 'traditional' ? faults.traditionalHolderName : faults.bracketHolderName).push(
        no(draft),
      );
    }
  }

  // One personal card settling for three unrelated merchants; the other two declare it under
  // their own legal person's name.
  const sharers = take(3, isPersonal);
  const card = sharers[0]?.record.settlementAccount;
  if (card !== undefined && sharers.length === 3) {
    for (const other of sharers.slice(1)) {
      const account = other.record.settlementAccount;
      if (account !== undefined) {
        account.accountNumber = card.accountNumber;
        account.bankName = card.bankName;
        account.bankCode = card.bankCode;
      }
    }
    faults.sharedAccount.push(...sharers.map(no));
  }

  // Holder named after someone else: an unrelated person, or an unrelated company.
  for (const draft of take(Math.max(2, Math.round(size * 0.017)), () => true)) {
    const account = draft.record.settlementAccount;
    if (account === undefined) continue;
    if (account.accountType === 'personal') {
      let stranger = person(draft.city);
      while (stranger.name.charAt(0) === draft.legalPerson.name.charAt(0)) {
        stranger = person(draft.city);
      }
      account.accountName = stranger.name;
    } else {
      account.accountName = unique(
        usedNames,
        () => `${draft.city.name}${dice.pick(BRANDS)}${dice.pick(STRANGER_INDUSTRIES)}有限公司`,
      );
    }
    faults.mismatchedHolder.push(no(draft));
  }

  // Not yet verified.
  for (const draft of take(Math.max(1, Math.round(size * 0.01)), () => true)) {
    const account = draft.record.settlementAccount;
    if (account === undefined) continue;
    account.status = 'pending_verification';
    faults.unverifiedAccount.push(no(draft));
  }

  // A card declared, by bank name and CNAPS code, as another bank than its BIN's.
  for (const draft of take(Math.max(1, Math.round(size * 0.01)), isPersonal)) {
    const account = draft.record.settlementAccount;
    const actual = account === undefined ? null : lookupBin(account.accountNumber);
    if (account === undefined || actual === null) continue;
    const other = dice.pick(
      ACCOUNT_BANKS.map((b) => b.bank).filter((bank) => bankClassOf(bank) !== actual.bankCode),
    );
    account.bankName = other;
    account.bankCode = cnaps(other, draft.city);
    faults.binBankMismatch.push(no(draft));
  }

  return { records: drafts.map((draft) => draft.record), faults };
}

/** The records of the demo portfolio (see `buildDemoPortfolioWithFaults` for the faults). */
export function buildDemoPortfolio(options: DemoPortfolioOptions): ImportRecord[] {
  return buildDemoPortfolioWithFaults(options).records;
}

/** The merchant numbers of the faults planted in the portfolio built with the same options. */
export function demoFaults(options: DemoPortfolioOptions): DemoFaults {
  return buildDemoPortfolioWithFaults(options).faults;
}
