/**
 * Card traffic of one terminal over a span of time, as a switch would report it: purchases at
 * the hours shops are busy, amounts log-normal around the trade's usual ticket, synthetic card
 * numbers under real BINs with a Luhn check digit, a few declines, and voids, reversals and
 * refunds of earlier purchases. Pure: the caller brings the random source and the clock.
 */
import { BIN_TABLE, type BinTableRow } from '../core/bins/bin-table.data.js';
import { luhnComplete } from '../core/identifiers/index.js';
import type { TransactionInput, TransactionStatus, TransactionType } from '../core/transaction.js';
import type { Random } from './random.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** China Standard Time, UTC+8, all year. */
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Amounts are kept between ¥5 and ¥5,000, in fen. */
export const AMOUNT_FEN_MIN = 500;
export const AMOUNT_FEN_MAX = 500_000;

/** Relative activity by hour of the day in China: quiet at night, peaks at lunch and dinner. */
const HOUR_WEIGHTS = [
  0.05, 0.03, 0.02, 0.01, 0.01, 0.02, 0.08, 0.25, 0.45, 0.55, 0.65, 0.85, 1.0, 0.9, 0.65, 0.6, 0.65,
  0.8, 1.0, 0.95, 0.8, 0.55, 0.3, 0.12,
] as const;

/** The usual ticket of a trade (median, in fen); other trades take the default. */
const MEDIAN_TICKET_FEN: Readonly<Record<string, number>> = {
  '5812': 4_500,
  '5411': 3_500,
  '5499': 3_000,
  '7230': 8_000,
  '5912': 6_000,
  '5311': 15_000,
  '5722': 60_000,
  '5977': 20_000,
  '8062': 25_000,
};
const DEFAULT_MEDIAN_TICKET_FEN = 8_000;
const TICKET_SIGMA = 0.9;

const DECLINE_RATE = 0.03;
const REVERSAL_RATE = 0.01;
const VOID_RATE = 0.015;
const REFUND_RATE = 0.015;
/** Share of purchases paid with a card seen at this terminal before. */
const REGULAR_CARD_RATE = 0.25;
const REGULAR_CARDS_MAX = 20;
const DEBIT_SHARE = 0.65;
/** Response codes of declines: insufficient funds, wrong PIN, do not honour, over the limit. */
const DECLINE_CODES = ['51', '55', '05', '61'] as const;
/** What a receipt holds: 40 bytes of GBK, that is 20 Chinese characters. */
const RECEIPT_NAME_BYTES_MAX = 40;

export interface TrafficDraft {
  terminalId: string;
  /** The merchant number the transaction carries (not necessarily the terminal's). */
  merchantNo: string;
  type: TransactionType;
  status: TransactionStatus;
  amountFen: number;
  occurredAtMs: number;
  pan: string;
  merchantNameOnReceipt: string | null;
  authCode: string | null;
  responseCode: string;
}

/** What the receipt shows: the registered name as a clean terminal prints it, or a fixed text. */
export type ReceiptName =
  { kind: 'registered'; name: string } | { kind: 'fixed'; name: string } | { kind: 'none' };

export interface TrafficSpec {
  terminalId: string;
  merchantNo: string;
  mcc: string;
  receipt: ReceiptName;
  /** Expected purchases per day. */
  purchasesPerDay: number;
  /** At least this many purchases, whatever the draw. */
  purchasesMin: number;
  fromMs: number;
  /** Exclusive. */
  toMs: number;
}

const BINS: { debit: BinTableRow[]; credit: BinTableRow[] } = {
  debit: BIN_TABLE.filter((r) => r.cardType === 'debit' && r.length >= 16 && r.length <= 19),
  credit: BIN_TABLE.filter((r) => r.cardType === 'credit' && r.length >= 16 && r.length <= 19),
};

/** A synthetic card number: a real BIN, random digits, a Luhn check digit. */
export function syntheticPan(rng: Random): string {
  const row = rng.pick(rng.chance(DEBIT_SHARE) ? BINS.debit : BINS.credit);
  return luhnComplete(row.bin + rng.digits(row.length - row.bin.length - 1));
}

/** Hour of the day in China for an instant. */
function chinaHour(ms: number): number {
  return new Date(ms + CHINA_OFFSET_MS).getUTCHours();
}

/** A time in [fromMs, toMs), weighted by the hour profile (rejection sampling), whole seconds. */
function busyTime(rng: Random, fromMs: number, toMs: number): number {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const ms = fromMs + Math.floor(rng.unit() * (toMs - fromMs));
    if (rng.unit() < (HOUR_WEIGHTS[chinaHour(ms)] ?? 1)) return Math.floor(ms / 1000) * 1000;
  }
  return Math.floor(fromMs / 1000) * 1000;
}

/** Log-normal around the trade's median, within ¥5 to ¥5,000, mostly in whole yuan. */
export function ticketFen(rng: Random, mcc: string): number {
  const median = MEDIAN_TICKET_FEN[mcc] ?? DEFAULT_MEDIAN_TICKET_FEN;
  const raw = rng.logNormal(median, TICKET_SIGMA);
  const roll = rng.unit();
  const rounded =
    roll < 0.5 ? Math.round(raw / 100) * 100 : roll < 0.7 ? Math.round(raw / 10) * 10 : raw;
  return Math.min(AMOUNT_FEN_MAX, Math.max(AMOUNT_FEN_MIN, Math.round(rounded)));
}

/** The name cut to what a receipt holds (a Chinese character counts two bytes, as in GBK). */
export function receiptTruncated(name: string): string {
  let bytes = 0;
  let out = '';
  for (const ch of name) {
    bytes += (ch.codePointAt(0) ?? 0) > 0x7f ? 2 : 1;
    if (bytes > RECEIPT_NAME_BYTES_MAX) break;
    out += ch;
  }
  return out;
}

function receiptText(rng: Random, receipt: ReceiptName): string | null {
  if (receipt.kind === 'none') return null;
  if (receipt.kind === 'fixed') return receipt.name;
  const roll = rng.unit();
  if (roll < 0.7) return receipt.name;
  if (roll < 0.9) return null;
  return receiptTruncated(receipt.name);
}

function authCode(rng: Random): string {
  return rng.digits(6);
}

/** Every transaction of one terminal in the span, in no particular order. */
export function generateTraffic(rng: Random, spec: TrafficSpec): TrafficDraft[] {
  const spanMs = spec.toMs - spec.fromMs;
  if (spanMs <= 0) return [];
  const count = Math.max(spec.purchasesMin, rng.poisson((spec.purchasesPerDay * spanMs) / DAY_MS));
  const regulars: string[] = [];
  const out: TrafficDraft[] = [];
  const base = { terminalId: spec.terminalId, merchantNo: spec.merchantNo };
  for (let i = 0; i < count; i += 1) {
    let pan: string;
    if (regulars.length > 0 && rng.chance(REGULAR_CARD_RATE)) {
      pan = rng.pick(regulars);
    } else {
      pan = syntheticPan(rng);
      if (regulars.length < REGULAR_CARDS_MAX) regulars.push(pan);
    }
    const purchase: TrafficDraft = {
      ...base,
      type: 'purchase',
      status: 'approved',
      amountFen: ticketFen(rng, spec.mcc),
      occurredAtMs: busyTime(rng, spec.fromMs, spec.toMs),
      pan,
      merchantNameOnReceipt: receiptText(rng, spec.receipt),
      authCode: null,
      responseCode: '00',
    };
    if (rng.chance(DECLINE_RATE)) {
      out.push({ ...purchase, status: 'declined', responseCode: rng.pick(DECLINE_CODES) });
      continue;
    }
    purchase.authCode = authCode(rng);
    out.push(purchase);
    const followUp = followUpOf(rng, purchase, spec.toMs);
    if (followUp) out.push(followUp);
  }
  return out;
}

/** A reversal, void or refund of an approved purchase, if one is drawn and falls in the span. */
function followUpOf(rng: Random, purchase: TrafficDraft, toMs: number): TrafficDraft | null {
  const roll = rng.unit();
  let type: TransactionType;
  let delayMs: number;
  let amountFen = purchase.amountFen;
  if (roll < REVERSAL_RATE) {
    // The terminal timed out waiting for the answer and reverses the purchase.
    type = 'reversal';
    delayMs = rng.int(20, 120) * 1000;
  } else if (roll < REVERSAL_RATE + VOID_RATE) {
    // Cancelled at the counter the same day, before settlement.
    type = 'void';
    delayMs = rng.int(1, 90) * MINUTE_MS;
  } else if (roll < REVERSAL_RATE + VOID_RATE + REFUND_RATE) {
    // Goods brought back later; sometimes only part of the amount.
    type = 'refund';
    delayMs = rng.int(60, 24 * 60) * MINUTE_MS;
    if (rng.chance(0.3)) {
      amountFen = Math.max(AMOUNT_FEN_MIN, Math.round((amountFen * rng.int(20, 90)) / 100));
    }
  } else {
    return null;
  }
  const occurredAtMs = purchase.occurredAtMs + delayMs;
  if (occurredAtMs >= toMs) return null;
  return { ...purchase, type, amountFen, occurredAtMs, authCode: authCode(rng) };
}

/** Julian day (001-366) of an instant in China. */
function julianDay(ms: number): string {
  const date = new Date(ms + CHINA_OFFSET_MS);
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  return String(Math.floor((date.getTime() - start) / DAY_MS) + 1).padStart(3, '0');
}

/**
 * Drafts in time order become transactions as the switch sends them: an id of the caller's
 * making, a STAN counting per terminal, an RRN of the day, the hour and a running number.
 * The drafts must already be sorted.
 */
export function numberTransactions(
  sorted: readonly TrafficDraft[],
  idOf: (position: number) => string,
): TransactionInput[] {
  const stans = new Map<string, number>();
  return sorted.map((draft, position) => {
    const stan = ((stans.get(draft.terminalId) ?? 0) % 999_999) + 1;
    stans.set(draft.terminalId, stan);
    const hour = String(chinaHour(draft.occurredAtMs)).padStart(2, '0');
    const running = String((position + 1) % 10_000_000).padStart(7, '0');
    return {
      id: idOf(position),
      terminalId: draft.terminalId,
      merchantNo: draft.merchantNo,
      type: draft.type,
      status: draft.status,
      amountFen: draft.amountFen,
      occurredAt: new Date(draft.occurredAtMs).toISOString().replace('.000Z', 'Z'),
      pan: draft.pan,
      ...(draft.merchantNameOnReceipt
        ? { merchantNameOnReceipt: draft.merchantNameOnReceipt }
        : {}),
      rrn: `${julianDay(draft.occurredAtMs)}${hour}${running}`,
      stan: String(stan).padStart(6, '0'),
      ...(draft.authCode ? { authCode: draft.authCode } : {}),
      responseCode: draft.responseCode,
    };
  });
}

/** Time order; ties by terminal, then by the order of making, so that sorting is stable. */
export function byTime<T extends { draft: TrafficDraft; order: number }>(a: T, b: T): number {
  return (
    a.draft.occurredAtMs - b.draft.occurredAtMs ||
    a.draft.terminalId.localeCompare(b.draft.terminalId) ||
    a.order - b.order
  );
}
