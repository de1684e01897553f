/**
 * Counts login attempts per client address and username in a fixed window and refuses more
 * than the configured number. In memory: with several instances each counts its own share,
 * which still bounds guessing; the map is bounded so that a flood of names cannot grow it.
 */
const KEYS_MAX = 50_000;

export class LoginLimiter {
  readonly #attempts = new Map<string, { count: number; windowStartMs: number }>();

  constructor(
    private readonly attemptsMax: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; false when the key is over its limit. */
  take(key: string, nowMs: number): boolean {
    const entry = this.#attempts.get(key);
    if (!entry || nowMs - entry.windowStartMs >= this.windowMs) {
      if (this.#attempts.size >= KEYS_MAX) this.#evict(nowMs);
      this.#attempts.set(key, { count: 1, windowStartMs: nowMs });
      return true;
    }
    entry.count += 1;
    return entry.count <= this.attemptsMax;
  }

  reset(key: string): void {
    this.#attempts.delete(key);
  }

  #evict(nowMs: number): void {
    for (const [key, entry] of this.#attempts) {
      if (nowMs - entry.windowStartMs >= this.windowMs) this.#attempts.delete(key);
    }
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const key of this.#attempts.keys()) {
      if (this.#attempts.size < KEYS_MAX) break;
      this.#attempts.delete(key);
    }
  }
}
