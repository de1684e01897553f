/**
 * What screening needs to know of the registry, as the in-memory index presents it. Pure
 * shapes: the index in `app/screening` fills them from the database.
 */
import type { AccountStatus, MerchantStatus, MerchantType, TerminalStatus } from '../registry.js';
import type { Decision } from '../transaction.js';
import type { ScreeningPolicy } from './policy.js';
import type { RuleHit, ScreenInput } from './rules.js';

export interface IndexedTerminal {
  terminalId: string;
  merchantNo: string;
  status: TerminalStatus;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  /** No terminal rule can fire on it (see `terminalIsQuiet`); set by the index. */
  quiet?: boolean;
}

export interface IndexedAccount {
  accountId: string;
  status: AccountStatus;
  accountFp: string;
  accountNumberMasked: string;
  accountName: string;
  nameCheckResult: 'match' | 'close_match' | 'no_match';
  /** When the account in force took effect. */
  validFromMs: number;
  /** True when it replaced an earlier account of the merchant (a change, not the first one). */
  isChange: boolean;
}

export interface IndexedMerchant {
  merchantNo: string;
  name: string;
  type: MerchantType;
  status: MerchantStatus;
  legalPersonFp: string;
  account: IndexedAccount | null;
  /** The open incident, if any. */
  openIncidentId: string | null;
  settlementHeld: boolean;
  /** No merchant rule can fire on it whatever the transaction (see `merchantIsQuiet`). */
  quiet?: boolean;
}

export interface RegistryView {
  terminal(terminalId: string): IndexedTerminal | undefined;
  merchant(merchantNo: string): IndexedMerchant | undefined;
  /**
   * The merchant the terminal is bound to: the same as `merchant(terminal.merchantNo)`, which
   * an index may answer from a link it keeps on the terminal instead of a second lookup.
   */
  boundMerchant(terminal: IndexedTerminal): IndexedMerchant | undefined;
  /**
   * Screening's fast path in one question: the terminal with the merchant it is bound to
   * (`screeningPairOf` in screen.ts), or null when the terminal is not active or its merchant
   * is not in the registry. An index may answer from what it keeps on the terminal's own
   * entry, without touching the merchant's.
   */
  screeningPair(terminal: IndexedTerminal): ScreeningPair | null;
  /**
   * The quickest answer, for an index that keeps one: true when every rule would pass the
   * transaction because it is the plainest kind there is. Its terminal is active and bound to
   * the transaction's merchant, and the pair is clean under `policy`. Its receipt name is
   * absent or exactly the merchant's name. It lies outside the watch after an account change.
   * False means only "not answered here": the caller screens the ordinary way.
   */
  plainlyClean?(tx: ScreenInput, policy: ScreeningPolicy): boolean;
  /** Other merchants settling to the same account that share no legal person with this one. */
  unrelatedSharers(merchant: IndexedMerchant): readonly string[];
}

/**
 * A terminal and the merchant it is bound to, as screening's fast path sees them: every
 * transaction on an active terminal under its own merchant's number, whose receipt name fits
 * and which lies outside the post-change watch window, gets the same answer from the rules,
 * because the rules that could still fire read only the terminal and the merchant.
 */
export interface ScreeningPair {
  readonly pairName: string;
  /**
   * When the merchant's account in force replaced another one, in minutes since the epoch
   * rounded up (a small integer an index keeps unboxed; rounding up only ever sends a
   * transaction down the full path); NO_ACCOUNT_CHANGE for a first account.
   */
  readonly pairChangedAtMin: number;
  /** The rules' answer for such transactions (the shared clean answer for a quiet pair). */
  readonly pairResult: PairResult;
  /** The policy `pairResult` was worked out under. */
  readonly pairPolicy: ScreeningPolicy;
}

export interface PairResult {
  readonly decision: Decision;
  readonly hits: readonly RuleHit[];
}

export const NO_ACCOUNT_CHANGE = -(2 ** 30);

/** Volume figures the post-change rule reads; the caller keeps them. */
export interface VolumeView {
  /** Approved purchase volume of the merchant in the last 24 hours, this transaction included. */
  last24hFen(merchantNo: string): number;
  /** Typical daily volume before the account change (0 when unknown). */
  baselineDailyFen(merchantNo: string): number;
}
