/**
 * A simulated world for measuring detection: a registry of merchants, terminals and settlement
 * accounts (the demo portfolio's generator, renumbered into a namespace of the world's own),
 * a few days of card traffic, and faults of every kind the screening rules detect, each
 * planted on merchants of its own and labelled with the transactions that carry it. Pure and
 * deterministic: the same options give the same world.
 */
import { buildDemoPortfolioWithFaults } from '../app/demo-portfolio.js';
import { TEST_TRANSACTION_FEN } from '../core/account-changes/index.js';
import { luhnComplete } from '../core/identifiers/index.js';
import type { AccountType, ImportRecord } from '../core/registry.js';
import { DEFAULT_POLICY, type Rule } from '../core/screening/policy.js';
import type { TransactionInput } from '../core/transaction.js';
import { hash32, Random } from './random.js';
import {
  byTime,
  DAY_MS,
  generateTraffic,
  HOUR_MS,
  numberTransactions,
  syntheticPan,
  ticketFen,
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
  /**
   * The end of the traffic (exclusive): no transaction lies after it but those after the
   * account changes the run makes (`World.postChangeFromMs`).
   */
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

/**
 * A settlement account change the run makes through the API, as the acquirer's staff would
 * (request, documents, approvals, a test transaction to verify), after the traffic before
 * `today` and before the traffic after it.
 */
export interface AccountChangePlan {
  merchantNo: string;
  /** The merchant's terminal the verifying test transaction is keyed in on. */
  terminalId: string;
  /** The new account: the merchant's own, a new number under the holder of the old one. */
  account: {
    accountNumber: string;
    accountName: string;
    accountType: AccountType;
    bankCode: string;
  };
  reason: string;
  /**
   * True for the merchant whose takings jump after the change (its burst is the
   * `post_change_spike` fault); false for the control, whose ordinary takings after the change
   * must raise nothing.
   */
  spike: boolean;
}

export interface World {
  /** Eight hex digits naming the world; it is in every transaction id. */
  tag: string;
  options: WorldOptions;
  registry: ImportRecord[];
  /** Terminals to suspend through the API after the import and before any transaction. */
  suspensions: { terminalId: string; reason: string }[];
  /**
   * Sorted by `occurredAt`. Everything lies before `today` but the traffic after the account
   * changes, which lies from `postChangeFromMs` on (see `accountChanges`).
   */
  transactions: TransactionInput[];
  faults: InjectedFault[];
  /** Account changes to make after the traffic before `today` and before the rest. */
  accountChanges: AccountChangePlan[];
  /**
   * Where the traffic after the account changes starts: an hour after `today`. A change
   * completes at the server's clock, which is past `today` by then, and the rule only watches
   * what occurs after it; the ingest takes times up to 24 hours ahead of its clock. The run
   * must complete the changes before this instant.
   */
  postChangeFromMs: number;
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

/** Every rule can be planted. */
export const NOT_INJECTABLE: World['notInjectable'] = [];

/** The traffic after the account changes starts this long after `today`... */
export const POST_CHANGE_DELAY_MS = HOUR_MS;
/** ...and lies within this span. */
const POST_CHANGE_SPAN_MS = 2 * HOUR_MS;
/** Purchases of the burst after the change, each alone above the rule's threshold. */
const SPIKE_PURCHASES = 5;
/** Ordinary purchases of the control after its change. */
const CONTROL_PURCHASES = 3;
/** The days of takings before the change the ingest averages for the baseline. */
const BASELINE_DAYS = 30;
/** The bank of the new accounts: ICBC, its card BIN and its CNAPS code. */
const NEW_ACCOUNT_BIN = '622202';
const NEW_ACCOUNT_BANK_CODE = '102100099996';

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
  accountChanges: AccountChangePlan[];
  /** The merchants whose account changes, and the fault of the spike's burst. */
  postChange: { record: ImportRecord; terminalId: string; fault: InjectedFault | null }[];
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

/**
 * The merchant's own new account: a card of the same holder for a personal account, the
 * company's account for a corporate one; a number of its own, so that no one shares it.
 */
function newAccountOf(record: ImportRecord): AccountChangePlan['account'] | null {
  const old = record.settlementAccount;
  if (!old) return null;
  const digits = record.merchant.merchantNo.slice(-11);
  return {
    accountNumber:
      old.accountType === 'personal'
        ? luhnComplete(`${NEW_ACCOUNT_BIN}${digits}0`)
        : `3100${record.merchant.merchantNo}`,
    accountName: old.accountName,
    accountType: old.accountType,
    bankCode: NEW_ACCOUNT_BANK_CODE,
  };
}

/**
 * Two merchants change their settlement account through the API during the run: one's
 * takings then jump (a burst of large purchases after the change: the fault), the other's
 * stay ordinary (the control, which must raise nothing). The control's terminals are quiet in
 * the last day before the change, so that its 24-hour volume after it stays below the rule's
 * floor whatever the traffic's rate; the burst is made once the history is known
 * (`postChangeTraffic`).
 */
function plantPostChangeSpike(p: Planner): void {
  const fit = (r: ImportRecord) =>
    r.settlementAccount !== undefined &&
    r.settlementAccount.status !== 'pending_verification' &&
    (r.terminals ?? []).length > 0;
  const spike = take(p, fit);
  const control = take(p, fit);
  for (const [record, isSpike] of [
    [spike, true],
    [control, false],
  ] as const) {
    const account = newAccountOf(record);
    const terminalId = record.terminals?.[0]?.terminalId;
    if (!account || terminalId === undefined) throw new RangeError('No account to change');
    p.accountChanges.push({
      merchantNo: record.merchant.merchantNo,
      terminalId,
      account,
      reason: isSpike
        ? '模拟：商户申请更换结算卡 (simulator: the merchant asks for another settlement card)'
        : '模拟：商户更换开户行账户 (simulator: the merchant moves its account; control)',
      spike: isSpike,
    });
    const made = isSpike
      ? fault(p, {
          kind: 'post_change_spike',
          merchantNo: record.merchant.merchantNo,
          terminalId,
          note: `after its settlement account is changed through the API, ${record.merchant.merchantNo} takes ${String(SPIKE_PURCHASES)} purchases each above the rule's threshold within two hours`,
        })
      : null;
    p.postChange.push({ record, terminalId, fault: made });
  }
  // The control's terminals: ordinary traffic, ending a day before the change.
  const terminals = control.terminals ?? [];
  for (const [position, terminal] of terminals.entries()) {
    p.plantedTerminals.add(terminal.terminalId);
    p.streams.push({
      spec: {
        terminalId: terminal.terminalId,
        merchantNo: control.merchant.merchantNo,
        mcc: control.merchant.mcc,
        receipt: { kind: 'registered', name: control.merchant.name },
        purchasesPerDay: p.perDay / terminals.length,
        purchasesMin: position === 0 && p.toMs - DAY_MS - HOUR_MS > p.fromMs ? 1 : 0,
        fromMs: p.fromMs,
        toMs: p.toMs - DAY_MS - HOUR_MS,
      },
      faults: [],
    });
  }
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
  plantPostChangeSpike,
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

/**
 * The traffic after the account changes. The spike's purchases are each above the highest
 * threshold the rule can set for the merchant (its factor times a baseline of every purchase
 * of its history, and the verifying test transaction, over the baseline's 30 days; at least
 * its floor), so that each fires whatever else the server counts in the last 24 hours. The
 * control's few ordinary purchases stay, with the test transaction, under the floor.
 */
function postChangeTraffic(
  p: Planner,
  drafts: readonly { draft: TrafficDraft }[],
  fromMs: number,
): { draft: TrafficDraft; faults: InjectedFault[] }[] {
  const { factor, minimumFen } = DEFAULT_POLICY.postChangeSpike;
  const out: { draft: TrafficDraft; faults: InjectedFault[] }[] = [];
  for (const { record, terminalId, fault: made } of p.postChange) {
    const merchantNo = record.merchant.merchantNo;
    const history = drafts
      .filter(
        ({ draft: d }) =>
          d.merchantNo === merchantNo && d.type === 'purchase' && d.status === 'approved',
      )
      .reduce((sum, { draft: d }) => sum + d.amountFen, 0);
    const baselineMax = Math.ceil((history + TEST_TRANSACTION_FEN.max) / BASELINE_DAYS);
    const thresholdMax = Math.max(baselineMax * factor, minimumFen);
    let controlFen = TEST_TRANSACTION_FEN.max;
    const count = made ? SPIKE_PURCHASES : CONTROL_PURCHASES;
    for (let i = 0; i < count; i += 1) {
      let amountFen: number;
      if (made) {
        // Whole yuan, from just above the threshold to half as much again.
        amountFen = (Math.floor(thresholdMax / 100) + 1 + p.rng.int(0, 50) * 20) * 100;
      } else {
        amountFen = ticketFen(p.rng, record.merchant.mcc);
        if (controlFen + amountFen >= minimumFen) continue;
        controlFen += amountFen;
      }
      const slot = POST_CHANGE_SPAN_MS / count;
      const occurredAtMs =
        Math.floor((fromMs + i * slot + p.rng.unit() * slot * 0.9) / 1000) * 1000;
      out.push({
        draft: {
          terminalId,
          merchantNo,
          type: 'purchase',
          status: 'approved',
          amountFen,
          occurredAtMs,
          pan: syntheticPan(p.rng),
          merchantNameOnReceipt: record.merchant.name,
          authCode: p.rng.digits(6),
          responseCode: '00',
        },
        faults: made ? [made] : [],
      });
    }
  }
  return out;
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
    accountChanges: [],
    postChange: [],
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
  const postChangeFromMs = options.today.getTime() + POST_CHANGE_DELAY_MS;
  for (const after of postChangeTraffic(p, drafts, postChangeFromMs)) {
    drafts.push({ ...after, order: order++ });
  }
  const transactions = finish(p, tag, drafts);
  return {
    tag,
    options: { ...options, today: new Date(options.today.getTime()) },
    registry,
    suspensions: p.suspensions,
    transactions,
    faults: p.faults,
    accountChanges: p.accountChanges,
    postChangeFromMs,
    notInjectable: NOT_INJECTABLE,
  };
}
