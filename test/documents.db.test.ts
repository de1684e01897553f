/**
 * Merchant documents through the HTTP API: upload recognised by content (images and PDF only),
 * who may upload, list, read and download what (scoping: another merchant's user gets 404;
 * support and auditors never get the file), the download's headers and the re-hash on read,
 * the review once with the identifiers compared with the registry and kept masked, the queue
 * with its filters and pages, and the table's refusal of any other change.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import { multipart, SAMPLES, type Part } from './support/evidence.js';
import { DOCUMENT_FILE_BYTES_MAX } from '../src/core/documents.js';
import { verifyAuditTrail } from '../src/app/audit.js';

const admin = bearer(ADMIN_TOKEN);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-documents-'));
const M = { ent: '880000000000101', micro: '880000000000102' };
let t: TestApp;
let own: Record<string, string>;
let other: Record<string, string>;
let support: Record<string, string>;
let auditor: Record<string, string>;
let approver: Record<string, string>;
let ops: Record<string, string>;
let sw: Record<string, string>;

interface Doc {
  id: string;
  merchantNo: string;
  type: string;
  sha256: string;
  contentType: string;
  sizeBytes: number;
  fileName: string;
  status: string;
  uploadedBy: string;
  uploadedAt: string;
  review: { by: string; at: string; note: string | null } | null;
  fields: Record<string, string>;
  comparisons: { field: string; result: string; message: { zh: string; en: string } }[];
  expiresOn: string | null;
  expired: boolean;
}

const responses: string[] = [];

async function upload(
  merchantNo: string,
  parts: readonly Part[],
  headers: Record<string, string> = admin,
) {
  const body = multipart(parts);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/merchants/${merchantNo}/documents`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
  responses.push(response.body);
  return response;
}

function filePart(data: Buffer, filename = 'scan.png'): Part {
  return { name: 'file', data, filename, contentType: 'image/png' };
}

async function uploaded(
  merchantNo: string,
  type: string,
  data: Buffer,
  headers: Record<string, string> = admin,
): Promise<Doc> {
  const response = await upload(
    merchantNo,
    [{ name: 'type', data: type }, filePart(data)],
    headers,
  );
  expect(response.statusCode).toBe(201);
  return response.json<Doc>();
}

async function call(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = admin,
  payload?: object,
) {
  const response = await t.app.inject({
    method,
    url,
    headers,
    ...(payload ? { payload } : {}),
  });
  responses.push(response.body);
  return response;
}

/** A different PNG each time: documents are stored by content. */
let counter = 0;
function png(): Buffer {
  counter += 1;
  return Buffer.concat([SAMPLES.png, Buffer.from(`#${counter}`)]);
}

beforeAll(async () => {
  t = await startTestApp({ evidenceDir: dir });
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: admin,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: M.ent }),
        microRecord({ merchantNo: M.micro, legalIdNumber: IDS.residentIdValid3 }),
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 2, failed: [] });
  own = bearer(await t.tokenFor('merchant-ent', 'merchant', [M.ent]));
  other = bearer(await t.tokenFor('merchant-micro', 'merchant', [M.micro]));
  support = bearer(await t.tokenFor('support-1', 'support'));
  auditor = bearer(await t.tokenFor('auditor-1', 'auditor'));
  approver = bearer(await t.tokenFor('approver-1', 'approver'));
  ops = bearer(await t.tokenFor('ops-1', 'ops'));
  sw = bearer(await t.tokenFor('switch-1', 'switch'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('upload', () => {
  it('takes a merchant user’s own document, typed by content, and answers it whole', async () => {
    const response = await upload(
      M.ent,
      [
        { name: 'type', data: 'business_license' },
        { name: 'file', data: SAMPLES.pdf, filename: '营业执照.png', contentType: 'image/png' },
      ],
      own,
    );
    expect(response.statusCode).toBe(201);
    const doc = response.json<Doc>();
    expect(doc).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      merchantNo: M.ent,
      type: 'business_license',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      // Recognised from the bytes, not from the name or the declared type.
      contentType: 'application/pdf',
      sizeBytes: SAMPLES.pdf.length,
      fileName: '营业执照.png',
      status: 'pending_review',
      uploadedBy: 'merchant-ent',
      uploadedAt: '2026-11-26T08:00:00.000Z',
      review: null,
      fields: {},
      comparisons: [],
      expiresOn: null,
      expired: false,
    });
    // Stored content-addressed in the documents folder, not among the evidence.
    expect(
      fs.existsSync(path.join(dir, 'documents', 'sha256', doc.sha256.slice(0, 2), doc.sha256)),
    ).toBe(true);
    const audit = await t.tdb.db.query<{ actor: string; after: Record<string, unknown> }>(
      `SELECT actor, after FROM audit_entries WHERE action = 'document.uploaded' AND entity_id = $1`,
      [doc.id],
    );
    expect(audit.rows).toEqual([
      {
        actor: 'merchant-ent',
        after: {
          type: 'business_license',
          sha256: doc.sha256,
          contentType: 'application/pdf',
          sizeBytes: SAMPLES.pdf.length,
          fileName: '营业执照.png',
          status: 'pending_review',
        },
      },
    ]);
  });

  it('accepts PNG, JPEG and WebP; refuses text, GIF and anything else by content', async () => {
    for (const [data, type] of [
      [SAMPLES.png, 'image/png'],
      [SAMPLES.jpeg, 'image/jpeg'],
      [SAMPLES.webp, 'image/webp'],
    ] as const) {
      const doc = await uploaded(M.ent, 'other', data);
      expect(doc.contentType).toBe(type);
    }
    for (const data of [SAMPLES.text, SAMPLES.gif, SAMPLES.elf]) {
      const response = await upload(M.ent, [{ name: 'type', data: 'other' }, filePart(data)]);
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({
        code: 'unsupported_media_type',
        errors: [{ path: 'file', code: 'unsupported_media_type' }],
      });
    }
  });

  it('refuses a missing or unknown type, a missing or empty file, and a file over 10 MiB', async () => {
    const noType = await upload(M.ent, [filePart(png())]);
    expect(noType.statusCode).toBe(422);
    expect(noType.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'type' }] });
    const badType = await upload(M.ent, [{ name: 'type', data: 'passport' }, filePart(png())]);
    expect(badType.statusCode).toBe(422);
    expect(badType.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'type' }] });
    const noFile = await upload(M.ent, [{ name: 'type', data: 'other' }]);
    expect(noFile.statusCode).toBe(422);
    expect(noFile.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'file' }] });
    const empty = await upload(M.ent, [{ name: 'type', data: 'other' }, filePart(Buffer.alloc(0))]);
    expect(empty.statusCode).toBe(422);
    const big = Buffer.concat([SAMPLES.png, Buffer.alloc(DOCUMENT_FILE_BYTES_MAX)]);
    const tooBig = await upload(M.ent, [{ name: 'type', data: 'other' }, filePart(big)]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'payload_too_large' });
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchants/${M.ent}/documents`,
      headers: admin,
      payload: { type: 'other' },
    });
    expect(json.statusCode).toBe(422);
  });

  it('lets staff upload for any merchant, never auditors or the switch; another merchant’s user gets 404', async () => {
    expect((await uploaded(M.micro, 'bank_card', png(), support)).uploadedBy).toBe('support-1');
    expect((await uploaded(M.micro, 'other', png(), ops)).uploadedBy).toBe('ops-1');
    for (const who of [auditor, sw, approver]) {
      const response = await upload(M.ent, [{ name: 'type', data: 'other' }, filePart(png())], who);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    }
    const foreign = await upload(M.micro, [{ name: 'type', data: 'other' }, filePart(png())], own);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'not_found' });
    const unknown = await upload('880000000009999', [
      { name: 'type', data: 'other' },
      filePart(png()),
    ]);
    expect(unknown.statusCode).toBe(404);
  });
});

describe('reading and the file', () => {
  it('lists a merchant’s documents for staff and its own users, showing staff as the acquirer', async () => {
    const staffView = await call('GET', `/api/v1/merchants/${M.micro}/documents`, auditor);
    expect(staffView.statusCode).toBe(200);
    const items = staffView.json<{ items: Doc[] }>().items;
    // Both uploaded at the same instant (the test clock stands still): order aside.
    expect(items.map((d) => [d.type, d.uploadedBy]).sort()).toEqual([
      ['bank_card', 'support-1'],
      ['other', 'ops-1'],
    ]);
    const merchantView = await call('GET', `/api/v1/merchants/${M.micro}/documents`, other);
    expect(merchantView.json<{ items: Doc[] }>().items.map((d) => d.uploadedBy)).toEqual([
      'acquirer',
      'acquirer',
    ]);
    const foreign = await call('GET', `/api/v1/merchants/${M.micro}/documents`, own);
    expect(foreign.statusCode).toBe(404);
    const one = await call('GET', `/api/v1/documents/${items[0]!.id}`, own);
    expect(one.statusCode).toBe(404);
    expect((await call('GET', `/api/v1/documents/${items[0]!.id}`, other)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/documents/${items[0]!.id}`, support)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/documents/not-a-uuid', admin)).statusCode).toBe(404);
  });

  it('serves the file inline, re-hashed, to those who check documents and to the merchant, never to support or auditors', async () => {
    const data = png();
    const doc = await uploaded(M.ent, 'legal_person_id_front', data, own);
    for (const who of [admin, approver, ops, own]) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/v1/documents/${doc.id}/file`,
        headers: who,
      });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(data)).toBe(true);
      expect(response.headers['content-type']).toBe('image/png');
      expect(response.headers['content-disposition']).toBe(
        'inline; filename="scan.png"; filename*=UTF-8\'\'scan.png',
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    }
    for (const who of [support, auditor, sw]) {
      const response = await call('GET', `/api/v1/documents/${doc.id}/file`, who);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    }
    expect((await call('GET', `/api/v1/documents/${doc.id}/file`, other)).statusCode).toBe(404);
    const reads = await t.tdb.db.query<{ actor: string }>(
      `SELECT actor FROM audit_entries WHERE action = 'document.file_read' AND entity_id = $1 ORDER BY seq`,
      [doc.id],
    );
    expect(reads.rows.map((r) => r.actor)).toEqual([
      'admin',
      'approver-1',
      'ops-1',
      'merchant-ent',
    ]);
  });

  it('serves a PDF inline without a sandbox, which browsers would refuse to open it in', async () => {
    const doc = await uploaded(M.ent, 'settlement_authorization', SAMPLES.pdf, own);
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/documents/${doc.id}/file`,
      headers: own,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^inline; /);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.rawPayload.equals(SAMPLES.pdf)).toBe(true);
  });

  it('does not serve a file altered on disk', async () => {
    const doc = await uploaded(M.ent, 'other', png());
    const file = path.join(dir, 'documents', 'sha256', doc.sha256.slice(0, 2), doc.sha256);
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, 'tampered');
    const response = await call('GET', `/api/v1/documents/${doc.id}/file`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'evidence_file_unavailable' });
  });
});

describe('review', () => {
  it('is for approvers and admins only', async () => {
    const doc = await uploaded(M.ent, 'other', png());
    for (const who of [own, support, ops, auditor]) {
      const response = await call('POST', `/api/v1/documents/${doc.id}/review`, who, {
        result: 'accepted',
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it('compares the licence, the ID, the names and the account with the registry, and keeps the numbers masked', async () => {
    const licence = await uploaded(M.ent, 'business_license', png(), own);
    const reviewed = await call('POST', `/api/v1/documents/${licence.id}/review`, approver, {
      result: 'accepted',
      fields: {
        licenseNumber: ' 91110000600037341l ',
        holderName: '北京示例餐饮管理有限公司',
        validFrom: '2020-01-01',
        validUntil: '2035-12-31',
      },
    });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json<Doc>()).toMatchObject({
      status: 'accepted',
      review: { by: 'approver-1', at: '2026-11-26T08:00:00.000Z', note: null },
      fields: {
        licenseNumber: IDS.usccValid,
        holderName: '北京示例餐饮管理有限公司',
        validFrom: '2020-01-01',
        validUntil: '2035-12-31',
      },
      comparisons: [
        { field: 'licenseNumber', result: 'match' },
        { field: 'holderName', result: 'match' },
        {
          field: 'validUntil',
          result: 'match',
          message: { zh: '有效期至 2035-12-31', en: 'Valid until 2035-12-31' },
        },
      ],
      expiresOn: '2035-12-31',
      expired: false,
    });

    const id = await uploaded(M.ent, 'legal_person_id_front', png());
    const idReview = await call('POST', `/api/v1/documents/${id.id}/review`, admin, {
      result: 'accepted',
      fields: { idNumber: IDS.residentIdValid, holderName: '王建国', validUntil: '2026-11-20' },
    });
    expect(idReview.statusCode).toBe(200);
    const idDoc = idReview.json<Doc>();
    expect(idDoc.fields).toEqual({
      idNumberMasked: '1****************X',
      holderName: '王建国',
      validUntil: '2026-11-20',
    });
    expect(idDoc.comparisons.map((c) => [c.field, c.result])).toEqual([
      ['idNumber', 'match'],
      ['holderName', 'match'],
      ['validUntil', 'expired'],
    ]);
    expect(idDoc.expired).toBe(true);

    // Someone else's ID, an unrelated name, another account, a licence of another company.
    const card = await uploaded(M.ent, 'account_opening_permit', png());
    const cardReview = await call('POST', `/api/v1/documents/${card.id}/review`, approver, {
      result: 'rejected',
      note: '开户许可证上的账户与登记不符，请重新上传',
      fields: {
        accountNumber: '1001 2345 0900 0099 999',
        holderName: '上海示例贸易有限公司',
        licenseNumber: IDS.usccValid2,
        idNumber: IDS.residentIdValid2,
      },
    });
    expect(cardReview.statusCode).toBe(200);
    const cardDoc = cardReview.json<Doc>();
    expect(cardDoc).toMatchObject({
      status: 'rejected',
      review: { note: '开户许可证上的账户与登记不符，请重新上传' },
      fields: { accountNumberMasked: '****9999', idNumberMasked: '4****************3' },
    });
    expect(cardDoc.comparisons.map((c) => [c.field, c.result])).toEqual([
      ['licenseNumber', 'mismatch'],
      ['idNumber', 'mismatch'],
      ['holderName', 'mismatch'],
      ['accountNumber', 'mismatch'],
    ]);
    expect(cardDoc.comparisons.find((c) => c.field === 'accountNumber')?.message).toEqual({
      zh: '账号与在用结算账户（****2345）不一致',
      en: 'The account number is not the settlement account in force (****2345)',
    });

    const match = await uploaded(M.ent, 'account_opening_permit', png());
    const matchReview = await call('POST', `/api/v1/documents/${match.id}/review`, approver, {
      result: 'accepted',
      fields: { accountNumber: IDS.corporateAccount },
    });
    expect(matchReview.json<Doc>().comparisons.map((c) => [c.field, c.result])).toEqual([
      ['accountNumber', 'match'],
    ]);

    // The merchant sees the reviewer as the acquirer, and the reason of the rejection.
    const merchantView = await call('GET', `/api/v1/documents/${card.id}`, own);
    expect(merchantView.json<Doc>().review).toEqual({
      by: 'acquirer',
      at: '2026-11-26T08:00:00.000Z',
      note: '开户许可证上的账户与登记不符，请重新上传',
    });

    const audit = await t.tdb.db.query<{ actor: string; after: Record<string, unknown> }>(
      `SELECT actor, after FROM audit_entries WHERE action = 'document.reviewed' AND entity_id = $1`,
      [card.id],
    );
    expect(audit.rows[0]).toMatchObject({
      actor: 'approver-1',
      after: {
        status: 'rejected',
        fields: { accountNumberMasked: '****9999' },
        comparisons: [
          { field: 'licenseNumber', result: 'mismatch' },
          { field: 'idNumber', result: 'mismatch' },
          { field: 'holderName', result: 'mismatch' },
          { field: 'accountNumber', result: 'mismatch' },
        ],
      },
    });
  });

  it('compares a bank card with the new account of an account change in progress', async () => {
    const requested = await call('POST', `/api/v1/merchants/${M.micro}/account-changes`, other, {
      accountNumber: IDS.cardCcb,
      accountName: '张丽',
      accountType: 'personal',
      reason: '原银行卡挂失，换新卡结算',
    });
    expect(requested.statusCode).toBe(201);
    const card = await uploaded(M.micro, 'bank_card', png(), other);
    const same = await call('POST', `/api/v1/documents/${card.id}/review`, approver, {
      result: 'accepted',
      fields: { accountNumber: IDS.cardCcb, holderName: '张丽' },
    });
    expect(same.statusCode).toBe(200);
    expect(same.json<Doc>()).toMatchObject({
      fields: { accountNumberMasked: '621700*********0122', holderName: '张丽' },
      comparisons: [
        { field: 'holderName', result: 'match' },
        {
          field: 'accountNumber',
          result: 'match',
          message: {
            zh: '账号与进行中账户变更的新账户（621700*********0122）一致',
            en: 'The account number is the open account change’s new account (621700*********0122)',
          },
        },
      ],
    });
    // The old card is not the account being changed to.
    const old = await uploaded(M.micro, 'bank_card', png(), other);
    const differs = await call('POST', `/api/v1/documents/${old.id}/review`, approver, {
      result: 'rejected',
      note: '这是原银行卡，请上传新卡',
      fields: { accountNumber: IDS.cardIcbc },
    });
    expect(differs.json<Doc>().comparisons.map((c) => [c.field, c.result])).toEqual([
      ['accountNumber', 'mismatch'],
    ]);
  });

  it('refuses a rejection without a note, invalid identifiers, and a second review', async () => {
    const doc = await uploaded(M.micro, 'legal_person_id_front', png(), other);
    const noNote = await call('POST', `/api/v1/documents/${doc.id}/review`, approver, {
      result: 'rejected',
      note: '   ',
    });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.json()).toMatchObject({ code: 'note_required', errors: [{ path: 'note' }] });
    const badId = await call('POST', `/api/v1/documents/${doc.id}/review`, approver, {
      result: 'accepted',
      fields: { idNumber: IDS.residentIdBadCheck, validUntil: '2026-02-30' },
    });
    expect(badId.statusCode).toBe(422);
    expect(badId.json()).toMatchObject({
      code: 'resident_id_checksum',
      errors: [
        { path: 'fields.idNumber', code: 'resident_id_checksum' },
        { path: 'fields.validUntil', code: 'validation_failed' },
      ],
    });
    const badLicence = await call('POST', `/api/v1/documents/${doc.id}/review`, approver, {
      result: 'accepted',
      fields: { licenseNumber: IDS.usccBadCheck },
    });
    expect(badLicence.statusCode).toBe(422);
    expect(badLicence.json()).toMatchObject({ code: 'uscc_checksum' });
    const badResult = await call('POST', `/api/v1/documents/${doc.id}/review`, approver, {
      result: 'maybe',
    });
    expect(badResult.statusCode).toBe(422);
    const first = await call('POST', `/api/v1/documents/${doc.id}/review`, approver, {
      result: 'accepted',
      fields: { idNumber: IDS.residentIdValid3, holderName: '张丽' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json<Doc>().comparisons.map((c) => c.result)).toEqual(['match', 'match']);
    const second = await call('POST', `/api/v1/documents/${doc.id}/review`, admin, {
      result: 'rejected',
      note: 'again',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'already_reviewed' });
    const foreign = await call('GET', `/api/v1/documents/${doc.id}`, own);
    expect(foreign.statusCode).toBe(404);
  });
});

describe('the queue', () => {
  it('filters by status, merchant, type and expiry, pages by cursor, and scopes merchant users', async () => {
    const pending = await call('GET', '/api/v1/documents?status=pending_review&limit=500', support);
    expect(pending.statusCode).toBe(200);
    const pendingItems = pending.json<{ items: Doc[] }>().items;
    expect(pendingItems.length).toBeGreaterThan(3);
    expect(pendingItems.every((d) => d.status === 'pending_review')).toBe(true);

    const expiring = await call('GET', '/api/v1/documents?expiringWithinDays=30', auditor);
    expect(expiring.json<{ items: Doc[] }>().items.map((d) => d.expiresOn)).toEqual(['2026-11-20']);
    const later = await call('GET', '/api/v1/documents?expiringWithinDays=3650', auditor);
    expect(
      later
        .json<{ items: Doc[] }>()
        .items.map((d) => d.expiresOn)
        .sort(),
    ).toEqual(['2026-11-20', '2035-12-31']);

    const byType = await call(
      'GET',
      `/api/v1/documents?type=account_opening_permit&merchantNo=${M.ent}`,
      admin,
    );
    expect(
      byType
        .json<{ items: Doc[] }>()
        .items.map((d) => d.status)
        .sort(),
    ).toEqual(['accepted', 'rejected']);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const response = await call(
        'GET',
        `/api/v1/documents?merchantNo=${M.ent}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        admin,
      );
      expect(response.statusCode).toBe(200);
      const body = response.json<{ items: Doc[]; nextCursor?: string }>();
      seen.push(...body.items.map((d) => d.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    const all = await call('GET', `/api/v1/merchants/${M.ent}/documents`, admin);
    const allIds = all.json<{ items: Doc[] }>().items.map((d) => d.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...allIds].sort());

    const mine = await call('GET', '/api/v1/documents', other);
    const mineItems = mine.json<{ items: Doc[] }>().items;
    expect(mineItems.length).toBeGreaterThan(0);
    expect(mineItems.every((d) => d.merchantNo === M.micro)).toBe(true);
    const sneaky = await call('GET', `/api/v1/documents?merchantNo=${M.ent}`, other);
    expect(sneaky.json<{ items: Doc[] }>().items).toEqual([]);

    expect((await call('GET', '/api/v1/documents?expiringWithinDays=-1')).statusCode).toBe(422);
    expect((await call('GET', '/api/v1/documents?status=lost')).statusCode).toBe(422);
    expect((await call('GET', '/api/v1/documents?cursor=nonsense')).statusCode).toBe(422);
  });
});

describe('at rest', () => {
  it('refuses to change a reviewed document or delete any', async () => {
    const { rows } = await t.tdb.db.query<{ id: string; status: string }>(
      'SELECT id, status FROM merchant_documents ORDER BY uploaded_at, id',
    );
    const reviewed = rows.find((r) => r.status !== 'pending_review')!;
    const pending = rows.find((r) => r.status === 'pending_review')!;
    await expect(
      t.tdb.db.query(`UPDATE merchant_documents SET status = 'accepted' WHERE id = $1`, [
        reviewed.id,
      ]),
    ).rejects.toThrow(/only one review/);
    await expect(
      t.tdb.db.query(
        `UPDATE merchant_documents SET status = 'accepted', reviewed_by = 'x', reviewed_at = now(),
           sha256 = repeat('0', 64) WHERE id = $1`,
        [pending.id],
      ),
    ).rejects.toThrow(/only one review/);
    await expect(
      t.tdb.db.query('DELETE FROM merchant_documents WHERE id = $1', [pending.id]),
    ).rejects.toThrow(/refused/);
  });

  it('keeps no full ID or account number in any table or response, and the audit chain verifies', async () => {
    const dump = await t.tdb.dumpText();
    const everything = `${dump}\n${responses.join('\n')}`;
    for (const secret of [
      IDS.residentIdValid,
      IDS.residentIdValid2,
      IDS.residentIdValid3,
      IDS.residentIdBadCheck,
      '1001234509000099999',
      IDS.corporateAccount,
      IDS.cardCcb,
      IDS.cardIcbc,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(await verifyAuditTrail(t.tdb.db)).toMatchObject({ ok: true });
  });
});
