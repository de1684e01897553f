/**
 * Settlement in the console, in a real browser against a real server. Two merchants take card
 * payments on one business date: 晨光便利店 with a clean account, 云杉餐饮 with an account in
 * another company's name (contained on sight: held, incident open). An operations user settles
 * the date, sees 晨光's line ready and 云杉's held with its reasons in Chinese, downloads the
 * payout file (only 晨光's line in it), sends the bank's return of that line from a file and
 * again pasted, and sees it returned. An approver tries to release 云杉's hold and is told in
 * words why not; the merchant pages show the balances; the overview shows money held by reason;
 * English labels after the switch. Screenshots go to /tmp/settleguard-settlement-*.png.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import { CHENGUANG, PASSWORD, YUNSHAN, screenshot, seedRecords, startHarness } from './support.js';
import type { ConsoleHarness } from './support.js';

const OPS_USER = 'ops-settlement-e2e';
const APPROVER_USER = 'approver-settlement-e2e';
const MERCHANT_USER = 'chenguang-settlement-e2e';

// Yesterday in China time: a business date whose transactions are all in the past.
const CST_OFFSET_MS = 8 * 3_600_000;
const BUSINESS_DATE = new Date(Date.now() + CST_OFFSET_MS - 86_400_000).toISOString().slice(0, 10);
/** Noon of the business date, China time. */
const OCCURRED_AT = `${BUSINESS_DATE}T04:00:00.000Z`;

// 晨光: ¥1,000.00 + ¥288.00 = ¥1,288.00 net; fee 0.6 % = 772.8 fen, half-up 773; pays ¥1,280.27.
const CHENGUANG_AMOUNT = '¥1,280.27';
const CHENGUANG_FEE = '¥7.73';
// 云杉: ¥500.00 net; fee ¥3.00; ¥497.00 held.
const YUNSHAN_AMOUNT = '¥497.00';
// Both on hold at the end: ¥1,280.27 returned + ¥497.00 held.
const HELD_TOTAL = '¥1,777.27';

const RETURN_TEXT = '收款人户名不符';

/** The seed, with 云杉's corporate account in another company's name. */
function records() {
  const [chenguang, yunshan] = seedRecords();
  if (!chenguang || !yunshan) throw new Error('the seed portfolio changed');
  return [
    chenguang,
    {
      ...yunshan,
      settlementAccount: { ...yunshan.settlementAccount, accountName: '上海松柏贸易有限公司' },
    },
  ];
}

function purchase(id: string, terminalId: string, merchantNo: string, amountFen: number) {
  return {
    id,
    terminalId,
    merchantNo,
    type: 'purchase',
    amountFen,
    pan: '6217000010001234569',
    rrn: `600105${id.slice(-6)}`,
    stan: id.slice(-6),
    occurredAt: OCCURRED_AT,
  };
}

function shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void> {
  return screenshot(page, `settlement-${name}`, options);
}

/** The row of a table holding `text`. */
function rowWith(page: Page, text: string) {
  return page.getByRole('row').filter({ hasText: text });
}

/** A balance or run figure: the small card labelled with its name. */
function figure(page: Page, label: string) {
  return page.getByRole('group', { name: label, exact: true });
}

describe.skipIf(skipBrowserTests)('settlement in the console', () => {
  let harness: ConsoleHarness | undefined;
  let runPath = '';
  let chenguangLineId = '';
  const scratch = mkdtempSync(path.join(tmpdir(), 'settleguard-settlement-e2e-'));

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }

  beforeAll(async () => {
    harness = await startHarness();
    const imported = (await h().api('POST', '/import', { records: records() })) as {
      imported: number;
      failed: unknown[];
    };
    expect(imported.failed).toEqual([]);
    await h().api('POST', '/users', { username: OPS_USER, role: 'ops', password: PASSWORD });
    await h().api('POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [CHENGUANG.merchantNo],
      password: PASSWORD,
    });
    await h().api('POST', '/users', {
      username: APPROVER_USER,
      role: 'approver',
      password: PASSWORD,
    });
    const ingested = (await h().api('POST', '/transactions', {
      transactions: [
        purchase('e2e-settle-000001', CHENGUANG.terminalId, CHENGUANG.merchantNo, 100_000),
        purchase('e2e-settle-000002', CHENGUANG.terminalId, CHENGUANG.merchantNo, 28_800),
        purchase('e2e-settle-000003', YUNSHAN.terminalId, YUNSHAN.merchantNo, 50_000),
      ],
    })) as { results: { outcome: string }[] };
    // The whole answer on failure, so that a refused transaction says why.
    expect(
      ingested.results.map((result) => result.outcome),
      JSON.stringify(ingested),
    ).toEqual(['accepted', 'accepted', 'accepted']);
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets operations settle a date and see a ready line and a held line with its reasons', async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.getByRole('link', { name: '结算', exact: true }).click();
    await page.getByRole('heading', { name: '结算批次', level: 1 }).waitFor();
    await page.getByText('暂无结算批次').waitFor();

    await page.getByLabel('营业日').click();
    await page.getByLabel('营业日').fill(BUSINESS_DATE);
    // Enter takes the typed date and submits the form, as a keyboard user does.
    await page.getByLabel('营业日').press('Enter');

    await page.getByRole('heading', { name: `结算批次 ${BUSINESS_DATE}`, level: 1 }).waitFor();
    await page.getByText(`已生成 ${BUSINESS_DATE} 的结算批次。`).waitFor();
    runPath = new URL(page.url()).pathname;

    const ready = rowWith(page, CHENGUANG.merchantNo);
    await ready.getByText('可付款', { exact: true }).waitFor();
    await ready.getByText(CHENGUANG_AMOUNT).waitFor();
    await ready.getByText('¥1,288.00').waitFor();
    await ready.getByText(CHENGUANG_FEE).waitFor();
    await ready.getByText('费率 0.6%').waitFor();

    const held = rowWith(page, YUNSHAN.merchantNo);
    await held.getByText('暂停付款', { exact: true }).waitFor();
    await held.getByText(YUNSHAN_AMOUNT).waitFor();
    await held.getByText('账户户名与商户不符').waitFor();
    await held.getByText('存在未结风险事件').waitFor();
    await held.getByText('商户结算已暂停').waitFor();
    await figure(page, '可付款').getByText(CHENGUANG_AMOUNT).waitFor();
    await figure(page, '暂停付款').getByText(YUNSHAN_AMOUNT).waitFor();
    await shot(page, '01-run');

    // The held filter leaves out the ready line.
    await page.getByLabel('明细状态', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('暂停付款').click();
    await ready.waitFor({ state: 'detached' });
    await held.waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('held');

    // The same date again makes nothing new: the first run is shown.
    await page.getByRole('link', { name: '返回结算批次' }).click();
    await rowWith(page, BUSINESS_DATE).getByText('1 笔 · ¥1,280.27').waitFor();
    await page.getByLabel('营业日').click();
    await page.getByLabel('营业日').fill(BUSINESS_DATE);
    // Enter takes the typed date and submits the form, as a keyboard user does.
    await page.getByLabel('营业日').press('Enter');
    await page.getByText(`${BUSINESS_DATE} 已有结算批次，未重复生成，以下为原批次。`).waitFor();
    expect(new URL(page.url()).pathname).toBe(runPath);
  });

  it('downloads the payout file of the ready lines, saying that the download is audited', async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.goto(`${h().baseUrl}${runPath}`);
    await page.getByRole('heading', { name: `结算批次 ${BUSINESS_DATE}`, level: 1 }).waitFor();
    await page.getByText(/每次下载都会记入审计日志/).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载代付文件' }).click(),
    ]);
    const file = path.join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    await page.getByText(/^已下载 .+：1 笔，合计 ¥1,280\.27。$/).waitFor();
    await shot(page, '02-payout-file');

    const rows = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/)
      .map((line) => line.split(','));
    expect(rows[0]?.slice(0, 4)).toEqual(['序号', '明细号', '商户号', '收款账号']);
    expect(rows).toHaveLength(2);
    const line = rows[1] ?? [];
    expect(line[2]).toBe(CHENGUANG.merchantNo);
    expect(line[3]).toBe(CHENGUANG.cardNumber);
    chenguangLineId = line[1] ?? '';
    expect(chenguangLineId).toMatch(/^[0-9a-f-]{36}$/);
    // The full number is only in the file, never on the page.
    expect(await page.content()).not.toContain(CHENGUANG.cardNumber);
  });

  it('takes the bank results from a file and pasted, and shows the line returned', async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.goto(`${h().baseUrl}${runPath}`);
    await page.getByRole('heading', { name: `结算批次 ${BUSINESS_DATE}`, level: 1 }).waitFor();

    const results = path.join(scratch, 'bank-results.csv');
    writeFileSync(results, `明细号,结果,退票原因\r\n${chenguangLineId},退票,${RETURN_TEXT}\r\n`);
    await page.locator('input[type="file"]').setInputFiles(results);
    await page.getByText('已识别 1 笔结果。').waitFor();
    await page.getByRole('button', { name: '提交 1 笔结果' }).click();
    await page.getByText('已处理：新记录 1 笔，此前已记录 0 笔，被拒绝 0 笔。').waitFor();
    const outcome = rowWith(page, chenguangLineId);
    await outcome.getByText('已记录').waitFor();
    await outcome.getByRole('link', { name: CHENGUANG.merchantNo }).waitFor();
    await outcome.getByText(CHENGUANG_AMOUNT).waitFor();
    await outcome.getByText('已退票').waitFor();
    await outcome.getByText('户名不符').waitFor();
    await outcome.getByRole('link', { name: '已立事件（查看）' }).waitFor();

    // The run's line, not the answer's row above it (which names the merchant and amount too).
    const line = rowWith(page, CHENGUANG.merchantNo)
      .filter({ hasText: CHENGUANG_AMOUNT })
      .filter({ hasNotText: '已记录' });
    await line.getByText('已退票', { exact: true }).waitFor();
    await line.getByText('户名不符', { exact: true }).waitFor();
    await line.getByText(`银行原文：${RETURN_TEXT}`).waitFor();
    await figure(page, '已退票').getByText(CHENGUANG_AMOUNT).waitFor();
    await shot(page, '03-returned');

    // The same answer again, pasted as NDJSON with one line the console cannot read: unchanged.
    await page
      .getByLabel('结果内容（可粘贴）')
      .fill(
        `${JSON.stringify({ lineId: chenguangLineId, status: 'returned', reason: RETURN_TEXT })}\nnot a result`,
      );
    await page.getByText('1 行无法识别，不会提交：').waitFor();
    await page.getByText('第 2 行：结果应为“成功”或“退票”（paid / returned）').waitFor();
    await page.getByRole('button', { name: '提交 1 笔结果' }).click();
    await page.getByText('已处理：新记录 0 笔，此前已记录 1 笔，被拒绝 0 笔。').waitFor();
    await rowWith(page, chenguangLineId).getByText('此前已记录').waitFor();
  });

  it('tells an approver in words why a hold cannot be released, and offers no payout file', async () => {
    const page = await h().newPage();
    await h().logIn(page, APPROVER_USER);
    await page.goto(`${h().baseUrl}${runPath}`);
    await page.getByRole('heading', { name: `结算批次 ${BUSINESS_DATE}`, level: 1 }).waitFor();
    await rowWith(page, YUNSHAN.merchantNo).getByText('暂停付款', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '下载代付文件' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '提交 1 笔结果' }).count()).toBe(0);

    await page.goto(`${h().baseUrl}/merchants/${YUNSHAN.merchantNo}`);
    await page.getByRole('heading', { name: YUNSHAN.name, level: 1 }).waitFor();
    await figure(page, '暂停中').getByText(YUNSHAN_AMOUNT).waitFor();
    await page.getByRole('button', { name: '解除暂停' }).first().click();
    const dialog = page.getByRole('dialog', {
      name: `解除商户 ${YUNSHAN.merchantNo} 的结算暂停`,
    });
    await dialog.getByRole('button', { name: '确认解除' }).click();
    await dialog.getByText('请填写解除原因').waitFor();
    await dialog.getByLabel('解除原因').fill('已与商户核实账户');
    await dialog.getByRole('button', { name: '确认解除' }).click();
    await dialog.getByText(/该商户有未结的风险事件（控制措施仍在生效），不能解除暂停/).waitFor();
    await shot(page, '04-release-refused', { fullPage: false });
    await dialog.getByRole('button', { name: '取消' }).click();
    // Still held.
    await figure(page, '暂停中').getByText(YUNSHAN_AMOUNT).waitFor();
  });

  it("shows a merchant's balance, lines and ledger, and the money held by reason", async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.goto(`${h().baseUrl}/merchants/${CHENGUANG.merchantNo}`);
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();
    await page.getByRole('heading', { name: '结算资金' }).waitFor();
    await figure(page, '暂停中').getByText(CHENGUANG_AMOUNT).waitFor();
    await figure(page, '退票（暂停中）').getByText(CHENGUANG_AMOUNT).waitFor();
    await figure(page, '已结算').getByText('¥0.00').waitFor();
    await figure(page, '待结算').getByText('¥0.00').waitFor();
    await figure(page, '手续费').getByText(CHENGUANG_FEE).waitFor();

    const line = rowWith(page, BUSINESS_DATE).filter({ hasText: CHENGUANG_AMOUNT });
    await line.getByText('已退票', { exact: true }).waitFor();
    await line.getByRole('link', { name: BUSINESS_DATE }).waitFor();

    await page.getByRole('heading', { name: '账务流水' }).waitFor();
    const returned = rowWith(page, '银行退票').filter({ hasText: '暂停结算资金' });
    await returned.getByText(CHENGUANG_AMOUNT).waitFor();
    await rowWith(page, '结算入账')
      .filter({ hasText: '手续费收入' })
      .getByText(CHENGUANG_FEE)
      .waitFor();
    await shot(page, '05-merchant-balance');

    await page.getByRole('link', { name: '总览', exact: true }).click();
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor();
    // The held tile's own total (the ledger tile beside it may show the same sum).
    await page
      .locator('.ant-statistic')
      .filter({ hasText: '暂停资金合计' })
      .getByText(HELD_TOTAL)
      .waitFor();
    const byReason = page.getByRole('list', { name: '按暂停原因' });
    await byReason
      .getByRole('listitem')
      .filter({ hasText: '银行退票' })
      .getByText(CHENGUANG_AMOUNT)
      .waitFor();
    await byReason
      .getByRole('listitem')
      .filter({ hasText: '账户户名与商户不符' })
      .getByText(YUNSHAN_AMOUNT)
      .waitFor();
    // The ledger, checked on the same page, balances through the return.
    await page.getByRole('status').filter({ hasText: '账簿平衡：每笔分录借贷相等' }).waitFor();
    await shot(page, '06-dashboard');

    // A reason leads to its lines, across runs.
    await byReason.getByRole('link', { name: '账户户名与商户不符' }).click();
    await page.getByRole('heading', { name: '结算明细查询', level: 1 }).waitFor();
    const heldLine = rowWith(page, YUNSHAN.merchantNo);
    await heldLine.getByText(YUNSHAN_AMOUNT).waitFor();
    await heldLine.getByRole('link', { name: BUSINESS_DATE }).waitFor();
    expect(await rowWith(page, CHENGUANG.merchantNo).count()).toBe(0);
    await shot(page, '07-held-lines');
  });

  it('shows a merchant user its own money only, without runs, payout file or release', async () => {
    const page = await h().newPage();
    await h().logIn(page, MERCHANT_USER);
    expect(await page.getByRole('link', { name: '结算', exact: true }).count()).toBe(0);
    await page.goto(`${h().baseUrl}/merchants/${CHENGUANG.merchantNo}`);
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();
    await figure(page, '退票（暂停中）').getByText(CHENGUANG_AMOUNT).waitFor();
    const line = rowWith(page, BUSINESS_DATE).filter({ hasText: CHENGUANG_AMOUNT });
    await line.getByText('已退票', { exact: true }).waitFor();
    // Runs are the acquirer's: the date is not a link for a merchant.
    expect(await line.getByRole('link', { name: BUSINESS_DATE }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '解除暂停' }).count()).toBe(0);

    // The overview counts its own held money only, and offers no ledger check.
    await page.getByRole('link', { name: '总览', exact: true }).click();
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor();
    const byReason = page.getByRole('list', { name: '按暂停原因' });
    await byReason.getByRole('listitem').filter({ hasText: '银行退票' }).waitFor();
    await page.getByText('1 户 / 1 笔').waitFor();
    expect(await byReason.getByText('账户户名与商户不符').count()).toBe(0);
    expect(await page.getByRole('heading', { name: '账簿核对' }).count()).toBe(0);
  });

  it('reads in English after the switch', async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.goto(`${h().baseUrl}${runPath}`);
    await page.getByRole('heading', { name: `结算批次 ${BUSINESS_DATE}`, level: 1 }).waitFor();
    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();

    await page
      .getByRole('heading', { name: `Settlement run ${BUSINESS_DATE}`, level: 1 })
      .waitFor();
    await page.getByRole('link', { name: 'Settlement', exact: true }).waitFor();
    const held = rowWith(page, YUNSHAN.merchantNo);
    await held.getByText('Held', { exact: true }).waitFor();
    await held.getByText('Account holder name does not match the merchant').waitFor();
    await held.getByText('Open incident').waitFor();
    const returned = rowWith(page, CHENGUANG.merchantNo).filter({ hasText: CHENGUANG_AMOUNT });
    await returned.getByText('Returned', { exact: true }).waitFor();
    await returned.getByText('Holder name does not match').waitFor();
    await page.getByRole('button', { name: 'Download payout file' }).waitFor();
    await page.getByText(/every download is written to the audit trail/).waitFor();
    expect(await page.getByText('账户户名与商户不符').count()).toBe(0);
    await shot(page, '08-run-en');

    await page.goto(`${h().baseUrl}/merchants/${CHENGUANG.merchantNo}`);
    await page.getByRole('heading', { name: 'Settlement money' }).waitFor();
    await figure(page, 'Returned (held)').getByText(CHENGUANG_AMOUNT).waitFor();
    await rowWith(page, 'Returned by the bank')
      .filter({ hasText: 'Held settlement funds' })
      .getByText(CHENGUANG_AMOUNT)
      .waitFor();
    await shot(page, '09-merchant-en');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(h().pageErrors).toEqual([]);
  });
});
