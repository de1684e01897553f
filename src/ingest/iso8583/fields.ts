/**
 * The ISO 8583:1987 data elements SettleGuard knows the format of, as a POS acquirer's switch
 * sees them in China: the China UnionPay (CUP, 中国银联) POS terminal messages and the common
 * switch fields beside them. README.md beside this file documents every field.
 *
 * Formats, as in the standard:
 * - `n`   digits;
 * - `z`   track 2/3 data: digits and the separators `=` (and `:;<>?`);
 * - `an`  letters and digits (and space padding), ASCII only;
 * - `ans` any printable text; in China it may hold GBK-encoded Chinese;
 * - `b`   binary, carried in `IsoMessage` as upper-case hex.
 *
 * Lengths count digits for `n` and `z`, bytes for `an`, `ans` and `b` (a Chinese character
 * takes two bytes in GBK).
 */

export type FieldFormat = 'n' | 'z' | 'an' | 'ans' | 'b';
export type LengthType = 'fixed' | 'LLVAR' | 'LLLVAR';

/**
 * How the BCD encoding lays out a numeric (`n`, `z`) field with an odd number of digits:
 * `right` (右靠, the default for fixed fields) puts the pad nibble first, `left` (左靠, CUP's
 * rule for variable fields and for field 22) puts it last. `chars` carries the digits as ASCII
 * characters even in the BCD encoding (CUP defines field 49 as an3).
 */
export type BcdLayout = 'right' | 'left' | 'chars';

export interface FieldSpec {
  readonly number: number;
  readonly name: string;
  readonly nameZh: string;
  readonly format: FieldFormat;
  readonly lengthType: LengthType;
  /** The length of a fixed field, the largest length of a variable one. */
  readonly length: number;
  /** Layout of a numeric field in the BCD encoding; `right` when not given. */
  readonly bcd?: BcdLayout;
  /** Format and largest length in the ASCII encoding, when they differ from the CUP (BCD) ones. */
  readonly ascii?: { readonly format: FieldFormat; readonly length: number };
  /** Whether the field holds text that may be GBK-encoded Chinese (`ans` fields). */
  readonly gbk?: boolean;
  /** Whether the value is sensitive card data, never shown in an error message. */
  readonly sensitive?: 'pan' | 'track' | 'secret';
}

const SPECS: readonly FieldSpec[] = [
  {
    number: 2,
    name: 'Primary account number (PAN)',
    nameZh: '主账号',
    format: 'n',
    lengthType: 'LLVAR',
    length: 19,
    bcd: 'left',
    sensitive: 'pan',
  },
  {
    number: 3,
    name: 'Processing code',
    nameZh: '交易处理码',
    format: 'n',
    lengthType: 'fixed',
    length: 6,
  },
  {
    number: 4,
    name: 'Amount, transaction (fen)',
    nameZh: '交易金额',
    format: 'n',
    lengthType: 'fixed',
    length: 12,
  },
  {
    number: 7,
    name: 'Transmission date and time (MMDDhhmmss, GMT)',
    nameZh: '交易传输时间',
    format: 'n',
    lengthType: 'fixed',
    length: 10,
  },
  {
    number: 11,
    name: 'System trace audit number (STAN)',
    nameZh: '受卡方系统跟踪号（流水号）',
    format: 'n',
    lengthType: 'fixed',
    length: 6,
  },
  {
    number: 12,
    name: 'Time, local transaction (hhmmss)',
    nameZh: '受卡方所在地时间',
    format: 'n',
    lengthType: 'fixed',
    length: 6,
  },
  {
    number: 13,
    name: 'Date, local transaction (MMDD)',
    nameZh: '受卡方所在地日期',
    format: 'n',
    lengthType: 'fixed',
    length: 4,
  },
  {
    number: 14,
    name: 'Date, expiration (YYMM)',
    nameZh: '卡有效期',
    format: 'n',
    lengthType: 'fixed',
    length: 4,
    sensitive: 'secret',
  },
  {
    number: 15,
    name: 'Date, settlement (MMDD)',
    nameZh: '清算日期',
    format: 'n',
    lengthType: 'fixed',
    length: 4,
  },
  {
    number: 18,
    name: 'Merchant type (MCC)',
    nameZh: '商户类型',
    format: 'n',
    lengthType: 'fixed',
    length: 4,
  },
  {
    number: 22,
    name: 'Point of service entry mode',
    nameZh: '服务点输入方式码',
    format: 'n',
    lengthType: 'fixed',
    length: 3,
    bcd: 'left',
  },
  {
    number: 23,
    name: 'Card sequence number',
    nameZh: '卡片序列号',
    format: 'n',
    lengthType: 'fixed',
    length: 3,
  },
  {
    number: 25,
    name: 'Point of service condition code',
    nameZh: '服务点条件码',
    format: 'n',
    lengthType: 'fixed',
    length: 2,
  },
  {
    number: 26,
    name: 'Point of service PIN capture code',
    nameZh: '服务点PIN获取码',
    format: 'n',
    lengthType: 'fixed',
    length: 2,
  },
  {
    number: 32,
    name: 'Acquiring institution identification code',
    nameZh: '受理机构标识码',
    format: 'n',
    lengthType: 'LLVAR',
    length: 11,
    bcd: 'left',
  },
  {
    number: 33,
    name: 'Forwarding institution identification code',
    nameZh: '发送机构标识码',
    format: 'n',
    lengthType: 'LLVAR',
    length: 11,
    bcd: 'left',
  },
  {
    number: 35,
    name: 'Track 2 data',
    nameZh: '第二磁道数据',
    format: 'z',
    lengthType: 'LLVAR',
    length: 37,
    bcd: 'left',
    sensitive: 'track',
  },
  {
    number: 36,
    name: 'Track 3 data',
    nameZh: '第三磁道数据',
    format: 'z',
    lengthType: 'LLLVAR',
    length: 104,
    bcd: 'left',
    sensitive: 'track',
  },
  {
    number: 37,
    name: 'Retrieval reference number (RRN)',
    nameZh: '检索参考号',
    format: 'an',
    lengthType: 'fixed',
    length: 12,
  },
  {
    number: 38,
    name: 'Authorisation identification response',
    nameZh: '授权标识应答码（授权码）',
    format: 'an',
    lengthType: 'fixed',
    length: 6,
  },
  {
    number: 39,
    name: 'Response code',
    nameZh: '应答码',
    format: 'an',
    lengthType: 'fixed',
    length: 2,
  },
  {
    number: 41,
    name: 'Card acceptor terminal identification',
    nameZh: '受卡机终端标识码（终端号）',
    format: 'ans',
    lengthType: 'fixed',
    length: 8,
  },
  {
    number: 42,
    name: 'Card acceptor identification code (merchant number)',
    nameZh: '受卡方标识码（商户号）',
    format: 'ans',
    lengthType: 'fixed',
    length: 15,
  },
  {
    number: 43,
    name: 'Card acceptor name/location',
    nameZh: '受卡方名称地址',
    format: 'ans',
    lengthType: 'fixed',
    length: 40,
    gbk: true,
  },
  {
    number: 44,
    name: 'Additional response data',
    nameZh: '附加响应数据',
    format: 'ans',
    lengthType: 'LLVAR',
    length: 25,
    gbk: true,
  },
  {
    number: 48,
    name: 'Additional data, private',
    nameZh: '附加数据－私有',
    format: 'n',
    lengthType: 'LLLVAR',
    length: 999,
    bcd: 'left',
    ascii: { format: 'ans', length: 999 },
  },
  {
    number: 49,
    name: 'Currency code, transaction',
    nameZh: '交易货币代码',
    format: 'n',
    lengthType: 'fixed',
    length: 3,
    bcd: 'chars',
  },
  {
    number: 52,
    name: 'PIN data',
    nameZh: '个人标识码数据',
    format: 'b',
    lengthType: 'fixed',
    length: 8,
    sensitive: 'secret',
  },
  {
    number: 53,
    name: 'Security related control information',
    nameZh: '安全控制信息',
    format: 'n',
    lengthType: 'fixed',
    length: 16,
  },
  {
    number: 54,
    name: 'Additional amounts',
    nameZh: '附加金额',
    format: 'ans',
    lengthType: 'LLLVAR',
    length: 999,
  },
  {
    number: 55,
    name: 'ICC system related data',
    nameZh: 'IC卡数据域',
    format: 'b',
    lengthType: 'LLLVAR',
    length: 999,
    sensitive: 'secret',
  },
  {
    number: 59,
    name: 'Reserved national',
    nameZh: '自定义域',
    format: 'ans',
    lengthType: 'LLLVAR',
    length: 999,
    gbk: true,
  },
  {
    number: 60,
    name: 'Reserved private',
    nameZh: '自定义域',
    format: 'n',
    lengthType: 'LLLVAR',
    length: 999,
    bcd: 'left',
    ascii: { format: 'ans', length: 999 },
  },
  {
    number: 61,
    name: 'Original message data',
    nameZh: '原始信息域',
    format: 'n',
    lengthType: 'LLLVAR',
    length: 999,
    bcd: 'left',
    ascii: { format: 'ans', length: 999 },
  },
  {
    number: 62,
    name: 'Reserved private',
    nameZh: '自定义域',
    format: 'b',
    lengthType: 'LLLVAR',
    length: 999,
    ascii: { format: 'ans', length: 999 },
  },
  {
    number: 63,
    name: 'Reserved private',
    nameZh: '自定义域',
    format: 'ans',
    lengthType: 'LLLVAR',
    length: 999,
    gbk: true,
  },
  {
    number: 64,
    name: 'Message authentication code (MAC)',
    nameZh: '报文鉴别码',
    format: 'b',
    lengthType: 'fixed',
    length: 8,
  },
  {
    number: 90,
    name: 'Original data elements',
    nameZh: '原始数据元',
    format: 'n',
    lengthType: 'fixed',
    length: 42,
  },
  {
    number: 100,
    name: 'Receiving institution identification code',
    nameZh: '接收机构标识码',
    format: 'n',
    lengthType: 'LLVAR',
    length: 11,
    bcd: 'left',
  },
  {
    number: 128,
    name: 'Message authentication code (MAC)',
    nameZh: '报文鉴别码',
    format: 'b',
    lengthType: 'fixed',
    length: 8,
  },
];

/** Every known field by number. Field 1 (the secondary bitmap) is handled by the codec. */
export const FIELDS: ReadonlyMap<number, FieldSpec> = new Map(SPECS.map((s) => [s.number, s]));

export function fieldSpec(number: number): FieldSpec | undefined {
  return FIELDS.get(number);
}

export type Encoding = 'ascii' | 'bcd';

/** The format and largest length of a field in one encoding. */
export function formatIn(
  spec: FieldSpec,
  encoding: Encoding,
): { format: FieldFormat; length: number } {
  if (encoding === 'ascii' && spec.ascii !== undefined) return spec.ascii;
  return { format: spec.format, length: spec.length };
}
