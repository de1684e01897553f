/**
 * Making whole in the console, in a real browser against a real server. 晨光便利店's card sales
 * of two days ago were settled and paid to its registered card; yesterday's payout came back
 * (户名不符), which opened an incident and held its money; the card was then found to be someone
 * else's and superseded, as a completed account change leaves it (the account-change browser
 * test walks that path). So the incident's page lists three payments settled to the wrong
 * account and one returned payout.
 *
 * An operations user arranges a refund for two cardholders (one without an owner or a due
 * date), a re-settlement for the third sale, and the recovery of the first refund from the wrong
 * account's holder, which opens the recovery case; marks the first refund paid with the bank's
 * reference and records money received on the case; copies the cardholder apology template
 * (filled from the incident) and logs the contact with it. A risk officer is refused resolving
 * in words while a remediation has no owner, gives it one, resolves, records the post-mortem and
 * closes. The merchant user reads the affected payments and the status of each remediation, and
 * nothing of the acquirer's internal work; the page reads in English after the switch.
 * Screenshots go to /tmp/settleguard-remediation-*.png.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import {
  CHENGUANG,
  PASSWORD,
  UI_TIMEOUT_MS,
  screenshot,
  seedRecords,
  startHarness,
} from './support.js';
import type { ConsoleHarness } from './support.js';

const OPS_USER = 'ops-remediation-e2e';
const RISK_USER = 'risk-remediation-e2e';
const MERCHANT_USER = 'chenguang-remediation-e2e';

// Business dates in China time: two days ago (sales paid to the wrong card) and yesterday (the
// payout that came back). Noon of each, so that no time zone moves a sale to another date.
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const chinaDate = (daysAgo: number) =>
  new Date(Date.now() + CST_OFFSET_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);
const PAID_DATE = chinaDate(2);
const RETURNED_DATE = chinaDate(1);
/** A due date a week ahead, as typed into the date picker. */
const DUE_DATE = chinaDate(-7);

// Two cardholders' cards (full numbers only ever sent to the API, never shown).
const PAN_WANG = '6222020200001234562';
const PAN_LI = '6217000010001234569';

const SALES = [
  { id: 'e2e-remed-0001', amountFen: 12_850, pan: PAN_WANG, rrn: '611024100001', stan: '100001' },
  { id: 'e2e-remed-0002', amountFen: 8_600, pan: PAN_LI, rrn: '611024100002', stan: '100002' },
  { id: 'e2e-remed-0003', amountFen: 4_530, pan: PAN_WANG, rrn: '611024100003', stan: '100003' },
] as const;
const RETURNED_SALE = {
  id: 'e2e-remed-0004',
  amountFen: 30_000,
  pan: PAN_LI,
  rrn: '611025100004',
  stan: '100004',
};
// After the incident opened: a payment the customer saw declined, and the one they made again.
const DECLINED_SALE = {
  id: 'e2e-remed-0005',
  amountFen: 6_600,
  pan: PAN_LI,
  rrn: '611026100005',
  stan: '100005',
  status: 'declined',
};
const RETRANSACTION = {
  id: 'e2e-remed-0006',
  amountFen: 6_600,
  pan: PAN_LI,
  rrn: '611026100006',
  stan: '100006',
};
/** The card that replaced the wrong one (the legal person's own). */
const NEW_CARD = '6222020200009876543';

const REFUND_REFERENCE = 'ICBC-RF-20261126-0001';
const RECEIPT_REFERENCE = 'CCB-IN-20261126-7781';
const WRITE_OFF_REASON = '原卡持卡人已失联，经审批核销剩余款项';
const PLAN = '冷静期满后，暂停的款项结算至核验后的新卡';
const POST_MORTEM = '入网时登记的结算卡并非法人本人所有，两笔交易款项被划入他人账户';
const LESSONS = ['入网时核验结算卡持卡人与法人一致'];

function shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void> {
  return screenshot(page, `remediation-${name}`, options);
}

/** A section of the incident page by its heading. */
function section(page: Page, heading: string | RegExp) {
  return page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: heading }) });
}

/** The modal dialog with this title. */
function dialog(page: Page, title: string) {
  return page.getByRole('dialog', { name: title });
}

/** A button of the incident's toolbar by its words (its icon's name comes first). */
function toolbarButton(page: Page, words: string) {
  return page.getByRole('toolbar').getByRole('button', { name: new RegExp(`(^| )${words}$`) });
}

/** The status tag in the incident page's heading row. */
function headerStatus(page: Page, status: string) {
  return page.locator('h1').locator('..').getByText(status, { exact: true });
}

/**
 * Types a date into a date picker and leaves it with Tab, as a keyboard user does (Enter would
 * also send the dialog's form).
 */
async function pickDate(page: Page, scope: ReturnType<typeof dialog>, label: string, date: string) {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
  expect(await input.inputValue()).toBe(date);
}

interface IncidentBody {
  id: string;
  title: { zh: string; en: string };
}

describe.skipIf(skipBrowserTests)('making whole in the console', () => {
  let harness: ConsoleHarness | undefined;
  let incident: IncidentBody | undefined;

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }
  function theIncident(): IncidentBody {
    if (!incident) throw new Error('the returned payout opened no incident');
    return incident;
  }
  const pages: Page[] = [];
  async function newPage(): Promise<Page> {
    const page = await h().newPage();
    // This page carries five sections that each call the server: on a busy two-core machine
    // a first paint can take longer than the harness's usual wait.
    page.setDefaultTimeout(2 * UI_TIMEOUT_MS);
    pages.push(page);
    return page;
  }
  afterEach(async ({ task }) => {
    const failed = task.result?.state === 'fail';
    for (const [index, page] of pages.splice(0).entries()) {
      if (failed) await shot(page, `failed-${task.name.slice(0, 20)}-${index}`);
      await page.close();
    }
  });
  async function incidentPage(username: string): Promise<Page> {
    const page = await newPage();
    await h().logIn(page, username);
    await page.goto(`${h().baseUrl}/incidents/${theIncident().id}`);
    await page.getByRole('heading', { name: theIncident().title.zh, level: 1 }).waitFor();
    return page;
  }

  /** What a completed account change leaves: the old card superseded, the new one active. */
  async function supersedeTheCard(): Promise<void> {
    const { db, vault } = h().server.ctx;
    const at = new Date();
    const merchantNo = CHENGUANG.merchantNo;
    await db.query(
      'UPDATE settlement_accounts SET valid_to = $2 WHERE merchant_no = $1 AND valid_to IS NULL',
      [merchantNo, at],
    );
    await db.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, bank_code, bank_name, status,
         name_check, warnings, valid_from, recorded_by)
       SELECT account_id, merchant_no, account_number_enc, account_fp, account_number_masked,
              account_name, account_type, bank_code, bank_name, 'superseded', name_check,
              warnings, $2, 'e2e'
         FROM settlement_accounts WHERE merchant_no = $1 AND valid_to = $2`,
      [merchantNo, at],
    );
    await db.query(
      `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, bank_code, status, name_check,
         valid_from, recorded_by)
       VALUES (gen_random_uuid(), $1, $2, $3, '622202*********6543', $4, 'personal',
         '102100099996', 'active',
         '{"result":"match","score":1,"reasons":[],"comparedWith":"legal_person_name"}', $5,
         'e2e')`,
      [
        merchantNo,
        vault.seal('account_number', NEW_CARD),
        vault.fingerprint('account_number', NEW_CARD),
        CHENGUANG.legalPersonName,
        at,
      ],
    );
  }

  beforeAll(async () => {
    harness = await startHarness();
    const imported = (await h().api('POST', '/import', { records: seedRecords() })) as {
      failed: unknown[];
    };
    expect(imported.failed).toEqual([]);
    await h().api('POST', '/users', { username: OPS_USER, role: 'ops', password: PASSWORD });
    await h().api('POST', '/users', { username: RISK_USER, role: 'risk', password: PASSWORD });
    await h().api('POST', '/users', {
      username: MERCHANT_USER,
      role: 'merchant',
      merchantNos: [CHENGUANG.merchantNo],
      password: PASSWORD,
    });

    const sale = (item: (typeof SALES)[number] | typeof RETURNED_SALE, date: string) => ({
      ...item,
      terminalId: CHENGUANG.terminalId,
      merchantNo: CHENGUANG.merchantNo,
      type: 'purchase',
      occurredAt: `${date}T04:00:00.000Z`,
    });
    const ingest = async (transactions: unknown[]) => {
      const answer = (await h().api('POST', '/transactions', { transactions })) as {
        results: { outcome: string; decision?: string }[];
      };
      expect(
        answer.results.map((result) => `${result.outcome}/${result.decision ?? ''}`),
        JSON.stringify(answer),
      ).toEqual(transactions.map(() => 'accepted/ok'));
    };
    const settle = async (businessDate: string) => {
      const run = (await h().api('POST', '/settlement-runs', { businessDate })) as {
        lines: { id: string; merchantNo: string; status: string }[];
      };
      const line = run.lines.find((item) => item.merchantNo === CHENGUANG.merchantNo);
      expect(line?.status).toBe('ready');
      return line?.id ?? '';
    };

    // Two days ago: three sales, settled and paid to the registered card.
    await ingest(SALES.map((item) => sale(item, PAID_DATE)));
    const paidLine = await settle(PAID_DATE);
    await h().api('POST', '/settlement-results', {
      results: [{ lineId: paidLine, status: 'paid' }],
    });
    // Yesterday's payout comes back: the holder's name is not the merchant's.
    await ingest([sale(RETURNED_SALE, RETURNED_DATE)]);
    const returnedLine = await settle(RETURNED_DATE);
    await h().api('POST', '/settlement-results', {
      results: [{ lineId: returnedLine, status: 'returned', reason: '收款人户名不符' }],
    });
    const list = (await h().api(
      'GET',
      `/incidents?merchantNo=${CHENGUANG.merchantNo}&active=true`,
    )) as { items: IncidentBody[] };
    incident = list.items[0];
    await supersedeTheCard();
    // A second on, the customer's card is declined: a payment they saw fail.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h().api('POST', '/transactions', {
      transactions: [
        {
          ...DECLINED_SALE,
          terminalId: CHENGUANG.terminalId,
          merchantNo: CHENGUANG.merchantNo,
          type: 'purchase',
          occurredAt: new Date().toISOString(),
        },
      ],
    });

    // The incident worked up to remediation through the API: the browser test of the
    // incident playbook walks these steps on screen.
    const id = theIncident().id;
    await h().api('POST', `/incidents/${id}/acknowledge`, {});
    for (const to of ['contained', 'investigating']) {
      await h().api('POST', `/incidents/${id}/transition`, { to });
    }
    await h().api('POST', `/incidents/${id}/root-cause`, {
      category: 'other',
      detail: '入网时登记的结算卡并非法人本人所有',
    });
    for (const to of ['correcting', 'verifying', 'remediating']) {
      await h().api('POST', `/incidents/${id}/transition`, { to });
    }
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('lists the affected payments by kind, with masked card, RRN and amount', async () => {
    const page = await incidentPage(OPS_USER);
    const affected = section(page, '受影响的交易');
    await affected.getByText('已结算至错误账户（3 笔 · ¥259.80）').waitFor();
    await affected.getByText('付款被退票（1 笔 · ¥298.20）').waitFor();
    await affected.getByText('客户看到交易失败（1 笔 · ¥66.00）').waitFor();
    for (const item of SALES) {
      const row = affected.getByRole('row').filter({ hasText: item.rrn });
      await row.getByText('已结算至错误账户').waitFor();
      await row.getByText(item.pan.slice(-4), { exact: false }).waitFor();
      await row.getByText(`凭证号 ${item.stan}`).waitFor();
    }
    await affected.getByRole('row').filter({ hasText: '付款被退票' }).getByText('已退票').waitFor();

    // The filter keeps one kind.
    await affected.getByText('付款被退票（1 笔 · ¥298.20）').click();
    await affected
      .getByRole('row')
      .filter({ hasText: SALES[0].rrn })
      .waitFor({ state: 'detached' });
    await affected.getByText('全部（5）').click();
    await affected.getByRole('row').filter({ hasText: SALES[0].rrn }).waitFor();
    await shot(page, '01-affected');
    // No full card number on the page, anywhere.
    const content = await page.content();
    expect(content).not.toContain(PAN_WANG);
    expect(content).not.toContain(PAN_LI);
  });

  it('arranges refunds, a re-settlement and the recovery, which opens the recovery case', async () => {
    const page = await incidentPage(OPS_USER);
    const affected = section(page, '受影响的交易');
    const arrange = async (
      rrn: string,
      action: RegExp,
      options: { owner: boolean; note?: string },
    ) => {
      await affected.getByRole('button', { name: `为 ${rrn} 安排补救` }).click();
      const form = dialog(page, '安排补救措施');
      await form.getByRole('radio', { name: action }).check();
      if (options.owner) {
        await form.getByRole('button', { name: '由我负责' }).click();
        await pickDate(page, form, '完成期限', DUE_DATE);
      }
      if (options.note !== undefined) await form.getByLabel('说明（可选）').fill(options.note);
      await form.getByRole('button', { name: '确认安排' }).click();
      await form.waitFor({ state: 'detached' });
    };

    // A payment settled to the wrong account may take any of the four, the usual one first.
    await affected.getByRole('button', { name: `为 ${SALES[0].rrn} 安排补救` }).click();
    const first = dialog(page, '安排补救措施');
    expect(await first.getByRole('radio').count()).toBe(4);
    expect(await first.getByRole('radio', { name: /^重新结算/ }).isChecked()).toBe(true);
    await shot(page, '02-arrange', { fullPage: false });
    await first.getByRole('button', { name: '取消' }).click();

    await arrange(SALES[0].rrn, /^退款给持卡人/, { owner: true, note: '持卡人王先生要求退款' });
    await arrange(SALES[1].rrn, /^退款给持卡人/, { owner: false });
    await arrange(SALES[2].rrn, /^重新结算/, { owner: true });
    await arrange(SALES[0].rrn, /^追回款项/, { owner: true });

    const row = affected.getByRole('row').filter({ hasText: SALES[0].rrn });
    await row.locator('[data-remediation="refund"]').getByText('待处理').waitFor();
    // The three sales have one; the returned payout is released with the hold instead.
    await affected.getByText('已安排补救 3 笔，尚未安排 2 笔').waitFor();
    await row.locator('[data-remediation="recover"]').waitFor();
    // A refund and a re-settlement cannot both stand on one payment.
    await affected.getByRole('button', { name: `为 ${SALES[2].rrn} 安排补救` }).click();
    const third = dialog(page, '安排补救措施');
    expect(await third.getByRole('radio', { name: /^退款给持卡人/ }).isDisabled()).toBe(true);
    await third.getByRole('button', { name: '取消' }).click();

    const list = section(page, /^补救措施（\d+ 项）$/);
    await list.getByRole('heading', { name: '补救措施（4 项）' }).waitFor();
    await list.getByText('有 1 项补救措施未指定负责人或完成期限，事件不能解决').waitFor();
    const unowned = list.locator('[data-unassigned="true"]');
    expect(await unowned.count()).toBe(1);
    await unowned.getByText(SALES[1].rrn, { exact: false }).waitFor();
    await list
      .getByRole('row')
      .filter({ hasText: '持卡人王先生要求退款' })
      .getByText(OPS_USER)
      .waitFor();

    const recovery = section(page, '追偿案件');
    await recovery.getByText('追偿中').waitFor();
    await recovery.locator('.ant-descriptions').getByText('¥128.50').first().waitFor();
    await page.locator('.ant-timeline [data-kind="remediation_opened"]').first().waitFor();
    await shot(page, '03-remediations');
  });

  it('completes a re-transaction with the payment the customer made again', async () => {
    const page = await incidentPage(OPS_USER);
    const affected = section(page, '受影响的交易');
    await affected.getByRole('button', { name: `为 ${DECLINED_SALE.rrn} 安排补救` }).click();
    const form = dialog(page, '安排补救措施');
    // A payment that was never taken can only be paid again.
    expect(await form.getByRole('radio').count()).toBe(1);
    expect(await form.getByRole('radio', { name: /^客户重新支付/ }).isChecked()).toBe(true);
    await form.getByRole('button', { name: '由我负责' }).click();
    await pickDate(page, form, '完成期限', DUE_DATE);
    await form.getByRole('button', { name: '确认安排' }).click();
    await form.waitFor({ state: 'detached' });
    await affected.getByText('已安排补救 4 笔，尚未安排 1 笔').waitFor();

    // The customer pays again; the new payment is named on the remediation, which is then done.
    await h().api('POST', '/transactions', {
      transactions: [
        {
          ...RETRANSACTION,
          terminalId: CHENGUANG.terminalId,
          merchantNo: CHENGUANG.merchantNo,
          type: 'purchase',
          occurredAt: new Date().toISOString(),
        },
      ],
    });
    const list = section(page, /^补救措施（\d+ 项）$/);
    await list.getByRole('button', { name: `更新客户重新支付（${DECLINED_SALE.rrn}）` }).click();
    const update = dialog(page, '更新补救措施');
    await update.getByLabel('重新支付的交易号（可选）').fill(RETRANSACTION.id);
    await update.getByLabel('进展说明（可选）').fill('持卡人李女士已重新支付');
    await update.getByRole('button', { name: '保存', exact: true }).click();
    await update.waitFor({ state: 'detached' });
    await list
      .getByRole('row')
      .filter({ hasText: DECLINED_SALE.rrn })
      .getByText('已完成', { exact: true })
      .waitFor();
  });

  it('marks a refund paid with the bank reference and records money recovered', async () => {
    const page = await incidentPage(OPS_USER);
    const refunds = section(page, '持卡人退款');
    const first = refunds.getByRole('row').filter({ hasText: SALES[0].rrn });
    await first.getByText(SALES[0].stan, { exact: true }).waitFor();
    await first.getByText('¥128.50').waitFor();
    await refunds.getByRole('button', { name: `标记参考号 ${SALES[0].rrn} 的退款已付` }).click();
    const paid = dialog(page, '标记退款已付');
    await paid.getByText(/¥128\.50 退至卡号 .*4562（原交易参考号 611024100001）/).waitFor();
    await paid.getByRole('button', { name: '确认已退款' }).click();
    await paid.getByText('请填写银行流水号').waitFor();
    await paid.getByLabel('银行流水号').fill(REFUND_REFERENCE);
    await paid.getByRole('button', { name: '确认已退款' }).click();
    await paid.waitFor({ state: 'detached' });
    await first.getByText('已退款').waitFor();
    await first.getByText(REFUND_REFERENCE).waitFor();
    // The refund done, its remediation is done too.
    const list = section(page, /^补救措施（\d+ 项）$/);
    await list
      .getByRole('row')
      .filter({ hasText: SALES[0].rrn })
      .filter({ hasText: '退款给持卡人' })
      .getByText('已完成')
      .waitFor();

    const recovery = section(page, '追偿案件');
    await recovery.getByRole('button', { name: '登记收回款项' }).click();
    const receipt = dialog(page, '登记收回款项');
    await receipt.getByLabel('收回金额（元）').fill('200');
    await receipt.getByLabel('银行流水号').fill(RECEIPT_REFERENCE);
    await receipt.getByRole('button', { name: '登记', exact: true }).click();
    await receipt.getByText('金额不能超过 ¥128.50').waitFor();
    await receipt.getByLabel('收回金额（元）').fill('50');
    await receipt.getByRole('button', { name: '登记', exact: true }).click();
    await receipt.waitFor({ state: 'detached' });
    await recovery
      .getByRole('row')
      .filter({ hasText: RECEIPT_REFERENCE })
      .getByText('¥50.00')
      .waitFor();
    await recovery.getByText('¥78.50').waitFor();
    // Writing off is a decision of risk and approvers, not of operations.
    expect(await recovery.getByRole('button', { name: '核销' }).count()).toBe(0);
    await shot(page, '04-refund-recovery');
  });

  it('copies a message template filled from the incident and logs the contact with it', async () => {
    const page = await incidentPage(OPS_USER);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: h().baseUrl,
    });
    const contacts = section(page, '沟通记录');
    await contacts.getByText('致持卡人的致歉及处理方案（持卡人）').click();
    const text = contacts.getByLabel('模板内容：致持卡人的致歉及处理方案');
    const filled = await text.inputValue();
    expect(filled).toContain(CHENGUANG.name);
    expect(filled).toContain('尊敬的持卡人');
    await contacts.getByRole('button', { name: '复制模板' }).click();
    await page.getByText('模板已复制').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(filled);
    await shot(page, '05-template');

    await contacts.getByRole('button', { name: '按此模板记录沟通' }).click();
    const log = dialog(page, '记录沟通');
    await log.getByText(/已按模板“致持卡人的致歉及处理方案”填好沟通内容/).waitFor();
    expect(await log.getByLabel('沟通内容').inputValue()).toBe(filled);
    expect(await log.getByRole('radio', { name: '持卡人' }).isChecked()).toBe(true);
    await log.getByLabel('对象名称（可选）').fill('王先生');
    await log.getByLabel('结果（可选）').fill('持卡人选择退款，已告知 7 个工作日内到账');
    await log.getByRole('button', { name: '记录', exact: true }).click();
    await log.waitFor({ state: 'detached' });
    const row = contacts.getByRole('row').filter({ hasText: '王先生' });
    await row.getByText('短信').waitFor();
    await row.getByText('使用模板：致持卡人的致歉及处理方案').waitFor();
    await row.getByText(OPS_USER).waitFor();
    await page.locator('.ant-timeline [data-kind="contact_logged"]').first().waitFor();
  });

  it('refuses resolving in words while a remediation has no owner, then resolves and closes', async () => {
    const page = await incidentPage(RISK_USER);
    await headerStatus(page, '补救中').waitFor();
    await toolbarButton(page, '解决事件').click();
    const resolve = dialog(page, '解决事件');
    await resolve.getByLabel('暂停资金处理方案').fill(PLAN);
    await resolve.getByRole('button', { name: '确认', exact: true }).click();
    await resolve
      .getByRole('alert')
      .getByText(/有补救措施尚未指定负责人或完成期限，不能解决事件/)
      .waitFor();
    await shot(page, '06-resolve-refused', { fullPage: false });
    await resolve.getByRole('button', { name: '取消' }).click();

    const list = section(page, /^补救措施（\d+ 项）$/);
    await list.getByRole('button', { name: `更新退款给持卡人（${SALES[1].rrn}）` }).click();
    const update = dialog(page, '更新补救措施');
    await update.getByRole('button', { name: '由我负责' }).click();
    await pickDate(page, update, '完成期限', DUE_DATE);
    await update.getByLabel('进展说明（可选）').fill('已联系持卡人李女士，等待其提供退款账户确认');
    await update.getByRole('button', { name: '保存', exact: true }).click();
    await update.waitFor({ state: 'detached' });
    await list.locator('[data-unassigned="true"]').waitFor({ state: 'detached' });
    await list.getByText(/有 \d+ 项补救措施未指定负责人或完成期限/).waitFor({ state: 'detached' });

    // What the wrong card's holder will not pay back is written off, by risk, with a reason.
    const recovery = section(page, '追偿案件');
    await recovery.getByRole('button', { name: '核销' }).click();
    const writeOff = dialog(page, '核销未追回款项');
    await writeOff.getByText(/将已垫付、尚未收回的 ¥78\.50 作为损失核销/).waitFor();
    await writeOff.getByLabel('核销原因').fill(WRITE_OFF_REASON);
    await writeOff.getByRole('button', { name: '确认核销' }).click();
    await writeOff.waitFor({ state: 'detached' });
    await recovery.getByText('已核销', { exact: true }).first().waitFor();
    await recovery.getByText(WRITE_OFF_REASON).waitFor();
    await recovery.locator('.ant-descriptions').getByText('¥0.00').waitFor();

    await toolbarButton(page, '解决事件').click();
    const again = dialog(page, '解决事件');
    await again.getByLabel('暂停资金处理方案').fill(PLAN);
    await again.getByRole('button', { name: '确认', exact: true }).click();
    await again.waitFor({ state: 'detached' });
    await headerStatus(page, '已解决').waitFor();

    await toolbarButton(page, '记录复盘').click();
    const postMortem = dialog(page, '事件复盘');
    await postMortem.getByLabel('复盘总结').fill(POST_MORTEM);
    await postMortem.getByLabel('第 1 条经验教训').fill(LESSONS[0] ?? '');
    await postMortem.getByRole('button', { name: '保存复盘' }).click();
    await postMortem.waitFor({ state: 'detached' });
    await toolbarButton(page, '关闭事件').click();
    const close = dialog(page, '关闭事件');
    await close.getByRole('button', { name: '确认', exact: true }).click();
    await close.waitFor({ state: 'detached' });
    await headerStatus(page, '已关闭').waitFor();
    // Closed is final: nothing more is arranged, paid or logged here.
    expect(await page.getByRole('button', { name: /安排补救$/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '记录沟通' }).count()).toBe(0);
    await shot(page, '07-closed');
  });

  it("shows the merchant user the remediation status only, without the acquirer's work", async () => {
    const page = await incidentPage(MERCHANT_USER);
    const affected = section(page, '受影响的交易');
    await affected.getByRole('row').filter({ hasText: SALES[0].rrn }).waitFor();
    const list = section(page, /^补救措施（\d+ 项）$/);
    await list.getByRole('row').filter({ hasText: SALES[0].rrn }).first().waitFor();
    expect(await list.getByRole('columnheader', { name: '负责人' }).count()).toBe(0);
    expect(await page.getByText(OPS_USER).count()).toBe(0);
    expect(await page.getByText('持卡人王先生要求退款').count()).toBe(0);
    expect(await page.getByRole('heading', { name: '沟通记录' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /安排补救$|^更新|标记参考号/ }).count()).toBe(0);
    await shot(page, '08-merchant');
  });

  it('reads in English after the switch', async () => {
    const page = await incidentPage(OPS_USER);
    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: theIncident().title.en, level: 1 }).waitFor();
    const affected = section(page, 'Affected payments');
    await affected.getByText('Settled to the wrong account (3 · ¥259.80)').waitFor();
    await section(page, 'Remediations (5)').getByText('Refund the cardholder').first().waitFor();
    await section(page, 'Recovery case')
      .getByText('Written off', { exact: true })
      .first()
      .waitFor();
    await section(page, 'Cardholder refunds').getByText('Paid', { exact: true }).waitFor();
    const contacts = section(page, 'Contact log');
    await contacts.getByText('Apology and solution to a cardholder (Cardholder)').waitFor();
    // The message stays Chinese: it goes to Chinese readers.
    expect(
      await contacts.getByLabel('Template text: Apology and solution to a cardholder').inputValue(),
    ).toContain('尊敬的持卡人');
    await shot(page, '09-english');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(h().pageErrors).toEqual([]);
  });
});
