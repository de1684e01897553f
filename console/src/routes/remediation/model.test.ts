import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  chinaToday,
  fenToYuanText,
  isOverdue,
  isUnassigned,
  pagerFor,
  TABLE_PAGE_SIZE,
  totalsByKind,
  unavailableReason,
  yuanToFen,
} from './model';

describe('yuanToFen', () => {
  it('reads yuan with up to two decimals as whole fen', () => {
    expect(yuanToFen('1288')).toBe(128_800);
    expect(yuanToFen('1,288.5')).toBe(128_850);
    expect(yuanToFen(' ¥12.30 ')).toBe(1_230);
    expect(yuanToFen('￥0.01')).toBe(1);
    // 0.1 + 0.2 in floating point is not 0.3; as text it is exact.
    expect(yuanToFen('0.29')).toBe(29);
  });

  it('refuses what is not an amount', () => {
    for (const typed of ['', '1.234', '-5', 'abc', '1e3', '12.', '.5']) {
      expect(yuanToFen(typed), typed).toBeUndefined();
    }
    expect(yuanToFen('100000001')).toBeUndefined();
  });

  it('writes fen back as the yuan a form starts with', () => {
    expect(fenToYuanText(128_800)).toBe('1288.00');
    expect(fenToYuanText(5)).toBe('0.05');
  });
});

describe('isUnassigned', () => {
  it('flags an active remediation without owner or due date, and only an active one', () => {
    expect(isUnassigned({ status: 'open', owner: null, dueDate: '2026-12-01' })).toBe(true);
    expect(isUnassigned({ status: 'in_progress', owner: 'ops-li', dueDate: null })).toBe(true);
    expect(isUnassigned({ status: 'open', owner: 'ops-li', dueDate: '2026-12-01' })).toBe(false);
    expect(isUnassigned({ status: 'done', owner: null, dueDate: null })).toBe(false);
    expect(isUnassigned({ status: 'cancelled', owner: null, dueDate: null })).toBe(false);
  });

  it("takes the server's flag when it sends one", () => {
    expect(isUnassigned({ status: 'open', owner: null, dueDate: null, unassigned: false })).toBe(
      false,
    );
  });
});

describe('isOverdue', () => {
  it('is past the due date in China and still active', () => {
    expect(isOverdue({ status: 'open', dueDate: '2026-11-25' }, '2026-11-26')).toBe(true);
    expect(isOverdue({ status: 'open', dueDate: '2026-11-26' }, '2026-11-26')).toBe(false);
    expect(isOverdue({ status: 'done', dueDate: '2026-11-01' }, '2026-11-26')).toBe(false);
    expect(isOverdue({ status: 'open', dueDate: null }, '2026-11-26')).toBe(false);
  });

  it("counts days on China's calendar", () => {
    expect(chinaToday(new Date('2026-11-26T17:00:00Z'))).toBe('2026-11-27');
    expect(chinaToday(new Date('2026-11-26T15:59:00Z'))).toBe('2026-11-26');
  });
});

describe('totalsByKind', () => {
  const item = (kind: 'settled_to_wrong_account' | 'payout_returned', amountFen: number) => ({
    kind,
    merchantNo: '898110058120002',
    amountFen,
    occurredAt: '2026-11-25T04:00:00Z',
    remediation: null,
  });

  it('adds up the items of each kind', () => {
    const totals = totalsByKind({
      items: [item('settled_to_wrong_account', 100), item('settled_to_wrong_account', 50)],
    });
    expect(totals.settled_to_wrong_account).toEqual({ count: 2, amountFen: 150 });
    expect(totals.payout_returned).toEqual({ count: 0, amountFen: 0 });
  });

  it("prefers the server's totals (they count beyond the items listed) when readable", () => {
    const totals = totalsByKind({
      items: [item('payout_returned', 100)],
      // An older server's totals may lack a kind, or carry it in another shape.
      totals: JSON.parse(
        '{"payout_returned":{"count":3,"amountFen":900},"customer_saw_failure":"x"}',
      ) as Record<string, never>,
    });
    expect(totals.payout_returned).toEqual({ count: 3, amountFen: 900 });
    expect(totals.customer_saw_failure).toEqual({ count: 0, amountFen: 0 });
  });
});

describe('actionsFor', () => {
  it('offers what fits each kind of affected payment', () => {
    expect(actionsFor('settled_to_wrong_account')).toEqual([
      'resettle',
      'refund',
      'recover',
      'retransaction',
    ]);
    expect(actionsFor('payout_returned')).toEqual(['resettle']);
    expect(actionsFor('customer_saw_failure')).toEqual(['retransaction']);
  });
});

describe('unavailableReason', () => {
  it('refuses a second standing remediation of the same action', () => {
    expect(unavailableReason('refund', [{ action: 'refund', status: 'open' }])).toBe('exists');
    expect(unavailableReason('refund', [{ action: 'refund', status: 'cancelled' }])).toBe(
      undefined,
    );
  });

  it('refuses re-settling a refunded payment, and the other way round', () => {
    expect(unavailableReason('refund', [{ action: 'resettle', status: 'done' }])).toBe('conflict');
    expect(unavailableReason('resettle', [{ action: 'refund', status: 'open' }])).toBe('conflict');
    expect(unavailableReason('retransaction', [{ action: 'resettle', status: 'open' }])).toBe(
      'conflict',
    );
  });

  it('lets a recovery come first or after a re-settlement or refund', () => {
    expect(unavailableReason('recover', [])).toBe(undefined);
    expect(unavailableReason('recover', [{ action: 'refund', status: 'in_progress' }])).toBe(
      undefined,
    );
    expect(unavailableReason('recover', [{ action: 'recover', status: 'open' }])).toBe('exists');
  });
});

describe('pagerFor', () => {
  it('pages only a long table', () => {
    expect(pagerFor(TABLE_PAGE_SIZE)).toBe(false);
    expect(pagerFor(TABLE_PAGE_SIZE + 1)).toEqual({
      pageSize: TABLE_PAGE_SIZE,
      showSizeChanger: false,
    });
  });
});
