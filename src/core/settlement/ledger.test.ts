import { describe, expect, it } from 'vitest';
import {
  isBalanced,
  merchantBalance,
  paidJournal,
  releaseJournal,
  returnedJournal,
  reversalOf,
  settlementJournal,
  type Journal,
  type LedgerAccount,
} from './ledger.js';

function balances(journals: Journal[]): Partial<Record<LedgerAccount, number>> {
  const out: Partial<Record<LedgerAccount, number>> = {};
  for (const j of journals) {
    for (const p of j.postings) out[p.account] = (out[p.account] ?? 0) + p.amountFen;
  }
  return out;
}

const base = { runId: 'r1', merchantNo: '100000000000001' };

describe('ledger journals', () => {
  it('a ready line: captured, fee, in flight; then paid', () => {
    const settle = settlementJournal({
      ...base,
      lineId: 'L1',
      netFen: 100_000,
      feeFen: 600,
      releasedInFen: 0,
      amountFen: 99_400,
      status: 'ready',
    });
    expect(isBalanced(settle.postings)).toBe(true);
    expect(settle.id).toBe('line:L1:settlement');
    const paid = paidJournal({ ...base, lineId: 'L1', amountFen: 99_400 });
    const b = merchantBalance(balances([settle, paid]));
    expect(b).toEqual({
      pendingFen: 0,
      heldFen: 0,
      releasedFen: 0,
      inFlightFen: 0,
      paidFen: 99_400,
      feesFen: 600,
      capturedFen: 100_000,
    });
  });

  it('a return after paid puts the money on hold; release makes it go out next time', () => {
    const j1 = settlementJournal({
      ...base,
      lineId: 'L1',
      netFen: 10_000,
      feeFen: 60,
      releasedInFen: 0,
      amountFen: 9_940,
      status: 'ready',
    });
    const j2 = paidJournal({ ...base, lineId: 'L1', amountFen: 9_940 });
    const j3 = returnedJournal({ ...base, lineId: 'L1', amountFen: 9_940, wasPaid: true });
    expect(merchantBalance(balances([j1, j2, j3]))).toMatchObject({ heldFen: 9_940, paidFen: 0 });
    const j4 = releaseJournal({ releaseId: 'R1', merchantNo: base.merchantNo, amountFen: 9_940 });
    expect(merchantBalance(balances([j1, j2, j3, j4]))).toMatchObject({
      heldFen: 0,
      releasedFen: 9_940,
    });
    const j5 = settlementJournal({
      ...base,
      lineId: 'L2',
      netFen: 1_000,
      feeFen: 6,
      releasedInFen: 9_940,
      amountFen: 10_934,
      status: 'ready',
    });
    const all = [j1, j2, j3, j4, j5];
    for (const j of all) expect(isBalanced(j.postings)).toBe(true);
    expect(merchantBalance(balances(all))).toMatchObject({
      pendingFen: 0,
      releasedFen: 0,
      inFlightFen: 10_934,
      feesFen: 66,
      capturedFen: 11_000,
    });
  });

  it('a negative day stays payable and is taken by the next line', () => {
    const j1 = settlementJournal({
      ...base,
      lineId: 'L1',
      netFen: -3_000,
      feeFen: 0,
      releasedInFen: 0,
      amountFen: -3_000,
      status: 'carried',
    });
    expect(merchantBalance(balances([j1])).pendingFen).toBe(-3_000);
    const j2 = settlementJournal({
      ...base,
      lineId: 'L2',
      netFen: 10_000,
      feeFen: 60,
      releasedInFen: 0,
      amountFen: 6_940,
      status: 'ready',
    });
    expect(merchantBalance(balances([j1, j2]))).toMatchObject({
      pendingFen: 0,
      inFlightFen: 6_940,
    });
  });

  it('refuses unbalanced or zero postings and reverses exactly', () => {
    const j = paidJournal({ ...base, lineId: 'L1', amountFen: 500 });
    const r = reversalOf(j, 'fix:1');
    expect(r.postings.map((p) => p.amountFen)).toEqual([-500, 500]);
    expect(merchantBalance(balances([j, r]))).toMatchObject({ paidFen: 0, inFlightFen: 0 });
    expect(paidJournal({ ...base, lineId: 'L0', amountFen: 0 }).postings).toEqual([]);
  });
});
