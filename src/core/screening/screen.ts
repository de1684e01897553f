/**
 * Screening of one transaction: every rule, in a fixed order, against the registry index.
 * Pure; the caller brings the index, the volume figures and the policy.
 */
import type { Decision } from '../transaction.js';
import { RULES, strongerDecision, type ScreeningPolicy } from './policy.js';
import type { RegistryView, VolumeView } from './registry-view.js';
import { receiptNameFits, runRule, type RuleHit, type ScreenInput } from './rules.js';

export interface ScreenResult {
  decision: Decision;
  hits: RuleHit[];
}

const CLEAN: ScreenResult = Object.freeze({ decision: 'ok', hits: [] });
const DAY_MS = 86_400_000;

/**
 * The fast path for clean traffic, which is nearly all of it: when the terminal and the
 * merchant are quiet (no rule of theirs can fire, as the index has worked out when they
 * changed), the terminal belongs to the merchant, the receipt name fits and the merchant is
 * not in a post-change watch window, no rule can fire. Returns null when any of that is not
 * so, and the caller runs every rule.
 */
export function screenQuickly(
  tx: ScreenInput,
  options: { view: RegistryView; policy: ScreeningPolicy },
): ScreenResult | null {
  const terminal = options.view.terminal(tx.terminalId);
  if (terminal?.quiet !== true || terminal.merchantNo !== tx.merchantNo) return null;
  // The terminal's own merchant, which is the transaction's: no second lookup by number.
  const merchant = options.view.boundMerchant(terminal);
  if (merchant?.quiet !== true) return null;
  const account = merchant.account;
  if (
    account?.isChange === true &&
    tx.occurredAtMs - account.validFromMs <= options.policy.postChangeSpike.windowDays * DAY_MS
  ) {
    return null;
  }
  const receiptName = tx.merchantNameOnReceipt;
  if (
    receiptName !== null &&
    receiptName !== merchant.name &&
    !receiptNameFits(receiptName, merchant.name)
  ) {
    return null;
  }
  return CLEAN;
}

/** Screening as the pipeline runs it: the fast path, else every rule. */
export function screen(
  tx: ScreenInput,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): ScreenResult {
  return screenQuickly(tx, options) ?? screenTransaction(tx, options);
}

export function screenTransaction(
  tx: ScreenInput,
  options: { view: RegistryView; volume: VolumeView; policy: ScreeningPolicy },
): ScreenResult {
  const terminal = options.view.terminal(tx.terminalId);
  const merchant = options.view.merchant(tx.merchantNo);
  const context = { tx, terminal, merchant, ...options };
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
