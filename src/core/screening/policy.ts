/**
 * Rules, their severities, and the policy that turns a rule firing into a decision. The default
 * contains what the product brief says must be stopped at once; every threshold is a named
 * setting that configuration may override.
 */
import type { Decision } from '../transaction.js';

export const RULES = [
  'terminal_merchant_mismatch',
  'unknown_terminal',
  'unknown_merchant',
  'suspended_terminal_activity',
  'receipt_name_mismatch',
  'account_not_active',
  'account_name_mismatch',
  'shared_account',
  'post_change_spike',
  'firmware_outdated',
] as const;
export type Rule = (typeof RULES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_SEVERITY: Record<Rule, Severity> = {
  terminal_merchant_mismatch: 'critical',
  shared_account: 'critical',
  suspended_terminal_activity: 'high',
  account_name_mismatch: 'high',
  unknown_terminal: 'high',
  unknown_merchant: 'high',
  account_not_active: 'medium',
  receipt_name_mismatch: 'medium',
  post_change_spike: 'medium',
  firmware_outdated: 'low',
};

export interface ScreeningPolicy {
  decisions: Record<Rule, Decision>;
  /** Suspend every terminal of the merchant on containment, not only the offending one. */
  suspendAllTerminals: boolean;
  postChangeSpike: {
    /** Days after an account change during which volume is watched. */
    windowDays: number;
    /** Volume over the last 24 hours above this multiple of the usual daily volume fires. */
    factor: number;
    /** Below this 24-hour volume nothing fires, whatever the ratio (small merchants). */
    minimumFen: number;
  };
  /** Lowest firmware version allowed per terminal model; models not listed are not checked. */
  minimumFirmware: Record<string, string>;
}

export const DEFAULT_POLICY: ScreeningPolicy = {
  decisions: {
    terminal_merchant_mismatch: 'contain',
    suspended_terminal_activity: 'contain',
    shared_account: 'contain',
    account_name_mismatch: 'contain',
    unknown_terminal: 'review',
    unknown_merchant: 'review',
    account_not_active: 'review',
    receipt_name_mismatch: 'review',
    post_change_spike: 'review',
    firmware_outdated: 'review',
  },
  suspendAllTerminals: false,
  postChangeSpike: { windowDays: 7, factor: 3, minimumFen: 500_000 },
  minimumFirmware: {
    'PAX A920': 'V2.0.0',
    'PAX S910': 'V1.5.0',
    '新大陆 N910': 'V2.0.0',
    '新大陆 ME31': 'V1.2.0',
    '联迪 A8': 'V3.0.0',
  },
};

const DECISION_RANK: Record<Decision, number> = { ok: 0, review: 1, contain: 2 };

export function strongerDecision(a: Decision, b: Decision): Decision {
  return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b;
}

/** Incident severity from the strongest alert severity. */
export function incidentSeverity(severity: Severity): 'P1' | 'P2' | 'P3' | 'P4' {
  return ({ critical: 'P1', high: 'P2', medium: 'P3', low: 'P4' } as const)[severity];
}
