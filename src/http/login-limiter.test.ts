import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('allows the configured attempts per window, then refuses until the window passes', () => {
    const limiter = new LoginLimiter(3, 60_000);
    expect([1, 2, 3, 4].map(() => limiter.take('ip|alice', 1000))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(limiter.take('ip|bob', 1000)).toBe(true);
    expect(limiter.take('ip|alice', 60_999)).toBe(false);
    expect(limiter.take('ip|alice', 61_000)).toBe(true);
  });

  it('forgets a key on success', () => {
    const limiter = new LoginLimiter(1, 60_000);
    limiter.take('k', 0);
    limiter.reset('k');
    expect(limiter.take('k', 1)).toBe(true);
  });
});
