/**
 * Correcting where a merchant's money goes, in the console, in a real browser against a real
 * server. A terminal of 晨光便利店 sells under 云杉餐饮's merchant number: screening contains it
 * (terminal suspended, 云杉's settlement held, incident open). 云杉's own user sees the incident
 * and the held money on its page and uploads its business licence and account-opening permit;
 * an approver reviews them next to the originals, accepting the licence (its number compared with
 * the registry) and sending the permit back with a reason the merchant then reads before
 * uploading it again. An administrator asks for a new settlement account for 云杉 (high risk:
 * during an open incident, two approvers) and is refused in words when approving it himself; an
 * approver is told the permit is not reviewed yet, reviews it, approves; a second approver
 * approves. The merchant starts a micro-deposit, which goes out in the next payout file (read
 * through the API, the only place the full account number appears); the merchant enters a wrong
 * amount (attempts left said), then the right one, and the change completes. The change page is
 * checked in English. Then the merchant asks for another account itself and enters three wrong
 * amounts: the request is locked, and the page says so. Screenshots go to
 * /tmp/settleguard-correction-*.png.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import { CHENGUANG, PASSWORD, YUNSHAN, screenshot, seedRecords, startHarness } from './support.js';
import type { ConsoleHarness } from './support.js';

const ADMIN_USER = 'admin-correction-e2e';
const APPROVER_1 = 'approver1-correction-e2e';
const APPROVER_2 = 'approver2-correction-e2e';
const OPS_USER = 'ops-correction-e2e';
const MERCHANT_USER = 'yunshan-correction-e2e';

// Yesterday in China time: a business date whose transactions are all in the past.
const CST_OFFSET_MS = 8 * 3_600_000;
const BUSINESS_DATE = new Date(Date.now() + CST_OFFSET_MS - 86_400_000).toISOString().slice(0, 10);

// 晨光's terminal, 云杉's merchant number: the money would settle to the wrong merchant.
const MISMATCH_TX = {
  id: 'e2e-correction-0001',
  terminalId: CHENGUANG.terminalId,
  merchantNo: YUNSHAN.merchantNo,
  type: 'purchase',
  amountFen: 128_800,
  pan: '6217000010001234569',
  rrn: '600105323456',
  stan: '000323',
};
// An ordinary sale of 晨光 the day before, so that the business date has a run to pay out.
const CLEAN_TX = {
  id: 'e2e-correction-0000',
  terminalId: CHENGUANG.terminalId,
  merchantNo: CHENGUANG.merchantNo,
  type: 'purchase',
  amountFen: 50_000,
  pan: '6217000010001234569',
  rrn: '600105323455',
  stan: '000322',
  occurredAt: `${BUSINESS_DATE}T04:00:00.000Z`,
};

/** 云杉's new corporate account at China Construction Bank, in its own name. */
const NEW_ACCOUNT = {
  number: '110060123456789099',
  masked: /1100\*+9099|\*+9099/,
  name: YUNSHAN.name,
  bankCode: '105100000017',
};
/** A second new account, asked for by the merchant itself and never verified. */
const SECOND_ACCOUNT = '110060123456789111';
/** The longest steps (two approvers, a run, a file) get room on a loaded machine. */
const LONG_STEP_MS = 240_000;
const REJECT_REASON = '开户许可证照片模糊，账号看不清，请重新拍摄后上传';
const CHANGE_REASON = '事件处置：商户确认原结算账户已销户，改为建设银行新开对公账户';
const CONSENT_REFERENCE = 'SF-2026-1126-01';

function shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void> {
  return screenshot(page, `correction-${name}`, options);
}

/** A PNG of `width`×`height` in stripes: a stand-in for a photo of a document. */
function stripedPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const band = Math.floor(y / 20) % 2 === 0;
      row[1 + x * 3] = band ? 200 : 240;
      row[2 + x * 3] = band ? 60 : 230;
      row[3 + x * 3] = band ? 50 : 220;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF. */
function smallPdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 40 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The modal dialog with this title. */
function dialog(page: Page, title: string) {
  return page.getByRole('dialog', { name: title });
}

/**
 * Picks `option` in the antd select labelled `label`, and checks that the select shows it: a click
 * on a list still sliding open can miss, so it is tried again.
 */
async function choose(page: Page, label: string, option: string | RegExp) {
  const input = page.getByLabel(label, { exact: true });
  const select = page.locator('.ant-select').filter({ has: input });
  for (let attempt = 1; ; attempt += 1) {
    await input.click();
    // This select's own list (another select's may still be fading out), and a click event
    // on the option itself: a list still sliding open moves under a pointer click.
    const listId = await input.getAttribute('aria-controls');
    const dropdown = listId
      ? page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) })
      : page.locator('.ant-select-dropdown:visible');
    const item = dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first();
    await item.waitFor();
    await item.dispatchEvent('click');
    const shown = await select.textContent();
    if (typeof option === 'string' ? shown?.includes(option) : option.test(shown ?? '')) return;
    if (attempt === 3) throw new Error(`${label} shows "${shown ?? ''}", not ${String(option)}`);
    await page.keyboard.press('Escape');
  }
}

interface ChangeBody {
  id: string;
  status: string;
  approvalsNeeded: number;
  verification: { id: string; status: string } | null;
}

describe.skipIf(skipBrowserTests)('correcting a settlement account in the console', () => {
  let harness: ConsoleHarness | undefined;
  let incidentId = '';
  let changeId = '';
  let depositFen = 0;
  let runId = '';
  const scratch = mkdtempSync(path.join(tmpdir(), 'settleguard-correction-e2e-'));
  const licenseFile = path.join(scratch, 'yunshan-license.png');
  const permitBlurry = path.join(scratch, 'permit-blurry.pdf');
  const permitFile = path.join(scratch, 'permit.png');

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }
  const pages: Page[] = [];
  async function pageAs(username: string): Promise<Page> {
    const page = await h().newPage();
    pages.push(page);
    await h().logIn(page, username);
    return page;
  }
  afterEach(async ({ task }) => {
    const failed = task.result?.state === 'fail';
    for (const [index, page] of pages.splice(0).entries()) {
      if (failed) await shot(page, `failed-${task.name.slice(0, 20)}-${index}`);
      await page.close();
    }
  });
  async function merchantPage(username: string): Promise<Page> {
    const page = await pageAs(username);
    await page.goto(`${h().baseUrl}/merchants/${YUNSHAN.merchantNo}`);
    await page.getByRole('heading', { name: YUNSHAN.name, level: 1 }).waitFor();
    return page;
  }
  async function changePage(username: string): Promise<Page> {
    const page = await pageAs(username);
    await page.goto(`${h().baseUrl}/account-changes/${changeId}`);
    await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
    return page;
  }
  /** The approvals line of the change page, once it reads `text`. */
  function approvals(page: Page, text: string) {
    return page.getByTestId('approvals-count').filter({ hasText: text });
  }
  function toolbarButton(page: Page, words: string) {
    return page.getByRole('toolbar').getByRole('button', { name: new RegExp(`${words}$`) });
  }
  async function change(): Promise<ChangeBody> {
    return (await h().api('GET', `/account-changes/${changeId}`)) as ChangeBody;
  }

  /** The micro-deposit row of the run's payout file, downloaded by operations. */
  async function depositInPayoutFile(): Promise<{
    id: string;
    merchantNo: string;
    accountNumber: string;
    amountFen: number;
  }> {
    const ops = await pageAs(OPS_USER);
    const response = await ops.request.get(
      `${h().baseUrl}/api/v1/settlement-runs/${runId}/payout-file`,
    );
    expect(response.status()).toBe(200);
    const rows = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/)
      .map((line) => line.split(','));
    const header = rows[0] ?? [];
    const column = (name: string) => header.indexOf(name);
    const body = await change();
    const deposit = rows.find(
      (row) =>
        row[column('用途')] === '账户验证' && row[column('明细号')] === body.verification?.id,
    );
    expect(deposit, rows.map((row) => row.join(',')).join('\n')).toBeDefined();
    const yuan = deposit?.[column('金额')] ?? '';
    expect(yuan).toMatch(/^0\.\d\d$/);
    const amountFen = Number(yuan.replace('0.', ''));
    expect(amountFen).toBeGreaterThanOrEqual(1);
    expect(amountFen).toBeLessThanOrEqual(99);
    expect(body.verification?.status).toBe('sent');
    return {
      id: deposit?.[column('明细号')] ?? '',
      merchantNo: deposit?.[column('商户号')] ?? '',
      accountNumber: deposit?.[column('收款账号')] ?? '',
      amountFen,
    };
  }
  /** Approves the change from its page as `username`. */
  async function approveAs(username: string, note: string): Promise<Page> {
    const page = await changePage(username);
    await toolbarButton(page, '审批通过').click();
    const approve = dialog(page, '审批通过');
    await approve.getByLabel('审批意见（可选）').fill(note);
    await approve.getByRole('button', { name: '确认通过' }).click();
    await approve.waitFor({ state: 'detached' });
    return page;
  }
  /** Starts the micro-deposit from the change page, as the merchant. */
  async function startDeposit(page: Page) {
    await page.getByText('尚未发起验证。').waitFor();
    await toolbarButton(page, '发起验证').click();
    const start = dialog(page, '发起验证');
    await start.getByLabel('验证方式').waitFor();
    await start.getByRole('button', { name: '发起', exact: true }).click();
    await start.waitFor({ state: 'detached' });
    await page.getByText('小额打款将随下一个付款文件发出，到账后即可输入金额。').waitFor();
  }

  beforeAll(async () => {
    writeFileSync(licenseFile, stripedPng(480, 300));
    writeFileSync(permitBlurry, smallPdf('Account opening permit (blurry)'));
    writeFileSync(permitFile, stripedPng(400, 260));
    harness = await startHarness();
    const imported = (await h().api('POST', '/import', { records: seedRecords() })) as {
      failed: unknown[];
    };
    expect(imported.failed).toEqual([]);
    for (const [username, role] of [
      [ADMIN_USER, 'admin'],
      [APPROVER_1, 'approver'],
      [APPROVER_2, 'approver'],
      [OPS_USER, 'ops'],
    ] as const) {
      await h().api('POST', '/users', { username, role, password: PASSWORD });
    }
    await h().api('POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [YUNSHAN.merchantNo],
      password: PASSWORD,
    });
    const clean = (await h().api('POST', '/transactions', { transactions: [CLEAN_TX] })) as {
      results: { outcome: string }[];
    };
    expect(clean.results[0]?.outcome, JSON.stringify(clean)).toBe('accepted');
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('detects a terminal used under the wrong merchant and contains it', async () => {
    const screened = (await h().api('POST', '/transactions', {
      transactions: [{ ...MISMATCH_TX, occurredAt: new Date().toISOString() }],
    })) as { results: { outcome: string; decision?: string }[] };
    expect(screened.results[0]).toMatchObject({ outcome: 'accepted', decision: 'contain' });
    const incidents = (await h().api('GET', `/incidents?merchantNo=${YUNSHAN.merchantNo}`)) as {
      items: { id: string; containment: { settlementHeld: boolean } }[];
    };
    expect(incidents.items).toHaveLength(1);
    incidentId = incidents.items[0]?.id ?? '';
    expect(incidents.items[0]?.containment.settlementHeld).toBe(true);
  });

  it('lets the merchant see its incident and held money, and upload its documents', async () => {
    const page = await merchantPage(MERCHANT_USER);
    const guidance = page.locator('.ant-alert').filter({ hasText: '您的结算账户需要更正' });
    await guidance.getByText(/已开立事件处理/).waitFor();
    await guidance.getByText(/结算资金暂停划付/).waitFor();
    await guidance.getByText('下一步：申请变更结算账户，并上传所需资料。').waitFor();
    expect(
      await guidance.getByRole('link', { name: '查看事件处理进展' }).getAttribute('href'),
    ).toBe(`/incidents/${incidentId}`);
    await guidance.getByRole('link', { name: '查看暂停的资金' }).waitFor();
    await page.getByText('尚未上传任何资料').waitFor();

    // A text file is refused in words: documents are pictures or PDFs, judged by content.
    const fake = path.join(scratch, 'notes.png');
    writeFileSync(fake, '这不是图片\n');
    await choose(page, '资料类型', '其他资料');
    await page.locator('input[type="file"]').setInputFiles(fake);
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.getByText('只接受 PNG、JPEG、WebP 图片或 PDF 文件（按文件内容识别）。').waitFor();
    const upload = async (type: string, file: string, name: string) => {
      await choose(page, '资料类型', type);
      await page.locator('input[type="file"]').setInputFiles(file);
      await page.getByRole('button', { name: '上传', exact: true }).click();
      await page.getByText(`已上传：${type}，等待审核`).waitFor();
      await page.getByRole('row').filter({ hasText: name }).getByText('待审核').waitFor();
    };
    await upload('营业执照', licenseFile, 'yunshan-license.png');
    await upload('开户许可证', permitBlurry, 'permit-blurry.pdf');
    await shot(page, '01-merchant-uploaded');

    // No change is asked for yet: the incident's page says where one is asked for.
    await page.goto(`${h().baseUrl}/incidents/${incidentId}`);
    const correction = page
      .locator('.ant-card')
      .filter({ has: page.getByRole('heading', { name: '收款账户更正', level: 2 }) });
    await correction.getByText('此事件下尚未申请变更收款账户。变更在商户页面申请。').waitFor();
    expect(await correction.getByRole('link', { name: '前往商户页面' }).getAttribute('href')).toBe(
      `/merchants/${YUNSHAN.merchantNo}`,
    );
  });

  it('lets an approver review documents next to the originals: accept one, send one back', async () => {
    const page = await pageAs(APPROVER_1);
    await page.getByRole('link', { name: '资料审核', exact: true }).click();
    await page.getByRole('heading', { name: '资料审核队列', level: 1 }).waitFor();
    await choose(page, '状态', '待审核');
    const licenseRow = page.getByRole('row').filter({ hasText: 'yunshan-license.png' });
    await licenseRow.getByText(YUNSHAN.merchantNo).waitFor();
    await page.getByRole('row').filter({ hasText: 'permit-blurry.pdf' }).waitFor();
    await shot(page, '02-document-queue');

    await licenseRow.getByRole('link', { name: '营业执照' }).click();
    await page.getByRole('heading', { name: '营业执照', level: 1 }).waitFor();
    // The original, shown from the server's bytes, next to the registry and the form.
    const image = page.getByRole('img', { name: '资料原件：yunshan-license.png' });
    await image.waitFor();
    // Drawn from the bytes the server sent: the picture's own width, not a broken image.
    await expect
      .poll(() =>
        page.evaluate(
          `document.querySelector('img[alt="资料原件：yunshan-license.png"]')?.naturalWidth`,
        ),
      )
      .toBe(480);
    await page.getByText(YUNSHAN.uscc).first().waitFor();
    await page.getByLabel('营业执照号（统一社会信用代码）').fill(YUNSHAN.uscc);
    await page.getByLabel('户名 / 姓名').fill(YUNSHAN.name);
    await page.getByLabel('有效期起').fill('2020-01-01');
    await page.getByLabel('有效期至').fill('2040-12-31');
    await shot(page, '03-document-review');
    await page.getByRole('button', { name: /审核通过$/ }).click();
    await page.locator('h1').locator('..').getByText('已通过', { exact: true }).waitFor();
    const comparisons = page.locator('.ant-card').filter({ hasText: '与登记信息核对' });
    await comparisons
      .getByRole('row')
      .filter({ hasText: '营业执照号' })
      .getByText('一致', { exact: true })
      .waitFor();
    await shot(page, '04-document-accepted');

    await page.getByRole('link', { name: '返回资料审核队列' }).click();
    await page.getByRole('heading', { name: '资料审核队列', level: 1 }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'permit-blurry.pdf' })
      .getByRole('link', { name: '开户许可证' })
      .click();
    await page.getByRole('heading', { name: '开户许可证', level: 1 }).waitFor();
    await page.getByTitle('资料原件：permit-blurry.pdf').waitFor();
    // Rejecting without a reason is stopped before anything is sent.
    await page.getByRole('button', { name: /退回$/ }).click();
    await page.getByText('退回资料须填写原因，商户将看到该原因。').waitFor();
    await page.getByLabel('审核意见').fill(REJECT_REASON);
    await page.getByRole('button', { name: /退回$/ }).click();
    await page.getByText('该资料已被退回').waitFor();
    await page.getByText(`退回原因：${REJECT_REASON}`).waitFor();
  });

  it('shows the merchant why a document was sent back, and takes it again', async () => {
    const page = await merchantPage(MERCHANT_USER);
    const rejected = page.locator('.ant-alert').filter({ hasText: '1 份资料被退回' });
    await rejected.getByText(`退回原因：${REJECT_REASON}`).waitFor();
    // The reviewer is the acquirer to the merchant, never a member of its staff by name.
    await page
      .getByRole('row')
      .filter({ hasText: 'yunshan-license.png' })
      .getByText('已通过')
      .waitFor();
    expect(await page.content()).not.toContain(APPROVER_1);
    await shot(page, '05-merchant-rejected');

    await choose(page, '资料类型', '开户许可证');
    await page.locator('input[type="file"]').setInputFiles(permitFile);
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.getByText('已上传：开户许可证，等待审核').waitFor();
    await page.getByRole('row').filter({ hasText: 'permit.png' }).getByText('待审核').waitFor();
    // Sent again: the old rejection is no longer news.
    await rejected.waitFor({ state: 'detached' });
  });

  it('lets staff ask for a change, and refuses the requester’s own approval in words', async () => {
    const page = await merchantPage(ADMIN_USER);
    await page.getByRole('button', { name: /申请变更结算账户$/ }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('新账号 / 卡号').fill(NEW_ACCOUNT.number);
    await form.getByLabel('户名', { exact: true }).fill(NEW_ACCOUNT.name);
    await choose(page, '账户类型', '对公');
    await form.getByLabel('联行号（可选）').fill(NEW_ACCOUNT.bankCode);
    await form.getByLabel('变更原因').fill(CHANGE_REASON);
    // Both documents sent so far that were not sent back, from one open list.
    await form.getByLabel('附上已上传的资料（可选）').click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.filter({ hasText: 'yunshan-license.png' }).click();
    await options.filter({ hasText: 'permit.png' }).click();
    expect(await options.filter({ hasText: 'permit-blurry.pdf' }).count()).toBe(0);
    await form.getByLabel('变更原因').click();
    await choose(page, '商户同意方式', '签字申请表');
    await form.getByLabel('凭证编号（可选）').fill(CONSENT_REFERENCE);
    await shot(page, '06-request-change', { fullPage: false });
    await form.getByRole('button', { name: '提交申请' }).click();

    await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
    changeId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const body = await change();
    expect(body.approvalsNeeded).toBe(2);
    const header = page.locator('h1').locator('..');
    await header.getByText('待审批', { exact: true }).waitFor();
    await header.getByText('高风险', { exact: true }).waitFor();
    await page.getByText('商户有未结事件，变更发生在事件处理期间').waitFor();
    await approvals(page, '已审批 0 / 需 2 人').waitFor();
    await page.getByRole('link', { name: '查看事件' }).first().waitFor();
    await page.getByText(CONSENT_REFERENCE).waitFor();
    await page.getByText('所需资料已齐').first().waitFor();
    // The number only masked, on every screen.
    expect(await page.content()).not.toContain(NEW_ACCOUNT.number);
    await page
      .getByText('这是您提交的申请：按四眼原则您不能审批或驳回，须由另一位审批人处理。')
      .waitFor();

    await toolbarButton(page, '审批通过').click();
    const approve = dialog(page, '审批通过');
    await approve.getByRole('button', { name: '确认通过' }).click();
    await approve
      .getByText(
        '四眼原则：申请人不能审批或驳回自己提交的变更，同一审批人也不能审批两次。请由另一位审批人处理。',
      )
      .waitFor();
    await shot(page, '07-four-eyes-refused', { fullPage: false });
    await approve.getByRole('button', { name: '取消' }).click();
    await approvals(page, '已审批 0 / 需 2 人').waitFor();

    // The incident's page shows the change asked for under it, a click from the change's page.
    await page.goto(`${h().baseUrl}/incidents/${incidentId}`);
    const correction = page
      .locator('.ant-card')
      .filter({ has: page.getByRole('heading', { name: '收款账户更正', level: 2 }) });
    await correction.getByText('待审批', { exact: true }).waitFor();
    await correction.getByText(NEW_ACCOUNT.name).waitFor();
    // The timeline names the step in words, not by its code.
    await page
      .locator('[data-kind="account_change_requested"]')
      .getByText('申请变更账户', { exact: true })
      .waitFor();
    await correction.scrollIntoViewIfNeeded();
    await shot(page, 'incident-correction', { fullPage: false });
    await correction.getByRole('link', { name: /申请的变更$/ }).click();
    await page.waitForURL(`**/account-changes/${changeId}`);
    await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
  });

  it(
    'has approvers review the last document and approve, two of them',
    async () => {
      const page = await pageAs(APPROVER_1);
      await page.getByRole('link', { name: '账户变更', exact: true }).click();
      await page.getByRole('heading', { name: '结算账户变更', level: 1 }).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: YUNSHAN.merchantNo })
        .getByText('待审批')
        .click();
      await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
      // The permit is attached but not reviewed: approval would be refused, and says so.
      await page.getByText(/暂不能审批：还有必需的资料未审核通过/).waitFor();
      await toolbarButton(page, '审批通过').click();
      const early = dialog(page, '审批通过');
      await early.getByRole('button', { name: '确认通过' }).click();
      await early
        .getByText('还有必需的资料未审核通过，暂不能审批：请先补齐资料并完成审核。')
        .waitFor();
      await early.getByRole('button', { name: '取消' }).click();
      await shot(page, '08-change-documents-pending');

      await page.getByRole('link', { name: '开户许可证' }).click();
      await page.getByRole('heading', { name: '开户许可证', level: 1 }).waitFor();
      await page.getByRole('img', { name: '资料原件：permit.png' }).waitFor();
      await page.getByLabel('账号 / 卡号').fill(NEW_ACCOUNT.number);
      await page.getByLabel('户名 / 姓名').fill(NEW_ACCOUNT.name);
      await page.getByLabel('营业执照号（统一社会信用代码）').fill(YUNSHAN.uscc);
      await page.getByRole('button', { name: /审核通过$/ }).click();
      await page.locator('h1').locator('..').getByText('已通过', { exact: true }).waitFor();
      // The number read off the permit comes back masked only.
      await page.getByText(NEW_ACCOUNT.masked).first().waitFor();
      expect(await page.content()).not.toContain(NEW_ACCOUNT.number);

      await page.goBack();
      await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
      // Needed and attached side by side, with what was read and how it compared.
      const documents = page.locator('.ant-card').filter({ hasText: '资料：所需与已附' });
      await documents
        .getByRole('row')
        .filter({ hasText: '开户许可证' })
        .getByText('已通过')
        .waitFor();
      await documents.getByText(YUNSHAN.uscc).first().waitFor();
      await toolbarButton(page, '审批通过').click();
      const approve = dialog(page, '审批通过');
      await approve.getByLabel('审批意见（可选）').fill('资料齐全，户名与商户一致');
      await approve.getByRole('button', { name: '确认通过' }).click();
      await approve.waitFor({ state: 'detached' });
      await approvals(page, '已审批 1 / 需 2 人').waitFor();
      // The same approver again would break four eyes: said before any click.
      await page.getByText('您已审批过此申请：按四眼原则须由另一位审批人再审批。').waitFor();
      await shot(page, '09-first-approval');

      const second = await approveAs(APPROVER_2, '同意，第二位审批人');
      await approvals(second, '已审批 2 / 需 2 人').waitFor();
      await second.locator('h1').locator('..').getByText('待验证', { exact: true }).waitFor();
    },
    LONG_STEP_MS,
  );

  it('sends the micro-deposit in the next payout file once the merchant starts it', async () => {
    const page = await merchantPage(MERCHANT_USER);
    await page.getByRole('link', { name: '查看变更申请' }).first().click();
    await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
    await startDeposit(page);

    // Operations settle the date and download the payout file: the deposit rides along.
    const run = (await h().api('POST', '/settlement-runs', { businessDate: BUSINESS_DATE })) as {
      id: string;
    };
    runId = run.id;
    const deposit = await depositInPayoutFile();
    const body = await change();
    expect(deposit.id).toBe(body.verification?.id);
    expect(deposit.merchantNo).toBe(YUNSHAN.merchantNo);
    // The full number in the bank's file only.
    expect(deposit.accountNumber).toBe(NEW_ACCOUNT.number);
    depositFen = deposit.amountFen;
    expect(body.verification?.status).toBe('sent');
  });

  it('takes a wrong amount with the attempts left, then the right one, and completes', async () => {
    const page = await changePage(MERCHANT_USER);
    await page.getByText(/已向新账户 .+ 打入一笔小额款项/).waitFor();
    await page.getByTestId('attempts-left').filter({ hasText: '还可尝试 3 次' }).waitFor();
    const wrong = (depositFen % 99) + 1;
    const amount = page.getByLabel('到账金额（元）');
    await amount.fill(`0.${String(wrong).padStart(2, '0')}`);
    await page.getByRole('button', { name: '确认金额' }).click();
    await page.getByText('金额不正确，还可尝试 2 次。').waitFor();
    await page.getByTestId('attempts-left').filter({ hasText: '还可尝试 2 次' }).waitFor();
    await shot(page, '10-wrong-amount');

    await amount.fill(`0.${String(depositFen).padStart(2, '0')}`);
    await page.getByRole('button', { name: '确认金额' }).click();
    await page.getByText(/^变更已完成：今后结算至新账户 /).waitFor();
    await page.locator('h1').locator('..').getByText('已完成', { exact: true }).waitFor();
    await page.getByText('新账户已验证').waitFor();
    expect(await page.content()).not.toContain(NEW_ACCOUNT.number);
    // To the merchant, the approvers are the acquirer.
    expect(await page.content()).not.toContain(APPROVER_2);
    await shot(page, '11-completed');
    const body = await change();
    expect(body.status).toBe('completed');

    // The merchant's page: the new account in use, the change in its list.
    await page.goto(`${h().baseUrl}/merchants/${YUNSHAN.merchantNo}`);
    await page.getByRole('heading', { name: YUNSHAN.name, level: 1 }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: NEW_ACCOUNT.name })
      .getByText('已完成')
      .first()
      .waitFor();
  });

  it('reads the change page in English after the switch', async () => {
    const page = await changePage(APPROVER_1);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: /^Settlement account change: /, level: 1 }).waitFor();
    const header = page.locator('h1').locator('..');
    await header.getByText('Completed', { exact: true }).waitFor();
    await header.getByText('High risk', { exact: true }).waitFor();
    await approvals(page, '2 of 2 approval(s)').waitFor();
    await page.getByText('Documents: needed and attached').waitFor();
    await page.getByText('Verification of the new account').waitFor();
    await page.getByText('Amount confirmed').waitFor();
    await page.getByText('The change is asked for during an open incident').waitFor();
    await shot(page, '12-english');
    expect(h().pageErrors).toEqual([]);
  });

  it(
    'locks a change after three wrong amounts, and says so',
    async () => {
      // The merchant asks for another account itself: its request is its consent.
      const page = await merchantPage(MERCHANT_USER);
      await page.getByRole('button', { name: /申请变更结算账户$/ }).click();
      const form = page.getByRole('dialog');
      await form.getByText(/提交即表示您同意/).waitFor();
      await form.getByLabel('新账号 / 卡号').fill(SECOND_ACCOUNT);
      await form.getByLabel('户名', { exact: true }).fill(YUNSHAN.name);
      await choose(page, '账户类型', '对公');
      await form.getByLabel('联行号（可选）').fill(NEW_ACCOUNT.bankCode);
      await form.getByLabel('变更原因').fill('总部统一资金归集，改用集团结算账户');
      await form.getByLabel('附上已上传的资料（可选）').click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await options.filter({ hasText: 'yunshan-license.png' }).click();
      await options.filter({ hasText: 'permit.png' }).click();
      await form.getByLabel('变更原因').click();
      await form.getByRole('button', { name: '提交申请' }).click();
      await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
      changeId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await page.getByText('商户自助提交').waitFor();

      await approveAs(APPROVER_1, '同意');
      const approved = await approveAs(APPROVER_2, '同意');
      await approved.locator('h1').locator('..').getByText('待验证', { exact: true }).waitFor();

      await page.reload();
      await page.getByRole('heading', { name: /结算账户变更：/, level: 1 }).waitFor();
      await startDeposit(page);
      const deposit = await depositInPayoutFile();
      await page.reload();
      await page.getByText(/已向新账户 .+ 打入一笔小额款项/).waitFor();
      const amount = page.getByLabel('到账金额（元）');
      const wrong = (attempt: number) =>
        `0.${String(((deposit.amountFen + attempt - 1) % 99) + 1).padStart(2, '0')}`;
      await amount.fill(wrong(1));
      await page.getByRole('button', { name: '确认金额' }).click();
      await page.getByText('金额不正确，还可尝试 2 次。').waitFor();
      await amount.fill(wrong(2));
      await page.getByRole('button', { name: '确认金额' }).click();
      await page.getByText('金额不正确，还可尝试 1 次。').waitFor();
      await amount.fill(wrong(3));
      await page.getByRole('button', { name: '确认金额' }).click();
      await page.getByText('已锁定：小额打款金额三次输入错误').first().waitFor();
      await page
        .getByText(/该变更申请已终止，不能再输入金额，原结算账户保持不变/)
        .first()
        .waitFor();
      await page.locator('h1').locator('..').getByText('已锁定', { exact: true }).waitFor();
      expect(await page.getByLabel('到账金额（元）').count()).toBe(0);
      await shot(page, '13-locked');
      expect((await change()).status).toBe('locked');
    },
    LONG_STEP_MS,
  );
});
