/**
 * Screening of one transaction: every rule, in a fixed order, against the registry index.
 * Pure; the caller brings the index, the volume figures and the policy.
 */
import type { Decision } from '../transaction.js';
import { RULES, strongerDecision, type ScreeningPolicy } from './policy.js';
import {
  NO_ACCOUNT_CHANGE,
  type IndexedMerchant,
  type IndexedTerminal,
  type PairResult,
  type RegistryView,
  type ScreeningPair,
  type VolumeView,
} from './registry-view.js';
import {
  receiptNameFits,
  runRule,
  type RuleContext,
  type RuleHit,
  type ScreenInput,
} from './rules.js';

export interface ScreenResult {
  decision: Decision;
  hits: RuleHit[];
}

export const CLEAN: ScreenResult = Object.freeze({ decision: 'ok', hits: [] });
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The fast path for nearly all traffic. When the terminal is active and used under its own
 * merchant's number and the receipt name fits, the only rules that can fire read the terminal
 * and the merchant alone, plus the post-change rule, which reads the transaction's time and the
 * volume. So the answer is the pair's (`screeningPairOf`), worked out once by the index: clean
 * for a quiet pair, the same hits every time for a terminal with old firmware or a merchant
 * whose account is wrong; within the watch window after an account change, the post-change
 * rule is run alone and its hit, if any, joined to the pair's (given the volume; without it
 * such a transaction is not answered here). Returns null when any of that is not so, and the
 * caller runs every rule.
 */
export function screenQuickly(
  tx: ScreenInput,
  options: { view: RegistryView; policy: ScreeningPolicy; volume?: VolumeView },
): ScreenResult | null {
  const terminal = options.view.terminal(tx.terminalId);
  if (terminal === undefined || terminal.merchantNo !== tx.merchantNo) return null;
  // The terminal's own merchant, which is the transaction's, as the index keeps it on the
  // terminal: no lookup by merchant number, no visit to the merchant's entry.
  const pair = options.view.screeningPair(terminal);
  if (pair === null) return null;
  const result = pair.pairResult;
  if (result !== CLEAN && pair.pairPolicy !== options.policy) return null;
  const receiptName = tx.merchantNameOnReceipt;
  if (
    receiptName !== null &&
    receiptName !== pair.pairName &&
    !receiptNameFits(receiptName, pair.pairName)
  ) {
    return null;
  }
  const sinceChangeMs = tx.occurredAtMs - pair.pairChangedAtMin * MINUTE_MS;
  if (sinceChangeMs > options.policy.postChangeSpike.windowDays * DAY_MS) {
    return result as ScreenResult;
  }
  return options.volume === undefined
    ? null
    : withPostChangeRule(tx, terminal, result as ScreenResult, {
        view: options.view,
        volume: options.volume,
        policy: options.policy,
      });
}

/** What a rule reads, as a literal of fixed shape (no spread: this runs for every flagged transaction). */
function ruleContext(
  tx: ScreenInput,
  terminal: IndexedTerminal | undefined,
  merchant: IndexedMerchant | undefined,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): RuleContext {
  return {
    tx,
    terminal,
    merchant,
    view: options.view,
    volume: options.volume,
    policy: options.policy,
  };
}

const POST_CHANGE_ORDER = RULES.indexOf('post_change_spike');

/**
 * The pair's answer with the post-change rule's hit, if it fires, in its place in RULES'
 * order, the decision raised to it: exactly what running every rule gives, since no other rule
 * reads the transaction's time or the volume.
 */
function withPostChangeRule(
  tx: ScreenInput,
  terminal: IndexedTerminal,
  pairResult: ScreenResult,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): ScreenResult {
  const merchant = options.view.boundMerchant(terminal);
  const hit = runRule('post_change_spike', ruleContext(tx, terminal, merchant, options));
  if (hit === null) return pairResult;
  const hits = [...pairResult.hits];
  let at = 0;
  while (at < hits.length && RULES.indexOf((hits[at] as RuleHit).rule) < POST_CHANGE_ORDER) at += 1;
  hits.splice(at, 0, hit);
  return { decision: strongerDecision(pairResult.decision, hit.decision), hits };
}

const NO_VOLUME: VolumeView = { last24hFen: () => 0, baselineDailyFen: () => 0 };

/**
 * The pair of a terminal and the merchant it is bound to, for the fast path; null when the
 * terminal is not active (the rule on suspended terminals names each transaction) or the
 * merchant is not the terminal's. The answer is that of every rule for a transaction that
 * names the pair and nothing else: no receipt name, long after any account change. The hits
 * are frozen, because every transaction of the pair shares them.
 */
export function screeningPairOf(
  terminal: IndexedTerminal,
  merchant: IndexedMerchant | undefined,
  view: RegistryView,
  policy: ScreeningPolicy,
): ScreeningPair | null {
  if (merchant === undefined || terminal.status !== 'active') return null;
  if (merchant.merchantNo !== terminal.merchantNo) return null;
  const account = merchant.account;
  const pairChangedAtMin =
    account?.isChange === true ? Math.ceil(account.validFromMs / MINUTE_MS) : NO_ACCOUNT_CHANGE;
  let pairResult: PairResult = CLEAN;
  if (terminal.quiet !== true || merchant.quiet !== true) {
    const neutral: ScreenInput = {
      transactionId: '',
      terminalId: terminal.terminalId,
      merchantNo: merchant.merchantNo,
      type: 'purchase',
      status: 'approved',
      amountFen: 0,
      occurredAtMs: Number.POSITIVE_INFINITY,
      merchantNameOnReceipt: null,
    };
    const full = screenTransaction(neutral, { view, volume: NO_VOLUME, policy });
    pairResult =
      full.hits.length === 0
        ? CLEAN
        : Object.freeze({ decision: full.decision, hits: Object.freeze(full.hits.map(freezeHit)) });
  }
  return { pairName: merchant.name, pairChangedAtMin, pairResult, pairPolicy: policy };
}

function freezeHit(hit: RuleHit): RuleHit {
  Object.freeze(hit.relatedMerchantNos);
  Object.freeze(hit.explanation);
  Object.freeze(hit.data);
  return Object.freeze(hit);
}

/**
 * Screening as the pipeline runs it: the index's answer for the plainest traffic, else the
 * fast path, else every rule.
 */
export function screen(
  tx: ScreenInput,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): ScreenResult {
  if (options.view.plainlyClean?.(tx, options.policy) === true) return CLEAN;
  return screenQuickly(tx, options) ?? screenTransaction(tx, options);
}

export function screenTransaction(
  tx: ScreenInput,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): ScreenResult {
  const terminal = options.view.terminal(tx.terminalId);
  const merchant = options.view.merchant(tx.merchantNo);
  const context = ruleContext(tx, terminal, merchant, options);
  const hits: RuleHit[] = [];
  let decision: Decision = 'ok';
  for (const rule of RULES) {
    const hit = runRule(rule, context);
    if (hit) {
      hits.push(hit);
      decision = strongerDecision(decision, hit.decision);
    }
  }
  return { decision, hits };
}
