/**
 * Launches Debian's Chromium for the browser tests through playwright-core (which downloads no
 * browser of its own). Where Chromium is missing the tests are skipped on a developer's machine
 * and fail on CI, so that a CI image without it cannot pass silently.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True on CI (`CI=true`), where a missing browser is an error rather than a reason to skip. */
export const onCi = process.env.CI === 'true';

export const chromiumInstalled = existsSync(CHROMIUM_PATH);

/** Skip the browser tests: only off CI, and only when Chromium is not installed. */
export const skipBrowserTests = !chromiumInstalled && !onCi;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumInstalled) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it ` +
        '(on Debian: apt-get install -y chromium).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
