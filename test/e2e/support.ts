/**
 * What the browser tests share: a real server on a fresh data directory, Debian's Chromium, the
 * seed portfolio, calls to the API as the admin, and pages that log in as a user would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { boot } from '../../src/boot.js';
import type { Running } from '../../src/boot.js';
import { launchBrowser } from './browser.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');
export const UI_TIMEOUT_MS = 15_000;

/** The password of every user the tests create. */
export const PASSWORD = 'Correct-Horse-Battery-9';

// An individual business (个体工商户) settling to its legal person's ICBC debit card: the name
// check compares the holder with the legal person. Every identifier passes its check digit.
export const CHENGUANG = {
  merchantNo: '898110058120001',
  name: '北京市朝阳区晨光便利店',
  uscc: '92110105MA01ABCD0W',
  legalPersonName: '王秀英',
  idNumber: '11010519491231002X',
  cardNumber: '6222020200123456788',
  terminalId: 'A1000001',
};
// An enterprise with a corporate account; the merchant user must never see it.
export const YUNSHAN = {
  merchantNo: '898110058120002',
  name: '北京云杉餐饮管理有限公司',
  uscc: '91110000600037341L',
  idNumber: '110101198003071239',
  terminalId: 'A2000001',
};

/** The two merchants above, each with its account and one terminal, as `POST /import` takes them. */
export function seedRecords() {
  return [
    {
      merchant: {
        merchantNo: CHENGUANG.merchantNo,
        name: CHENGUANG.name,
        type: 'individual_business',
        uscc: CHENGUANG.uscc,
        legalPerson: { name: CHENGUANG.legalPersonName, idNumber: CHENGUANG.idNumber },
        mcc: '5411',
        address: '北京市朝阳区建国路88号',
      },
      settlementAccount: {
        accountNumber: CHENGUANG.cardNumber,
        accountName: CHENGUANG.legalPersonName,
        accountType: 'personal',
        bankCode: '102100099996',
      },
      terminals: [
        {
          terminalId: CHENGUANG.terminalId,
          serialNumber: 'N910A0000001',
          model: 'N910',
          firmwareVersion: '2.3.1',
        },
      ],
    },
    {
      merchant: {
        merchantNo: YUNSHAN.merchantNo,
        name: YUNSHAN.name,
        type: 'enterprise',
        uscc: YUNSHAN.uscc,
        legalPerson: { name: '李建国', idNumber: YUNSHAN.idNumber },
        mcc: '5812',
      },
      settlementAccount: {
        accountNumber: '110060123456789012',
        accountName: YUNSHAN.name,
        accountType: 'corporate',
        bankCode: '105100000017',
      },
      terminals: [
        {
          terminalId: YUNSHAN.terminalId,
          serialNumber: 'N910A0000002',
          model: 'N910',
          firmwareVersion: '2.3.1',
        },
      ],
    },
  ];
}

/** Fails when the console was not built, or was built before its sources last changed. */
export function assertConsoleBuilt(): void {
  const indexHtml = path.join(CONSOLE_DIR, 'dist', 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(
      'console/dist/index.html is missing: run "npm run build" before the browser tests.',
    );
  }
  const builtAt = statSync(indexHtml).mtimeMs;
  const sources = [
    path.join(CONSOLE_DIR, 'index.html'),
    path.join(CONSOLE_DIR, 'vite.config.ts'),
    ...['src', 'public'].flatMap((folder) =>
      readdirSync(path.join(CONSOLE_DIR, folder), { recursive: true, encoding: 'utf8' }).map(
        (file) => path.join(CONSOLE_DIR, folder, file),
      ),
    ),
  ];
  const stale = sources.filter((file) => statSync(file).mtimeMs > builtAt);
  if (stale.length > 0) {
    throw new Error(
      `console/dist is older than ${path.relative(PROJECT_ROOT, stale[0] ?? '')}: ` +
        'run "npm run build" again before the browser tests.',
    );
  }
}

/**
 * A picture of the page at /tmp/settleguard-NAME.png, for a person to look at: the whole page,
 * or only what is in view (`fullPage: false`, for a dialog over the page).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  // Disabled animations: a table's loading veil fades out over a moment and would grey the shot.
  await page.screenshot({
    path: `/tmp/settleguard-${name}.png`,
    fullPage: options.fullPage ?? true,
    animations: 'disabled',
  });
}

/** A server, a browser and the pages opened in it, for one test file. */
export interface ConsoleHarness {
  readonly baseUrl: string;
  /**
   * The running server, for what a browser test cannot do through the API: move its clock on
   * (`server.ctx.now`) so that an acknowledgement falls due without waiting for it.
   */
  readonly server: Running;
  /** Calls the API as the admin; answers the parsed body, throws on any status but 2xx. */
  api: (method: string, route: string, body?: unknown) => Promise<unknown>;
  /** A page in a fresh browser context (no cookies, no stored language): Chinese, Shanghai time. */
  newPage: () => Promise<Page>;
  /** Logs `username` in with PASSWORD from the login page and waits for the merchant list. */
  logIn: (page: Page, username: string) => Promise<void>;
  /** Uncaught errors raised in any page so far. */
  readonly pageErrors: readonly string[];
  close: () => Promise<void>;
}

/**
 * Checks the build, launches Chromium (first, so that a machine without it fails on CI before
 * anything else starts), then boots a server on a fresh data directory.
 */
export async function startHarness(): Promise<ConsoleHarness> {
  assertConsoleBuilt();
  const browser: Browser = await launchBrowser();
  const adminToken = `test-admin-token-${randomBytes(12).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'settleguard-e2e-'));
  let server: Running;
  try {
    server = await boot({ port: 0, host: '127.0.0.1', dataDir, demo: false, adminToken });
  } catch (error) {
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const baseUrl = server.url;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };

  const newPage = async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      // The console then opens dialogs and lists without animation (as for a person who asks
      // their system for less motion): a click sent while antd's modal still zoomed in was
      // lost now and then, and the dialog stayed open.
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };

  const logIn = async (page: Page, username: string) => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '商户列表' }).waitFor();
  };

  const close = async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  return { baseUrl, server, api, newPage, logIn, pageErrors, close };
}
