/**
 * The in-memory index as screening reads it: the fast path's link from a terminal to its
 * merchant and the cached sharers of an account must follow every change, or a transaction
 * would be screened against a merchant as it used to be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import type { RegistryIndex } from '../src/app/screening/registry-index.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import type { ScreenInput } from '../src/core/screening/rules.js';
import { screen, screenQuickly } from '../src/core/screening/screen.js';
import type { Principal } from '../src/core/roles.js';
import { openTestDatabase, testContext, type TestDatabase } from './support/database.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';

const ops: Principal = { userId: 'u-ops', username: 'ops1', role: 'ops', merchantNos: [] };
const NAME = '北京示例餐饮管理有限公司';
let tdb: TestDatabase;
let index: RegistryIndex;
let ctx: ReturnType<typeof testContext>['ctx'];

const NO_VOLUME = { last24hFen: () => 0, baselineDailyFen: () => 0 };

function tx(overrides: Partial<ScreenInput> = {}): ScreenInput {
  return {
    transactionId: 'TX-1',
    terminalId: 'T0000001',
    merchantNo: '100000000000001',
    type: 'purchase',
    status: 'approved',
    amountFen: 1000,
    occurredAtMs: Date.parse('2026-11-26T08:00:00Z'),
    merchantNameOnReceipt: NAME,
    ...overrides,
  };
}

function rules(input: ScreenInput): string[] {
  return screen(input, { view: index, volume: NO_VOLUME, policy: DEFAULT_POLICY }).hits.map(
    (h) => h.rule,
  );
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  ({ ctx } = testContext(tdb.db));
  if (!ctx.index) throw new Error('the test context has an index');
  index = ctx.index;
  const result = await importPortfolio(ctx, ops, [
    enterpriseRecord({ merchantNo: '100000000000001', terminalIds: ['T0000001'] }),
    // Same legal person and account: related, not a shared-account fault.
    enterpriseRecord({
      merchantNo: '100000000000002',
      uscc: IDS.usccValid2,
      terminalIds: ['T0000002'],
    }),
  ]);
  expect(result).toMatchObject({ imported: 2, failed: [] });
  // Another merchant whose legal person is someone else, on its own account for now.
  const third = await importPortfolio(ctx, ops, [
    enterpriseRecord({
      merchantNo: '100000000000003',
      uscc: IDS.usccValid3,
      legalIdNumber: IDS.residentIdValid2,
      accountNumber: '6222020200009999994',
      terminalIds: ['T0000003'],
    }),
  ]);
  expect(third.failed).toEqual([]);
});
afterAll(async () => {
  await tdb.close();
});

describe('the registry index behind screening', () => {
  it('answers a clean transaction from the fast path through the terminal link', () => {
    const options = { view: index, policy: DEFAULT_POLICY };
    expect(screenQuickly(tx(), options)?.decision).toBe('ok');
    const terminal = index.terminal('T0000001');
    expect(terminal).toBeDefined();
    if (!terminal) return;
    expect(index.boundMerchant(terminal)).toBe(index.merchant('100000000000001'));
    // Another merchant's number on this terminal never takes the fast path.
    expect(screenQuickly(tx({ merchantNo: '100000000000002' }), options)).toBeNull();
    expect(rules(tx({ merchantNo: '100000000000002' }))).toContain('terminal_merchant_mismatch');
  });

  it('does not screen against a merchant entry that a refresh replaced', async () => {
    expect(rules(tx())).toEqual([]);
    const before = index.merchant('100000000000001');
    await tdb.db.query(
      `UPDATE settlement_accounts SET status = 'frozen'
        WHERE merchant_no = $1 AND valid_to IS NULL`,
      ['100000000000001'],
    );
    await index.refresh(tdb.db, { merchants: ['100000000000001'] });
    expect(index.merchant('100000000000001')).not.toBe(before);
    // The terminal still links to the old entry until asked: it must not count. The fast
    // path answers with the new entry's findings, as every rule does.
    expect(
      screenQuickly(tx(), { view: index, policy: DEFAULT_POLICY })?.hits.map((h) => h.rule),
    ).toEqual(['account_not_active']);
    expect(rules(tx())).toEqual(['account_not_active']);
    const terminal = index.terminal('T0000001');
    if (terminal) expect(index.boundMerchant(terminal)).toBe(index.merchant('100000000000001'));

    await tdb.db.query(
      `UPDATE settlement_accounts SET status = 'active'
        WHERE merchant_no = $1 AND valid_to IS NULL`,
      ['100000000000001'],
    );
    await index.refresh(tdb.db, { merchants: ['100000000000001'] });
    expect(rules(tx())).toEqual([]);
    expect(screenQuickly(tx(), { view: index, policy: DEFAULT_POLICY })?.decision).toBe('ok');
  });

  it('follows a full reload and a merchant that leaves the index', async () => {
    await index.loadAll(tdb.db);
    expect(screenQuickly(tx(), { view: index, policy: DEFAULT_POLICY })?.decision).toBe('ok');
    await tdb.db.query(`UPDATE merchants SET valid_to = now() WHERE merchant_no = $1`, [
      '100000000000001',
    ]);
    await index.refresh(tdb.db, { merchants: ['100000000000001'] });
    expect(index.merchant('100000000000001')).toBeUndefined();
    expect(rules(tx())).toContain('unknown_merchant');
    await tdb.db.query(
      `UPDATE merchants SET valid_to = NULL WHERE merchant_no = $1 AND valid_to IS NOT NULL`,
      ['100000000000001'],
    );
    await index.refresh(tdb.db, { merchants: ['100000000000001'] });
    expect(rules(tx())).toEqual([]);
  });

  it('keeps the sharers of an account current when another merchant starts using it', async () => {
    const merchant3 = index.merchant('100000000000003');
    expect(merchant3 && index.unrelatedSharers(merchant3)).toEqual([]);
    // Both terminals take the fast path now, so the index keeps their quiet pairs; the
    // entries of merchants 1 and 2 are not replaced below, only found no longer quiet.
    const quick2 = () =>
      screenQuickly(tx({ terminalId: 'T0000002', merchantNo: '100000000000002' }), {
        view: index,
        policy: DEFAULT_POLICY,
      });
    expect(quick2()?.decision).toBe('ok');
    expect(screenQuickly(tx(), { view: index, policy: DEFAULT_POLICY })?.decision).toBe('ok');
    const entry2 = index.merchant('100000000000002');
    // A fourth merchant of yet another legal person on merchant 1's account.
    const result = await importPortfolio(ctx, ops, [
      enterpriseRecord({
        merchantNo: '100000000000004',
        legalIdNumber: IDS.residentIdValid4,
        terminalIds: ['T0000004'],
      }),
    ]);
    expect(result.failed).toEqual([]);
    expect(rules(tx())).toContain('shared_account');
    const merchant1 = index.merchant('100000000000001');
    expect(merchant1 && index.unrelatedSharers(merchant1)).toEqual(['100000000000004']);
    // Merchant 2 shares the legal person of merchant 1 but not of merchant 4.
    const merchant2 = index.merchant('100000000000002');
    expect(merchant2 && index.unrelatedSharers(merchant2)).toEqual(['100000000000004']);
    expect(index.merchant('100000000000002')).toBe(entry2);
    expect(quick2()?.hits.map((h) => h.rule)).toEqual(['shared_account']);
    expect(
      screenQuickly(tx(), { view: index, policy: DEFAULT_POLICY })?.hits.map((h) => h.rule),
    ).toEqual(['shared_account']);
  });
});
