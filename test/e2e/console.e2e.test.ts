/**
 * The console in a real browser against a real server: seeded through the API, driven by role
 * and label locators as a user would, in Chinese first and then in English. Screenshots of the
 * key steps go to /tmp/settleguard-*.png for a person to look at.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.js';
import { launchBrowser, skipBrowserTests } from './browser.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');
const UI_TIMEOUT_MS = 15_000;

const ADMIN_TOKEN = `test-admin-token-${randomBytes(12).toString('hex')}`;
const PASSWORD = 'Correct-Horse-Battery-9';
const OPS_USER = 'ops-e2e';
const MERCHANT_USER = 'merchant-e2e';

// An individual business (个体工商户) settling to its legal person's ICBC debit card: the name
// check compares the holder with the legal person. Every identifier passes its check digit.
const CHENGUANG = {
  merchantNo: '898110058120001',
  name: '北京市朝阳区晨光便利店',
  uscc: '92110105MA01ABCD0W',
  legalPersonName: '王秀英',
  idNumber: '11010519491231002X',
  cardNumber: '6222020200123456788',
  terminalId: 'A1000001',
};
// An enterprise with a corporate account; the merchant user must never see it.
const YUNSHAN = {
  merchantNo: '898110058120002',
  name: '北京云杉餐饮管理有限公司',
  uscc: '91110000600037341L',
  idNumber: '110101198003071239',
  terminalId: 'A2000001',
};

function seedRecords() {
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
function assertConsoleBuilt(): void {
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

async function callApi(baseUrl: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api/v1${route}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

interface MerchantAccount {
  settlementAccount: {
    accountNumberMasked: string;
    nameCheck: { result: string; reasons: string[] };
  } | null;
}

async function screenshot(page: Page, name: string): Promise<void> {
  // Disabled animations: a table's loading veil fades out over a moment and would grey the shot.
  await page.screenshot({
    path: `/tmp/settleguard-${name}.png`,
    fullPage: true,
    animations: 'disabled',
  });
}

describe.skipIf(skipBrowserTests)('console in Chromium', () => {
  let server: Awaited<ReturnType<typeof boot>> | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  function baseUrl(): string {
    if (!server) throw new Error('the server did not start');
    return server.url;
  }

  async function newPage(): Promise<Page> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${baseUrl()}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '商户列表' }).waitFor();
  }

  beforeAll(async () => {
    assertConsoleBuilt();
    // First, so that a machine without Chromium fails (on CI) before anything else starts.
    browser = await launchBrowser();
    dataDir = mkdtempSync(path.join(tmpdir(), 'settleguard-e2e-'));
    server = await boot({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      demo: false,
      adminToken: ADMIN_TOKEN,
    });
    // The import comes first: a merchant user can only be given merchants that exist.
    const imported = (await callApi(server.url, 'POST', '/import', {
      records: seedRecords(),
    })) as { imported: number; failed: unknown[] };
    expect(imported.failed).toEqual([]);
    expect(imported.imported).toBe(2);
    await callApi(server.url, 'POST', '/users', {
      username: OPS_USER,
      role: 'ops',
      password: PASSWORD,
    });
    await callApi(server.url, 'POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [CHENGUANG.merchantNo],
      password: PASSWORD,
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a staff member find a merchant and read its masked account and name check, in Chinese and English', async () => {
    const merchant = (await callApi(
      baseUrl(),
      'GET',
      `/merchants/${CHENGUANG.merchantNo}`,
    )) as MerchantAccount;
    const account = merchant.settlementAccount;
    expect(account?.nameCheck.result).toBe('match');
    const masked = account?.accountNumberMasked ?? '';
    expect(masked).toMatch(/^(622202)?\*+6788$/);

    const page = await newPage();
    await page.goto(`${baseUrl()}/merchants`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await screenshot(page, '01-login');

    await page.getByLabel('用户名').fill(OPS_USER);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('用户名或密码错误。').waitFor();
    await screenshot(page, '02-login-wrong-password');

    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '商户列表' }).waitFor();
    await page.getByRole('link', { name: YUNSHAN.merchantNo }).waitFor();
    await page.getByText('运营', { exact: true }).waitFor();

    await page.getByLabel('搜索商户').fill('晨光');
    await page.getByLabel('搜索商户').press('Enter');
    await page.getByRole('link', { name: YUNSHAN.merchantNo }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: CHENGUANG.merchantNo }).waitFor();
    await screenshot(page, '03-merchant-search');

    await page.getByRole('link', { name: CHENGUANG.merchantNo }).click();
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();
    await page.getByRole('heading', { name: '当前结算账户' }).waitFor();
    const nameCheckCell = page.getByRole('cell').filter({ hasText: '比对对象' });
    await nameCheckCell.getByText('一致', { exact: true }).waitFor();
    await nameCheckCell.getByText('比对对象：法定代表人姓名').waitFor();
    // The account appears twice: as the current account and as the newest history row.
    await page.getByText(masked, { exact: true }).first().waitFor();
    await page.getByRole('cell', { name: '至今' }).waitFor();
    await page.getByRole('cell', { name: CHENGUANG.terminalId }).waitFor();
    const html = await page.content();
    expect(html).not.toContain(CHENGUANG.cardNumber);
    expect(html).not.toContain(CHENGUANG.idNumber);
    for (const reason of account?.nameCheck.reasons ?? []) {
      expect(await nameCheckCell.textContent()).not.toContain(reason);
    }
    await screenshot(page, '04-merchant-zh');

    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: 'Current settlement account' }).waitFor();
    const nameCheckCellEn = page.getByRole('cell').filter({ hasText: 'compared with' });
    await nameCheckCellEn.getByText('Match', { exact: true }).waitFor();
    await nameCheckCellEn.getByText("compared with: the legal person's name").waitFor();
    await page.getByText(masked, { exact: true }).first().waitFor();
    await page.getByText('Operations', { exact: true }).waitFor();
    await screenshot(page, '05-merchant-en');

    // The choice of language is remembered across a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Settlement account history' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  it('shows a merchant user only its own merchant, and not found for another', async () => {
    const page = await newPage();
    await logIn(page, MERCHANT_USER);
    await page.getByRole('link', { name: CHENGUANG.merchantNo }).waitFor();
    await page.getByText('已全部加载（共 1 条）').waitFor();
    expect(await page.getByRole('link', { name: YUNSHAN.merchantNo }).count()).toBe(0);
    expect(await page.getByText(YUNSHAN.name).count()).toBe(0);
    await screenshot(page, '06-merchant-user-list');

    await page.getByRole('link', { name: CHENGUANG.merchantNo }).click();
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();

    await page.goto(`${baseUrl()}/merchants/${YUNSHAN.merchantNo}`);
    await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    expect(await page.getByText(YUNSHAN.name).count()).toBe(0);
    await screenshot(page, '07-merchant-user-not-found');

    await page.getByRole('link', { name: '终端' }).click();
    await page.getByRole('heading', { name: '终端列表' }).waitFor();
    await page.getByRole('cell', { name: CHENGUANG.terminalId }).waitFor();
    expect(await page.getByRole('cell', { name: YUNSHAN.terminalId }).count()).toBe(0);
    await screenshot(page, '08-merchant-user-terminals');
  });

  it('sends a user whose session has ended back to the login page, and then back again', async () => {
    const page = await newPage();
    await logIn(page, OPS_USER);
    await page.context().clearCookies();

    await page.getByRole('link', { name: '终端' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();

    await page.getByLabel('用户名').fill(OPS_USER);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '终端列表' }).waitFor();
    await page.getByRole('cell', { name: YUNSHAN.terminalId }).waitFor();
    await screenshot(page, '09-terminals');
  });

  it('lets a user change their own password and sign in with the new one only', async () => {
    const username = 'pw-e2e';
    await callApi(baseUrl(), 'POST', '/users', { username, role: 'support', password: PASSWORD });
    const page = await newPage();
    await logIn(page, username);
    await page.getByRole('button', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('当前密码').fill('not the password');
    await dialog.getByLabel('新密码', { exact: true }).fill('a brand new password');
    await dialog.getByLabel('确认新密码').fill('a brand new password');
    await dialog.getByRole('button', { name: '确认修改' }).click();
    await dialog.getByRole('alert').getByText('当前密码不正确。').waitFor();
    await dialog.getByLabel('当前密码').fill(PASSWORD);
    await dialog.getByRole('button', { name: '确认修改' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();

    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('用户名或密码错误。').waitFor();
    await page.getByLabel('密码').fill('a brand new password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '商户列表' }).waitFor();
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
