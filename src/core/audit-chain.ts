/**
 * The audit trail's hash chain, pure. Each entry's hash covers its content and the previous
 * entry's hash, so altering or deleting any entry breaks every link after it; the head
 * (last sequence number and hash) is kept apart so that deleting the newest entries shows too.
 */
import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  seq: number;
  /** RFC 3339 UTC with milliseconds. */
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  merchantNo: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditLink extends AuditContent {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashAuditEntry(content: AuditContent, prevHash: string): string {
  return crypto
    .createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(content))
    .digest('hex');
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | {
      ok: false;
      entries: number;
      /** The first entry whose link does not hold (or where one is missing). */
      firstBrokenSeq: number;
      problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';
    };

/**
 * Walks entries in sequence order. `head` is the stored last link; it catches deletion of the
 * newest entries, which leaves no gap behind.
 */
export class ChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #count = 0;
  #broken: ChainVerdict | null = null;

  push(link: AuditLink): void {
    if (this.#broken) return;
    this.#count += 1;
    if (link.seq !== this.#expectedSeq) {
      this.#broken = this.#fail(this.#expectedSeq, 'sequence_gap');
      return;
    }
    if (link.prevHash !== this.#prevHash) {
      this.#broken = this.#fail(link.seq, 'prev_hash_mismatch');
      return;
    }
    const { prevHash, hash, ...content } = link;
    if (hashAuditEntry(content, prevHash) !== hash) {
      this.#broken = this.#fail(link.seq, 'hash_mismatch');
      return;
    }
    this.#prevHash = hash;
    this.#expectedSeq += 1;
  }

  finish(head: { lastSeq: number; lastHash: string }): ChainVerdict {
    if (this.#broken) return { ...this.#broken, entries: this.#count };
    if (head.lastSeq !== this.#expectedSeq - 1 || head.lastHash !== this.#prevHash) {
      return {
        ok: false,
        entries: this.#count,
        firstBrokenSeq: this.#expectedSeq,
        problem: 'head_mismatch',
      };
    }
    return { ok: true, entries: this.#count };
  }

  #fail(seq: number, problem: Exclude<ChainVerdict, { ok: true }>['problem']): ChainVerdict {
    return { ok: false, entries: this.#count, firstBrokenSeq: seq, problem };
  }
}
