/**
 * A simulated world for measuring detection: a registry of merchants, terminals and settlement
 * accounts (the demo portfolio's generator, renumbered into a namespace of the world's own),
 * a few days of card traffic, and faults of every kind the screening rules detect, each
 * planted on merchants of its own and labelled with the transactions that carry it. Pure and
 * deterministic: the same options give the same world.
 */
import { buildDemoPortfolioWithFaults } from '../app/demo-portfolio.js';
import type { ImportRecord } from '../core/registry.js';
import { DEFAULT_POLICY, type Rule } from '../core/screening/policy.js';
import type { TransactionInput } from '../core/transaction.js';
import { hash32, Random } from './random.js';
import {
  byTime,
  DAY_MS,
  generateTraffic,
  numberTransactions,
  type ReceiptName,
  type TrafficDraft,
  type TrafficSpec,
} from './traffic.js';

export interface WorldOptions {
  /** Any integer; with the other options it fixes the world. */
  seed: number;
  /** Merchants in the registry, faulty ones included: 20 to 5,000. */
  merchants: number;
  /** Days of traffic before `today`: 1 to 30. */
  days: number;
  /** Average purchases per merchant and day: 1 to 500. */
  transactionsPerMerchantPerDay: number;
  /** The end of the traffic (exclusive); no transaction lies after it. */
  today: Date;
}

export interface InjectedFault {
  /** The rule that must fire. */
  kind: Rule;
  /** The merchant number the offending transactions carry. */
  merchantNo: string;
  /** The terminal, for faults of one terminal. */
  terminalId?: string;
  /** Every transaction on which the rule must fire. */
  transactionIds: string[];
  note: string;
  /** Other merchants the fault involves (a terminal's registered merchant, co-sharers). */
  relatedMerchantNos: string[];
  /** Rules that fire on these transactions by construction, besides `kind`. */
  alsoFires: Rule[];
}

export interface World {
  /** Eight hex digits naming the world; it is in every transaction id. */
  tag: string;
  options: WorldOptions;
  registry: ImportRecord[];
  /** Terminals to suspend through the API after the import and before any transaction. */
  suspensions: { terminalId: string; reason: string }[];
  /** Sorted by `occurredAt`. */
  transactions: TransactionInput[];
  faults: InjectedFault[];
  /** Rules no fault could be planted for, and why. */
  notInjectable: { kind: Rule; reason: string }[];
}

export const WORLD_MERCHANTS_MIN = 20;
export const WORLD_MERCHANTS_MAX = 5000;
/** One set of planted faults per this many merchants (at least one set). */
const MERCHANTS_PER_FAULT_SET = 150;
/** Purchases a fault's own terminal makes at least, so that there is something to detect. */
const FAULT_PURCHASES_MIN = 3;
/** The firmware planted as outdated: below DEFAULT_POLICY.minimumFirmware['PAX A920']. */
const OUTDATED_MODEL = 'PAX A920';
const OUTDATED_FIRMWARE = 'V1.8.0';

export const NOT_INJECTABLE: World['notInjectable'] = [
  {
    kind: 'post_change_spike',
    reason:
      'needs a settlement account changed after import; the API has no account change yet, and an import cannot replace an account',
  },
];

const STRANGER_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '慕容', '皇甫', '令狐'];
const STRANGER_GIVEN = ['子轩', '梓涵', '一鸣', '若曦', '浩宇', '紫萱', '天佑', '雅琪'];
const STRANGER_BRANDS = ['远景', '恒信', '中汇', '泰丰', '金桥', '四海', '盈科', '华信'];
const STRANGER_INDUSTRIES = ['投资管理', '国际贸易', '信息咨询', '供应链管理', '实业'];
const TERMINAL_TAG_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const TAG_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function checkOptions(o: WorldOptions): void {
  const within = (v: number, min: number, max: number) =>
    Number.isInteger(v) && v >= min && v <= max;
  if (!Number.isInteger(o.seed)) throw new RangeError('seed must be an integer');
  if (!within(o.merchants, WORLD_MERCHANTS_MIN, WORLD_MERCHANTS_MAX)) {
    throw new RangeError(
      `merchants must be an integer from ${WORLD_MERCHANTS_MIN} to ${WORLD_MERCHANTS_MAX}`,
    );
  }
  if (!within(o.days, 1, 30)) throw new RangeError('days must be an integer from 1 to 30');
  if (!within(o.transactionsPerMerchantPerDay, 1, 500)) {
    throw new RangeError('transactionsPerMerchantPerDay must be an integer from 1 to 500');
  }
  if (Number.isNaN(o.today.getTime())) throw new RangeError('today is not a valid date');
}

/** Identifiers of this world, apart from the demo's and (by the tag) from other worlds'. */
class Namespace {
  readonly #merchantTag: string;
  readonly #terminalTag: string;
  #terminals = 0;
  #unknownTerminals = 0;
  #unknownMerchants = 0;

  constructor(tag: number) {
    // Merchant numbers are 898 + city code + 9 + a 3-digit tag + a 4-digit sequence: the demo
    // puts an MCC where the 9 is, and no MCC the demo uses starts with 9.
    this.#merchantTag = `9${String(tag % 1000).padStart(3, '0')}`;
    // Terminal ids are S + a letter + a tag character + 5 digits; the demo's are all digits, or
    // a letter and 7 digits.
    this.#terminalTag =
      'S' +
      TERMINAL_TAG_LETTERS.charAt(tag % TERMINAL_TAG_LETTERS.length) +
      TAG_CHARS.charAt(Math.floor(tag / 7) % TAG_CHARS.length);
  }

  merchantNo(cityCode: string, sequence: number): string {
    return `898${cityCode}${this.#merchantTag}${String(sequence).padStart(4, '0')}`;
  }

  /** A number shaped like the world's but never registered (sequences from 9000 up). */
  unknownMerchantNo(cityCode: string): string {
    this.#unknownMerchants += 1;
    return this.merchantNo(cityCode, 9000 + this.#unknownMerchants);
  }

  terminal(): { terminalId: string; serialNumber: string } {
    this.#terminals += 1;
    const sequence = String(this.#terminals).padStart(5, '0');
    return {
      terminalId: `${this.#terminalTag}${sequence}`,
      serialNumber: `SIM-${this.#terminalTag}-${sequence}`,
    };
  }

  /** A terminal id of the world's shape that is never registered. */
  unknownTerminalId(): string {
    this.#unknownTerminals += 1;
    return `${this.#terminalTag}9${String(this.#unknownTerminals).padStart(4, '0')}`;
  }
}

interface Stream {
  spec: TrafficSpec;
  /** Faults every transaction of this stream belongs to. */
  faults: InjectedFault[];
}

interface Planner {
  rng: Random;
  ns: Namespace;
  registry: ImportRecord[];
  /** Merchants still free for a fault, shuffled. */
  free: ImportRecord[];
  faults: InjectedFault[];
  /** Merchant number → faults covering every transaction carrying that number. */
  merchantFaults: Map<string, InjectedFault[]>;
  streams: Stream[];
  /** Terminals whose ordinary traffic is replaced by planted streams. */
  plantedTerminals: Set<string>;
  suspensions: World['suspensions'];
  fromMs: number;
  toMs: number;
  perDay: number;
}

function take(p: Planner, test: (r: ImportRecord) => boolean = () => true): ImportRecord {
  const index = p.free.findIndex(test);
  const found = p.free[index];
  if (index < 0 || !found) {
    throw new RangeError(
      `Too few merchants to plant every fault; use more than ${p.registry.length}`,
    );
  }
  p.free.splice(index, 1);
  return found;
}

function cityOf(record: ImportRecord): string {
  return record.merchant.merchantNo.slice(3, 7);
}

function fault(
  p: Planner,
  input: Omit<InjectedFault, 'transactionIds' | 'relatedMerchantNos' | 'alsoFires'> &
    Partial<Pick<InjectedFault, 'relatedMerchantNos' | 'alsoFires'>>,
): InjectedFault {
  const made: InjectedFault = {
    relatedMerchantNos: [],
    alsoFires: [],
    ...input,
    transactionIds: [],
  };
  p.faults.push(made);
  return made;
}

function merchantFault(p: Planner, made: InjectedFault): void {
  const list = p.merchantFaults.get(made.merchantNo) ?? [];
  list.push(made);
  p.merchantFaults.set(made.merchantNo, list);
}

/** When a planted fault starts: somewhere in the first two thirds of the span. */
function onset(p: Planner): number {
  return Math.floor(p.fromMs + (0.15 + 0.5 * p.rng.unit()) * (p.toMs - p.fromMs));
}

/** A terminal added to a merchant for a planted fault. */
function addTerminal(
  p: Planner,
  owner: ImportRecord,
  model: { model: string; firmwareVersion: string },
): string {
  const { terminalId, serialNumber } = p.ns.terminal();
  owner.terminals = [
    ...(owner.terminals ?? []),
    {
      terminalId,
      serialNumber,
      ...model,
      ...(owner.merchant.address ? { location: owner.merchant.address } : {}),
    },
  ];
  p.plantedTerminals.add(terminalId);
  return terminalId;
}

function plantedStream(
  p: Planner,
  input: {
    terminalId: string;
    merchantNo: string;
    mcc: string;
    receipt: ReceiptName;
    fromMs: number;
    toMs?: number;
  },
  faults: InjectedFault[],
): void {
  p.streams.push({
    spec: {
      ...input,
      toMs: input.toMs ?? p.toMs,
      purchasesPerDay: Math.max(4, p.perDay / 2),
      purchasesMin: FAULT_PURCHASES_MIN,
    },
    faults,
  });
}

const REGULAR_TERMINAL = { model: 'PAX A920', firmwareVersion: 'V2.4.0' };

function plantTerminalMerchantMismatch(p: Planner): void {
  const owner = take(p);
  const carrier = take(p);
  const terminalId = addTerminal(p, owner, REGULAR_TERMINAL);
  const made = fault(p, {
    kind: 'terminal_merchant_mismatch',
    merchantNo: carrier.merchant.merchantNo,
    terminalId,
    relatedMerchantNos: [owner.merchant.merchantNo],
    note: `terminal ${terminalId} is registered to ${owner.merchant.merchantNo} but its transactions carry ${carrier.merchant.merchantNo}`,
  });
  plantedStream(
    p,
    {
      terminalId,
      merchantNo: carrier.merchant.merchantNo,
      mcc: carrier.merchant.mcc,
      receipt: { kind: 'registered', name: carrier.merchant.name },
      fromMs: onset(p),
    },
    [made],
  );
}

function plantUnknownTerminal(p: Planner): void {
  const merchant = take(p);
  const terminalId = p.ns.unknownTerminalId();
  const made = fault(p, {
    kind: 'unknown_terminal',
    merchantNo: merchant.merchant.merchantNo,
    terminalId,
    note: `unregistered terminal ${terminalId} transacts under ${merchant.merchant.merchantNo}`,
  });
  plantedStream(
    p,
    {
      terminalId,
      merchantNo: merchant.merchant.merchantNo,
      mcc: merchant.merchant.mcc,
      receipt: { kind: 'registered', name: merchant.merchant.name },
      fromMs: onset(p),
    },
    [made],
  );
}

function plantUnknownMerchant(p: Planner): void {
  const owner = take(p);
  const terminalId = addTerminal(p, owner, REGULAR_TERMINAL);
  const unknown = p.ns.unknownMerchantNo(cityOf(owner));
  const made = fault(p, {
    kind: 'unknown_merchant',
    merchantNo: unknown,
    terminalId,
    relatedMerchantNos: [owner.merchant.merchantNo],
    // A registered terminal carrying any other number is also a terminal/merchant mismatch.
    alsoFires: ['terminal_merchant_mismatch'],
    note: `terminal ${terminalId} of ${owner.merchant.merchantNo} carries the unregistered number ${unknown}`,
  });
  plantedStream(
    p,
    {
      terminalId,
      merchantNo: unknown,
      mcc: owner.merchant.mcc,
      receipt: { kind: 'none' },
      fromMs: onset(p),
    },
    [made],
  );
}

function plantSuspendedTerminalActivity(p: Planner): void {
  const merchant = take(p);
  const terminalId = addTerminal(p, merchant, REGULAR_TERMINAL);
  p.suspensions.push({
    terminalId,
    reason: '模拟：现场巡检发现机具移机，暂停交易 (simulator: moved terminal found on inspection)',
  });
  const made = fault(p, {
    kind: 'suspended_terminal_activity',
    merchantNo: merchant.merchant.merchantNo,
    terminalId,
    note: `terminal ${terminalId} is suspended through the API before it transacts`,
  });
  plantedStream(
    p,
    {
      terminalId,
      merchantNo: merchant.merchant.merchantNo,
      mcc: merchant.merchant.mcc,
      receipt: { kind: 'registered', name: merchant.merchant.name },
      fromMs: onset(p),
    },
    [made],
  );
}

function plantReceiptNameMismatch(p: Planner): void {
  const merchant = take(p, (r) => (r.terminals ?? []).length > 0);
  const own = merchant.merchant.name;
  // Another shop of the world, in another city: its parameters loaded by mistake. Whether the
  // screening tells the names apart is for the run to find out.
  const other = p.rng
    .shuffled(p.registry)
    .find((r) => r.merchant.name !== own && cityOf(r) !== cityOf(merchant))?.merchant.name;
  const terminal = merchant.terminals?.[0];
  if (!other || !terminal) throw new RangeError('No other shop name to print');
  const start = onset(p);
  const made = fault(p, {
    kind: 'receipt_name_mismatch',
    merchantNo: merchant.merchant.merchantNo,
    terminalId: terminal.terminalId,
    note: `from its onset terminal ${terminal.terminalId} prints "${other}" instead of "${own}"`,
  });
  p.plantedTerminals.add(terminal.terminalId);
  const base = {
    terminalId: terminal.terminalId,
    merchantNo: merchant.merchant.merchantNo,
    mcc: merchant.merchant.mcc,
  };
  p.streams.push({
    spec: {
      ...base,
      receipt: { kind: 'registered', name: own },
      purchasesPerDay: p.perDay,
      purchasesMin: 0,
      fromMs: p.fromMs,
      toMs: start,
    },
    faults: [],
  });
  plantedStream(p, { ...base, receipt: { kind: 'fixed', name: other }, fromMs: start }, [made]);
}

function plantAccountNotActive(p: Planner): void {
  const merchant = take(p, (r) => r.settlementAccount !== undefined);
  if (merchant.settlementAccount) merchant.settlementAccount.status = 'pending_verification';
  merchantFault(
    p,
    fault(p, {
      kind: 'account_not_active',
      merchantNo: merchant.merchant.merchantNo,
      note: 'settlement account imported as pending_verification',
    }),
  );
}

/**
 * A holder unrelated to the merchant: a person of a compound surname no legal person of the
 * portfolio has, or a company of a trade name the portfolio does not use. Whether the account
 * check agrees is for the run to find out.
 */
function strangerHolder(p: Planner, record: ImportRecord): string {
  return record.settlementAccount?.accountType === 'personal'
    ? p.rng.pick(STRANGER_SURNAMES) + p.rng.pick(STRANGER_GIVEN)
    : `${p.rng.pick(STRANGER_BRANDS)}${p.rng.pick(STRANGER_INDUSTRIES)}有限公司`;
}

function plantAccountNameMismatch(p: Planner): void {
  const merchant = take(p, (r) => r.settlementAccount !== undefined);
  const account = merchant.settlementAccount;
  if (!account) return;
  account.accountName = strangerHolder(p, merchant);
  merchantFault(
    p,
    fault(p, {
      kind: 'account_name_mismatch',
      merchantNo: merchant.merchant.merchantNo,
      note: `account holder "${account.accountName}" is unrelated to "${merchant.merchant.name}"`,
    }),
  );
}

function plantSharedAccount(p: Planner): void {
  const personal = (r: ImportRecord) => r.settlementAccount?.accountType === 'personal';
  const sharers = [take(p, personal), take(p, personal), take(p, personal)];
  const [holder] = sharers;
  const card = holder?.settlementAccount;
  if (!card) return;
  for (const other of sharers.slice(1)) {
    const account = other.settlementAccount;
    if (!account) continue;
    // Each declares the card under its own legal person's name: every record looks right.
    account.accountNumber = card.accountNumber;
    if (card.bankCode) account.bankCode = card.bankCode;
    if (card.bankName) account.bankName = card.bankName;
  }
  const numbers = sharers.map((r) => r.merchant.merchantNo);
  for (const record of sharers) {
    merchantFault(
      p,
      fault(p, {
        kind: 'shared_account',
        merchantNo: record.merchant.merchantNo,
        relatedMerchantNos: numbers.filter((n) => n !== record.merchant.merchantNo),
        note: `one personal card settles for ${numbers.join(', ')}, three unrelated legal persons`,
      }),
    );
  }
}

function plantFirmwareOutdated(p: Planner): void {
  const merchant = take(p);
  const terminalId = addTerminal(p, merchant, {
    model: OUTDATED_MODEL,
    firmwareVersion: OUTDATED_FIRMWARE,
  });
  const made = fault(p, {
    kind: 'firmware_outdated',
    merchantNo: merchant.merchant.merchantNo,
    terminalId,
    note: `${OUTDATED_MODEL} at ${OUTDATED_FIRMWARE}, below the policy's ${DEFAULT_POLICY.minimumFirmware[OUTDATED_MODEL] ?? '?'}`,
  });
  plantedStream(
    p,
    {
      terminalId,
      merchantNo: merchant.merchant.merchantNo,
      mcc: merchant.merchant.mcc,
      receipt: { kind: 'registered', name: merchant.merchant.name },
      fromMs: onset(p),
    },
    [made],
  );
}

const PLANTERS: readonly ((p: Planner) => void)[] = [
  plantSharedAccount,
  plantTerminalMerchantMismatch,
  plantUnknownTerminal,
  plantUnknownMerchant,
  plantSuspendedTerminalActivity,
  plantReceiptNameMismatch,
  plantAccountNotActive,
  plantAccountNameMismatch,
  plantFirmwareOutdated,
];

/** The demo portfolio renumbered into the world's namespace, with its own faults labelled. */
function basePortfolio(
  options: WorldOptions,
  tag: number,
  ns: Namespace,
): { registry: ImportRecord[]; labelled: Map<string, Rule>; reserved: Set<string> } {
  const { records, faults } = buildDemoPortfolioWithFaults({
    seed: hash32(`portfolio:${String(tag)}`),
    size: options.merchants,
    today: options.today,
  });
  const renumbered = new Map<string, string>();
  for (const [index, record] of records.entries()) {
    const fresh = ns.merchantNo(cityOf(record), index + 1);
    renumbered.set(record.merchant.merchantNo, fresh);
    record.merchant.merchantNo = fresh;
    for (const terminal of record.terminals ?? []) {
      Object.assign(terminal, ns.terminal());
    }
  }
  const to = (numbers: readonly string[]) => numbers.flatMap((n) => renumbered.get(n) ?? []);
  const labelled = new Map<string, Rule>();
  for (const n of to(faults.mismatchedHolder)) labelled.set(n, 'account_name_mismatch');
  for (const n of to(faults.sharedAccount)) labelled.set(n, 'shared_account');
  for (const n of to(faults.unverifiedAccount)) labelled.set(n, 'account_not_active');
  // Lookalike holder names and cards declared at another bank are no fault of any rule: kept
  // clean, they test that nothing fires on them.
  const reserved = new Set([
    ...labelled.keys(),
    ...to(faults.traditionalHolderName),
    ...to(faults.bracketHolderName),
    ...to(faults.binBankMismatch),
  ]);
  return { registry: records, labelled, reserved };
}

function labelDemoFaults(p: Planner, labelled: Map<string, Rule>): void {
  const shared = [...labelled].filter(([, rule]) => rule === 'shared_account').map(([n]) => n);
  for (const [merchantNo, kind] of labelled) {
    merchantFault(
      p,
      fault(p, {
        kind,
        merchantNo,
        relatedMerchantNos: kind === 'shared_account' ? shared.filter((n) => n !== merchantNo) : [],
        note: `planted by the demo portfolio generator (${kind})`,
      }),
    );
  }
}

/** Ordinary traffic of every terminal not given over to a planted stream. */
function ordinaryStreams(p: Planner): void {
  for (const record of p.registry) {
    const terminals = (record.terminals ?? []).filter((t) => !p.plantedTerminals.has(t.terminalId));
    const activity = Math.min(3, Math.max(0.25, p.rng.logNormal(1, 0.5)));
    const perTerminal = (p.perDay * activity) / Math.max(1, terminals.length);
    for (const [position, terminal] of terminals.entries()) {
      p.streams.push({
        spec: {
          terminalId: terminal.terminalId,
          merchantNo: record.merchant.merchantNo,
          mcc: record.merchant.mcc,
          receipt: { kind: 'registered', name: record.merchant.name },
          purchasesPerDay: perTerminal,
          // Every merchant shows up at least once, so that a merchant-wide fault has a carrier.
          purchasesMin: position === 0 ? 1 : 0,
          fromMs: p.fromMs,
          toMs: p.toMs,
        },
        faults: [],
      });
    }
  }
}

/** Sorts the drafts, numbers them, and fills in the faults' transactions. */
function finish(
  p: Planner,
  tag: string,
  drafts: { draft: TrafficDraft; faults: InjectedFault[]; order: number }[],
): TransactionInput[] {
  drafts.sort(byTime);
  const transactions = numberTransactions(
    drafts.map((d) => d.draft),
    (position) => `sim-${tag}-${String(position + 1).padStart(7, '0')}`,
  );
  for (const [position, { draft, faults }] of drafts.entries()) {
    const id = transactions[position]?.id;
    if (id === undefined) continue;
    for (const f of [...faults, ...(p.merchantFaults.get(draft.merchantNo) ?? [])]) {
      f.transactionIds.push(id);
    }
  }
  return transactions;
}

export function buildWorld(options: WorldOptions): World {
  checkOptions(options);
  const tagNumber = hash32(
    JSON.stringify([
      options.seed,
      options.merchants,
      options.days,
      options.transactionsPerMerchantPerDay,
      options.today.getTime(),
    ]),
  );
  const tag = tagNumber.toString(16).padStart(8, '0');
  const ns = new Namespace(tagNumber);
  const rng = new Random(hash32(`world:${tag}`));
  const { registry, labelled, reserved } = basePortfolio(options, tagNumber, ns);
  // The last whole second before today, so that no transaction is in the future.
  const toMs = Math.floor((options.today.getTime() - 1000) / 1000) * 1000;
  const p: Planner = {
    rng,
    ns,
    registry,
    free: rng.shuffled(registry.filter((r) => !reserved.has(r.merchant.merchantNo))),
    faults: [],
    merchantFaults: new Map(),
    streams: [],
    plantedTerminals: new Set(),
    suspensions: [],
    fromMs: toMs - options.days * DAY_MS,
    toMs,
    perDay: options.transactionsPerMerchantPerDay,
  };
  labelDemoFaults(p, labelled);
  const sets = Math.max(1, Math.floor(options.merchants / MERCHANTS_PER_FAULT_SET));
  for (let set = 0; set < sets; set += 1) {
    for (const plant of PLANTERS) plant(p);
  }
  ordinaryStreams(p);
  let order = 0;
  const drafts = p.streams.flatMap((stream) =>
    generateTraffic(rng, stream.spec).map((draft) => ({
      draft,
      faults: stream.faults,
      order: order++,
    })),
  );
  const transactions = finish(p, tag, drafts);
  return {
    tag,
    options: { ...options, today: new Date(options.today.getTime()) },
    registry,
    suspensions: p.suspensions,
    transactions,
    faults: p.faults,
    notInjectable: NOT_INJECTABLE,
  };
}
