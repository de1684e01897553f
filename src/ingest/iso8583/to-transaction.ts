/**
 * From a decoded ISO 8583 message to the transaction SettleGuard screens, or the reason it is
 * not one. Pure. README.md beside this file gives the rules as a table.
 */
import {
  AMOUNT_FEN_MAX,
  RECEIPT_NAME_LENGTH_MAX,
  TRANSACTION_ID_LENGTH_MAX,
  type TransactionInput,
  type TransactionType,
} from '../../core/transaction.js';
import type { IsoMessage } from './codec.js';

export type ToTransactionResult =
  | { kind: 'transaction'; transaction: TransactionInput }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Response codes (field 39) that approve: 00, 10 (partial approval), 11 (approved, VIP). */
export const APPROVED_RESPONSE_CODES: ReadonlySet<string> = new Set(['00', '10', '11']);

/** ISO 4217 numeric to alphabetic codes for the currencies a Chinese acquirer meets most. */
export const CURRENCY_CODES: Readonly<Record<string, string>> = {
  '156': 'CNY',
  '344': 'HKD',
  '446': 'MOP',
  '901': 'TWD',
  '840': 'USD',
  '978': 'EUR',
  '826': 'GBP',
  '392': 'JPY',
  '410': 'KRW',
  '702': 'SGD',
  '458': 'MYR',
  '764': 'THB',
  '360': 'IDR',
  '608': 'PHP',
  '704': 'VND',
  '036': 'AUD',
  '554': 'NZD',
  '124': 'CAD',
  '756': 'CHF',
  '643': 'RUB',
  '784': 'AED',
  '682': 'SAR',
};

const CHINA_OFFSET_MS = 8 * 3600_000;
const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;
const RECEIPT_PADDING: ReadonlySet<string> = new Set([' ', '\t', '\u3000', '\u0000', '\ufffd']);

function field(message: IsoMessage, number: number): string | undefined {
  const value = message.fields[number];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The instant of a wall-clock time at a fixed offset, or null when the date does not exist. */
function instant(year: number, mmdd: string, hhmmss: string, offsetMs: number): number | null {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  const hour = Number(hhmmss.slice(0, 2));
  const minute = Number(hhmmss.slice(2, 4));
  const second = Number(hhmmss.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return null; // 30 February and the like
  return utc - offsetMs;
}

/**
 * A month-day-time without a year, placed in the year (of the one before, the same, the one
 * after `receivedAt`'s) that brings it closest to `receivedAt`: a message of 31 December 23:59
 * received on 1 January belongs to the year before.
 */
function closestInstant(
  mmdd: string,
  hhmmss: string,
  offsetMs: number,
  receivedAt: Date,
): number | null {
  if (!/^\d{4}$/.test(mmdd) || !/^\d{6}$/.test(hhmmss)) return null;
  const received = receivedAt.getTime();
  const year = new Date(received + offsetMs).getUTCFullYear();
  let best: number | null = null;
  for (const candidate of [year - 1, year, year + 1]) {
    const at = instant(candidate, mmdd, hhmmss, offsetMs);
    if (at === null) continue;
    if (best === null || Math.abs(at - received) < Math.abs(best - received)) best = at;
  }
  return best;
}

/** RFC 3339 in China time, to the second: `2025-03-14T10:22:33+08:00`. */
function chinaTime(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000 + CHINA_OFFSET_MS).toISOString();
  return `${iso.slice(0, 19)}+08:00`;
}

/**
 * When the transaction took place: fields 13 + 12 (local date and time, China time), else
 * field 7 (transmission date and time, GMT), else the time the message was received.
 */
function occurredAt(message: IsoMessage, receivedAt: Date): number {
  const localDate = field(message, 13);
  const localTime = field(message, 12);
  if (localDate !== undefined && localTime !== undefined) {
    const at = closestInstant(localDate, localTime, CHINA_OFFSET_MS, receivedAt);
    if (at !== null) return at;
  }
  const transmitted = field(message, 7);
  if (transmitted !== undefined && /^\d{10}$/.test(transmitted)) {
    const at = closestInstant(transmitted.slice(0, 4), transmitted.slice(4), 0, receivedAt);
    if (at !== null) return at;
  }
  return receivedAt.getTime();
}

/** The name part of field 43: CUP puts the name first, padded with (full-width) spaces. */
function receiptName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // Trailing padding: spaces, full-width spaces, NULs, and a GBK character cut in half.
  let end = raw.length;
  while (end > 0 && RECEIPT_PADDING.has(raw.charAt(end - 1))) end -= 1;
  const name = raw.slice(0, end).trimStart();
  return name === '' ? undefined : name.slice(0, RECEIPT_NAME_LENGTH_MAX);
}

function currency(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return CURRENCY_CODES[raw] ?? raw;
}

function panOf(message: IsoMessage): string | undefined {
  const pan = field(message, 2);
  if (pan !== undefined) return pan;
  // Swiped cards may send track 2 only: the card number is what precedes the separator.
  const track2 = field(message, 35);
  const fromTrack = track2?.split(/[=D]/)[0];
  return fromTrack === '' ? undefined : fromTrack;
}

type Route = { kind: 'skip'; reason: string } | { kind: 'response' | 'advice' | 'reversal' };

function route(mti: string): Route {
  if (!/^\d{4}$/.test(mti))
    return { kind: 'skip', reason: `message type ${JSON.stringify(mti)} is not 4 digits` };
  if (!mti.startsWith('0')) {
    return {
      kind: 'skip',
      reason: `message type ${mti}: only ISO 8583:1987 (0xxx) messages are read`,
    };
  }
  switch (mti.slice(0, 3)) {
    case '020':
      return { kind: 'skip', reason: 'request: the response carries the outcome' };
    case '021':
      return { kind: 'response' };
    case '022':
      return { kind: 'advice' };
    case '023':
      return { kind: 'skip', reason: 'advice response: the advice carries the transaction' };
    case '040':
    case '042':
      return { kind: 'reversal' };
    case '041':
    case '043':
      return { kind: 'skip', reason: 'reversal response: the reversal carries the transaction' };
    case '010':
    case '011':
    case '012':
    case '013':
      return { kind: 'skip', reason: 'authorisation message: a pre-authorisation moves no money' };
    case '032':
    case '033':
      return { kind: 'skip', reason: 'batch upload message: not read' };
    case '050':
    case '051':
    case '052':
    case '053':
      return { kind: 'skip', reason: 'reconciliation message' };
    case '080':
    case '081':
    case '082':
    case '083':
      return { kind: 'skip', reason: 'network management message' };
    default:
      return { kind: 'skip', reason: `message type ${mti} is not a financial transaction` };
  }
}

function typeOf(
  kind: 'response' | 'advice' | 'reversal',
  processingCode: string,
): TransactionType | null {
  const code = processingCode.slice(0, 2);
  if (code !== '00' && code !== '20') return null;
  if (kind === 'reversal') return 'reversal';
  if (code === '00') return 'purchase';
  return kind === 'response' ? 'void' : 'refund';
}

const REQUIRED: readonly [number, string][] = [
  [41, 'terminal id'],
  [42, 'merchant number'],
  [4, 'amount'],
  [3, 'processing code'],
];

export function toTransaction(
  message: IsoMessage,
  options: { receivedAt: Date },
): ToTransactionResult {
  const mti = typeof message.mti === 'string' ? message.mti : '';
  const path = route(mti);
  if (path.kind === 'skip') return path;

  const missing = REQUIRED.filter(([number]) => field(message, number) === undefined);
  if (path.kind === 'response' && field(message, 39) === undefined) {
    missing.push([39, 'response code']);
  }
  if (missing.length > 0) {
    const list = missing.map(([number, name]) => `${number} (${name})`).join(', ');
    return { kind: 'invalid', reason: `missing field${missing.length > 1 ? 's' : ''} ${list}` };
  }
  const terminalId = field(message, 41) ?? '';
  const merchantNo = field(message, 42) ?? '';
  const processingCode = field(message, 3) ?? '';
  const amountText = field(message, 4) ?? '';
  const responseCode = field(message, 39);

  const type = typeOf(path.kind, processingCode);
  if (type === null) {
    return {
      kind: 'skip',
      reason: `processing code ${processingCode}: neither a purchase (00) nor a void or refund (20)`,
    };
  }
  if (!/^\d{1,12}$/.test(amountText)) {
    return { kind: 'invalid', reason: 'field 4 (amount) is not 1 to 12 digits' };
  }
  const amountFen = Number(amountText);
  if (amountFen <= 0) return { kind: 'invalid', reason: 'field 4 (amount) is zero' };
  if (amountFen > AMOUNT_FEN_MAX) {
    return { kind: 'invalid', reason: `field 4 (amount) exceeds ${AMOUNT_FEN_MAX} fen` };
  }

  const at = occurredAt(message, options.receivedAt);
  const rrnRaw = field(message, 37);
  const rrn = rrnRaw === undefined || /^0+$/.test(rrnRaw) ? undefined : rrnRaw;
  const stan = field(message, 11);
  let id: string;
  if (rrn !== undefined) {
    id = `${type}-${merchantNo}-${terminalId}-${rrn}`;
  } else if (stan !== undefined) {
    const localDate = field(message, 13);
    const mmdd =
      localDate !== undefined && /^\d{4}$/.test(localDate)
        ? localDate
        : chinaTime(at).slice(5, 10).replace('-', '');
    id = `${type}-${merchantNo}-${terminalId}-${stan}-${mmdd}`;
  } else {
    return { kind: 'invalid', reason: 'neither field 37 (RRN) nor field 11 (STAN): no stable id' };
  }
  if (id.length > TRANSACTION_ID_LENGTH_MAX || !ID_PATTERN.test(id)) {
    return {
      kind: 'invalid',
      reason: `fields 41, 42, 37/11 do not make an id of up to ${TRANSACTION_ID_LENGTH_MAX} letters, digits or - _ . :`,
    };
  }

  const transaction: TransactionInput = {
    id,
    terminalId,
    merchantNo,
    type,
    amountFen,
    occurredAt: chinaTime(at),
    status:
      path.kind === 'response' && !APPROVED_RESPONSE_CODES.has(responseCode ?? '')
        ? 'declined'
        : 'approved',
  };
  const pan = panOf(message);
  if (pan !== undefined) transaction.pan = pan;
  const name = receiptName(message.fields[43]);
  if (name !== undefined) transaction.merchantNameOnReceipt = name;
  if (rrn !== undefined) transaction.rrn = rrn;
  if (stan !== undefined) transaction.stan = stan;
  const authCode = field(message, 38);
  if (authCode !== undefined) transaction.authCode = authCode;
  // Only a response's field 39 is the issuer's answer; in a reversal it is the reversal reason.
  if (path.kind === 'response' && responseCode !== undefined)
    transaction.responseCode = responseCode;
  const code = currency(field(message, 49));
  if (code !== undefined) transaction.currency = code;
  return { kind: 'transaction', transaction };
}
