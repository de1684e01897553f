/**
 * ISO 8583:1987 messages as a POS acquirer's switch sees them, in two encodings (README.md
 * beside this file describes both, field by field):
 *
 * - `ascii`: MTI as 4 ASCII digits, bitmaps as 16 hexadecimal ASCII characters each, every
 *   field as characters, LL/LLL length prefixes as ASCII digits.
 * - `bcd`: the China UnionPay POS style. MTI as 2 bytes of packed BCD, bitmaps as 8 binary
 *   bytes each, numeric fields as packed BCD, LL/LLL prefixes as packed BCD (1 or 2 bytes),
 *   text fields as ASCII or GBK bytes, binary fields as raw bytes.
 *
 * Decoding never throws anything but `Iso8583Error`, whatever the bytes. Error messages never
 * carry a field's content when it is card data: a card number shows masked (first 6, last 4),
 * track data, PIN blocks and ICC data not at all; decoding errors show no content at all.
 */
import { maskAccountNumber } from '../../core/identifiers/index.js';
import { fieldSpec, formatIn, type Encoding, type FieldSpec } from './fields.js';

export type { Encoding } from './fields.js';

/** A message: its type and its fields by number, each as a string (binary fields as hex). */
export interface IsoMessage {
  mti: string;
  fields: Partial<Record<number, string>>;
}

export interface EncodeOptions {
  /**
   * `auto` (the default) sends the secondary bitmap only when a field above 64 is present;
   * `always` sends it in every message, as some switches (and the `iso_8583` package) expect.
   */
  secondaryBitmap?: 'auto' | 'always';
}

/** Anything wrong with a message's bytes or with a message to encode. */
export class Iso8583Error extends Error {
  /** The field being read or written, when the problem lies in one. */
  readonly field?: number;
  /** Byte offset in the message where decoding stopped. */
  readonly offset?: number;

  constructor(message: string, details: { field?: number; offset?: number } = {}) {
    super(details.field === undefined ? message : `field ${details.field}: ${message}`);
    this.name = 'Iso8583Error';
    if (details.field !== undefined) this.field = details.field;
    if (details.offset !== undefined) this.offset = details.offset;
  }
}

/** A card number as it may be shown: the first 6 and the last 4 digits at most. */
export function maskPan(pan: string): string {
  return maskAccountNumber(pan, 'personal');
}

/** How a value may appear in an error message. */
function describe(spec: FieldSpec, value: string): string {
  switch (spec.sensitive) {
    case 'pan':
      return `card number ${maskPan(value)}`;
    case 'track':
    case 'secret':
      return `value of ${value.length} characters`;
    default:
      return JSON.stringify(value.length > 48 ? `${value.slice(0, 48)}…` : value);
  }
}

// ---------------------------------------------------------------------------------------------
// GBK text. Node decodes GBK natively; it has no GBK encoder, so the table is built once, on the
// first non-ASCII character to encode, by decoding every two-byte GBK code (23,940 of them).

const gbkDecoder = new TextDecoder('gbk');
let gbkEncodeTable: Map<string, number> | undefined;

function gbkTable(): Map<string, number> {
  if (gbkEncodeTable) return gbkEncodeTable;
  const table = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const text = gbkDecoder.decode(pair);
      const code = text.codePointAt(0) ?? 0xfffd;
      if (code !== 0xfffd && String.fromCodePoint(code) === text && !table.has(text)) {
        table.set(text, (lead << 8) | trail);
      }
    }
  }
  gbkEncodeTable = table;
  return table;
}

function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return false;
  return true;
}

/** Text to bytes: ASCII as is, other characters in GBK when the field allows Chinese. */
function encodeText(text: string, spec: FieldSpec): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
    } else if (spec.gbk) {
      const gbk = gbkTable().get(char);
      if (gbk === undefined) {
        const hex = code.toString(16).toUpperCase().padStart(4, '0');
        throw new Iso8583Error(`character U+${hex} has no GBK encoding`, { field: spec.number });
      }
      bytes.push(gbk >> 8, gbk & 0xff);
    } else {
      throw new Iso8583Error(`only ASCII characters are allowed, not in ${describe(spec, text)}`, {
        field: spec.number,
      });
    }
  }
  return Buffer.from(bytes);
}

function decodeText(bytes: Buffer, spec: FieldSpec, offset: number): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (spec.gbk) return gbkDecoder.decode(bytes);
  throw new Iso8583Error('a byte outside ASCII in a field that holds ASCII only', {
    field: spec.number,
    offset,
  });
}

// ---------------------------------------------------------------------------------------------
// Packed BCD. A digit is one nibble; track data (`z`) maps nibble n to the character 0x30 + n,
// so that the separator `=` is the nibble D.

function digitNibble(char: string, format: 'n' | 'z'): number {
  const code = char.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (format === 'z') {
    if (code >= 0x3a && code <= 0x3f) return code - 0x30;
    if (char === 'D' || char === 'd') return 0xd;
  }
  return -1;
}

/** The nibbles of digits (or track data); -1 for a character that has none. */
function nibblesOf(text: string, format: 'n' | 'z'): number[] {
  const nibbles: number[] = [];
  for (let i = 0; i < text.length; i += 1) nibbles.push(digitNibble(text.charAt(i), format));
  return nibbles;
}

function packBcd(nibbles: readonly number[], layout: 'left' | 'right'): Buffer {
  const padded =
    nibbles.length % 2 === 0 ? nibbles : layout === 'left' ? [...nibbles, 0] : [0, ...nibbles];
  const out = Buffer.alloc(padded.length / 2);
  for (let i = 0; i < out.length; i += 1) {
    out[i] = ((padded[2 * i] ?? 0) << 4) | (padded[2 * i + 1] ?? 0);
  }
  return out;
}

function unpackBcd(
  bytes: Buffer,
  count: number,
  layout: 'left' | 'right',
  format: 'n' | 'z',
  field: number | undefined,
  offset: number,
): string {
  const skip = count % 2 === 1 && layout === 'right' ? 1 : 0;
  let out = '';
  for (let i = skip; i < count + skip; i += 1) {
    const byte = bytes[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    if (format === 'n' && nibble > 9) {
      throw new Iso8583Error('not packed BCD digits', { field, offset: offset + (i >> 1) });
    }
    out += String.fromCharCode(0x30 + nibble);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading.

class Reader {
  offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(count: number, field: number | undefined, what: string): Buffer {
    if (count > this.remaining) {
      throw new Iso8583Error(
        `the message ends inside the ${what} (${count} bytes needed, ${this.remaining} left)`,
        { field, offset: this.offset },
      );
    }
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }
}

const PREFIX_DIGITS = { LLVAR: 2, LLLVAR: 3 } as const;

function readPrefix(reader: Reader, spec: FieldSpec, encoding: Encoding): number {
  if (spec.lengthType === 'fixed') return spec.length;
  const digits = PREFIX_DIGITS[spec.lengthType];
  const at = reader.offset;
  let text: string;
  if (encoding === 'ascii') {
    text = reader.take(digits, spec.number, 'length prefix').toString('latin1');
    if (!/^\d+$/.test(text)) {
      throw new Iso8583Error('the length prefix is not ASCII digits', {
        field: spec.number,
        offset: at,
      });
    }
  } else {
    const nibbles = digits === 2 ? 2 : 4;
    const bytes = reader.take(nibbles / 2, spec.number, 'length prefix');
    text = unpackBcd(bytes, nibbles, 'right', 'n', spec.number, at);
  }
  return Number(text);
}

function readField(reader: Reader, spec: FieldSpec, encoding: Encoding): string {
  const field = spec.number;
  const { format, length: max } = formatIn(spec, encoding);
  const prefixAt = reader.offset;
  const length = readPrefix(reader, spec, encoding);
  if (length > max) {
    throw new Iso8583Error(`declared length ${length} exceeds the maximum ${max}`, {
      field,
      offset: prefixAt,
    });
  }
  const at = reader.offset;
  if (format === 'b') {
    if (encoding === 'bcd')
      return reader.take(length, field, 'value').toString('hex').toUpperCase();
    const hex = reader.take(length * 2, field, 'value').toString('latin1');
    if (!/^[0-9A-Fa-f]*$/.test(hex)) {
      throw new Iso8583Error('binary data is not hexadecimal characters', { field, offset: at });
    }
    return hex.toUpperCase();
  }
  if (format === 'an' || format === 'ans') {
    return decodeText(reader.take(length, field, 'value'), spec, at);
  }
  // Numeric and track data.
  if (encoding === 'bcd' && spec.bcd !== 'chars') {
    const bytes = reader.take(Math.ceil(length / 2), field, 'value');
    return unpackBcd(bytes, length, spec.bcd === 'left' ? 'left' : 'right', format, field, at);
  }
  const text = reader.take(length, field, 'value').toString('latin1');
  if (format === 'n') {
    if (!/^\d*$/.test(text)) throw new Iso8583Error('not ASCII digits', { field, offset: at });
    return text;
  }
  if (!/^[0-9:;<=>?Dd]*$/.test(text)) {
    throw new Iso8583Error('not track data', { field, offset: at });
  }
  return text.replace(/[Dd]/g, '=');
}

function readMti(reader: Reader, encoding: Encoding): string {
  if (encoding === 'ascii') {
    const mti = reader.take(4, undefined, 'message type').toString('latin1');
    if (!/^\d{4}$/.test(mti)) {
      throw new Iso8583Error('the message type is not 4 ASCII digits', { offset: 0 });
    }
    return mti;
  }
  return unpackBcd(reader.take(2, undefined, 'message type'), 4, 'right', 'n', undefined, 0);
}

function readBitmap(reader: Reader, encoding: Encoding, which: string): Buffer {
  if (encoding === 'bcd') return reader.take(8, undefined, `${which} bitmap`);
  const at = reader.offset;
  const hex = reader.take(16, undefined, `${which} bitmap`).toString('latin1');
  if (!/^[0-9A-Fa-f]{16}$/.test(hex)) {
    throw new Iso8583Error(`the ${which} bitmap is not 16 hexadecimal characters`, { offset: at });
  }
  return Buffer.from(hex, 'hex');
}

function toBuffer(bytes: unknown): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  if (bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  throw new Iso8583Error('expected the bytes of a message');
}

/**
 * Decodes as much of a message as can be read: the fields before a problem, and the problem.
 * For diagnostics; `decodeMessage` is the strict form.
 */
export function decodePartial(
  bytes: Uint8Array,
  encoding: Encoding,
): { message: IsoMessage; error?: Iso8583Error } {
  const message: IsoMessage = { mti: '', fields: {} };
  try {
    if (encoding !== 'ascii' && encoding !== 'bcd') {
      throw new Iso8583Error(`unknown encoding ${JSON.stringify(encoding)}`);
    }
    const reader = new Reader(toBuffer(bytes));
    message.mti = readMti(reader, encoding);
    const primary = readBitmap(reader, encoding, 'primary');
    const hasSecondary = ((primary[0] ?? 0) & 0x80) !== 0;
    const bitmap = hasSecondary
      ? Buffer.concat([primary, readBitmap(reader, encoding, 'secondary')])
      : primary;
    for (let number = 2; number <= bitmap.length * 8; number += 1) {
      const byte = bitmap[(number - 1) >> 3] ?? 0;
      if ((byte & (0x80 >> ((number - 1) & 7))) === 0) continue;
      const spec = fieldSpec(number);
      if (spec === undefined) {
        throw new Iso8583Error(
          'present in the bitmap, but its format is not known, so the rest of the message cannot be read',
          { field: number, offset: reader.offset },
        );
      }
      message.fields[number] = readField(reader, spec, encoding);
    }
    if (reader.remaining > 0) {
      throw new Iso8583Error(`${reader.remaining} bytes left over after the last field`, {
        offset: reader.offset,
      });
    }
    return { message };
  } catch (error) {
    if (error instanceof Iso8583Error) return { message, error };
    // Not expected; still never anything but an Iso8583Error to the caller.
    return { message, error: new Iso8583Error('the message cannot be read') };
  }
}

/** Decodes one message (without its frame's length prefix). Throws `Iso8583Error`. */
export function decodeMessage(bytes: Uint8Array, encoding: Encoding): IsoMessage {
  const { message, error } = decodePartial(bytes, encoding);
  if (error) throw error;
  return message;
}

// ---------------------------------------------------------------------------------------------
// Writing.

function writePrefix(count: number, spec: FieldSpec, encoding: Encoding): Buffer {
  if (spec.lengthType === 'fixed') return Buffer.alloc(0);
  const digits = PREFIX_DIGITS[spec.lengthType];
  if (encoding === 'ascii') return Buffer.from(String(count).padStart(digits, '0'), 'latin1');
  const nibbles = nibblesOf(String(count).padStart(digits === 2 ? 2 : 4, '0'), 'n');
  return packBcd(nibbles, 'right');
}

function writeField(spec: FieldSpec, value: string, encoding: Encoding): Buffer {
  const field = spec.number;
  const { format, length: max } = formatIn(spec, encoding);
  const fixed = spec.lengthType === 'fixed';
  let body: Buffer;
  let count: number;
  if (format === 'b') {
    if (!/^(?:[0-9A-Fa-f]{2})*$/.test(value)) {
      throw new Iso8583Error(
        `binary data must be an even number of hexadecimal digits, not ${describe(spec, value)}`,
        {
          field,
        },
      );
    }
    count = value.length / 2;
    body =
      encoding === 'bcd' ? Buffer.from(value, 'hex') : Buffer.from(value.toUpperCase(), 'latin1');
  } else if (format === 'an' || format === 'ans') {
    body = encodeText(value, spec);
    if (fixed && body.length < spec.length) {
      body = Buffer.concat([body, Buffer.alloc(spec.length - body.length, 0x20)]);
    }
    count = body.length;
  } else {
    const nibbles = nibblesOf(value, format);
    if (nibbles.includes(-1)) {
      const what = format === 'n' ? 'digits only' : 'track data (digits and =)';
      throw new Iso8583Error(`must be ${what}, not ${describe(spec, value)}`, { field });
    }
    count = nibbles.length;
    if (encoding === 'bcd' && spec.bcd !== 'chars') {
      body = packBcd(nibbles, spec.bcd === 'left' ? 'left' : 'right');
    } else {
      const text = nibbles.map((n) => String.fromCharCode(0x30 + n)).join('');
      body = Buffer.from(text, 'latin1');
    }
  }
  if (fixed && count !== spec.length) {
    const unit = format === 'n' || format === 'z' ? 'digits' : 'bytes';
    throw new Iso8583Error(
      `must be ${spec.length} ${unit}, not ${count} (${describe(spec, value)})`,
      {
        field,
      },
    );
  }
  if (!fixed && count > max) {
    throw new Iso8583Error(`longer than ${max} (${count}: ${describe(spec, value)})`, { field });
  }
  return Buffer.concat([writePrefix(count, spec, encoding), body]);
}

/** Encodes one message (without a frame's length prefix). Throws `Iso8583Error`. */
export function encodeMessage(
  message: IsoMessage,
  encoding: Encoding,
  options: EncodeOptions = {},
): Buffer {
  if (encoding !== 'ascii' && encoding !== 'bcd') {
    throw new Iso8583Error(`unknown encoding ${JSON.stringify(encoding)}`);
  }
  if (typeof message !== 'object' || typeof message.fields !== 'object' || !message.fields) {
    throw new Iso8583Error('a message is an object with `mti` and `fields`');
  }
  if (typeof message.mti !== 'string' || !/^\d{4}$/.test(message.mti)) {
    throw new Iso8583Error('the message type must be 4 digits');
  }
  const entries: [FieldSpec, string][] = [];
  for (const [key, value] of Object.entries(message.fields)) {
    if (value === undefined) continue;
    const number = Number(key);
    if (!Number.isInteger(number) || number < 2 || number > 128) {
      throw new Iso8583Error(`there is no field ${JSON.stringify(key)} (fields run from 2 to 128)`);
    }
    const spec = fieldSpec(number);
    if (spec === undefined) {
      throw new Iso8583Error('its format is not known', { field: number });
    }
    if (typeof value !== 'string') {
      throw new Iso8583Error('the value must be a string', { field: number });
    }
    entries.push([spec, value]);
  }
  entries.sort(([a], [b]) => a.number - b.number);
  const secondary =
    options.secondaryBitmap === 'always' || entries.some(([spec]) => spec.number > 64);
  const bitmap = Buffer.alloc(secondary ? 16 : 8);
  if (secondary) bitmap[0] = 0x80;
  for (const [spec] of entries) {
    const index = (spec.number - 1) >> 3;
    bitmap[index] = (bitmap[index] ?? 0) | (0x80 >> ((spec.number - 1) & 7));
  }
  const parts: Buffer[] =
    encoding === 'ascii'
      ? [
          Buffer.from(message.mti, 'latin1'),
          Buffer.from(bitmap.toString('hex').toUpperCase(), 'latin1'),
        ]
      : [packBcd(nibblesOf(message.mti, 'n'), 'right'), bitmap];
  for (const [spec, value] of entries) parts.push(writeField(spec, value, encoding));
  return Buffer.concat(parts);
}

/** A codec bound to one encoding, for a connection or a file that uses one. */
export class Iso8583Codec {
  constructor(
    readonly encoding: Encoding,
    private readonly options: EncodeOptions = {},
  ) {}

  encode(message: IsoMessage): Buffer {
    return encodeMessage(message, this.encoding, this.options);
  }

  decode(bytes: Uint8Array): IsoMessage {
    return decodeMessage(bytes, this.encoding);
  }
}
