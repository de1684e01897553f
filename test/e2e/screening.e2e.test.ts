/**
 * Screening in the console, in a real browser against a real server: a transaction from
 * 晨光便利店's terminal carrying 云杉餐饮's merchant number is contained (terminal suspended,
 * 云杉's settlement held, one incident), and a risk officer follows it from the alert to the
 * incident and the merchant, reads it in Chinese and in English, and resumes the terminal.
 * Screenshots go to /tmp/settleguard-screening-*.png.
 *
 * Needs the built console (`npm run build`) and Chromium at /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipBrowserTests } from './browser.js';
import { CHENGUANG, PASSWORD, YUNSHAN, screenshot, seedRecords, startHarness } from './support.js';
import type { ConsoleHarness } from './support.js';

const RISK_USER = 'risk-e2e';
const OPS_USER = 'ops-screening-e2e';

// 晨光's terminal, 云杉's merchant number: the money would settle to the wrong merchant.
const MISMATCH_TX = {
  id: 'e2e-screening-0001',
  terminalId: CHENGUANG.terminalId,
  merchantNo: YUNSHAN.merchantNo,
  type: 'purchase',
  amountFen: 128_800,
  pan: '6217000010001234569',
  rrn: '600105123456',
  stan: '000123',
};
const RESUME_REASON = '已核实：收银员误选商户，终端绑定无误，恢复交易';

interface ScreeningResult {
  id: string;
  outcome: string;
  decision?: string;
  alerts?: string[];
}

interface AlertBody {
  id: string;
  rule: string;
  terminalId: string | null;
  incidentId: string | null;
  explanation: { zh: string; en: string };
}

interface IncidentBody {
  id: string;
  title: { zh: string; en: string };
  containment: { terminalsSuspended: string[]; settlementHeld: boolean };
}

function shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void> {
  return screenshot(page, `screening-${name}`, options);
}

describe.skipIf(skipBrowserTests)('screening in the console', () => {
  let harness: ConsoleHarness | undefined;
  let alert: AlertBody | undefined;
  let incident: IncidentBody | undefined;

  function h(): ConsoleHarness {
    if (!harness) throw new Error('the server or the browser did not start');
    return harness;
  }
  function theAlert(): AlertBody {
    if (!alert) throw new Error('the mismatch raised no alert');
    return alert;
  }
  function theIncident(): IncidentBody {
    if (!incident) throw new Error('the mismatch opened no incident');
    return incident;
  }

  beforeAll(async () => {
    harness = await startHarness();
    const imported = (await h().api('POST', '/import', { records: seedRecords() })) as {
      imported: number;
      failed: unknown[];
    };
    expect(imported.failed).toEqual([]);
    await h().api('POST', '/users', { username: RISK_USER, role: 'risk', password: PASSWORD });
    await h().api('POST', '/users', { username: OPS_USER, role: 'ops', password: PASSWORD });

    const screened = (await h().api('POST', '/transactions', {
      transactions: [{ ...MISMATCH_TX, occurredAt: new Date().toISOString() }],
    })) as { results: ScreeningResult[] };
    expect(screened.results).toHaveLength(1);
    expect(screened.results[0]).toMatchObject({ outcome: 'accepted', decision: 'contain' });
    expect(screened.results[0]?.alerts).toContain('terminal_merchant_mismatch');

    const alerts = (await h().api(
      'GET',
      `/alerts?merchantNo=${YUNSHAN.merchantNo}&rule=terminal_merchant_mismatch`,
    )) as { items: AlertBody[] };
    alert = alerts.items.find((item) => item.terminalId === CHENGUANG.terminalId);
    expect(alert?.incidentId).toBeTruthy();
    incident = (await h().api('GET', `/incidents/${theAlert().incidentId ?? ''}`)) as IncidentBody;
    expect(incident.containment.terminalsSuspended).toContain(CHENGUANG.terminalId);
    expect(incident.containment.settlementHeld).toBe(true);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('lets a risk officer follow the alert to its incident and merchant, in Chinese and English', async () => {
    const page = await h().newPage();
    await h().logIn(page, RISK_USER);

    // The alert, explained in Chinese, in the alert list.
    await page.getByRole('link', { name: '告警', exact: true }).click();
    await page.getByRole('heading', { name: '告警列表' }).waitFor();
    const alertRow = page.getByRole('row').filter({ hasText: theAlert().explanation.zh });
    await alertRow.getByText('终端与商户不符').waitFor();
    await alertRow.getByRole('link', { name: YUNSHAN.merchantNo }).waitFor();
    await alertRow.getByRole('link', { name: CHENGUANG.terminalId }).waitFor();
    await alertRow.getByText(MISMATCH_TX.id).waitFor();
    await shot(page, '01-alerts');

    // Filtering by another rule leaves it out; by its own rule keeps it.
    const chooseRule = async (name: string) => {
      await page.getByLabel('规则', { exact: true }).click();
      await page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
    };
    await chooseRule('终端固件版本过低');
    await alertRow.waitFor({ state: 'detached' });
    await chooseRule('终端与商户不符');
    await alertRow.waitFor();

    // Its incident: the suspended terminal and the held settlement.
    await alertRow.getByRole('link', { name: '查看事件' }).click();
    await page.getByRole('heading', { name: theIncident().title.zh, level: 1 }).waitFor();
    const containment = page.locator('.ant-card').filter({
      has: page.getByRole('heading', { name: '控制措施' }),
    });
    await containment.getByRole('link', { name: CHENGUANG.terminalId }).waitFor();
    await containment.getByText('已暂停结算（资金冻结）').waitFor();
    await page.getByRole('heading', { name: '告警（1 条）' }).waitFor();
    await page.getByRole('cell', { name: theAlert().explanation.zh }).waitFor();
    await page.getByRole('heading', { name: '处置时间线' }).waitFor();
    await page.locator('.ant-timeline').getByText(CHENGUANG.terminalId).first().waitFor();
    await shot(page, '02-incident');

    // 云杉's page warns of the open incident and the held settlement.
    await page
      .locator('.ant-descriptions')
      .getByRole('link', { name: new RegExp(YUNSHAN.merchantNo) })
      .first()
      .click();
    await page.getByRole('heading', { name: YUNSHAN.name, level: 1 }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: /风险事件|open incident/ });
    await banner.getByText('该商户有未结束的风险事件，请及时处置。').waitFor();
    await banner.getByText(/该商户结算已暂停（资金冻结）/).waitFor();
    await banner.getByRole('link', { name: '查看事件' }).waitFor();
    await page.getByRole('heading', { name: '告警', exact: true }).waitFor();
    await page.getByRole('cell', { name: theAlert().explanation.zh }).waitFor();
    await shot(page, '03-merchant-zh');

    // In English: the same alert explained in English, the banner too.
    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByRole('cell', { name: theAlert().explanation.en }).waitFor();
    await page.getByText('This merchant has an open incident that needs handling.').waitFor();
    expect(await page.getByText(theAlert().explanation.zh).count()).toBe(0);
    await shot(page, '04-merchant-en');

    await banner.getByRole('link', { name: 'View incident' }).click();
    await page.getByRole('heading', { name: theIncident().title.en, level: 1 }).waitFor();
    await page.getByText('Held (funds frozen)').waitFor();
    await shot(page, '05-incident-en');

    await page.getByRole('link', { name: 'Transactions', exact: true }).click();
    await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
    const txRow = page.getByRole('row').filter({ hasText: MISMATCH_TX.id });
    await txRow.getByText('¥1,288.00').waitFor();
    await txRow.getByText('Contain', { exact: true }).waitFor();
    await txRow.getByText('Terminal and merchant differ').waitFor();
    expect(await page.content()).not.toContain(MISMATCH_TX.pan);
    await shot(page, '06-transactions-en');

    await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
    await page.getByRole('heading', { name: '交易列表', level: 1 }).waitFor();
  });

  it('lists the incident with its containment', async () => {
    const page = await h().newPage();
    await h().logIn(page, RISK_USER);
    await page.getByRole('link', { name: '事件', exact: true }).click();
    await page.getByRole('heading', { name: '事件列表' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: theIncident().title.zh });
    await row.getByText(YUNSHAN.name).waitFor();
    await row.getByText('已暂停 1 台终端').waitFor();
    await row.getByText('结算已暂停').waitFor();
    await shot(page, '07-incidents');
  });

  it('does not offer an operations user to resume the terminal', async () => {
    const page = await h().newPage();
    await h().logIn(page, OPS_USER);
    await page.goto(`${h().baseUrl}/merchants/${CHENGUANG.merchantNo}`);
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: CHENGUANG.terminalId });
    await row.getByText('已暂停交易').waitFor();
    expect(await page.getByRole('button', { name: '恢复交易' }).count()).toBe(0);
  });

  it('lets a risk officer resume the suspended terminal with a reason', async () => {
    const page = await h().newPage();
    await h().logIn(page, RISK_USER);
    await page.goto(`${h().baseUrl}/merchants/${CHENGUANG.merchantNo}`);
    await page.getByRole('heading', { name: CHENGUANG.name, level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: CHENGUANG.terminalId });
    await row.getByText('已暂停交易').waitFor();

    await row.getByRole('button', { name: '恢复交易' }).click();
    const dialog = page.getByRole('dialog', { name: `恢复终端 ${CHENGUANG.terminalId} 的交易` });
    // No reason, no call.
    await dialog.getByRole('button', { name: '确认恢复' }).click();
    await dialog.getByText('请填写原因').waitFor();
    await dialog.getByLabel('原因').fill(RESUME_REASON);
    await dialog.getByText('请填写原因').waitFor({ state: 'detached' });
    await shot(page, '08-resume-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: '确认恢复' }).click();
    await page.getByText(`终端 ${CHENGUANG.terminalId} 已恢复交易`).waitFor();
    await row.getByText(RESUME_REASON).waitFor();
    await row.getByText('正常', { exact: true }).waitFor();
    await row.getByRole('button', { name: '暂停交易' }).waitFor();
    await shot(page, '09-resumed');

    const terminal = (await h().api('GET', `/terminals/${CHENGUANG.terminalId}`)) as {
      status: string;
      statusReason: string | null;
    };
    expect(terminal).toMatchObject({ status: 'active', statusReason: RESUME_REASON });
  });

  it('raised no uncaught errors in the pages', () => {
    expect(h().pageErrors).toEqual([]);
  });
});
