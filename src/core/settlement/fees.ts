/**
 * The merchant discount fee (手续费), in integer fen. Rates are parts per million of the amount
 * (0.38 % = 3,800 ppm) so that every rate an acquirer publishes (0.38 %, 0.6 %, 0.125 %) is a
 * whole number and no float ever touches money. Pure.
 */

/** One million: a rate of this many ppm is 100 %. */
export const PPM = 1_000_000;
/** The highest rate accepted: 10 %. Anything above is a typo in a configuration file. */
export const FEE_RATE_PPM_MAX = 100_000;

/**
 * The fee on a day's net amount: `netFen × ratePpm / 1,000,000`, rounded half-up to the fen
 * (0.5 fen and above goes up, below goes down), computed in integers. No fee is taken on a
 * net that is zero or negative (a day of refunds): the fee is charged on money paid out, and a
 * negative day is carried to the next one, where the fee applies to what then goes out.
 *
 * The SQL of the settlement run computes the same thing as `(net * rate + 500000) / 1000000`
 * on bigint (integer division truncates, and both operands are non-negative there).
 */
export function feeFen(netFen: number, ratePpm: number): number {
  if (!Number.isSafeInteger(netFen)) throw new RangeError(`netFen ${netFen} is not an integer`);
  if (!Number.isInteger(ratePpm) || ratePpm < 0 || ratePpm > FEE_RATE_PPM_MAX) {
    throw new RangeError(`fee rate ${ratePpm} ppm is outside 0..${FEE_RATE_PPM_MAX}`);
  }
  if (netFen <= 0) return 0;
  // BigInt: net (up to 9e15) × rate (up to 1e5) exceeds 2^53.
  return Number((BigInt(netFen) * BigInt(ratePpm) + BigInt(PPM / 2)) / BigInt(PPM));
}

/**
 * "0.38" (per cent, as rate sheets write it) → 3800 ppm, exactly: at most four decimals, so the
 * parse is a string operation, not a float multiplication. Null when the text is not a rate.
 */
export function percentToPpm(text: string): number | null {
  const match = /^(\d{1,2})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(4, '0'));
  const ppm = whole * 10_000 + fraction;
  return ppm <= FEE_RATE_PPM_MAX ? ppm : null;
}

/** 3800 → "0.38" for people. */
export function ppmToPercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** The rate of one merchant: its own rate, else its MCC's, else the default. */
export function feeRateFor(
  rates: {
    defaultPpm: number;
    byMcc: Readonly<Record<string, number>>;
    byMerchant: Readonly<Record<string, number>>;
  },
  merchant: { merchantNo: string; mcc: string | null },
): number {
  return (
    rates.byMerchant[merchant.merchantNo] ??
    (merchant.mcc === null ? undefined : rates.byMcc[merchant.mcc]) ??
    rates.defaultPpm
  );
}
