/**
 * What screening needs to know of the registry, as the in-memory index presents it. Pure
 * shapes: the index in `app/screening` fills them from the database.
 */
import type { AccountStatus, MerchantStatus, MerchantType, TerminalStatus } from '../registry.js';

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
  /** Other merchants settling to the same account that share no legal person with this one. */
  unrelatedSharers(merchant: IndexedMerchant): string[];
}

/** Volume figures the post-change rule reads; the caller keeps them. */
export interface VolumeView {
  /** Approved purchase volume of the merchant in the last 24 hours, this transaction included. */
  last24hFen(merchantNo: string): number;
  /** Typical daily volume before the account change (0 when unknown). */
  baselineDailyFen(merchantNo: string): number;
}
