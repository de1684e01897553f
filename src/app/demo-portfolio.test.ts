import * as OpenCC from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { checkDeclaredBank, lookupBin } from '../core/bins/bins.js';
import {
  checkBankCard,
  checkCnaps,
  checkCorporateAccount,
  checkMcc,
  checkMerchantNo,
  checkMobile,
  checkResidentId,
  checkTerminalId,
  checkUscc,
  cnapsBankClass,
  residentIdBirthDate,
} from '../core/identifiers/index.js';
import type { ImportRecord } from '../core/registry.js';
import {
  buildDemoPortfolio,
  buildDemoPortfolioWithFaults,
  demoFaults,
  type DemoFaults,
} from './demo-portfolio.js';

const TODAY = new Date('2025-06-01T00:00:00Z');
const portfolio = buildDemoPortfolioWithFaults({ seed: 20250601, today: TODAY });
const { records, faults } = portfolio;
const byNo = new Map(records.map((r) => [r.merchant.merchantNo, r]));

// opencc-js's declaration files do not resolve under NodeNext; restate the converter's type.
const toSimplified = (
  OpenCC.Converter as unknown as (o: { from: string; to: string }) => (text: string) => string
)({ from: 't', to: 'cn' });

const FAULT_KINDS = [
  'mismatchedHolder',
  'sharedAccount',
  'unverifiedAccount',
  'binBankMismatch',
] as const satisfies readonly (keyof DemoFaults)[];
const faulty = new Set(FAULT_KINDS.flatMap((kind) => faults[kind]));
const clean = records.filter((r) => !faulty.has(r.merchant.merchantNo));

function record(merchantNo: string): ImportRecord {
  const found = byNo.get(merchantNo);
  if (found === undefined) {
    throw new Error(`no record ${merchantNo}`);
  }
  return found;
}

function issuesOf(result: ReturnType<typeof checkUscc>): string[] {
  return result.ok ? result.warnings.map((w) => w.code) : result.issues.map((i) => i.code);
}

describe('buildDemoPortfolio', () => {
  it('is deterministic from the seed and today', () => {
    const again = buildDemoPortfolio({ seed: 20250601, today: TODAY });
    expect(again).toEqual(records);
    expect(demoFaults({ seed: 20250601, today: TODAY })).toEqual(faults);
    const other = buildDemoPortfolio({ seed: 7, today: TODAY });
    expect(other).not.toEqual(records);
  });

  it('has 300 merchants by default, or the size asked for, with unique numbers', () => {
    expect(records).toHaveLength(300);
    expect(byNo.size).toBe(300);
    expect(buildDemoPortfolio({ seed: 1, size: 12, today: TODAY })).toHaveLength(12);
    expect(() => buildDemoPortfolio({ seed: 1, size: 0, today: TODAY })).toThrow(RangeError);
  });

  it('mixes the three kinds of merchant', () => {
    const count = (type: string): number => records.filter((r) => r.merchant.type === type).length;
    expect(count('enterprise')).toBeGreaterThan(60);
    expect(count('individual_business')).toBeGreaterThan(60);
    expect(count('micro')).toBeGreaterThan(40);
  });

  it('gives terminals, ids and serial numbers that are unique across the portfolio', () => {
    const terminals = records.flatMap((r) => r.terminals ?? []);
    expect(new Set(terminals.map((t) => t.terminalId)).size).toBe(terminals.length);
    expect(new Set(terminals.map((t) => t.serialNumber)).size).toBe(terminals.length);
    for (const r of records) {
      expect(r.terminals?.length ?? 0).toBeGreaterThanOrEqual(1);
      expect(r.terminals?.length ?? 0).toBeLessThanOrEqual(3);
      for (const t of r.terminals ?? []) {
        expect(t.location).toBe(r.merchant.address);
        expect(t.model).toMatch(/^(PAX|新大陆|联迪) /);
        expect(t.firmwareVersion).toMatch(/^V\d+\.\d+\.\d+$/);
      }
    }
    const ids = records.map((r) => r.merchant.legalPerson.idNumber);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('every identifier of every clean record passes its check', () => {
  it.each(clean.map((r) => [r.merchant.merchantNo, r] as const))('%s', (_, r) => {
    const m = r.merchant;
    expect(checkMerchantNo(m.merchantNo, 'merchantNo')).toEqual({
      ok: true,
      value: m.merchantNo,
      warnings: [],
    });
    expect(issuesOf(checkMcc(m.mcc, 'mcc'))).toEqual([]);
    expect(m.merchantNo.slice(7, 11)).toBe(m.mcc);
    expect(issuesOf(checkResidentId(m.legalPerson.idNumber, 'id', TODAY))).toEqual([]);
    const birth = residentIdBirthDate(m.legalPerson.idNumber);
    expect(birth !== null && 2025 - birth.year >= 21 && 2025 - birth.year <= 66).toBe(true);
    expect(issuesOf(checkMobile(m.contactPhone ?? '', 'phone'))).toEqual([]);
    if (m.type === 'micro') {
      expect(m.uscc).toBeUndefined();
    } else {
      expect(checkUscc(m.uscc ?? '', 'uscc')).toEqual({ ok: true, value: m.uscc, warnings: [] });
      expect(m.uscc?.slice(0, 2)).toBe(m.type === 'enterprise' ? '91' : '92');
    }
    for (const t of r.terminals ?? []) {
      expect(issuesOf(checkTerminalId(t.terminalId, 'terminalId'))).toEqual([]);
    }

    const a = r.settlementAccount;
    expect(a).toBeDefined();
    if (a === undefined) return;
    expect(a.status).toBeUndefined();
    expect(issuesOf(checkCnaps(a.bankCode ?? '', 'bankCode'))).toEqual([]);
    expect(cnapsBankClass(a.bankCode ?? '')).not.toBeNull();
    if (a.accountType === 'personal') {
      expect(m.type).not.toBe('enterprise');
      expect(checkBankCard(a.accountNumber, 'accountNumber')).toEqual({
        ok: true,
        value: a.accountNumber,
        warnings: [],
      });
      const bin = lookupBin(a.accountNumber);
      expect(bin?.cardType).toBe('debit');
      expect(a.bankCode?.slice(0, 3)).toBe(bin?.bankCode);
      expect(
        checkDeclaredBank({
          cardNumber: a.accountNumber,
          declaredBankName: a.bankName,
          declaredBankCode: a.bankCode,
          path: 'bankName',
        }),
      ).toBeNull();
      expect(a.accountName).toBe(m.legalPerson.name);
    } else {
      expect(m.type).not.toBe('micro');
      expect(issuesOf(checkCorporateAccount(a.accountNumber, 'accountNumber'))).toEqual([]);
      if (
        !faults.traditionalHolderName.includes(m.merchantNo) &&
        !faults.bracketHolderName.includes(m.merchantNo)
      ) {
        expect(a.accountName).toBe(m.name);
      }
    }
  });
});

describe('the planted faults', () => {
  it('make up about 5% of the records, each record in one kind at most', () => {
    const all = FAULT_KINDS.flatMap((kind) => faults[kind]);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all.length).toBeLessThanOrEqual(18);
    for (const kind of FAULT_KINDS) {
      expect(faults[kind].length, kind).toBeGreaterThan(0);
    }
  });

  it('name accounts after unrelated people or companies', () => {
    expect(faults.mismatchedHolder.length).toBeGreaterThanOrEqual(4);
    for (const no of faults.mismatchedHolder) {
      const r = record(no);
      const holder = r.settlementAccount?.accountName;
      expect(holder).not.toBe(r.merchant.legalPerson.name);
      expect(holder).not.toBe(r.merchant.name);
      expect(holder?.charAt(0)).not.toBe(r.merchant.legalPerson.name.charAt(0));
      expect(records.some((other) => other.merchant.name === holder)).toBe(false);
    }
  });

  it('share one personal card among three unrelated merchants', () => {
    expect(faults.sharedAccount).toHaveLength(3);
    const sharers = faults.sharedAccount.map(record);
    const numbers = new Set(sharers.map((r) => r.settlementAccount?.accountNumber));
    expect(numbers.size).toBe(1);
    for (const r of sharers) {
      expect(r.settlementAccount?.accountType).toBe('personal');
      // Each looks right on its own: the holder is the merchant's own legal person.
      expect(r.settlementAccount?.accountName).toBe(r.merchant.legalPerson.name);
    }
    expect(new Set(sharers.map((r) => r.merchant.legalPerson.idNumber)).size).toBe(3);
    const card = [...numbers][0] ?? '';
    expect(records.filter((r) => r.settlementAccount?.accountNumber === card)).toHaveLength(3);
    // No other account number is used twice.
    const counts = new Map<string, number>();
    for (const r of records) {
      const n = r.settlementAccount?.accountNumber ?? '';
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.values()].filter((c) => c > 1)).toEqual([3]);
  });

  it('leave some accounts pending verification', () => {
    for (const no of faults.unverifiedAccount) {
      expect(record(no).settlementAccount?.status).toBe('pending_verification');
    }
    expect(records.filter((r) => r.settlementAccount?.status !== undefined)).toHaveLength(
      faults.unverifiedAccount.length,
    );
  });

  it('declare cards as another bank than their BIN', () => {
    for (const no of faults.binBankMismatch) {
      const a = record(no).settlementAccount;
      expect(a?.accountType).toBe('personal');
      const issue = checkDeclaredBank({
        cardNumber: a?.accountNumber ?? '',
        declaredBankName: a?.bankName,
        declaredBankCode: a?.bankCode,
        path: 'settlementAccount.bankName',
      });
      expect(issue?.code).toBe('bin_bank_mismatch');
      expect(issue?.message).toContain('bank name');
      expect(issue?.message).toContain('CNAPS');
    }
  });
});

describe('the lookalike names (not faults)', () => {
  it('include 上海浦東餐飲管理有限公司 for 上海浦东餐饮管理有限公司, and they convert back', () => {
    expect(faults.traditionalHolderName).toHaveLength(2);
    const names = faults.traditionalHolderName.map((no) => record(no).merchant.name);
    expect(names).toContain('上海浦东餐饮管理有限公司');
    for (const no of faults.traditionalHolderName) {
      const r = record(no);
      const holder = r.settlementAccount?.accountName ?? '';
      expect(holder).not.toBe(r.merchant.name);
      expect(toSimplified(holder)).toBe(r.merchant.name);
    }
    const shanghai = records.find((r) => r.merchant.name === '上海浦东餐饮管理有限公司');
    expect(shanghai?.settlementAccount?.accountName).toBe('上海浦東餐飲管理有限公司');
    expect(shanghai?.merchant.uscc?.slice(2, 8)).toBe('310115');
    expect(shanghai?.merchant.address).toMatch(/^上海市浦东新区/);
  });

  it('include holder names that differ only in bracket width, both ways', () => {
    expect(faults.bracketHolderName).toHaveLength(2);
    const halfWidth = (s: string): string => s.replace(/（/g, '(').replace(/）/g, ')');
    const pairs = faults.bracketHolderName.map((no) => {
      const r = record(no);
      return [r.merchant.name, r.settlementAccount?.accountName ?? ''] as const;
    });
    for (const [name, holder] of pairs) {
      expect(holder).not.toBe(name);
      expect(halfWidth(holder)).toBe(halfWidth(name));
    }
    expect(pairs.some(([name]) => name.includes('（'))).toBe(true);
    expect(pairs.some(([, holder]) => holder.includes('（'))).toBe(true);
  });
});

describe('small portfolios', () => {
  it('plant no faults below 40 merchants, and stay valid', () => {
    const small = buildDemoPortfolioWithFaults({ seed: 3, size: 20, today: TODAY });
    expect(Object.values(small.faults).flat()).toEqual([]);
    for (const r of small.records) {
      expect(checkMerchantNo(r.merchant.merchantNo, 'merchantNo').ok).toBe(true);
    }
  });

  it('plant every kind of fault from 40 merchants', () => {
    const f = demoFaults({ seed: 5, size: 40, today: TODAY });
    for (const kind of FAULT_KINDS) {
      expect(f[kind].length, kind).toBeGreaterThan(0);
    }
  });
});
