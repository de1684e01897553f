/**
 * May the switch approve a payment on this terminal for this merchant right now? Answered from
 * the in-memory index only, so that it costs microseconds.
 */
import type { RegistryView } from './registry-view.js';

export const AUTHORIZE_REASONS = [
  'unknown_terminal',
  'unknown_merchant',
  'terminal_suspended',
  'terminal_retired',
  'terminal_merchant_mismatch',
  'merchant_suspended',
  'merchant_closed',
] as const;
export type AuthorizeReason = (typeof AUTHORIZE_REASONS)[number];

export interface AuthorizeAnswer {
  allow: boolean;
  reasons: AuthorizeReason[];
  /** The merchant's settlement is held: payments may go on, payouts wait. */
  settlementHeld: boolean;
}

export function authorizeCheck(
  view: RegistryView,
  terminalId: string,
  merchantNo: string,
): AuthorizeAnswer {
  const reasons: AuthorizeReason[] = [];
  const terminal = view.terminal(terminalId);
  const merchant = view.merchant(merchantNo);
  if (!terminal) reasons.push('unknown_terminal');
  if (!merchant) reasons.push('unknown_merchant');
  if (terminal?.status === 'suspended') reasons.push('terminal_suspended');
  if (terminal?.status === 'retired') reasons.push('terminal_retired');
  if (terminal && terminal.merchantNo !== merchantNo) reasons.push('terminal_merchant_mismatch');
  if (merchant?.status === 'suspended') reasons.push('merchant_suspended');
  if (merchant?.status === 'closed') reasons.push('merchant_closed');
  return {
    allow: reasons.length === 0,
    reasons,
    settlementHeld: merchant?.settlementHeld ?? false,
  };
}
