import { describe, expect, it } from 'vitest';
import { prepareRecord } from '../app/registry/import-portfolio.js';
import { lookupBin } from '../core/bins/bins.js';
import { isLuhnValid } from '../core/identifiers/index.js';
import { DEFAULT_POLICY, RULES } from '../core/screening/policy.js';
import { isBelow } from '../core/screening/versions.js';
import { validateTransaction } from '../core/transaction-validation.js';
import { buildWorld, type WorldOptions } from './world.js';

const TODAY = new Date('2026-03-01T04:00:00.000Z');
const OPTIONS: WorldOptions = {
  seed: 42,
  merchants: 60,
  days: 2,
  transactionsPerMerchantPerDay: 12,
  today: TODAY,
};
const world = buildWorld(OPTIONS);
const records = new Map(world.registry.map((r) => [r.merchant.merchantNo, r]));
const terminalOwner = new Map(
  world.registry.flatMap((r) => (r.terminals ?? []).map((t) => [t.terminalId, r] as const)),
);
const byId = new Map(world.transactions.map((t) => [t.id, t]));
const registeredNames = new Set(world.registry.map((r) => r.merchant.name));

describe('buildWorld', () => {
  it('is deterministic from its options, and another seed gives another world', () => {
    expect(buildWorld({ ...OPTIONS, today: new Date(TODAY.getTime()) })).toEqual(world);
    const other = buildWorld({ ...OPTIONS, seed: 43 });
    expect(other.tag).not.toBe(world.tag);
    expect(other.transactions.map((t) => t.amountFen)).not.toEqual(
      world.transactions.map((t) => t.amountFen),
    );
    // Worlds do not share identifiers, so that several can run against one server.
    const numbers = new Set(world.registry.map((r) => r.merchant.merchantNo));
    expect(other.registry.some((r) => numbers.has(r.merchant.merchantNo))).toBe(false);
  });

  it('refuses options out of range', () => {
    expect(() => buildWorld({ ...OPTIONS, merchants: 5 })).toThrow(RangeError);
    expect(() => buildWorld({ ...OPTIONS, days: 0 })).toThrow(RangeError);
    expect(() => buildWorld({ ...OPTIONS, transactionsPerMerchantPerDay: 1.5 })).toThrow(
      RangeError,
    );
    expect(() => buildWorld({ ...OPTIONS, today: new Date('nope') })).toThrow(RangeError);
  });

  it('builds a registry every record of which the import takes', () => {
    expect(world.registry).toHaveLength(60);
    for (const [index, record] of world.registry.entries()) {
      const prepared = prepareRecord(record, index, TODAY);
      expect(prepared.ok, record.merchant.merchantNo).toBe(true);
    }
    const terminals = world.registry.flatMap((r) => r.terminals ?? []);
    expect(new Set(terminals.map((t) => t.terminalId)).size).toBe(terminals.length);
    expect(new Set(terminals.map((t) => t.serialNumber)).size).toBe(terminals.length);
  });

  it('plants every injectable kind of fault, each on merchants of its own', () => {
    expect(world.notInjectable).toEqual([]);
    expect(new Set(world.faults.map((f) => f.kind))).toEqual(new Set(RULES));
    const kindsOf = new Map<string, Set<string>>();
    for (const f of world.faults) {
      expect(f.transactionIds.length, f.note).toBeGreaterThan(0);
      for (const n of [f.merchantNo, ...f.relatedMerchantNos]) {
        kindsOf.set(n, new Set([...(kindsOf.get(n) ?? []), f.kind]));
      }
    }
    for (const [merchantNo, kinds] of kindsOf)
      expect([merchantNo, kinds.size]).toEqual([merchantNo, 1]);
  });

  it('labels faults with the transactions and registry records that carry them', () => {
    for (const f of world.faults) {
      const txs = f.transactionIds.map((id) => byId.get(id));
      expect(txs.every((t) => t?.merchantNo === f.merchantNo)).toBe(true);
      if (f.terminalId) expect(txs.every((t) => t?.terminalId === f.terminalId)).toBe(true);
      const record = records.get(f.merchantNo);
      const account = record?.settlementAccount;
      switch (f.kind) {
        case 'terminal_merchant_mismatch':
          expect(terminalOwner.get(f.terminalId ?? '')?.merchant.merchantNo).toBe(
            f.relatedMerchantNos[0],
          );
          expect(f.relatedMerchantNos[0]).not.toBe(f.merchantNo);
          break;
        case 'unknown_terminal':
          expect(terminalOwner.has(f.terminalId ?? '')).toBe(false);
          break;
        case 'unknown_merchant':
          expect(records.has(f.merchantNo)).toBe(false);
          expect(terminalOwner.has(f.terminalId ?? '')).toBe(true);
          break;
        case 'suspended_terminal_activity':
          expect(world.suspensions.map((s) => s.terminalId)).toContain(f.terminalId);
          break;
        case 'receipt_name_mismatch':
          for (const t of txs) {
            // Another shop's name, as registered.
            const printed = t?.merchantNameOnReceipt ?? '';
            expect(registeredNames.has(printed) && printed !== record?.merchant.name).toBe(true);
          }
          break;
        case 'account_not_active':
          expect(account?.status).toBe('pending_verification');
          break;
        case 'account_name_mismatch':
          expect([record?.merchant.name, record?.merchant.legalPerson.name]).not.toContain(
            account?.accountName,
          );
          break;
        case 'shared_account':
          for (const n of f.relatedMerchantNos) {
            expect(records.get(n)?.settlementAccount?.accountNumber).toBe(account?.accountNumber);
            expect(records.get(n)?.merchant.legalPerson.idNumber).not.toBe(
              record?.merchant.legalPerson.idNumber,
            );
          }
          break;
        case 'firmware_outdated': {
          const terminal = terminalOwner
            .get(f.terminalId ?? '')
            ?.terminals?.find((t) => t.terminalId === f.terminalId);
          const minimum = DEFAULT_POLICY.minimumFirmware[terminal?.model ?? ''];
          expect(minimum && terminal && isBelow(terminal.firmwareVersion, minimum)).toBe(true);
          break;
        }
        case 'post_change_spike': {
          // The burst lies after the change the run makes, each purchase alone above the
          // highest threshold the merchant's history can give the rule.
          const { factor, minimumFen } = DEFAULT_POLICY.postChangeSpike;
          const history = world.transactions
            .filter(
              (t) => t.merchantNo === f.merchantNo && Date.parse(t.occurredAt) < TODAY.getTime(),
            )
            .filter((t) => t.type === 'purchase' && (t.status ?? 'approved') === 'approved')
            .reduce((sum, t) => sum + t.amountFen, 0);
          const threshold = Math.max(Math.ceil((history + 999) / 30) * factor, minimumFen);
          expect(txs.length).toBeGreaterThanOrEqual(3);
          for (const t of txs) {
            expect(Date.parse(t?.occurredAt ?? '')).toBeGreaterThanOrEqual(world.postChangeFromMs);
            expect(t).toMatchObject({ type: 'purchase', status: 'approved' });
            expect(t?.amountFen).toBeGreaterThan(threshold);
          }
          expect(world.accountChanges.find((c) => c.merchantNo === f.merchantNo)?.spike).toBe(true);
          break;
        }
      }
    }
  });

  it('changes two accounts: the spike’s, and a control whose takings after it stay ordinary', () => {
    expect(world.postChangeFromMs).toBe(TODAY.getTime() + 3_600_000);
    expect(world.accountChanges.map((c) => c.spike).sort()).toEqual([false, true]);
    const faulty = new Set(world.faults.flatMap((f) => [f.merchantNo, ...f.relatedMerchantNos]));
    const accounts = new Set(
      world.registry.flatMap((r) =>
        r.settlementAccount ? [r.settlementAccount.accountNumber] : [],
      ),
    );
    for (const change of world.accountChanges) {
      const record = records.get(change.merchantNo);
      const old = record?.settlementAccount;
      expect(old?.status ?? 'active').toBe('active');
      // The same holder and type, a number of its own that no one else settles to.
      expect(change.account).toMatchObject({
        accountName: old?.accountName,
        accountType: old?.accountType,
      });
      expect(accounts.has(change.account.accountNumber)).toBe(false);
      if (change.account.accountType === 'personal') {
        expect(isLuhnValid(change.account.accountNumber)).toBe(true);
        expect(lookupBin(change.account.accountNumber)?.bankCode).toBe('102');
      }
      expect(record?.terminals?.map((t) => t.terminalId)).toContain(change.terminalId);
      expect(faulty.has(change.merchantNo)).toBe(change.spike);
      const after = world.transactions.filter(
        (t) =>
          t.merchantNo === change.merchantNo && Date.parse(t.occurredAt) >= world.postChangeFromMs,
      );
      expect(after.length).toBeGreaterThan(0);
      if (!change.spike) {
        // With the test transaction, under the rule's floor over any 24 hours from the change.
        const lastDay = world.transactions.filter(
          (t) =>
            t.merchantNo === change.merchantNo &&
            Date.parse(t.occurredAt) > TODAY.getTime() - 86_400_000 &&
            t.type === 'purchase',
        );
        const volume = lastDay.reduce((sum, t) => sum + t.amountFen, 999);
        expect(volume).toBeLessThan(DEFAULT_POLICY.postChangeSpike.minimumFen);
      }
    }
    // Nothing else lies after today.
    const changed = new Set(world.accountChanges.map((c) => c.merchantNo));
    for (const t of world.transactions) {
      if (Date.parse(t.occurredAt) >= TODAY.getTime()) expect(changed.has(t.merchantNo)).toBe(true);
    }
  });

  it('makes valid, realistic traffic in time order within the last days before today', () => {
    const transactions = world.transactions.filter(
      (t) => Date.parse(t.occurredAt) < world.postChangeFromMs,
    );
    expect(transactions.length).toBeGreaterThan(60 * 2 * 6);
    expect(new Set(transactions.map((t) => t.id)).size).toBe(transactions.length);
    const times = transactions.map((t) => Date.parse(t.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(TODAY.getTime() - 2 * 86_400_000 - 1000);
    expect(Math.max(...times)).toBeLessThan(TODAY.getTime());
    for (const t of transactions) {
      expect(validateTransaction(t, { now: TODAY }).ok, t.id).toBe(true);
      expect(isLuhnValid(t.pan ?? '') && lookupBin(t.pan ?? '') !== null, t.id).toBe(true);
      expect(t.amountFen).toBeGreaterThanOrEqual(500);
      expect(t.amountFen).toBeLessThanOrEqual(500_000);
      expect(t.rrn).toMatch(/^\d{12}$/);
      expect(t.stan).toMatch(/^\d{6}$/);
    }
    const kinds = new Set(transactions.map((t) => `${t.type}/${t.status ?? 'approved'}`));
    for (const kind of ['purchase/approved', 'purchase/declined', 'void/approved']) {
      expect(kinds).toContain(kind);
    }
    expect([...kinds].some((k) => k.startsWith('refund') || k.startsWith('reversal'))).toBe(true);
  });

  it('prints the registered name, cut short or not, or none, on every receipt but the planted ones', () => {
    const planted = new Set(
      world.faults
        .filter((f) => f.kind === 'receipt_name_mismatch')
        .flatMap((f) => f.transactionIds),
    );
    const printed = world.transactions.map((t) => t.merchantNameOnReceipt).filter(Boolean);
    expect(printed.length).toBeGreaterThan(world.transactions.length / 2);
    for (const t of world.transactions) {
      const registered = records.get(t.merchantNo)?.merchant.name;
      if (planted.has(t.id) || !t.merchantNameOnReceipt || !registered) continue;
      // The whole name, or as much of it as a receipt holds.
      expect(registered.startsWith(t.merchantNameOnReceipt), t.id).toBe(true);
    }
  });
});
