/**
 * The incident playbook in the console, in a real browser against a real server. A terminal of
 * 晨光便利店 sells under 云杉餐饮's merchant number: screening contains it (terminal suspended,
 * 云杉's settlement held) and opens a P1 incident. Ten minutes later nobody has acknowledged it:
 * the queue shows it overdue in red. A risk officer filters the queue, acknowledges and takes the
 * incident, comments, adds an evidence file and sees its SHA-256, verifies the evidence, walks
 * the lifecycle, is refused in words when resolving without a root cause and closing without a
 * post-mortem, records both, resolves with a plan for the held money and closes. The case file
 * downloads as a PDF and its sending is recorded. A drill is started and marked 演练 on its page
 * and in the queue (hidden there unless asked for). A new incident reaches the bell live, and
 * the pages read in English after the switch. Screenshots go to /tmp/settleguard-incidents-*.png.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import { CHENGUANG, PASSWORD, YUNSHAN, screenshot, seedRecords, startHarness } from './support.js';
import type { ConsoleHarness } from './support.js';

const RISK_USER = 'risk-incidents-e2e';
/** The operator whose change the root cause blames: a real user, as the server checks. */
const OPS_USER = 'ops-incidents-e2e';
const MERCHANT_USER = 'yunshan-incidents-e2e';
const ADMIN_USER = 'admin-incidents-e2e';

/** How far the server's clock is moved on: past the 5 minutes a P1 has to be acknowledged. */
const CLOCK_SHIFT_MS = 10 * 60_000;

// 晨光's terminal, 云杉's merchant number: the money would settle to the wrong merchant.
const MISMATCH_TX = {
  id: 'e2e-incidents-0001',
  terminalId: CHENGUANG.terminalId,
  merchantNo: YUNSHAN.merchantNo,
  type: 'purchase',
  amountFen: 128_800,
  pan: '6217000010001234569',
  rrn: '600105223456',
  stan: '000223',
};
// The other way round, later: a new incident for 晨光, for the bell.
const SECOND_TX = {
  ...MISMATCH_TX,
  id: 'e2e-incidents-0002',
  terminalId: YUNSHAN.terminalId,
  merchantNo: CHENGUANG.merchantNo,
  rrn: '600105223457',
  stan: '000224',
};

const COMMENT = '已致电云杉餐饮财务，确认该笔交易非其门店发生';
const EVIDENCE_NOTE = '晨光便利店收银员通话记录';
const EVIDENCE_TEXT = '2026-01-05 10:12 致电晨光便利店：收银员误选了云杉餐饮的商户号。\n';
const ROOT_CAUSE = '收银员在多商户终端上误选商户号，终端未限制可选商户';
const PLAN = '核实后解除暂停，款项按原路结算给晨光便利店';
const LESSONS = ['多商户终端须限制可选商户', '装机时核对终端绑定的商户号'];
const SENT_TO = '中国工商银行北京分行风险管理部';
const SENT_REFERENCE = 'ICBC-BJ-2026-0105-17';

/** A request the test's webhook receiver got. */
interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

/** A local webhook receiver on port 0 that keeps what it gets and answers 204. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = (name: string) => String(request.headers[name] ?? '');
      received.push({
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/settleguard`, received };
}

/** Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed by the secret's bytes. */
function signatureOf(secret: string, message: Received): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(
    `${message.id}.${message.timestamp}.${message.body}`,
  );
  return `v1,${mac.digest('base64')}`;
}

interface IncidentBody {
  id: string;
  title: { zh: string; en: string };
  severity: string;
  ackOverdue: boolean;
}

function shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void> {
  return screenshot(page, `incidents-${name}`, options);
}

/**
 * A button of the incident's toolbar by its words (its icon's name comes before them in the
 * accessible name: "arrow-right 开始调查").
 */
function toolbarButton(page: Page, words: string) {
  return page.getByRole('toolbar').getByRole('button', { name: new RegExp(`(^| )${words}$`) });
}

/** The modal dialog with this title. */
function dialog(page: Page, title: string) {
  return page.getByRole('dialog', { name: title });
}

/** The status tag in the incident page's heading row. */
function headerStatus(page: Page, status: string) {
  return page.locator('h1').locator('..').getByText(status, { exact: true });
}

describe.skipIf(skipBrowserTests)('the incident playbook in the console', () => {
  let harness: ConsoleHarness | undefined;
  let incident: IncidentBody | undefined;
  const scratch = mkdtempSync(path.join(tmpdir(), 'settleguard-incidents-e2e-'));

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }
  function theIncident(): IncidentBody {
    if (!incident) throw new Error('the mismatch opened no incident');
    return incident;
  }
  /**
   * A page closed after the test: each signed-in page holds a notification stream open, and
   * the server allows a user only a few at once.
   */
  const pages: Page[] = [];
  async function newPage(): Promise<Page> {
    const page = await h().newPage();
    pages.push(page);
    return page;
  }
  afterEach(async ({ task }) => {
    const failed = task.result?.state === 'fail';
    for (const [index, page] of pages.splice(0).entries()) {
      // A failed step leaves a picture of where it stood.
      if (failed) await shot(page, `failed-${task.name.slice(0, 20)}-${index}`);
      await page.close();
    }
  });
  async function incidentPage(): Promise<Page> {
    const page = await newPage();
    await h().logIn(page, RISK_USER);
    await page.goto(`${h().baseUrl}/incidents/${theIncident().id}`);
    await page.getByRole('heading', { name: theIncident().title.zh, level: 1 }).waitFor();
    return page;
  }
  /** Opens a move's dialog from its button, sends it, and waits for the status it leads to. */
  async function move(page: Page, button: string, status: string, note?: string) {
    await toolbarButton(page, button).click();
    const form = dialog(page, button);
    if (note !== undefined) await form.getByLabel(/说明|原因说明/).fill(note);
    await form.getByRole('button', { name: '确认', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await headerStatus(page, status).waitFor();
  }

  beforeAll(async () => {
    harness = await startHarness();
    const imported = (await h().api('POST', '/import', { records: seedRecords() })) as {
      failed: unknown[];
    };
    expect(imported.failed).toEqual([]);
    await h().api('POST', '/users', { username: RISK_USER, role: 'risk', password: PASSWORD });
    await h().api('POST', '/users', { username: OPS_USER, role: 'ops', password: PASSWORD });
    await h().api('POST', '/users', { username: ADMIN_USER, role: 'admin', password: PASSWORD });
    await h().api('POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [YUNSHAN.merchantNo],
      password: PASSWORD,
    });

    const screened = (await h().api('POST', '/transactions', {
      transactions: [{ ...MISMATCH_TX, occurredAt: new Date().toISOString() }],
    })) as { results: { outcome: string; decision?: string }[] };
    expect(screened.results[0]).toMatchObject({ outcome: 'accepted', decision: 'contain' });
    const list = (await h().api('GET', `/incidents?merchantNo=${YUNSHAN.merchantNo}`)) as {
      items: IncidentBody[];
    };
    incident = list.items[0];
    expect(theIncident().severity).toBe('P1');
    expect(theIncident().ackOverdue).toBe(false);

    // Ten minutes on, nobody has acknowledged it.
    const { ctx } = h().server;
    const realNow = ctx.now;
    ctx.now = () => new Date(realNow().getTime() + CLOCK_SHIFT_MS);
    const later = (await h().api('GET', `/incidents/${theIncident().id}`)) as IncidentBody;
    expect(later.ackOverdue).toBe(true);
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('shows the overdue incident in red in the queue, and filters it', async () => {
    const page = await newPage();
    await h().logIn(page, RISK_USER);
    await page.getByRole('link', { name: '事件', exact: true }).click();
    await page.getByRole('heading', { name: '事件列表' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: theIncident().title.zh });
    await row.getByText(/确认超时/).waitFor();
    await row.getByText('未指派').waitFor();
    expect(await row.getAttribute('data-overdue')).toBe('true');
    // Red, not the table's white: the row stands out.
    expect(await row.getAttribute('style')).toContain('background: rgb(255, 241, 240)');
    await shot(page, '01-queue-overdue');

    const choose = async (label: string, option: string) => {
      await page.getByLabel(label, { exact: true }).click();
      await page
        .locator('.ant-select-dropdown:visible')
        .getByTitle(option, { exact: true })
        .click();
    };
    // Another severity leaves it out; its own keeps it.
    await choose('级别', 'P2 高');
    await row.waitFor({ state: 'detached' });
    await page.getByText('暂无事件').waitFor();
    await choose('级别', 'P1 紧急');
    await row.waitFor();
    // Opened more than an hour ago: not yet, even ten minutes on.
    await choose('发生时间', '1 小时以前');
    await row.waitFor({ state: 'detached' });
    await page.goto(`${h().baseUrl}/incidents`);
    await row.waitFor();
    // Somebody else's incidents: none.
    await page.getByLabel('处理人', { exact: true }).fill(OPS_USER);
    await page.getByLabel('处理人', { exact: true }).press('Enter');
    await row.waitFor({ state: 'detached' });
    await page.goto(`${h().baseUrl}/incidents`);
    await page.getByText('仅看确认超时').click();
    await row.waitFor();
    expect(page.url()).toContain('overdue=true');
  });

  it('acknowledges, takes and comments on the incident', async () => {
    const page = await incidentPage();
    await page.getByRole('alert').filter({ hasText: '确认已超时' }).waitFor();
    // The lifecycle as steps, the current one named.
    await page.locator('[aria-current="step"]').getByText('待确认').waitFor();
    await shot(page, '02-incident-open');

    await page.getByRole('button', { name: '确认事件' }).click();
    await headerStatus(page, '已确认').waitFor();
    await page.getByRole('alert').filter({ hasText: '确认已超时' }).waitFor({ state: 'detached' });
    await page
      .getByText(new RegExp(`${RISK_USER} 于 .* 确认`))
      .first()
      .waitFor();

    await toolbarButton(page, '指派').click();
    const assign = dialog(page, '指派处理人');
    await assign.getByRole('button', { name: '指派给我' }).click();
    await assign.getByRole('button', { name: '确认指派' }).click();
    await assign.waitFor({ state: 'detached' });
    const summary = page.locator('.ant-card').filter({
      has: page.getByRole('heading', { name: '事件概况' }),
    });
    await summary.getByText(RISK_USER, { exact: true }).waitFor();

    await page.getByLabel('添加备注').fill(COMMENT);
    await page.getByRole('button', { name: '添加备注' }).click();
    const timeline = page.locator('.ant-timeline');
    await timeline.getByText(COMMENT).waitFor();
    await timeline.locator('[data-kind="acknowledged"]').waitFor();
    await timeline.locator('[data-kind="assigned"]').waitFor();
  });

  it('adds an evidence file, shows its SHA-256, verifies the evidence and downloads the bundle', async () => {
    const file = path.join(scratch, 'call-note.txt');
    writeFileSync(file, EVIDENCE_TEXT);
    const sha256 = createHash('sha256').update(EVIDENCE_TEXT).digest('hex');

    const page = await incidentPage();
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByLabel('说明', { exact: true }).fill(EVIDENCE_NOTE);
    await page.getByRole('button', { name: '添加证据' }).click();
    const row = page.getByRole('row').filter({ hasText: EVIDENCE_NOTE });
    await row.locator(`[data-sha256="${sha256}"]`).waitFor();
    await row.getByText(sha256).waitFor();
    await row.getByText(RISK_USER).waitFor();
    await page.locator('.ant-timeline [data-kind="evidence_added"]').first().waitFor();

    await page.getByRole('button', { name: '校验证据' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /全部 \d+ 份证据校验通过/ })
      .waitFor();

    // The bundle to check offline: a tar holding the file under its hash.
    const [bundle] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载证据包' }).click(),
    ]);
    expect(bundle.suggestedFilename()).toMatch(/\.tar$/);
    const tar = path.join(scratch, bundle.suggestedFilename());
    await bundle.saveAs(tar);
    expect(readFileSync(tar).toString('latin1')).toContain(sha256);
    await shot(page, '03-evidence');
  });

  it('walks the lifecycle, refusing in words what is missing, to closed', async () => {
    const page = await incidentPage();
    await move(page, '标记为已控制', '已控制');
    await move(page, '开始调查', '调查中');

    // Resolving without a root cause: warned in the form, refused by the server in words.
    await toolbarButton(page, '解决事件').click();
    const resolve = dialog(page, '解决事件');
    await resolve.getByText(/尚未记录根因：系统将拒绝解决/).waitFor();
    await resolve.getByLabel('暂停资金处理方案').fill(PLAN);
    await resolve.getByRole('button', { name: '确认', exact: true }).click();
    await resolve
      .getByRole('alert')
      .getByText('尚未记录根因，不能解决事件：请先记录根因。')
      .waitFor();
    await shot(page, '04-resolve-refused', { fullPage: false });
    await resolve.getByRole('button', { name: '取消' }).click();
    await headerStatus(page, '调查中').waitFor();

    await toolbarButton(page, '记录根因').click();
    const rootCause = dialog(page, '记录根因');
    await rootCause.getByRole('radio', { name: '操作失误' }).check();
    await rootCause.getByLabel('操作人').fill(OPS_USER);
    await rootCause.getByLabel('详细说明').fill(ROOT_CAUSE);
    await rootCause.getByRole('button', { name: '保存根因' }).click();
    await rootCause.waitFor({ state: 'detached' });
    const findings = page.locator('.ant-card').filter({
      has: page.getByRole('heading', { name: '根因与复盘' }),
    });
    await findings.getByText('操作失误').waitFor();
    await findings.getByText(ROOT_CAUSE).waitFor();
    await findings.getByText(OPS_USER).waitFor();

    await move(page, '开始纠正', '纠正中');
    await move(page, '提交验证', '验证中');
    await move(page, '开始补救', '补救中');

    await toolbarButton(page, '解决事件').click();
    const resolveAgain = dialog(page, '解决事件');
    await resolveAgain.getByLabel('暂停资金处理方案').fill(PLAN);
    await resolveAgain.getByRole('button', { name: '确认', exact: true }).click();
    await resolveAgain.waitFor({ state: 'detached' });
    await headerStatus(page, '已解决').waitFor();
    await page.getByText(PLAN).first().waitFor();

    // Closing without a post-mortem: refused in words.
    await toolbarButton(page, '关闭事件').click();
    const close = dialog(page, '关闭事件');
    await close.getByRole('button', { name: '确认', exact: true }).click();
    await close
      .getByRole('alert')
      .getByText(/尚未记录复盘.*不能关闭事件/)
      .waitFor();
    await close.getByRole('button', { name: '取消' }).click();

    await toolbarButton(page, '记录复盘').click();
    const postMortem = dialog(page, '事件复盘');
    await postMortem.getByLabel('复盘总结').fill(ROOT_CAUSE);
    await postMortem.getByLabel('第 1 条经验教训').fill(LESSONS[0] ?? '');
    await postMortem.getByRole('button', { name: '添加一条' }).click();
    await postMortem.getByLabel('第 2 条经验教训').fill(LESSONS[1] ?? '');
    await postMortem.getByRole('button', { name: '保存复盘' }).click();
    await postMortem.waitFor({ state: 'detached' });
    for (const lesson of LESSONS) await findings.getByText(lesson).waitFor();

    await move(page, '关闭事件', '已关闭');
    // Closed is final: no more moves, no comment box, no evidence upload.
    expect(await page.getByRole('toolbar').count()).toBe(0);
    expect(await page.getByLabel('添加备注').count()).toBe(0);
    await page.locator('.ant-timeline [data-kind="closed"]').waitFor();
    await shot(page, '05-closed');
  });

  it('downloads the case file as a PDF and records that it was sent', async () => {
    const page = await incidentPage();
    const [response, download] = await Promise.all([
      page.waitForResponse((answer) => answer.url().includes('/case-file?format=pdf')),
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 PDF' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const saved = path.join(scratch, download.suggestedFilename());
    await download.saveAs(saved);
    const pdf = readFileSync(saved);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);

    await page.getByRole('button', { name: '登记已报送' }).click();
    const sent = dialog(page, '登记案件材料已报送');
    await sent.getByLabel('报送对象').fill(SENT_TO);
    await sent.getByLabel('对方受理编号').fill(SENT_REFERENCE);
    await sent.getByRole('button', { name: '登记', exact: true }).click();
    await sent.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: SENT_REFERENCE });
    await row.getByText(SENT_TO).waitFor();
    await row.getByText('电子邮件').waitFor();
  });

  it('shows a merchant user its incident without any action', async () => {
    const page = await newPage();
    await h().logIn(page, MERCHANT_USER);
    await page.goto(`${h().baseUrl}/incidents/${theIncident().id}`);
    await page.getByRole('heading', { name: theIncident().title.zh, level: 1 }).waitFor();
    await page.getByRole('heading', { name: '处置时间线' }).waitFor();
    await page.locator('.ant-timeline [data-kind="closed"]').waitFor();
    expect(await page.getByRole('toolbar').count()).toBe(0);
    // The acquirer's internal work is not its to see, nor shown as missing.
    expect(await page.getByRole('heading', { name: '根因与复盘' }).count()).toBe(0);
    expect(await page.getByText(COMMENT).count()).toBe(0);
    expect(
      await page.locator('.ant-descriptions').getByText('处理人', { exact: true }).count(),
    ).toBe(0);
    expect(await page.getByRole('button', { name: '下载 PDF' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '应急演练' }).count()).toBe(0);
  });

  it('starts a drill, marked 演练 on its page and kept out of the queue unless asked for', async () => {
    const page = await newPage();
    await h().logIn(page, RISK_USER);
    await page.getByRole('link', { name: '应急演练', exact: true }).click();
    await page.getByRole('heading', { name: '应急演练', level: 1 }).waitFor();
    await page.getByRole('radio', { name: /结算账户户名不符/ }).check();
    await page.getByRole('button', { name: '开始演练' }).click();
    await page.getByText('这是一次演练', { exact: false }).waitFor();
    const title = (await page.locator('h1').textContent()) ?? '';
    expect(title).not.toBe('');
    await page.locator('h1').locator('..').getByText('演练', { exact: true }).waitFor();
    await page.getByText(/演练场景：结算账户户名不符/).waitFor();
    await shot(page, '06-drill');

    await page.getByRole('link', { name: '事件', exact: true }).click();
    await page.getByRole('heading', { name: '事件列表' }).waitFor();
    await page.getByRole('row').filter({ hasText: theIncident().title.zh }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: title }).count()).toBe(0);
    await page.getByLabel('演练', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('仅演练').click();
    const drillRow = page.getByRole('row').filter({ hasText: title });
    await drillRow.getByText('演练', { exact: true }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: theIncident().title.zh }).count()).toBe(0);
  });

  it('rings the bell live when a new incident opens, moves the figures, and goes to it', async () => {
    const page = await newPage();
    await h().logIn(page, RISK_USER);
    await page.getByRole('link', { name: '总览', exact: true }).click();
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor();
    // The stream is open before the incident is.
    const bell = page.getByRole('button', { name: /^通知/ });
    await bell.click();
    await page.getByText('● 实时').waitFor();
    await bell.click();
    const before = Number(await bell.getAttribute('data-unread-count'));
    // 云杉's incident is closed: nothing open.
    const openP1 = page.getByRole('group', { name: 'P1 紧急' });
    await openP1.getByText('0', { exact: true }).waitFor();

    await h().api('POST', '/transactions', {
      transactions: [{ ...SECOND_TX, occurredAt: new Date().toISOString() }],
    });
    const announced = page.locator('.ant-notification-notice').filter({
      hasText: /新事件 P\d/,
    });
    await announced.filter({ hasText: CHENGUANG.merchantNo }).first().waitFor();
    await expect
      .poll(async () => Number(await bell.getAttribute('data-unread-count')))
      .toBeGreaterThan(before);
    // The overview's figures moved without a reload.
    await openP1.getByText('1', { exact: true }).waitFor();
    await bell.click();
    const item = page
      .locator('.ant-popover')
      .getByRole('listitem')
      .filter({ hasText: /新事件 P\d/ })
      .filter({ hasText: CHENGUANG.merchantNo })
      .first();
    await item.waitFor();
    await shot(page, '07-bell', { fullPage: false });
    await item.click();
    await page.getByRole('heading', { name: new RegExp(CHENGUANG.merchantNo), level: 1 }).waitFor();
    await headerStatus(page, '待确认').waitFor();
  });

  it('shows the figures on the overview and reads in English after the switch', async () => {
    const page = await newPage();
    await h().logIn(page, RISK_USER);
    await page.getByRole('link', { name: '总览', exact: true }).click();
    await page.getByRole('heading', { name: '未结风险事件（按级别）' }).waitFor();
    // 晨光's new incident is open; 云杉's closed one counts in the mean times.
    await page.getByRole('group', { name: 'P1 紧急' }).getByText('1', { exact: true }).waitFor();
    expect(await page.getByRole('group', { name: '平均确认时长' }).getByText('—').count()).toBe(0);
    expect(await page.getByRole('group', { name: '平均解决时长' }).getByText('—').count()).toBe(0);
    await page
      .getByRole('img', { name: /每日告警数按规则堆叠/ })
      .locator('canvas')
      .waitFor();
    await page.getByRole('table', { name: '各规则告警合计' }).getByText('终端与商户不符').waitFor();
    await shot(page, '08-dashboard');

    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: 'Open incidents by severity' }).waitFor();
    await page.getByRole('group', { name: 'Mean time to acknowledge' }).waitFor();
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await page.getByRole('row').filter({ hasText: theIncident().title.en }).waitFor();
    await page.goto(`${h().baseUrl}/incidents/${theIncident().id}`);
    await page.getByRole('heading', { name: theIncident().title.en, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Root cause and post-mortem' }).waitFor();
    await page.getByText('Operator error', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Download PDF' }).waitFor();
    await shot(page, '09-incident-en');
  });

  it('lets an admin add a webhook (secret shown once), test it, redeliver, disable it, and set escalation', async () => {
    const receiver = await startReceiver();
    try {
      const page = await newPage();
      await h().logIn(page, ADMIN_USER);
      await page.getByRole('link', { name: '通知设置', exact: true }).click();
      await page.getByRole('heading', { name: '通知设置', level: 1 }).waitFor();

      await page.getByRole('button', { name: '新增 Webhook' }).click();
      const create = dialog(page, '新增 Webhook');
      await create.getByLabel('接收地址').fill(receiver.url);
      await create.getByLabel('备注（可选）').fill('收单前置系统');
      await create.getByRole('button', { name: '保存', exact: true }).click();
      const created = dialog(page, 'Webhook 已创建');
      await created.getByText('签名密钥只显示这一次').waitFor();
      const secret = (await created.locator('[data-secret]').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      await shot(page, '10-webhook-secret', { fullPage: false });
      await created.getByRole('button', { name: '已保存密钥' }).click();
      await created.waitFor({ state: 'detached' });
      // Shown once: nowhere on the page any more.
      expect(await page.content()).not.toContain(secret);

      const row = page.getByRole('row').filter({ hasText: receiver.url });
      await row.getByText('启用').waitFor();
      await row.getByRole('button', { name: '发送测试' }).click();
      await page.getByText('已发送测试通知').waitFor();

      await row.getByRole('button', { name: '推送记录' }).click();
      const log = page.getByRole('dialog', { name: /推送记录/ });
      const delivered = log.getByRole('row').filter({ hasText: '已送达' });
      await expect
        .poll(async () => {
          await log.getByRole('button', { name: '刷新' }).click();
          return delivered.count();
        })
        .toBeGreaterThan(0);
      await log.getByRole('row').filter({ hasText: '测试' }).first().waitFor();
      const first = receiver.received[0];
      if (!first) throw new Error('the receiver got nothing');
      expect(JSON.parse(first.body)).toMatchObject({ type: 'webhook.test' });
      expect(first.signature.split(' ')).toContain(signatureOf(secret, first));
      await shot(page, '11-deliveries');

      await delivered.first().getByRole('button', { name: '重新推送' }).click();
      await page.getByText('已安排重新推送').waitFor();
      await expect.poll(() => receiver.received.length).toBeGreaterThan(1);
      const again = receiver.received[1];
      expect(again?.id).toBe(first.id);
      expect(again?.body).toBe(first.body);
      await page.keyboard.press('Escape');
      await log.waitFor({ state: 'hidden' });

      await row.getByRole('button', { name: '停用' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: '停用' }).click();
      await row.getByText('已停用').waitFor();
      expect(await row.getByRole('button', { name: '发送测试' }).count()).toBe(0);

      await page.getByRole('tab', { name: '升级策略' }).click();
      const policy = page.getByRole('form', { name: 'P1 升级策略' });
      await policy.getByText('默认策略', { exact: true }).waitFor();
      const notify = policy.getByLabel('通知对象').first();
      await notify.fill(RISK_USER);
      await notify.press('Enter');
      await policy.getByRole('button', { name: '保存 P1 策略' }).click();
      await page.getByText('P1 升级策略已保存').waitFor();
      const saved = (await h().api('GET', '/escalation-policies/P1')) as {
        isDefault: boolean;
        levels: { notify: string[] }[];
      };
      expect(saved.isDefault).toBe(false);
      expect(saved.levels[0]?.notify).toContain(RISK_USER);
      await shot(page, '12-escalation');
    } finally {
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });

  it('raised no uncaught errors in the pages', () => {
    expect(h().pageErrors).toEqual([]);
  });
});
