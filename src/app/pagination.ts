/**
 * Keyset pagination. Lists ordered newest first carry the (time, id) of the last row shown;
 * registry lists ordered by number carry that number. Cursors are opaque to clients
 * (base64url) and checked when they come back. One extra row is fetched to tell whether there
 * is a next page.
 */
import { DomainError } from '../core/errors.js';

export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 50;

export interface TimeCursor {
  at: string;
  id: string;
}

export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify({ at: at.toISOString(), id }), 'utf8').toString('base64url');
}

export function decodeTimeCursor(cursor: string | undefined): TimeCursor | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as TimeCursor).at === 'string' &&
      typeof (value as TimeCursor).id === 'string' &&
      !Number.isNaN(new Date((value as TimeCursor).at).getTime()) &&
      (value as TimeCursor).id.length <= 100
    ) {
      return value as TimeCursor;
    }
  } catch {
    // Falls through to the error below: the cursor was not one of ours.
  }
  throw new DomainError('validation_failed', 'Invalid cursor');
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? PAGE_LIMIT_DEFAULT, 1), PAGE_LIMIT_MAX);
}

/** Cuts the extra row fetched off the page and makes the next cursor from the last row. */
export function timePage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => { at: Date; id: string },
  present: (row: Row) => Item,
): { items: Item[]; nextCursor?: string } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (rows.length > limit && last !== undefined) {
    const key = keyOf(last);
    return { items: page.map(present), nextCursor: encodeTimeCursor(key.at, key.id) };
  }
  return { items: page.map(present) };
}

/** The cursor of a list ordered by a merchant number or terminal id. */
export function decodeKeyCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9A-Z]{1,20}$/.test(key)) throw new DomainError('validation_failed', 'Invalid cursor');
  return key;
}

export function keyPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => string,
  present: (row: Row) => Item,
): { items: Item[]; nextCursor?: string } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (rows.length > limit && last !== undefined) {
    return {
      items: page.map(present),
      nextCursor: Buffer.from(keyOf(last), 'utf8').toString('base64url'),
    };
  }
  return { items: page.map(present) };
}
