import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../core/registry.js';
import { RULES } from '../core/screening/policy.js';
import type { TransactionInput } from '../core/transaction.js';
import type { IngestResultView } from './api-client.js';
import { alertKey, scoreRun } from './score.js';
import type { World } from './world.js';

function record(merchantNo: string, terminalId: string): ImportRecord {
  return {
    merchant: {
      merchantNo,
      name: `商户${merchantNo}`,
      type: 'micro',
      legalPerson: { name: '张三', idNumber: '11010519491231002X' },
      mcc: '5812',
    },
    terminals: [
      { terminalId, serialNumber: `SN${terminalId}`, model: 'PAX A920', firmwareVersion: 'V2.4.0' },
    ],
  };
}

function tx(id: string, terminalId: string, merchantNo: string): TransactionInput {
  return {
    id,
    terminalId,
    merchantNo,
    type: 'purchase',
    amountFen: 1000,
    occurredAt: '2026-01-01T00:00:00Z',
  };
}

const M1 = '898000000000001';
const M2 = '898000000000002';
const M3 = '898000000000003';
const M4 = '898000000000004';
const M5 = '898000000000005';

const world: World = {
  tag: 'test',
  options: { seed: 1, merchants: 4, days: 1, transactionsPerMerchantPerDay: 1, today: new Date(0) },
  registry: [
    record(M1, 'T0000001'),
    record(M2, 'T0000002'),
    record(M3, 'T0000003'),
    record(M4, 'T0000004'),
    record(M5, 'T0000005'),
  ],
  suspensions: [],
  transactions: [
    tx('a', 'T0000001', M2),
    tx('c', 'T0000003', M3),
    tx('b', 'T0000001', M2),
    tx('d', 'T0000004', M4),
    tx('e', 'T0000004', M4),
    tx('f', 'T0000005', M5),
    tx('g', 'T0000005', M5),
  ],
  faults: [
    {
      kind: 'terminal_merchant_mismatch',
      merchantNo: M2,
      terminalId: 'T0000001',
      transactionIds: ['a', 'b'],
      note: 'moved terminal',
      relatedMerchantNos: [M1],
      alsoFires: [],
    },
    {
      kind: 'firmware_outdated',
      merchantNo: M4,
      terminalId: 'T0000004',
      transactionIds: ['d', 'e'],
      note: 'old firmware',
      relatedMerchantNos: [],
      alsoFires: [],
    },
    {
      kind: 'post_change_spike',
      merchantNo: M5,
      terminalId: 'T0000005',
      transactionIds: ['f', 'g'],
      note: 'burst after the account change',
      relatedMerchantNos: [],
      alsoFires: [],
    },
  ],
  accountChanges: [],
  postChangeFromMs: 3_600_000,
  notInjectable: [],
};

const answers: Record<string, IngestResultView> = {
  a: { id: 'a', outcome: 'accepted', decision: 'contain', alerts: ['terminal_merchant_mismatch'] },
  c: { id: 'c', outcome: 'accepted', decision: 'review', alerts: ['receipt_name_mismatch'] },
  b: {
    id: 'b',
    outcome: 'accepted',
    decision: 'contain',
    alerts: ['terminal_merchant_mismatch', 'suspended_terminal_activity'],
  },
  d: { id: 'd', outcome: 'accepted', decision: 'review', alerts: ['firmware_outdated'] },
  e: { id: 'e', outcome: 'duplicate', decision: 'ok', alerts: [] },
  f: { id: 'f', outcome: 'accepted', decision: 'review', alerts: ['post_change_spike'] },
  g: { id: 'g', outcome: 'accepted', decision: 'review', alerts: ['post_change_spike'] },
};

const score = scoreRun({
  world,
  results: new Map(Object.entries(answers)),
  batches: [
    { sentAtMs: 100, answeredAtMs: 150, transactionIds: ['a', 'c'] },
    { sentAtMs: 200, answeredAtMs: 230, transactionIds: ['b', 'd', 'e'] },
    { sentAtMs: 300, answeredAtMs: 320, transactionIds: ['f', 'g'] },
  ],
});

describe('scoreRun', () => {
  it('counts a fault detected only when every one of its transactions carries its rule', () => {
    expect(score.faults.map((f) => [f.kind, f.screened, f.flagged, f.detected])).toEqual([
      ['terminal_merchant_mismatch', 2, 2, true],
      ['firmware_outdated', 2, 1, false],
      ['post_change_spike', 2, 2, true],
    ]);
    expect(score.rules.terminal_merchant_mismatch).toMatchObject({
      injected: 1,
      detected: 1,
      missed: 0,
    });
    expect(score.rules.firmware_outdated).toMatchObject({ injected: 1, detected: 0, missed: 1 });
    expect(RULES.every((rule) => score.rules[rule].injectable)).toBe(true);
  });

  it('scores a review-only rule like the others, with no time to containment', () => {
    expect(score.rules.post_change_spike).toMatchObject({
      injectable: true,
      injected: 1,
      detected: 1,
      missed: 0,
      falseAlarms: 0,
      containedMedianMs: null,
      containedMaxMs: null,
    });
    expect(score.faults[2]).toMatchObject({ contained: false, containedMs: null });
    expect(score.contained.has(M5)).toBe(false);
  });

  it('times containment from sending the first offending batch to the contain answer', () => {
    expect(score.faults[0]?.containedMs).toBe(50);
    expect(score.rules.terminal_merchant_mismatch).toMatchObject({
      containedMedianMs: 50,
      containedMaxMs: 50,
    });
    expect(score.faults[1]?.containedMs).toBeNull();
    expect(score.contained).toEqual(new Map([[M2, new Set(['T0000001'])]]));
    expect(score.containedTerminals).toEqual(new Map([['T0000001', M1]]));
  });

  it('tells follow-ons of a containment from false alarms on clean merchants', () => {
    expect(score.rules.suspended_terminal_activity).toMatchObject({ followOn: 1, falseAlarms: 0 });
    expect(score.rules.receipt_name_mismatch.falseAlarms).toBe(1);
    expect(score.falseAlarms).toEqual([
      { transactionId: 'c', rule: 'receipt_name_mismatch', merchantNo: M3, terminalId: 'T0000003' },
    ]);
    expect(score.cleanMerchants).toEqual(new Set([M3]));
    expect([...score.cleanMerchantsWithAlerts]).toEqual([M3]);
    expect(score.expectedAlertKeys.has(alertKey('suspended_terminal_activity', M2))).toBe(true);
    expect(score.outcomes).toEqual({ accepted: 6, duplicate: 1, rejected: 0, unanswered: 0 });
  });
});
