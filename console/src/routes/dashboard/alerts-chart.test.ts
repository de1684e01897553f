import { describe, expect, it } from 'vitest';
import { alertsChartData, daysBetween } from './alerts-chart';

describe('the alerts-by-rule chart', () => {
  it('lists every day of a range, across a month end', () => {
    expect(daysBetween('2026-01-30', '2026-02-02')).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
    ]);
  });

  it('gives one series per rule with zeros for quiet days, busiest rule first', () => {
    const data = alertsChartData([
      { day: '2026-01-05', rule: 'shared_account', count: 1 },
      { day: '2026-01-03', rule: 'terminal_merchant_mismatch', count: 2 },
      { day: '2026-01-05', rule: 'terminal_merchant_mismatch', count: 3 },
    ]);
    expect(data.days).toEqual(['2026-01-03', '2026-01-04', '2026-01-05']);
    expect(data.series).toEqual([
      { rule: 'terminal_merchant_mismatch', counts: [2, 0, 3] },
      { rule: 'shared_account', counts: [0, 0, 1] },
    ]);
  });

  it('keeps a fixed window and drops rows outside it', () => {
    const data = alertsChartData([{ day: '2026-01-01', rule: 'x', count: 9 }], {
      first: '2026-01-02',
      last: '2026-01-03',
    });
    expect(data).toEqual({ days: ['2026-01-02', '2026-01-03'], series: [] });
  });

  it('is empty without rows or range', () => {
    expect(alertsChartData([])).toEqual({ days: [], series: [] });
  });
});
