/**
 * The case file for the bank: as JSON with the right facts and masked numbers only; as a PDF
 * that opens, reads in Chinese (extracted with poppler's pdftotext, the real tool) and carries
 * the merchant, the amounts in yuan, the masked account, the evidence hashes and the requested
 * actions; the record of its sending; who may read it; the drill watermark.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { IDS } from './support/fixtures.js';
import {
  evidenceRunner,
  MERCHANTS,
  multipart,
  OTHER_ACCOUNT,
  PAN,
  SAMPLES,
  seedIncident,
} from './support/evidence.js';
import { formatYuan } from '../src/core/case-file.js';
import type { CaseFile } from '../src/app/case-file/build.js';

const admin = bearer(ADMIN_TOKEN);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-case-file-'));
let t: TestApp;
let incidentId: string;
let risk: string;

/** Numbers that must never appear in clear in the case file. */
const SECRETS = [PAN, IDS.corporateAccount, OTHER_ACCOUNT, IDS.residentIdValid, '13812345678'];

/**
 * The PDF is read back with poppler's pdftotext. CI installs it; on a machine without it the
 * two tests that read the PDF are skipped (never on CI, where its absence fails them).
 */
const READS_PDF = process.env.CI === 'true' || spawnSync('pdftotext', ['-v']).error === undefined;

function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `pdftotext (poppler-utils) is needed to check the case file: ${result.error.message}`,
    );
  }
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

async function caseFile(headers = admin, id = incidentId) {
  return t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/case-file`, headers });
}

async function caseFilePdf(id = incidentId) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/${id}/case-file?format=pdf`,
    headers: admin,
  });
  expect(response.statusCode).toBe(200);
  return response;
}

beforeAll(async () => {
  t = await startTestApp({ evidenceDir: dir });
  ({ incidentId } = await seedIncident(t.app, admin));
  await evidenceRunner(t.ctx, dir).runDue();
  const body = multipart([
    { name: 'file', filename: '开户行回函.png', data: SAMPLES.png },
    { name: 'note', data: '开户行回函扫描件' },
  ]);
  const added = await t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incidentId}/evidence`,
    headers: { ...admin, ...body.headers },
    payload: body.payload,
  });
  expect(added.statusCode).toBe(201);
  // The next day's run holds the merchant's settlement: the money held in the case file.
  t.advance(60_000);
  const run = await t.app.inject({
    method: 'POST',
    url: '/api/v1/settlement-runs',
    headers: admin,
    payload: { businessDate: '2026-11-25' },
  });
  expect(run.statusCode).toBe(201);
  risk = await t.tokenFor('risk-1', 'risk');
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the case file as JSON', () => {
  it('names the merchant, terminals, accounts, money affected and held, evidence and actions', async () => {
    const response = await caseFile();
    expect(response.statusCode).toBe(200);
    for (const secret of SECRETS) expect(response.body).not.toContain(secret);
    const file = response.json<CaseFile>();
    expect(file.reference).toMatch(/^SG-20261126-[0-9A-F]{8}$/);
    expect(file.drill).toBe(false);
    expect(file.merchant).toMatchObject({
      merchantNo: MERCHANTS.a,
      name: '北京示例餐饮管理有限公司',
      legalPersonName: '王建国',
    });
    expect(file.merchant?.legalPersonIdMasked).toContain('*');
    expect(file.terminals.find((x) => x.terminalId === 'G0000002')).toMatchObject({
      merchantNo: MERCHANTS.b,
      status: 'suspended',
    });
    expect(file.accounts.map((a) => a.merchantNo)).toContain(MERCHANTS.a);
    expect(file.accounts[0]?.accountNumberMasked).toMatch(/\*/);
    expect(file.affected).toMatchObject({
      transactionCount: 1,
      purchasesFen: 56_789,
      deductionsFen: 0,
      netFen: 56_789,
    });
    expect(file.affected.transactions[0]).toMatchObject({
      id: 'ev-mismatch-1',
      panMasked: expect.stringMatching(/^622202\*+4562$/) as unknown,
    });
    expect(file.held.holds).toHaveLength(1);
    expect(file.held.holds[0]?.releasedAt).toBeNull();
    expect(file.held.lineCount).toBe(1);
    // 128.00 yuan of sales less the fee, held.
    expect(file.held.heldFen).toBeGreaterThan(12_000);
    expect(file.held.heldFen).toBeLessThan(12_800);
    expect(file.held.lines[0]).toMatchObject({ status: 'held', businessDate: '2026-11-25' });
    expect(file.evidence.map((e) => e.kind)).toEqual(['snapshot', 'file']);
    expect(file.evidence[1]).toMatchObject({ fileName: '开户行回函.png', mediaType: 'image/png' });
    expect(file.requestedActions.map((a) => a.code)).toEqual([
      'suspend_payments',
      'verify_transactions',
      'assist_return_of_funds',
      'reply_in_writing',
    ]);
    expect(file.rootCause).toBeNull();
    expect(file.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['opened', 'alert', 'terminal_suspended', 'evidence_added']),
    );
    expect(file.submissions).toEqual([]);
  });

  it('is for admin, risk, ops and auditors only', async () => {
    const auditor = await t.tokenFor('auditor-1', 'auditor');
    const ops = await t.tokenFor('ops-1', 'ops');
    expect((await caseFile(bearer(auditor))).statusCode).toBe(200);
    expect((await caseFile(bearer(ops))).statusCode).toBe(200);
    expect((await caseFile(bearer(risk))).statusCode).toBe(200);
    for (const [name, role] of [
      ['support-1', 'support'],
      ['approver-1', 'approver'],
    ] as const) {
      expect((await caseFile(bearer(await t.tokenFor(name, role)))).statusCode).toBe(403);
    }
    const merchant = await t.tokenFor('merchant-a', 'merchant', [MERCHANTS.a]);
    expect((await caseFile(bearer(merchant))).statusCode).toBe(403);
    expect((await caseFile(admin, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('recording the sending', () => {
  it('records to whom, how, when and their reference; audited, on the timeline, in later case files', async () => {
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/case-file/sent`,
      headers: bearer(risk),
      payload: {
        sentTo: '中国工商银行北京朝阳支行',
        channel: 'email',
        reference: 'ICBC-BJ-2026-1126-001',
        sentAt: '2026-11-26T08:00:30Z',
      },
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({
      sentTo: '中国工商银行北京朝阳支行',
      channel: 'email',
      reference: 'ICBC-BJ-2026-1126-001',
      sentAt: '2026-11-26T08:00:30.000Z',
      recordedBy: 'risk-1',
    });
    const submissions = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/case-file/submissions`,
      headers: admin,
    });
    expect(submissions.json<{ items: unknown[] }>().items).toHaveLength(1);
    const file = (await caseFile()).json<CaseFile>();
    expect(file.submissions).toEqual([
      expect.objectContaining({ reference: 'ICBC-BJ-2026-1126-001' }),
    ]);
    const event = file.timeline.find((e) => e.kind === 'case_file_sent');
    expect(event?.text.zh).toContain('中国工商银行北京朝阳支行');
    expect(event?.text.zh).toContain('ICBC-BJ-2026-1126-001');
    const audit = await t.tdb.db.query<{ actor: string }>(
      "SELECT actor FROM audit_entries WHERE action = 'case_file.sent'",
    );
    expect(audit.rows).toEqual([{ actor: 'risk-1' }]);
    await expect(t.tdb.db.query('DELETE FROM case_file_submissions')).rejects.toThrow(
      /append-only/,
    );
  });

  it('refuses an unknown channel, a time in the future, and roles that may not', async () => {
    const post = (payload: Record<string, unknown>, headers = admin) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incidentId}/case-file/sent`,
        headers,
        payload,
      });
    expect((await post({ sentTo: 'x', channel: 'pigeon' })).statusCode).toBe(422);
    const future = await post({ sentTo: 'x', channel: 'fax', sentAt: '2027-01-01T00:00:00Z' });
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({ errors: [{ path: 'sentAt' }] });
    expect((await post({ sentTo: '', channel: 'fax' })).statusCode).toBe(422);
    const auditor = await t.tokenFor('auditor-2', 'auditor');
    expect((await post({ sentTo: 'x', channel: 'fax' }, bearer(auditor))).statusCode).toBe(403);
  });
});

describe('the case file as a PDF', () => {
  it.skipIf(!READS_PDF)(
    'opens and reads, in Chinese, with the facts, the amounts in yuan and masked numbers only',
    async () => {
      await t.tdb.db.query(`UPDATE incidents SET root_cause = $2 WHERE id = $1`, [
        incidentId,
        JSON.stringify({
          category: 'operator_error',
          detail: '装机人员将 G0000002 终端误配至本商户商户号。',
          operator: 'ops-1',
          recordedBy: 'risk-1',
          recordedAt: '2026-11-26T08:05:00.000Z',
        }),
      ]);
      const json = (await caseFile()).json<CaseFile>();
      expect(json.rootCause).toMatchObject({ category: 'operator_error' });
      const response = await caseFilePdf();
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toContain(`${json.reference}.pdf`);
      const pdf = response.rawPayload;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // The font is embedded as a subset: a letter, not ten megabytes of font.
      expect(pdf.length).toBeLessThan(400_000);
      const text = pdfText(pdf, 'case-file');
      for (const expected of [
        '收款账户异常事件协查函',
        json.reference,
        '商户信息',
        '涉及终端',
        '结算账户',
        '事件经过',
        '涉及金额与暂停结算情况',
        '证据清单',
        '原因分析',
        '请求事项',
        '发送记录',
        '北京示例餐饮管理有限公司',
        MERCHANTS.a,
        MERCHANTS.b,
        'G0000002',
        '567.89',
        formatYuan(json.held.heldFen),
        json.accounts[0]!.accountNumberMasked,
        json.evidence[0]!.sha256.slice(0, 32),
        '开户行回函.png',
        '操作失误',
        '暂停向涉事结算账户付款',
        '中国工商银行北京朝阳支行',
        'ICBC-BJ-2026-1126-001',
      ]) {
        expect(text, expected).toContain(expected);
      }
      expect(text).toMatch(/第\s*1\s*页\s*\/\s*共\s*\d+\s*页/);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).not.toContain('演练');
    },
  );

  it.skipIf(!READS_PDF)('marks a drill’s letter 演练 on every page', async () => {
    const drillId = '00000000-0000-4000-8000-00000000d111';
    await t.tdb.db.query(
      `INSERT INTO incidents (id, merchant_no, status, severity, title, drill, opened_at,
         updated_at)
       VALUES ($1, $2, 'open', 'P2', $3, true, $4, $4)`,
      [
        drillId,
        MERCHANTS.b,
        JSON.stringify({ zh: '演练：结算账户共用', en: 'Drill: shared account' }),
        t.ctx.now(),
      ],
    );
    const json = (await caseFile(admin, drillId)).json<CaseFile>();
    expect(json.drill).toBe(true);
    expect(json.held).toMatchObject({ holds: [], lines: [], heldFen: 0 });
    const text = pdfText((await caseFilePdf(drillId)).rawPayload, 'drill');
    const pages = text.split('\f').filter((page) => page.trim().length > 0);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const page of pages) expect(page).toContain('演练');
    expect(text).toContain('收款账户异常事件协查函（演练）');
  });
});
