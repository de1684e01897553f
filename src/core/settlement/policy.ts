/**
 * How settlement runs: cycles, fee rates, the cooling-off period after an account change and
 * the working calendar. The default is below; a JSON file (SETTLEGUARD_SETTLEMENT_FILE) may
 * change any part, and `parseSettlementPolicy` checks it field by field so that a typo stops
 * the start instead of paying the wrong fee. Pure.
 */
import { CYCLES, isBusinessDate, type Cycle, type WorkingCalendar } from './calendar.js';
import { percentToPpm } from './fees.js';

export interface SettlementPolicy {
  /** The cycle of every merchant not listed in `cycleByMerchant`. */
  defaultCycle: Cycle;
  cycleByMerchant: Readonly<Record<string, Cycle>>;
  /** Fee rates in parts per million (0.6 % = 6,000). */
  feeRatePpmDefault: number;
  feeRatePpmByMcc: Readonly<Record<string, number>>;
  feeRatePpmByMerchant: Readonly<Record<string, number>>;
  /**
   * Hours after a changed settlement account went live during which nothing is paid to it
   * (a fraudster's swap is usually noticed by the merchant within a day).
   */
  coolingOffHours: number;
  /** Minute of the day (China time) at which each cycle's run is made on its payout day. */
  runAtMinute: Readonly<Record<Cycle, number>>;
  calendar: WorkingCalendar;
}

export const DEFAULT_SETTLEMENT_POLICY: SettlementPolicy = {
  defaultCycle: 'T1',
  cycleByMerchant: {},
  // 0.6 %: the common benchmark rate for general merchants (MCC classes vary it).
  feeRatePpmDefault: 6_000,
  feeRatePpmByMcc: {},
  feeRatePpmByMerchant: {},
  coolingOffHours: 24,
  // T+1 and D+1 at 02:00 (after the day's clearing file); D0 at 23:30 of the same day.
  runAtMinute: { T1: 120, D1: 120, D0: 23 * 60 + 30 },
  calendar: { holidays: [], workdays: [] },
};

/** Longest cooling-off accepted: 30 days. */
const COOLING_OFF_HOURS_MAX = 720;

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function cycle(value: unknown, what: string): Cycle {
  if (!(CYCLES as readonly unknown[]).includes(value)) {
    throw new Error(`${what} must be one of ${CYCLES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as Cycle;
}

function rate(value: unknown, what: string): number {
  const ppm = typeof value === 'string' ? percentToPpm(value) : null;
  if (ppm === null) {
    throw new Error(
      `${what} must be a per-cent rate as text, like "0.38", got ${JSON.stringify(value)}`,
    );
  }
  return ppm;
}

function dates(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((d) => typeof d === 'string' && isBusinessDate(d))) {
    throw new Error(`${what} must be a list of dates (YYYY-MM-DD)`);
  }
  return value as string[];
}

function hhmm(value: unknown, what: string): number {
  const match = typeof value === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!match) throw new Error(`${what} must be a time HH:MM, got ${JSON.stringify(value)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Reads a policy file's content, for example
 * `{ "defaultCycle": "T1", "feeRatePercent": "0.6", "feeRatePercentByMcc": { "5411": "0.38" },
 *    "feeRatePercentByMerchant": {}, "cycleByMerchant": { "100...": "D0" },
 *    "coolingOffHours": 24, "runAt": { "T1": "02:00" },
 *    "holidays": ["2026-10-01"], "workdays": ["2026-10-10"] }`.
 */
export function parseSettlementPolicy(input: unknown): SettlementPolicy {
  const given = record(input, 'The settlement policy');
  const known = new Set([
    'defaultCycle',
    'cycleByMerchant',
    'feeRatePercent',
    'feeRatePercentByMcc',
    'feeRatePercentByMerchant',
    'coolingOffHours',
    'runAt',
    'holidays',
    'workdays',
  ]);
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new Error(`Settlement policy: unknown field "${key}"`);
  }
  const d = DEFAULT_SETTLEMENT_POLICY;
  const cycleByMerchant: Record<string, Cycle> = {};
  for (const [merchantNo, value] of Object.entries(
    record(given.cycleByMerchant, 'cycleByMerchant'),
  )) {
    cycleByMerchant[merchantNo] = cycle(value, `cycleByMerchant.${merchantNo}`);
  }
  const byMcc: Record<string, number> = {};
  for (const [mcc, value] of Object.entries(
    record(given.feeRatePercentByMcc, 'feeRatePercentByMcc'),
  )) {
    if (!/^\d{4}$/.test(mcc)) throw new Error(`feeRatePercentByMcc: "${mcc}" is not an MCC`);
    byMcc[mcc] = rate(value, `feeRatePercentByMcc.${mcc}`);
  }
  const byMerchant: Record<string, number> = {};
  for (const [merchantNo, value] of Object.entries(
    record(given.feeRatePercentByMerchant, 'feeRatePercentByMerchant'),
  )) {
    byMerchant[merchantNo] = rate(value, `feeRatePercentByMerchant.${merchantNo}`);
  }
  const coolingOffHours = given.coolingOffHours ?? d.coolingOffHours;
  if (
    typeof coolingOffHours !== 'number' ||
    !Number.isInteger(coolingOffHours) ||
    coolingOffHours < 0 ||
    coolingOffHours > COOLING_OFF_HOURS_MAX
  ) {
    throw new Error(`coolingOffHours must be a whole number from 0 to ${COOLING_OFF_HOURS_MAX}`);
  }
  const runAt = { ...d.runAtMinute };
  for (const [key, value] of Object.entries(record(given.runAt, 'runAt'))) {
    runAt[cycle(key, 'runAt key')] = hhmm(value, `runAt.${key}`);
  }
  return {
    defaultCycle:
      given.defaultCycle === undefined ? d.defaultCycle : cycle(given.defaultCycle, 'defaultCycle'),
    cycleByMerchant,
    feeRatePpmDefault:
      given.feeRatePercent === undefined
        ? d.feeRatePpmDefault
        : rate(given.feeRatePercent, 'feeRatePercent'),
    feeRatePpmByMcc: byMcc,
    feeRatePpmByMerchant: byMerchant,
    coolingOffHours,
    runAtMinute: runAt,
    calendar: {
      holidays: dates(given.holidays, 'holidays'),
      workdays: dates(given.workdays, 'workdays'),
    },
  };
}

/** The cycle a merchant settles on. */
export function cycleOf(policy: SettlementPolicy, merchantNo: string): Cycle {
  return policy.cycleByMerchant[merchantNo] ?? policy.defaultCycle;
}
