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
import { merchantIsQuiet, terminalIsQuiet } from '../../core/screening/rules.js';
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
  /** Unrelated merchants settling to the same account, worked out when either changes. */
  sharers: readonly string[];
}

export class RegistryIndex implements RegistryView {
  /** The policy the quiet flags are worked out under (minimum firmware per model). */
  readonly #policy: ScreeningPolicy;

  constructor(options: { policy?: ScreeningPolicy } = {}) {
    this.#policy = options.policy ?? DEFAULT_POLICY;
  }

  // Every screened transaction looks its terminal up here: a table made for 8-character ids.
  #terminals = new ShortKeyMap<LinkedTerminal>();
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
    this.#terminals = new ShortKeyMap(terminals.rows.length);
    for (const row of terminals.rows) {
      this.#terminals.set(row.terminal_id, this.#withQuiet(toTerminal(row, this.#policy)));
    }
    for (const merchant of this.#merchants.values()) retire(merchant);
    this.#merchants = new Map();
    this.#byAccount = new Map();
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
    if (existing) retire(existing);
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
    sharers: [],
  };
}
