/**
 * The in-memory index of the registry that screening and authorize-check read: terminal →
 * merchant → account in force, and account fingerprint → merchants. Built at start, refreshed
 * for the keys a registry change names, on every instance: the change is announced with
 * `pg_notify` inside the transaction that makes it (delivered only if it commits), and the
 * instance that made it also refreshes at once, so its next request sees the change.
 */
import type { Database, Queryable } from '../../storage/database.js';
import {
  NO_ACCOUNT_CHANGE,
  type IndexedMerchant,
  type IndexedTerminal,
  type PairResult,
  type RegistryView,
  type ScreeningPair,
} from '../../core/screening/registry-view.js';
import { CLEAN, screeningPairOf } from '../../core/screening/screen.js';
import { DEFAULT_POLICY, type ScreeningPolicy } from '../../core/screening/policy.js';
import { merchantIsQuiet, terminalIsQuiet, type ScreenInput } from '../../core/screening/rules.js';
import { ShortKeyMap } from '../../core/screening/short-key-map.js';

export const REGISTRY_CHANNEL = 'settleguard_registry';
/** Keys per notification; more than this and the receivers reload everything. */
const NOTIFY_KEYS_MAX = 200;

export interface RegistryChange {
  merchants?: readonly string[];
  terminals?: readonly string[];
  /** Reload everything (large imports). */
  all?: boolean;
}

/** Announces a registry change to every instance; call inside the changing transaction. */
export async function announceRegistryChange(tx: Queryable, change: RegistryChange): Promise<void> {
  const merchants = change.merchants ?? [];
  const terminals = change.terminals ?? [];
  const payload =
    change.all || merchants.length + terminals.length > NOTIFY_KEYS_MAX
      ? { all: true }
      : { merchants, terminals };
  await tx.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, JSON.stringify(payload)]);
}

interface MerchantRow {
  merchant_no: string;
  name: string;
  type: IndexedMerchant['type'];
  status: IndexedMerchant['status'];
  legal_person_id_fp: string;
  account_id: string | null;
  account_status: NonNullable<IndexedMerchant['account']>['status'] | null;
  account_fp: string | null;
  account_number_masked: string | null;
  account_name: string | null;
  name_check_result: 'match' | 'close_match' | 'no_match' | null;
  account_valid_from: Date | null;
  account_is_change: boolean;
  open_incident_id: string | null;
  settlement_held: boolean;
}

const MERCHANT_SQL = `
  SELECT m.merchant_no, m.name, m.type, m.status, m.legal_person_id_fp,
         a.account_id, a.status AS account_status, a.account_fp, a.account_number_masked,
         a.account_name, a.name_check->>'result' AS name_check_result,
         a.valid_from AS account_valid_from,
         COALESCE(EXISTS (SELECT 1 FROM settlement_accounts p
                           WHERE p.merchant_no = m.merchant_no AND p.account_id <> a.account_id),
                  false) AS account_is_change,
         (SELECT i.id FROM incidents i
           WHERE i.merchant_no = m.merchant_no AND NOT i.drill
             AND i.status NOT IN ('resolved', 'closed') LIMIT 1) AS open_incident_id,
         EXISTS (SELECT 1 FROM settlement_holds h
                  WHERE h.merchant_no = m.merchant_no AND h.released_at IS NULL) AS settlement_held
    FROM merchants m
    LEFT JOIN LATERAL (
      SELECT s.* FROM settlement_accounts s
       WHERE s.merchant_no = m.merchant_no AND s.valid_to IS NULL AND s.status <> 'superseded'
       ORDER BY s.valid_from DESC, s.version_id DESC LIMIT 1) a ON true
   WHERE m.valid_to IS NULL`;

interface TerminalRow {
  terminal_id: string;
  merchant_no: string;
  status: IndexedTerminal['status'];
  model: string;
  firmware_version: string;
  serial_number: string;
}

const TERMINAL_SQL = `SELECT terminal_id, merchant_no, status, model, firmware_version, serial_number
  FROM terminals WHERE valid_to IS NULL`;

/**
 * An index entry of a terminal, with a link to its merchant's entry so that screening's fast
 * path looks up only the terminal. A merchant entry that is replaced or removed is retired
 * (and no longer quiet), so a stale link can only send a transaction down the full path, and
 * is mended on the next `boundMerchant`.
 */
interface LinkedTerminal extends IndexedTerminal, ScreeningPair {
  linked: LinkedMerchant | undefined;
  /**
   * The fast path's pair kept on the terminal (`screeningPair`), when `hasPair`. Valid while
   * `pairEpoch` equals the index's epoch, which every change of a merchant entry moves on; a
   * terminal entry is replaced, never changed.
   */
  pairName: string;
  pairChangedAtMin: number;
  pairResult: PairResult;
  pairPolicy: ScreeningPolicy;
  hasPair: boolean;
  pairEpoch: number;
}

interface LinkedMerchant extends IndexedMerchant {
  retired: boolean;
  /** Where the name's UTF-16 units start in the index's name pool (see `plainlyClean`). */
  nameAt: number;
  /** Unrelated merchants settling to the same account, worked out when either changes. */
  sharers: readonly string[];
}

/**
 * The terminal's card: fourteen ints beside its key in the terminal table (`ShortKeyMap`),
 * 64 bytes in all, so that `plainlyClean` reads one cache line and no object at all (and the
 * name pool only for a name of more than CARD_NAME_UNITS). In a 100,000-terminal index, the
 * chain from table to entry to strings was five cache misses a transaction, and those misses
 * were most of screening's time.
 */
const CARD_INTS = 14;
const CARD_STAMP = 2; // the index's stamp when the card was filled; 0: never filled
const CARD_FLAGS = 3; // 0: not plain; else (name length << 1) | 1
const CARD_MERCHANT_HIGH = 4; // the bound merchant's 15-digit number, digits 1–7 (`packDigits`)
const CARD_MERCHANT_LOW = 5; // digits 8–15
const CARD_CHANGED_AT_MIN = 6; // ScreeningPair.pairChangedAtMin
const CARD_NAME_AT = 7; // the merchant's name in the name pool
const CARD_NAME = 8; // the name's first UTF-16 units, two to an int (low half first)
const CARD_NAME_UNITS = 2 * (2 + CARD_INTS - CARD_NAME);
const NOT_DIGITS = -1;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The name pool is compacted when its dead names outgrow its live ones by this many units. */
const NAME_POOL_SLACK = 1 << 16;

/**
 * Up to `count` characters of `value` from `from` as nibbles (digit + 1, 0 past the end): a
 * merchant number of at most 15 digits packs exactly into two int32s. NOT_DIGITS when a
 * character is not a digit (no packing of digits, whose nibbles are at most 0xA, gives -1).
 */
function packDigits(value: string, from: number, count: number): number {
  let packed = 0;
  for (let i = from; i < from + count; i += 1) {
    let nibble = 0;
    if (i < value.length) {
      nibble = value.charCodeAt(i) - 47;
      if (nibble < 1 || nibble > 10) return NOT_DIGITS;
    }
    packed = (packed << 4) | nibble;
  }
  return packed;
}

/**
 * `packDigits(value, from, 8)` for a string with at least `from + 8` characters, without a
 * branch a character: this runs for every screened transaction.
 */
function packEightDigits(value: string, from: number): number {
  const a = value.charCodeAt(from) - 47;
  const b = value.charCodeAt(from + 1) - 47;
  const c = value.charCodeAt(from + 2) - 47;
  const d = value.charCodeAt(from + 3) - 47;
  const e = value.charCodeAt(from + 4) - 47;
  const f = value.charCodeAt(from + 5) - 47;
  const g = value.charCodeAt(from + 6) - 47;
  const h = value.charCodeAt(from + 7) - 47;
  // A nibble outside 1..10 (a character that is not a digit) makes one of these negative.
  const bad =
    (a - 1) |
    (10 - a) |
    (b - 1) |
    (10 - b) |
    (c - 1) |
    (10 - c) |
    (d - 1) |
    (10 - d) |
    ((e - 1) | (10 - e) | (f - 1) | (10 - f) | (g - 1) | (10 - g) | (h - 1) | (10 - h));
  if (bad < 0) return NOT_DIGITS;
  return (a << 28) | (b << 24) | (c << 20) | (d << 16) | (e << 12) | (f << 8) | (g << 4) | h;
}

export class RegistryIndex implements RegistryView {
  /** The policy the quiet flags are worked out under (minimum firmware per model). */
  readonly #policy: ScreeningPolicy;

  constructor(options: { policy?: ScreeningPolicy } = {}) {
    this.#policy = options.policy ?? DEFAULT_POLICY;
  }

  // Every screened transaction looks its terminal up here: a table made for 8-character ids,
  // with the terminal's card beside its key.
  #terminals = new ShortKeyMap<LinkedTerminal>(0, { extraInts: CARD_INTS });
  /** Merchant names, end to end, for the cards to point into. */
  #names = new Uint16Array(1024);
  #namesUsed = 0;
  #namesLive = 0;
  #merchants = new Map<string, LinkedMerchant>();
  /** account fingerprint → merchant number → legal person fingerprint */
  #byAccount = new Map<string, Map<string, string>>();
  /** Moves on with every change to a merchant entry: see LinkedTerminal.pairEpoch. */
  #epoch = 0;
  #stopListening: (() => Promise<void>) | null = null;
  #following = false;
  #refreshing = new Set<Promise<void>>();

  get size(): { terminals: number; merchants: number } {
    return { terminals: this.#terminals.size, merchants: this.#merchants.size };
  }

  terminal(terminalId: string): IndexedTerminal | undefined {
    return this.#terminals.get(terminalId);
  }

  merchant(merchantNo: string): IndexedMerchant | undefined {
    return this.#merchants.get(merchantNo);
  }

  boundMerchant(terminal: IndexedTerminal): IndexedMerchant | undefined {
    const entry = terminal as LinkedTerminal;
    const linked = entry.linked;
    if (linked !== undefined && !linked.retired) return linked;
    const merchant = this.#merchants.get(terminal.merchantNo);
    // Only entries of this index carry a link; a plain terminal object is answered by lookup.
    if ('linked' in entry) entry.linked = merchant;
    return merchant;
  }

  screeningPair(terminal: IndexedTerminal): ScreeningPair | null {
    const entry = terminal as LinkedTerminal;
    if (entry.pairEpoch === this.#epoch) return entry.hasPair ? entry : null;
    const pair = screeningPairOf(terminal, this.boundMerchant(terminal), this, this.#policy);
    // Only entries of this index keep the answer; a plain terminal object gets it fresh.
    if (!('pairEpoch' in entry)) return pair;
    entry.hasPair = pair !== null;
    entry.pairName = pair?.pairName ?? '';
    entry.pairChangedAtMin = pair?.pairChangedAtMin ?? NO_ACCOUNT_CHANGE;
    entry.pairResult = pair?.pairResult ?? CLEAN;
    entry.pairPolicy = this.#policy;
    entry.pairEpoch = this.#epoch;
    return pair === null ? null : entry;
  }

  plainlyClean(tx: ScreenInput, policy: ScreeningPolicy): boolean {
    if (policy !== this.#policy) return false;
    const terminals = this.#terminals;
    const slot = terminals.slotOf(tx.terminalId);
    if (slot < 0) return false;
    const table = terminals.table;
    const at = slot * terminals.stride;
    if (table[at + CARD_STAMP] !== this.#stamp()) this.#fillCard(slot, at);
    const flags = table[at + CARD_FLAGS] ?? 0;
    if (flags === 0) return false;
    // A card holds a merchant number of 15 digits, the only kind the registry takes.
    const merchantNo = tx.merchantNo;
    if (
      merchantNo.length !== 15 ||
      packEightDigits(merchantNo, 7) !== table[at + CARD_MERCHANT_LOW] ||
      packDigits(merchantNo, 0, 7) !== table[at + CARD_MERCHANT_HIGH]
    ) {
      return false;
    }
    const receiptName = tx.merchantNameOnReceipt;
    if (receiptName !== null) {
      const length = flags >>> 1;
      if (receiptName.length !== length) return false;
      const inCard = length < CARD_NAME_UNITS ? length : CARD_NAME_UNITS;
      let i = 0;
      for (; i + 1 < inCard; i += 2) {
        const units = receiptName.charCodeAt(i) | (receiptName.charCodeAt(i + 1) << 16);
        if (units !== table[at + CARD_NAME + (i >> 1)]) return false;
      }
      if (i < inCard && receiptName.charCodeAt(i) !== table[at + CARD_NAME + (i >> 1)]) {
        return false;
      }
      if (length > CARD_NAME_UNITS) {
        const names = this.#names;
        const nameAt = table[at + CARD_NAME_AT] ?? 0;
        for (i = CARD_NAME_UNITS; i < length; i += 1) {
          if (receiptName.charCodeAt(i) !== names[nameAt + i]) return false;
        }
      }
    }
    const changedAtMs = (table[at + CARD_CHANGED_AT_MIN] ?? 0) * MINUTE_MS;
    return tx.occurredAtMs - changedAtMs > policy.postChangeSpike.windowDays * DAY_MS;
  }

  /** UTF-16 units in the name pool: written, and still of a merchant in the index. */
  get namePool(): { used: number; live: number } {
    return { used: this.#namesUsed, live: this.#namesLive };
  }

  /** What a card filled now carries, never 0; moves on with the epoch. */
  #stamp(): number {
    return (this.#epoch & 0x3fffffff) + 1;
  }

  /** Fills a terminal's card from its entry and its pair, as `screeningPair` works them out. */
  #fillCard(slot: number, at: number): void {
    const table = this.#terminals.table;
    const entry = this.#terminals.valueAt(slot);
    let flags = 0;
    if (entry !== undefined) {
      const pair = this.screeningPair(entry);
      const merchant = this.boundMerchant(entry) as LinkedMerchant | undefined;
      const high = packDigits(entry.merchantNo, 0, 7);
      const low = packDigits(entry.merchantNo, 7, 8);
      if (
        pair !== null &&
        pair.pairResult === CLEAN &&
        merchant !== undefined &&
        merchant.nameAt >= 0 &&
        merchant.name === pair.pairName &&
        entry.merchantNo.length === 15 &&
        high !== NOT_DIGITS &&
        low !== NOT_DIGITS
      ) {
        const name = pair.pairName;
        flags = (name.length << 1) | 1;
        table[at + CARD_MERCHANT_HIGH] = high;
        table[at + CARD_MERCHANT_LOW] = low;
        table[at + CARD_NAME_AT] = merchant.nameAt;
        table[at + CARD_CHANGED_AT_MIN] = pair.pairChangedAtMin;
        // Two units to an int, the first in the low half; 0 past the name's end (never read).
        for (let i = 0; i < CARD_NAME_UNITS; i += 2) {
          const first = i < name.length ? name.charCodeAt(i) : 0;
          const second = i + 1 < name.length ? name.charCodeAt(i + 1) : 0;
          table[at + CARD_NAME + (i >> 1)] = first | (second << 16);
        }
      }
    }
    table[at + CARD_FLAGS] = flags;
    table[at + CARD_STAMP] = this.#stamp();
  }

  /** Copies a merchant's name into the pool; compacts the pool first when it is mostly dead. */
  #poolName(merchant: LinkedMerchant): void {
    const name = merchant.name;
    if (this.#namesUsed - this.#namesLive > this.#namesLive + NAME_POOL_SLACK) this.#compactNames();
    const needed = this.#namesUsed + name.length;
    if (needed > this.#names.length) {
      const grown = new Uint16Array(Math.max(needed, this.#names.length * 2));
      grown.set(this.#names.subarray(0, this.#namesUsed));
      this.#names = grown;
    }
    for (let i = 0; i < name.length; i += 1) this.#names[this.#namesUsed + i] = name.charCodeAt(i);
    merchant.nameAt = this.#namesUsed;
    this.#namesUsed = needed;
    this.#namesLive += name.length;
  }

  /**
   * Writes the live names into a fresh pool. Only `#putMerchant` gets here, after it moved the
   * epoch on: every card, and every offset into the old pool it holds, is stale already.
   */
  #compactNames(): void {
    this.#names = new Uint16Array(Math.max(1024, this.#namesLive * 2));
    this.#namesUsed = 0;
    this.#namesLive = 0;
    for (const merchant of this.#merchants.values()) this.#poolName(merchant);
  }

  /** A merchant entry leaves the index: its name in the pool is dead. */
  #unpoolName(merchant: LinkedMerchant): void {
    if (merchant.nameAt < 0) return;
    merchant.nameAt = -1;
    this.#namesLive -= merchant.name.length;
  }

  unrelatedSharers(merchant: IndexedMerchant): readonly string[] {
    const entry = merchant as LinkedMerchant;
    // The entry's own list, not a copy: it is replaced, never changed, when either changes.
    if (this.#merchants.get(merchant.merchantNo) === entry) return entry.sharers;
    return this.#sharersOf(merchant);
  }

  #sharersOf(merchant: IndexedMerchant): string[] {
    const fp = merchant.account?.accountFp;
    if (!fp) return [];
    const sharers = this.#byAccount.get(fp);
    if (!sharers || sharers.size < 2) return [];
    const result: string[] = [];
    for (const [merchantNo, legalPersonFp] of sharers) {
      if (merchantNo !== merchant.merchantNo && legalPersonFp !== merchant.legalPersonFp) {
        result.push(merchantNo);
      }
    }
    return result.sort();
  }

  /** Loads everything (at start, or when a change is too large to name). */
  async loadAll(q: Queryable): Promise<void> {
    const terminals = await q.query<TerminalRow>(TERMINAL_SQL);
    const merchants = await q.query<MerchantRow>(MERCHANT_SQL);
    this.#terminals = new ShortKeyMap(terminals.rows.length, { extraInts: CARD_INTS });
    for (const row of terminals.rows) {
      this.#terminals.set(row.terminal_id, this.#withQuiet(toTerminal(row, this.#policy)));
    }
    for (const merchant of this.#merchants.values()) retire(merchant);
    this.#merchants = new Map();
    this.#byAccount = new Map();
    this.#names = new Uint16Array(1024);
    this.#namesUsed = 0;
    this.#namesLive = 0;
    for (const row of merchants.rows) this.#putMerchant(toMerchant(row), { settle: false });
    for (const merchant of this.#merchants.values()) this.#settleQuiet(merchant);
  }

  #withQuiet(terminal: LinkedTerminal): LinkedTerminal {
    terminal.quiet = terminalIsQuiet(terminal, this.#policy);
    return terminal;
  }

  #settleQuiet(merchant: LinkedMerchant): void {
    this.#epoch += 1;
    merchant.sharers = this.#sharersOf(merchant);
    merchant.quiet = merchantIsQuiet(merchant, merchant.sharers.length);
  }

  /** A change of one merchant's account changes whether the others sharing it are quiet. */
  #settleSharers(fp: string | undefined): void {
    if (!fp) return;
    for (const merchantNo of this.#byAccount.get(fp)?.keys() ?? []) {
      const merchant = this.#merchants.get(merchantNo);
      if (merchant) this.#settleQuiet(merchant);
    }
  }

  /** Reloads the named keys from the database. */
  async refresh(q: Queryable, change: RegistryChange): Promise<void> {
    if (change.all) {
      await this.loadAll(q);
      return;
    }
    const terminalIds = [...new Set(change.terminals ?? [])];
    if (terminalIds.length > 0) {
      const { rows } = await q.query<TerminalRow>(`${TERMINAL_SQL} AND terminal_id = ANY($1)`, [
        terminalIds,
      ]);
      for (const id of terminalIds) this.#terminals.delete(id);
      for (const row of rows)
        this.#terminals.set(row.terminal_id, this.#withQuiet(toTerminal(row, this.#policy)));
    }
    const merchantNos = [...new Set(change.merchants ?? [])];
    if (merchantNos.length > 0) {
      const { rows } = await q.query<MerchantRow>(`${MERCHANT_SQL} AND m.merchant_no = ANY($1)`, [
        merchantNos,
      ]);
      for (const merchantNo of merchantNos) this.#removeMerchant(merchantNo);
      for (const row of rows) this.#putMerchant(toMerchant(row));
    }
  }

  /** Follows registry changes announced by any instance. */
  async follow(db: Database, onError: (error: unknown) => void): Promise<void> {
    this.#following = true;
    this.#stopListening = await db.listen(REGISTRY_CHANNEL, (payload) => {
      if (!this.#following) return;
      let change: RegistryChange;
      try {
        change = JSON.parse(payload) as RegistryChange;
      } catch (error) {
        onError(error);
        return;
      }
      const refreshing = this.refresh(db, change).catch(onError);
      this.#refreshing.add(refreshing);
      void refreshing.finally(() => this.#refreshing.delete(refreshing));
    });
  }

  /** Stops following; refreshes already under way finish before it resolves. */
  async stop(): Promise<void> {
    this.#following = false;
    await this.#stopListening?.();
    this.#stopListening = null;
    await Promise.all(this.#refreshing);
  }

  #putMerchant(merchant: LinkedMerchant, options: { settle: boolean } = { settle: true }): void {
    this.#epoch += 1;
    const replaced = this.#merchants.get(merchant.merchantNo);
    if (replaced !== undefined && replaced !== merchant) this.#unpoolName(replaced);
    // Pooled before it joins the map: a compaction on the way pools the others only.
    this.#poolName(merchant);
    this.#merchants.set(merchant.merchantNo, merchant);
    const fp = merchant.account?.accountFp;
    if (fp) {
      let sharers = this.#byAccount.get(fp);
      if (!sharers) {
        sharers = new Map();
        this.#byAccount.set(fp, sharers);
      }
      sharers.set(merchant.merchantNo, merchant.legalPersonFp);
    }
    if (options.settle) {
      this.#settleQuiet(merchant);
      this.#settleSharers(fp);
    }
  }

  #removeMerchant(merchantNo: string): void {
    this.#epoch += 1;
    const existing = this.#merchants.get(merchantNo);
    const fp = existing?.account?.accountFp;
    if (fp) {
      const sharers = this.#byAccount.get(fp);
      sharers?.delete(merchantNo);
      if (sharers?.size === 0) this.#byAccount.delete(fp);
    }
    if (existing) {
      retire(existing);
      this.#unpoolName(existing);
    }
    this.#merchants.delete(merchantNo);
    this.#settleSharers(fp);
  }
}

/**
 * A merchant entry that left the index: links to it no longer count, nor does its quiet. Its
 * callers move the index's epoch on, so that no terminal keeps a quiet pair with it.
 */
function retire(merchant: LinkedMerchant): void {
  merchant.retired = true;
  merchant.quiet = false;
}

// Every field is set at creation, so that all entries share one shape (fast property access).
// The fast path reads the first five, which fit one cache line with the object's header.
function toTerminal(row: TerminalRow, policy: ScreeningPolicy): LinkedTerminal {
  return {
    merchantNo: row.merchant_no,
    pairEpoch: -1,
    hasPair: false,
    pairName: '',
    pairChangedAtMin: NO_ACCOUNT_CHANGE,
    pairResult: CLEAN,
    pairPolicy: policy,
    terminalId: row.terminal_id,
    status: row.status,
    model: row.model,
    firmwareVersion: row.firmware_version,
    serialNumber: row.serial_number,
    quiet: false,
    linked: undefined,
  };
}

function toMerchant(row: MerchantRow): LinkedMerchant {
  return {
    merchantNo: row.merchant_no,
    name: row.name,
    type: row.type,
    status: row.status,
    legalPersonFp: row.legal_person_id_fp,
    account:
      row.account_id && row.account_status && row.account_fp && row.account_valid_from
        ? {
            accountId: row.account_id,
            status: row.account_status,
            accountFp: row.account_fp,
            accountNumberMasked: row.account_number_masked ?? '',
            accountName: row.account_name ?? '',
            nameCheckResult: row.name_check_result ?? 'no_match',
            validFromMs: row.account_valid_from.getTime(),
            isChange: row.account_is_change,
          }
        : null,
    openIncidentId: row.open_incident_id,
    settlementHeld: row.settlement_held,
    quiet: false,
    retired: false,
    nameAt: -1,
    sharers: [],
  };
}
