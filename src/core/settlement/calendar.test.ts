import { describe, expect, it } from 'vitest';
import {
  businessDateOf,
  businessDayWindow,
  dueBusinessDates,
  isBusinessDate,
  payoutDate,
} from './calendar.js';

const plain = { holidays: [], workdays: [] };

describe('business dates', () => {
  it('are China Standard Time days', () => {
    const { start, end } = businessDayWindow('2026-11-26');
    expect(start.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(businessDateOf(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
    expect(businessDateOf(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
  });

  it('accepts only real dates', () => {
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-1-1')).toBe(false);
  });
});

describe('payout dates', () => {
  it('D0 pays the same day, D1 the next', () => {
    expect(payoutDate('D0', '2026-11-27', plain)).toBe('2026-11-27');
    expect(payoutDate('D1', '2026-11-27', plain)).toBe('2026-11-28');
  });

  it('T1 skips weekends and holidays and honours adjusted working days', () => {
    // 2026-11-27 is a Friday.
    expect(payoutDate('T1', '2026-11-27', plain)).toBe('2026-11-30');
    expect(payoutDate('T1', '2026-11-28', plain)).toBe('2026-11-30');
    expect(payoutDate('T1', '2026-11-26', plain)).toBe('2026-11-27');
    const calendar = { holidays: ['2026-11-30'], workdays: ['2026-11-29'] };
    expect(payoutDate('T1', '2026-11-27', calendar)).toBe('2026-11-29');
    expect(payoutDate('T1', '2026-11-29', calendar)).toBe('2026-12-01');
  });

  it('says which runs are due, making up missed ones', () => {
    // Monday 2026-11-30 03:00 China time: Thursday's T1 run was due Friday, Friday's, Saturday's
    // and Sunday's are due today after 02:00.
    const now = new Date('2026-11-29T19:00:00Z');
    expect(
      dueBusinessDates({ cycle: 'T1', now, runAtMinute: 120, lookbackDays: 4, calendar: plain }),
    ).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    // At 01:00 only Thursday's.
    const early = new Date('2026-11-29T17:00:00Z');
    expect(
      dueBusinessDates({
        cycle: 'T1',
        now: early,
        runAtMinute: 120,
        lookbackDays: 4,
        calendar: plain,
      }),
    ).toEqual(['2026-11-26']);
    expect(
      dueBusinessDates({
        cycle: 'D0',
        now,
        runAtMinute: 23 * 60,
        lookbackDays: 1,
        calendar: plain,
      }),
    ).toEqual(['2026-11-29']);
  });
});
