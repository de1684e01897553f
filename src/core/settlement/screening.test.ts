import { describe, expect, it } from 'vitest';
import { holdReasons, lineStatus, type LineFacts } from './screening.js';
import { Random } from '../../sim/random.js';
import { HOLD_REASONS } from './screening.js';
import type { AccountStatus } from '../registry.js';

const NOW = Date.parse('2026-11-27T18:00:00Z');
const options = { nowMs: NOW, coolingOffHours: 24 };
const clean: LineFacts = {
  merchantKnown: true,
  account: { status: 'active', nameCheckResult: 'match', isChange: false, liveSinceMs: 0 },
  unrelatedSharers: 0,
  activeHold: false,
  openIncident: false,
};

describe('holdReasons', () => {
  it('passes a clean merchant', () => {
    expect(holdReasons(clean, options)).toEqual([]);
    expect(
      holdReasons(
        { ...clean, account: { ...clean.account!, nameCheckResult: 'close_match' } },
        options,
      ),
    ).toEqual([]);
  });

  it('lists every reason, in order', () => {
    expect(
      holdReasons(
        {
          merchantKnown: true,
          account: {
            status: 'pending_verification',
            nameCheckResult: 'no_match',
            isChange: true,
            liveSinceMs: null,
          },
          unrelatedSharers: 2,
          activeHold: true,
          openIncident: true,
        },
        options,
      ),
    ).toEqual([
      'account_not_active',
      'account_not_verified',
      'account_name_mismatch',
      'shared_account',
      'settlement_hold',
      'open_incident',
    ]);
    expect(holdReasons({ ...clean, merchantKnown: false, account: null }, options)).toEqual([
      'merchant_unknown',
      'account_missing',
    ]);
  });

  it('cools off a changed account for the configured hours after it went live', () => {
    const changed = (hoursAgo: number): LineFacts => ({
      ...clean,
      account: { ...clean.account!, isChange: true, liveSinceMs: NOW - hoursAgo * 3_600_000 },
    });
    expect(holdReasons(changed(23), options)).toEqual(['account_cooling_off']);
    expect(holdReasons(changed(24), options)).toEqual([]);
    // A first account is not a change: no cooling off.
    expect(
      holdReasons({ ...clean, account: { ...clean.account!, liveSinceMs: NOW } }, options),
    ).toEqual([]);
  });

  it('decides the line status', () => {
    expect(lineStatus(100, [])).toBe('ready');
    expect(lineStatus(100, ['settlement_hold'])).toBe('held');
    expect(lineStatus(0, [])).toBe('carried');
    expect(lineStatus(-5, ['settlement_hold'])).toBe('carried');
  });
});

/** The promise, over many random merchants: a line with no reason breaks no rule. */
describe('holdReasons over random worlds', () => {
  const statuses: AccountStatus[] = ['pending_verification', 'active', 'errored', 'frozen'];
  it('never lets a line through that breaks a rule, and names each broken rule', () => {
    const random = new Random(20261126);
    for (let i = 0; i < 5_000; i += 1) {
      const hasAccount = random.chance(0.9);
      const facts: LineFacts = {
        merchantKnown: random.chance(0.95),
        account: hasAccount
          ? {
              status: random.pick(statuses),
              nameCheckResult: random.pick(['match', 'close_match', 'no_match'] as const),
              isChange: random.chance(0.3),
              liveSinceMs: random.chance(0.8) ? NOW - random.int(0, 72) * 3_600_000 : null,
            }
          : null,
        accountChangedSinceLine: random.chance(0.05),
        unrelatedSharers: random.chance(0.1) ? random.int(1, 3) : 0,
        activeHold: random.chance(0.1),
        openIncident: random.chance(0.1),
      };
      const reasons = holdReasons(facts, options);
      const a = facts.account;
      const broken = {
        merchant_unknown: !facts.merchantKnown,
        account_missing: a === null,
        account_changed: a !== null && facts.accountChangedSinceLine === true,
        account_not_active: a !== null && a.status !== 'active',
        account_not_verified: a?.status === 'pending_verification',
        account_name_mismatch: a?.nameCheckResult === 'no_match',
        account_cooling_off:
          a !== null &&
          a.isChange &&
          a.liveSinceMs !== null &&
          NOW - a.liveSinceMs < 24 * 3_600_000,
        shared_account: facts.unrelatedSharers > 0,
        settlement_hold: facts.activeHold,
        open_incident: facts.openIncident,
      };
      expect(reasons).toEqual(HOLD_REASONS.filter((r) => broken[r]));
      if (lineStatus(1, reasons) === 'ready') {
        expect(a?.status).toBe('active');
        expect(a?.nameCheckResult).not.toBe('no_match');
        expect(facts.activeHold || facts.openIncident || facts.unrelatedSharers > 0).toBe(false);
      }
    }
  });
});
