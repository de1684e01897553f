/**
 * Screening of one transaction: every rule, in a fixed order, against the registry index.
 * Pure; the caller brings the index, the volume figures and the policy.
 */
import type { Decision } from '../transaction.js';
import { RULES, strongerDecision, type ScreeningPolicy } from './policy.js';
import type { RegistryView, VolumeView } from './registry-view.js';
import { runRule, type RuleHit, type ScreenInput } from './rules.js';

export interface ScreenResult {
  decision: Decision;
  hits: RuleHit[];
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
