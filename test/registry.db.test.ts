import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testContext, type TestDatabase } from './support/database.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { getMerchant, listMerchants, listSettlementAccounts } from '../src/app/registry/queries.js';
import { changeTerminalStatus } from '../src/app/registry/change-terminal-status.js';
import { createMerchant } from '../src/app/registry/create-merchant.js';
import { verifyAuditTrail } from '../src/app/audit.js';
import { listAlerts } from '../src/app/alerts/list-alerts.js';
import { DomainError } from '../src/core/errors.js';
import type { Principal } from '../src/core/roles.js';

const admin: Principal = { userId: 'u-admin', username: 'admin', role: 'admin', merchantNos: [] };
const risk: Principal = { userId: 'u-risk', username: 'risk1', role: 'risk', merchantNos: [] };
const ops: Principal = { userId: 'u-ops', username: 'ops1', role: 'ops', merchantNos: [] };

let tdb: TestDatabase;
let ctx: ReturnType<typeof testContext>['ctx'];
let advance: (ms: number) => void;

beforeAll(async () => {
  tdb = await openTestDatabase();
  ({ ctx, advance } = testContext(tdb.db));
});
afterAll(async () => {
  await tdb.close();
});

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('import', () => {
  it('takes good records, refuses bad ones whole with their codes, and loses nothing else', async () => {
    const result = await importPortfolio(ctx, ops, [
      enterpriseRecord({ merchantNo: '100000000000001', terminalIds: ['T0000001', 'T0000002'] }),
      enterpriseRecord({ merchantNo: '10000000000002', terminalIds: ['T0000003'] }),
      microRecord({ merchantNo: '100000000000003' }),
      {
        ...enterpriseRecord({ merchantNo: '100000000000004' }),
        merchant: {
          ...enterpriseRecord({ merchantNo: '100000000000004' }).merchant,
          uscc: IDS.usccBadCheck,
        },
      },
      microRecord({ merchantNo: '100000000000005', accountNumber: '6222-02AB' }),
      'not a record',
    ]);
    expect(result.imported).toBe(2);
    expect(result.failed.map((f) => [f.index, f.code])).toEqual([
      [1, 'merchant_no_format'],
      [3, 'uscc_checksum'],
      [4, 'card_number_format'],
      [5, 'validation_failed'],
    ]);
    expect(result.failed[0]?.errors[0]?.path).toBe('merchant.merchantNo');
    expect(result.failed[1]?.errors[0]?.path).toBe('merchant.uscc');
    // The refused record left nothing behind: its terminal id is free.
    const second = await importPortfolio(ctx, ops, [
      enterpriseRecord({ merchantNo: '100000000000002', terminalIds: ['T0000003'] }),
    ]);
    expect(second).toMatchObject({ imported: 1, failed: [] });
  });

  it('refuses a duplicate merchant and a terminal already bound elsewhere, per record', async () => {
    const result = await importPortfolio(ctx, ops, [
      enterpriseRecord({ merchantNo: '100000000000001' }),
      enterpriseRecord({ merchantNo: '100000000000006', terminalIds: ['T0000001'] }),
      enterpriseRecord({ merchantNo: '100000000000007', terminalIds: ['T0000007'] }),
    ]);
    expect(result.imported).toBe(1);
    expect(result.failed.map((f) => [f.index, f.code])).toEqual([
      [0, 'conflict'],
      [1, 'conflict'],
    ]);
    await expect(getMerchant(ctx, admin, '100000000000006')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses an account type the merchant type does not allow', async () => {
    const record = microRecord({ merchantNo: '100000000000008' });
    const result = await importPortfolio(ctx, ops, [
      {
        ...record,
        settlementAccount: {
          accountNumber: IDS.corporateAccount,
          accountName: '张丽',
          accountType: 'corporate',
        },
      },
    ]);
    expect(result.failed[0]).toMatchObject({ index: 0, code: 'account_type_not_allowed' });
    expect(result.failed[0]?.errors[0]?.path).toBe('settlementAccount.accountType');
  });

  it('takes a mismatched holder name but raises an alert, and flags a shared account', async () => {
    const result = await importPortfolio(ctx, ops, [
      microRecord({
        merchantNo: '100000000000010',
        personName: '李明',
        accountName: '赵强',
        accountNumber: IDS.cardCcb,
        legalIdNumber: IDS.residentIdValid4,
      }),
      microRecord({
        merchantNo: '100000000000011',
        personName: '陈静',
        accountName: '陈静',
        accountNumber: IDS.cardAbc,
        legalIdNumber: IDS.residentIdValid2,
      }),
      microRecord({
        merchantNo: '100000000000012',
        personName: '周婷',
        accountName: '周婷',
        accountNumber: IDS.cardAbc,
        legalIdNumber: IDS.residentIdValid,
      }),
    ]);
    expect(result.imported).toBe(3);
    expect(result.nameMismatches).toEqual(['100000000000010']);
    const merchant = await getMerchant(ctx, admin, '100000000000010');
    expect(merchant.settlementAccount?.nameCheck.result).toBe('no_match');
    expect(merchant.settlementAccount?.status).toBe('active');
    const mismatch = (await listAlerts(ctx, admin, { merchantNo: '100000000000010' })).items;
    expect(mismatch.map((a) => a.rule)).toEqual(['account_name_mismatch']);
    expect(mismatch[0]?.explanation.zh).toContain('赵强');
    const shared = (await listAlerts(ctx, admin, { rule: 'shared_account' })).items;
    expect(shared.map((a) => a.merchantNo)).toEqual(['100000000000012']);
    expect(shared[0]?.explanation.data).toEqual({ otherMerchantNos: ['100000000000011'] });
  });
});

describe('what is shown and stored', () => {
  it('shows masked numbers only and stores no full number anywhere', async () => {
    const merchant = await getMerchant(ctx, admin, '100000000000003');
    expect(merchant.settlementAccount?.accountNumberMasked).toBe('622202*********4562');
    expect(merchant.legalPerson.idNumberMasked).not.toContain('0619850312441');
    const corporate = await getMerchant(ctx, admin, '100000000000001');
    expect(corporate.settlementAccount?.accountNumberMasked).toMatch(/^\*+2345$/);
    const dump = await tdb.dumpText();
    for (const secret of [
      IDS.cardIcbc,
      IDS.cardCcb,
      IDS.cardAbc,
      IDS.corporateAccount,
      IDS.residentIdValid,
      IDS.residentIdValid3,
      '13812345678',
    ]) {
      expect(dump).not.toContain(secret);
    }
    // Guard against a vacuous pass: the dump does hold the registry.
    expect(dump).toContain('100000000000003');
  });
});

describe('terminal status versions', () => {
  it('keeps every version when a terminal is suspended and resumed', async () => {
    advance(60_000);
    const suspended = await changeTerminalStatus(ctx, risk, {
      terminalId: 't0000001',
      to: 'suspended',
      reason: '交易商户号与终端绑定商户不一致',
    });
    expect(suspended).toMatchObject({
      status: 'suspended',
      statusReason: '交易商户号与终端绑定商户不一致',
    });
    const again = await rejection(
      changeTerminalStatus(ctx, risk, { terminalId: 'T0000001', to: 'suspended', reason: 'x' }),
    );
    expect(again.code).toBe('invalid_state');
    advance(60_000);
    await changeTerminalStatus(ctx, risk, {
      terminalId: 'T0000001',
      to: 'active',
      reason: '核实无误',
    });
    const versions = await tdb.db.query<{ status: string; valid_to: Date | null }>(
      "SELECT status, valid_to FROM terminals WHERE terminal_id = 'T0000001' ORDER BY version_id",
    );
    expect(versions.rows.map((r) => [r.status, r.valid_to === null])).toEqual([
      ['active', false],
      ['suspended', false],
      ['active', true],
    ]);
    // Each move is announced so that the switch can stop or free the terminal at its side;
    // the refused second suspension announced nothing.
    const events = await tdb.db.query<{ type: string; data: Record<string, unknown> }>(
      "SELECT type, data FROM outbox_events WHERE data->>'terminalId' = 'T0000001' ORDER BY at",
    );
    expect(events.rows).toMatchObject([
      { type: 'terminal.suspended', data: { reason: '交易商户号与终端绑定商户不一致' } },
      { type: 'terminal.resumed', data: { reason: '核实无误' } },
    ]);
  });

  it('refuses roles that may not suspend', async () => {
    const error = await rejection(
      changeTerminalStatus(ctx, ops, { terminalId: 'T0000002', to: 'suspended', reason: 'x' }),
    );
    expect(error.code).toBe('forbidden');
  });
});

describe('merchant scope', () => {
  const merchantUser: Principal = {
    userId: 'u-m',
    username: 'shop',
    role: 'merchant',
    merchantNos: ['100000000000003'],
  };

  it('lists and reads only its own merchants; others are not found', async () => {
    const list = await listMerchants(ctx, merchantUser, {});
    expect(list.items.map((m) => m.merchantNo)).toEqual(['100000000000003']);
    await expect(getMerchant(ctx, merchantUser, '100000000000001')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      listSettlementAccounts(ctx, merchantUser, '100000000000001'),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      changeTerminalStatus(ctx, merchantUser, {
        terminalId: 'T0000001',
        to: 'suspended',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('searches by name, number and legal person, with cursor pages', async () => {
    const byName = await listMerchants(ctx, admin, { q: '便利' });
    expect(byName.items.length).toBeGreaterThan(0);
    expect(byName.items.every((m) => m.name.includes('便利'))).toBe(true);
    const byPerson = await listMerchants(ctx, admin, { q: '李明' });
    expect(byPerson.items.map((m) => m.merchantNo)).toEqual(['100000000000010']);
    const first = await listMerchants(ctx, admin, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const next = await listMerchants(ctx, admin, { limit: 2, cursor: first.nextCursor });
    expect((next.items[0]?.merchantNo ?? '') > (first.items[1]?.merchantNo ?? '')).toBe(true);
  });
});

describe('create merchant', () => {
  it('reports every identifier problem with its field path', async () => {
    const error = await rejection(
      createMerchant(ctx, ops, {
        merchantNo: '12345',
        name: '测试商户',
        type: 'enterprise',
        uscc: IDS.usccBadCheck,
        legalPerson: { name: '王五', idNumber: IDS.residentIdBadCheck },
        mcc: '5812',
      }),
    );
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ['merchantNo', 'merchant_no_format'],
      ['uscc', 'uscc_checksum'],
      ['legalPerson.idNumber', 'resident_id_checksum'],
    ]);
  });

  it('accepts a failing USCC only with a documented reason, and records it', async () => {
    const created = await createMerchant(ctx, ops, {
      merchantNo: '100000000000020',
      name: '早期登记示例有限公司',
      type: 'enterprise',
      uscc: IDS.usccBadCheck,
      usccChecksumOverrideReason: '营业执照原件已核验，系早期赋码',
      legalPerson: { name: '王五', idNumber: IDS.residentIdValid },
      mcc: '5812',
    });
    expect(created.usccChecksumOverrideReason).toBe('营业执照原件已核验，系早期赋码');
    expect(created.warnings.map((w) => w.code)).toEqual(['uscc_checksum']);
  });
});

describe('audit trail', () => {
  async function freshTrail() {
    const fresh = await openTestDatabase();
    const { ctx: freshCtx } = testContext(fresh.db);
    const records = Array.from({ length: 4 }, (_, i) =>
      enterpriseRecord({ merchantNo: `20000000000000${i}`, terminalIds: [`A000000${i}`] }),
    );
    await importPortfolio(freshCtx, ops, records);
    return fresh;
  }

  it('verifies an intact trail, then names the first altered entry', async () => {
    const intact = await verifyAuditTrail(tdb.db);
    expect(intact).toMatchObject({ ok: true });
    expect(intact.entries).toBeGreaterThan(10);

    const fresh = await freshTrail();
    try {
      expect(await verifyAuditTrail(fresh.db)).toEqual({ ok: true, entries: 12 });
      await fresh.db.query(
        `UPDATE audit_entries SET after = jsonb_set(after, '{name}', '"篡改"') WHERE seq = 5`,
      );
      expect(await verifyAuditTrail(fresh.db)).toMatchObject({
        ok: false,
        firstBrokenSeq: 5,
        problem: 'hash_mismatch',
      });
    } finally {
      await fresh.close();
    }
  });

  it('names a deleted entry, across page boundaries', async () => {
    const fresh = await freshTrail();
    try {
      await fresh.db.query('DELETE FROM audit_entries WHERE seq = 8');
      expect(await verifyAuditTrail(fresh.db, { batchSize: 3 })).toMatchObject({
        ok: false,
        firstBrokenSeq: 8,
        problem: 'sequence_gap',
      });
    } finally {
      await fresh.close();
    }
  });

  it('detects the newest entries deleted, which leaves no gap', async () => {
    const fresh = await freshTrail();
    try {
      await fresh.db.query('DELETE FROM audit_entries WHERE seq >= 11');
      expect(await verifyAuditTrail(fresh.db)).toMatchObject({
        ok: false,
        firstBrokenSeq: 11,
        problem: 'head_mismatch',
      });
    } finally {
      await fresh.close();
    }
  });

  it('detects a row whose content was replaced with a recomputed hash of its own', async () => {
    const fresh = await freshTrail();
    try {
      // An attacker who rewrites one entry and its hash still breaks the next link.
      await fresh.db.query(
        "UPDATE audit_entries SET actor = 'mallory', hash = repeat('a', 64) WHERE seq = 3",
      );
      expect(await verifyAuditTrail(fresh.db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    } finally {
      await fresh.close();
    }
  });
});
