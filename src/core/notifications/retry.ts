/**
 * When a failed delivery is tried again (ADR 13). Webhooks and e-mails share one schedule: quick
 * retries for a blip, then hours apart, for more than a day in all (31 h 42 min after the first
 * attempt), then the delivery is marked failed and stays in the log for a manual redelivery.
 */

/** The wait after the n-th failed attempt (index n − 1), in seconds. */
export const RETRY_DELAYS_SECONDS = [
  5,
  30,
  2 * 60,
  10 * 60,
  30 * 60,
  3600,
  2 * 3600,
  4 * 3600,
  8 * 3600,
  8 * 3600,
  8 * 3600,
] as const;

/** Attempts in all: the first and one after each delay. */
export const DELIVERY_ATTEMPTS_MAX = RETRY_DELAYS_SECONDS.length + 1;

/** Milliseconds to wait after `attempts` failed attempts, or null when the delivery has failed. */
export function retryDelayMs(attempts: number): number | null {
  const delay = RETRY_DELAYS_SECONDS[attempts - 1];
  return delay === undefined ? null : delay * 1000;
}

/** Seconds from the first attempt to the last: how long a receiver may be down and lose nothing. */
export function retryWindowSeconds(): number {
  return RETRY_DELAYS_SECONDS.reduce((sum, s) => sum + s, 0);
}
