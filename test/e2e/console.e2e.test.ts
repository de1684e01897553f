/**
 * The console in a real browser against a real server: seeded through the API, driven by role
 * and label locators as a user would, in Chinese first and then in English. Screenshots of the
 * key steps go to /tmp/settleguard-*.png for a person to look at.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import { CHENGUANG, PASSWORD, YUNSHAN, screenshot, seedRecords, startHarness } from './support.js';
import type { ConsoleHarness } from './support.js';

const OPS_USER = 'ops-e2e';
const MERCHANT_USER = 'merchant-e2e';

interface MerchantAccount {
  settlementAccount: {
    accountNumberMasked: string;
    nameCheck: { result: string; reasons: string[] };
  } | null;
}

describe.skipIf(skipBrowserTests)('console in Chromium', () => {
  let harness: ConsoleHarness | undefined;

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }
  const baseUrl = () => h().baseUrl;
  const newPage = (): Promise<Page> => h().newPage();
  const logIn = (page: Page, username: string) => h().logIn(page, username);

  beforeAll(async () => {
    harness = await startHarness();
    // The import comes first: a merchant user can only be given merchants that exist.
    const imported = (await h().api('POST', '/import', {
      records: seedRecords(),
    })) as { imported: number; failed: unknown[] };
    expect(imported.failed).toEqual([]);
    expect(imported.imported).toBe(2);
    await h().api('POST', '/users', {
      username: OPS_USER,
      role: 'ops',
      password: PASSWORD,
    });
    await h().api('POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [CHENGUANG.merchantNo],
      password: PASSWORD,
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('lets a staff member find a merchant and read its masked account and name check, in Chinese and English', async () => {
    const merchant = (await h().api(
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
    await h().api('POST', '/users', { username, role: 'support', password: PASSWORD });
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

  it('lets an auditor read the audit trail of a merchant in order, before and after; operations has no such menu', async () => {
    await h().api('POST', '/users', {
      username: 'auditor-e2e',
      role: 'auditor',
      password: PASSWORD,
    });
    const ops = await newPage();
    await logIn(ops, OPS_USER);
    await ops.getByRole('link', { name: '终端' }).waitFor();
    expect(await ops.getByRole('link', { name: '审计记录' }).count()).toBe(0);

    const page = await newPage();
    await logIn(page, 'auditor-e2e');
    await page.getByRole('link', { name: '审计记录' }).click();
    await page.getByRole('heading', { name: '审计记录' }).waitFor();
    await page.getByLabel('商户号').fill(CHENGUANG.merchantNo);
    await page.getByLabel('商户号').press('Enter');
    await page.waitForURL(/merchantNo=898110058120001/);
    // The filtered list replaces the whole trail: the other merchant's entries go.
    await expect
      .poll(() => page.getByRole('link', { name: YUNSHAN.merchantNo }).count(), { timeout: 15_000 })
      .toBe(0);
    await page.getByRole('cell', { name: 'terminal.created' }).waitFor();
    // Imported in one record, in this order: the merchant, its terminal, its account.
    const actions = await page.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts();
    expect(actions.slice(0, 3)).toEqual([
      'merchant.created',
      'terminal.created',
      'settlement_account.created',
    ]);
    await page.getByRole('cell', { name: '结算账户' }).first().waitFor();
    // What the account was created with: masked, never the full number.
    const accountRow = page.getByRole('row', { name: /settlement_account\.created/ });
    await accountRow.getByRole('button', { name: /展开|Expand/ }).click();
    const detail = accountRow.locator('xpath=following-sibling::tr[1]');
    await detail.getByText('操作后').waitFor();
    const text = await detail.innerText();
    expect(text).toContain('6788');
    expect(text).not.toContain(CHENGUANG.cardNumber);
    await screenshot(page, '10-audit-trail');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(h().pageErrors).toEqual([]);
  });
});
