import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Rule, type ScreeningPolicy } from './policy.js';
import type {
  IndexedMerchant,
  IndexedTerminal,
  RegistryView,
  VolumeView,
} from './registry-view.js';
import { merchantIsQuiet, receiptNameFits, terminalIsQuiet, type ScreenInput } from './rules.js';
import { screenQuickly, screeningPairOf, screenTransaction } from './screen.js';
import { authorizeCheck } from './authorize.js';
import { isBelow } from './versions.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 4, 0, 0);

function merchant(overrides: Partial<IndexedMerchant> & { merchantNo: string }): IndexedMerchant {
  return {
    name: '北京市朝阳区晨光便利店',
    type: 'individual_business',
    status: 'active',
    legalPersonFp: `lp-${overrides.merchantNo}`,
    account: {
      accountId: `acc-${overrides.merchantNo}`,
      status: 'active',
      accountFp: `fp-${overrides.merchantNo}`,
      accountNumberMasked: '622202*********4562',
      accountName: '王秀英',
      nameCheckResult: 'match',
      validFromMs: NOW - 400 * DAY,
      isChange: false,
    },
    openIncidentId: null,
    settlementHeld: false,
    ...overrides,
  };
}

function terminal(
  overrides: Partial<IndexedTerminal> & { terminalId: string; merchantNo: string },
): IndexedTerminal {
  return {
    status: 'active',
    model: 'PAX A920',
    firmwareVersion: 'V2.3.1',
    serialNumber: 'SN1',
    ...overrides,
  };
}

/** A registry as plain data: what the index would hold for these rows. */
function registry(merchants: IndexedMerchant[], terminals: IndexedTerminal[]): RegistryView {
  const byNo = new Map(merchants.map((m) => [m.merchantNo, m]));
  const byId = new Map(terminals.map((t) => [t.terminalId, t]));
  const view: RegistryView = {
    merchant: (no) => byNo.get(no),
    terminal: (id) => byId.get(id),
    boundMerchant: (t) => byNo.get(t.merchantNo),
    screeningPair: (t) => screeningPairOf(t, byNo.get(t.merchantNo), view, DEFAULT_POLICY),
    unrelatedSharers: (m) =>
      merchants
        .filter(
          (o) =>
            o.merchantNo !== m.merchantNo &&
            o.account?.accountFp === m.account?.accountFp &&
            o.legalPersonFp !== m.legalPersonFp,
        )
        .map((o) => o.merchantNo),
  };
  return view;
}

const NO_VOLUME: VolumeView = { last24hFen: () => 0, baselineDailyFen: () => 0 };

function tx(overrides: Partial<ScreenInput> = {}): ScreenInput {
  return {
    transactionId: 'T-1',
    terminalId: 'A0000001',
    merchantNo: '100000000000001',
    type: 'purchase',
    status: 'approved',
    amountFen: 12_800,
    occurredAtMs: NOW,
    merchantNameOnReceipt: null,
    ...overrides,
  };
}

const clean = registry(
  [
    merchant({ merchantNo: '100000000000001' }),
    merchant({ merchantNo: '100000000000002', name: '上海浦东发展餐饮有限公司' }),
  ],
  [
    terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' }),
    terminal({ terminalId: 'A0000002', merchantNo: '100000000000002' }),
  ],
);

function rules(
  view: RegistryView,
  input: ScreenInput,
  options: { volume?: VolumeView; policy?: ScreeningPolicy } = {},
): Rule[] {
  return screenTransaction(input, {
    view,
    volume: options.volume ?? NO_VOLUME,
    policy: options.policy ?? DEFAULT_POLICY,
  }).hits.map((h) => h.rule);
}

describe('screenTransaction', () => {
  it('passes a clean transaction with decision ok and no hits', () => {
    const result = screenTransaction(tx(), {
      view: clean,
      volume: NO_VOLUME,
      policy: DEFAULT_POLICY,
    });
    expect(result).toEqual({ decision: 'ok', hits: [] });
  });

  it('flags a terminal used under another merchant, contained, owned by the transaction merchant', () => {
    const result = screenTransaction(tx({ merchantNo: '100000000000002' }), {
      view: clean,
      volume: NO_VOLUME,
      policy: DEFAULT_POLICY,
    });
    expect(result.decision).toBe('contain');
    expect(result.hits).toHaveLength(1);
    expect(result.hits[0]).toMatchObject({
      rule: 'terminal_merchant_mismatch',
      severity: 'critical',
      merchantNo: '100000000000002',
      relatedMerchantNos: ['100000000000001'],
      data: { boundMerchantNo: '100000000000001', transactionMerchantNo: '100000000000002' },
    });
    expect(result.hits[0]?.explanation.zh).toContain('100000000000001');
    expect(result.hits[0]?.explanation.en).toContain('A0000001');
  });

  it('flags unknown terminals and merchants for review', () => {
    expect(rules(clean, tx({ terminalId: 'Z9999999' }))).toEqual(['unknown_terminal']);
    expect(rules(clean, tx({ terminalId: 'Z9999999', merchantNo: '199999999999999' }))).toEqual([
      'unknown_terminal',
      'unknown_merchant',
    ]);
    // A known terminal under an unknown merchant number is a mismatch as well.
    expect(rules(clean, tx({ merchantNo: '199999999999999' }))).toEqual([
      'terminal_merchant_mismatch',
      'unknown_merchant',
    ]);
  });

  it('flags a suspended or retired terminal that still transacts, and not an active one', () => {
    for (const status of ['suspended', 'retired'] as const) {
      const view = registry(
        [merchant({ merchantNo: '100000000000001' })],
        [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001', status })],
      );
      expect(rules(view, tx())).toEqual(['suspended_terminal_activity']);
    }
  });

  it('flags a merchant without an active account, whatever state it is in', () => {
    for (const status of ['pending_verification', 'errored', 'frozen'] as const) {
      const m = merchant({ merchantNo: '100000000000001' });
      const view = registry(
        [{ ...m, account: { ...m.account!, status } }],
        [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' })],
      );
      expect(rules(view, tx())).toEqual(['account_not_active']);
    }
    const none = registry(
      [merchant({ merchantNo: '100000000000001', account: null })],
      [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' })],
    );
    expect(rules(none, tx())).toEqual(['account_not_active']);
  });

  it('flags a holder name that does not match, and not a close match', () => {
    const m = merchant({ merchantNo: '100000000000001' });
    const t = [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' })];
    expect(
      rules(registry([{ ...m, account: { ...m.account!, nameCheckResult: 'no_match' } }], t), tx()),
    ).toEqual(['account_name_mismatch']);
    expect(
      rules(
        registry([{ ...m, account: { ...m.account!, nameCheckResult: 'close_match' } }], t),
        tx(),
      ),
    ).toEqual([]);
  });

  it('flags an account shared with an unrelated merchant, not one shared within a legal person', () => {
    const a = merchant({ merchantNo: '100000000000001' });
    const b = merchant({
      merchantNo: '100000000000003',
      account: { ...a.account!, accountId: 'x' },
    });
    const t = [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' })];
    expect(rules(registry([a, b], t), tx())).toEqual(['shared_account']);
    const sameOwner = { ...b, legalPersonFp: a.legalPersonFp };
    expect(rules(registry([a, sameOwner], t), tx())).toEqual([]);
  });

  it('flags a receipt name that differs, tolerating truncation and short trade names', () => {
    expect(rules(clean, tx({ merchantNameOnReceipt: '晨光便利店' }))).toEqual([]);
    expect(rules(clean, tx({ merchantNameOnReceipt: '北京市朝阳区晨光便利' }))).toEqual([]);
    expect(rules(clean, tx({ merchantNameOnReceipt: '鑫源五金建材商行' }))).toEqual([
      'receipt_name_mismatch',
    ]);
    expect(receiptNameFits('上海浦東發展餐飲有限公司', '上海浦东发展餐饮有限公司')).toBe(true);
    // A neighbouring shop one surname away is another shop, not a typo.
    expect(receiptNameFits('北京市西城区宋记大药房', '北京市西城区丁记大药房')).toBe(false);
    expect(receiptNameFits('王杰（小微商户）', '黄杰（小微商户）')).toBe(false);
    expect(receiptNameFits('上海浦东发展餐饮有限责任公司', '上海浦东发展餐饮有限公司')).toBe(true);
  });

  it('flags a volume spike within days of an account change, not before the window or below the floor', () => {
    const changed = merchant({ merchantNo: '100000000000001' });
    changed.account = { ...changed.account!, isChange: true, validFromMs: NOW - 2 * DAY };
    const view = registry(
      [changed],
      [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001' })],
    );
    const volume = (last24h: number, baseline: number): VolumeView => ({
      last24hFen: () => last24h,
      baselineDailyFen: () => baseline,
    });
    expect(rules(view, tx(), { volume: volume(2_000_000, 300_000) })).toEqual([
      'post_change_spike',
    ]);
    expect(rules(view, tx(), { volume: volume(800_000, 300_000) })).toEqual([]);
    expect(rules(view, tx(), { volume: volume(400_000, 10_000) })).toEqual([]);
    expect(rules(view, tx({ type: 'refund' }), { volume: volume(2_000_000, 300_000) })).toEqual([]);
    changed.account = { ...changed.account, validFromMs: NOW - 10 * DAY };
    expect(rules(view, tx(), { volume: volume(2_000_000, 300_000) })).toEqual([]);
    changed.account = { ...changed.account, validFromMs: NOW - 2 * DAY, isChange: false };
    expect(rules(view, tx(), { volume: volume(2_000_000, 300_000) })).toEqual([]);
  });

  it('flags firmware below the minimum for its model, low severity, review only', () => {
    const view = registry(
      [merchant({ merchantNo: '100000000000001' })],
      [
        terminal({
          terminalId: 'A0000001',
          merchantNo: '100000000000001',
          firmwareVersion: 'V1.9.9',
        }),
      ],
    );
    const result = screenTransaction(tx(), { view, volume: NO_VOLUME, policy: DEFAULT_POLICY });
    expect(result).toMatchObject({
      decision: 'review',
      hits: [{ rule: 'firmware_outdated', severity: 'low' }],
    });
    const unknownModel = registry(
      [merchant({ merchantNo: '100000000000001' })],
      [
        terminal({
          terminalId: 'A0000001',
          merchantNo: '100000000000001',
          model: 'Other',
          firmwareVersion: '0.1',
        }),
      ],
    );
    expect(rules(unknownModel, tx())).toEqual([]);
  });

  it('follows the policy: a rule set to ok still fires but decides nothing', () => {
    const policy: ScreeningPolicy = {
      ...DEFAULT_POLICY,
      decisions: { ...DEFAULT_POLICY.decisions, terminal_merchant_mismatch: 'review' },
    };
    const result = screenTransaction(tx({ merchantNo: '100000000000002' }), {
      view: clean,
      volume: NO_VOLUME,
      policy,
    });
    expect(result.decision).toBe('review');
  });
});

describe('authorizeCheck', () => {
  it('allows a registered active terminal for its own merchant only', () => {
    expect(authorizeCheck(clean, 'A0000001', '100000000000001')).toEqual({
      allow: true,
      reasons: [],
      settlementHeld: false,
    });
    expect(authorizeCheck(clean, 'A0000001', '100000000000002')).toMatchObject({
      allow: false,
      reasons: ['terminal_merchant_mismatch'],
    });
    expect(authorizeCheck(clean, 'Z0000000', '100000000000001')).toMatchObject({
      allow: false,
      reasons: ['unknown_terminal'],
    });
    const view = registry(
      [merchant({ merchantNo: '100000000000001', settlementHeld: true })],
      [terminal({ terminalId: 'A0000001', merchantNo: '100000000000001', status: 'suspended' })],
    );
    expect(authorizeCheck(view, 'A0000001', '100000000000001')).toEqual({
      allow: false,
      reasons: ['terminal_suspended'],
      settlementHeld: true,
    });
  });
});

describe('isBelow', () => {
  it.each([
    ['V1.9.9', 'V2.0.0', true],
    ['V2.0.0', 'V2.0.0', false],
    ['2.0', 'V2.0.0', false],
    ['v2.10.0', 'V2.9.0', false],
    ['beta', 'V2.0.0', false],
  ])('%s below %s: %s', (version, minimum, expected) => {
    expect(isBelow(version, minimum)).toBe(expected);
  });
});

describe('screenQuickly', () => {
  /** A tiny deterministic generator, so that a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('answers exactly as every rule would, over many random worlds', () => {
    let fast = 0;
    let flaggedFast = 0;
    let spikesFast = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const r = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
      const names = [
        '北京市朝阳区晨光便利店',
        '上海浦东发展餐饮有限公司',
        '杭州市西湖区李记面馆',
        '王杰（小微商户）',
      ];
      const merchants: IndexedMerchant[] = Array.from({ length: 12 }, (_, i) => {
        const base = merchant({
          merchantNo: `1000000000000${String(i).padStart(2, '0')}`,
          name: pick(names),
        });
        return {
          ...base,
          legalPersonFp: r() < 0.2 ? 'lp-shared' : base.legalPersonFp,
          account:
            r() < 0.1
              ? null
              : {
                  ...base.account!,
                  status:
                    r() < 0.85
                      ? 'active'
                      : pick(['pending_verification', 'errored', 'frozen'] as const),
                  nameCheckResult: r() < 0.8 ? 'match' : pick(['close_match', 'no_match'] as const),
                  accountFp: r() < 0.15 ? 'fp-shared' : base.account!.accountFp,
                  isChange: r() < 0.2,
                  validFromMs: NOW - Math.floor(r() * 20) * DAY,
                },
        };
      });
      const terminals: IndexedTerminal[] = Array.from({ length: 20 }, (_, i) =>
        terminal({
          terminalId: `A00000${String(i).padStart(2, '0')}`,
          merchantNo: pick(merchants).merchantNo,
          status: r() < 0.85 ? 'active' : pick(['suspended', 'retired'] as const),
          firmwareVersion: r() < 0.85 ? 'V2.3.1' : 'V1.0.0',
        }),
      );
      const view = registry(merchants, terminals);
      for (const m of merchants) m.quiet = merchantIsQuiet(m, view.unrelatedSharers(m).length);
      for (const t of terminals) t.quiet = terminalIsQuiet(t, DEFAULT_POLICY);
      // Figures fixed per merchant, so that the fast and the full answer read the same ones.
      const last24h = new Map(merchants.map((m) => [m.merchantNo, Math.floor(r() * 5_000_000)]));
      const baseline = new Map(merchants.map((m) => [m.merchantNo, Math.floor(r() * 500_000)]));
      const volume: VolumeView = {
        last24hFen: (no) => last24h.get(no) ?? 0,
        baselineDailyFen: (no) => baseline.get(no) ?? 0,
      };
      for (let n = 0; n < 300; n += 1) {
        const t = pick(terminals);
        const input = tx({
          transactionId: `T-${seed}-${n}`,
          terminalId: r() < 0.05 ? 'Z9999999' : t.terminalId,
          merchantNo: r() < 0.9 ? t.merchantNo : pick(merchants).merchantNo,
          type: pick(['purchase', 'purchase', 'refund'] as const),
          merchantNameOnReceipt: r() < 0.5 ? null : pick(names),
          // Now, or up to 20 days ago: inside and outside the watch after an account change.
          occurredAtMs: NOW - Math.floor(r() * 20) * DAY,
        });
        total += 1;
        const quick = screenQuickly(input, { view, volume, policy: DEFAULT_POLICY });
        if (quick) {
          fast += 1;
          if (quick.hits.length > 0) flaggedFast += 1;
          if (quick.hits.some((h) => h.rule === 'post_change_spike')) spikesFast += 1;
          // Without the volume, a transaction inside the watch is left to the full path.
          const blind = screenQuickly(input, { view, policy: DEFAULT_POLICY });
          if (blind) expect(blind).toEqual(quick);
          // The fast answer is exactly the full one: the same hits, explanations included.
          const full = screenTransaction(input, { view, volume, policy: DEFAULT_POLICY });
          expect(quick, `seed ${seed} tx ${n}`).toEqual(full);
        }
      }
    }
    // Not vacuous: a good share of the traffic takes the fast path, flagged traffic too.
    expect(fast / total).toBeGreaterThan(0.15);
    expect(flaggedFast).toBeGreaterThan(20);
    expect(spikesFast).toBeGreaterThan(5);
  });
});
