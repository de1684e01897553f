/**
 * Business dates and settlement cycles. A business date (营业日) is a calendar day in China
 * Standard Time (UTC+8, no daylight saving): the transactions of 2026-11-26 are those that
 * occurred from 2026-11-26T00:00+08:00 up to, not including, 2026-11-27T00:00+08:00.
 *
 * Cycles say on which day the money of a business date goes out:
 * - `D0`: the same calendar day (a run late in the day);
 * - `D1`: the next calendar day;
 * - `T1`: the next working day (weekends and the State Council's public holidays excluded,
 *   the adjusted working weekends (调休) included). The holiday calendar changes every year and
 *   comes from configuration; without one, Saturday and Sunday are the only days off.
 * Pure: the clock comes in as an argument.
 */

export const CYCLES = ['T1', 'D1', 'D0'] as const;
export type Cycle = (typeof CYCLES)[number];

/** China Standard Time is UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface WorkingCalendar {
  /** Weekdays on which banks do not settle (YYYY-MM-DD). */
  holidays: readonly string[];
  /** Weekend days on which they do (调休 working days). */
  workdays: readonly string[];
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isBusinessDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The instants a business date covers: [start, end). */
export function businessDayWindow(date: string): { start: Date; end: Date } {
  if (!isBusinessDate(date)) throw new RangeError(`${date} is not a date (YYYY-MM-DD)`);
  const startMs = Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS;
  return { start: new Date(startMs), end: new Date(startMs + DAY_MS) };
}

/** The business date (China time) of an instant. */
export function businessDateOf(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since midnight, China time, of an instant. */
export function minuteOfDayCst(at: Date): number {
  const local = new Date(at.getTime() + CST_OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Longest run of days off accepted when looking for the next working day (Spring Festival). */
const DAYS_OFF_IN_A_ROW_MAX = 30;

/** The calendar day on which the money of `businessDate` is paid out under `cycle`. */
export function payoutDate(cycle: Cycle, businessDate: string, calendar: WorkingCalendar): string {
  if (cycle === 'D0') return businessDate;
  if (cycle === 'D1') return addDays(businessDate, 1);
  for (let step = 1; step <= DAYS_OFF_IN_A_ROW_MAX; step += 1) {
    const candidate = addDays(businessDate, step);
    if (isWorkingDay(candidate, calendar)) return candidate;
  }
  throw new RangeError(`No working day within ${DAYS_OFF_IN_A_ROW_MAX} days of ${businessDate}`);
}

/**
 * The business dates whose run under `cycle` is due at `now`: the payout day has come and the
 * cycle's run time (minutes after midnight, China time) has passed on it. Looks back
 * `lookbackDays` so that runs missed while the service was down are made when it returns.
 * Oldest first.
 */
export function dueBusinessDates(options: {
  cycle: Cycle;
  now: Date;
  runAtMinute: number;
  lookbackDays: number;
  calendar: WorkingCalendar;
}): string[] {
  const today = businessDateOf(options.now);
  const minute = minuteOfDayCst(options.now);
  const due: string[] = [];
  for (let back = options.lookbackDays; back >= 0; back -= 1) {
    const date = addDays(today, -back);
    const payout = payoutDate(options.cycle, date, options.calendar);
    if (payout < today || (payout === today && minute >= options.runAtMinute)) due.push(date);
  }
  return due;
}
