/**
 * Evidence through the HTTP API and the job queue: the snapshot frozen at detection (once,
 * however often its job runs, with masked numbers only), files added by people and recognised
 * by content, who may add, list and download what, the download's headers, and rows that the
 * database refuses to change or delete.
 */
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
  type Part,
} from './support/evidence.js';
import { EVIDENCE_SNAPSHOT_JOB } from '../src/app/evidence/snapshot.js';
import { verifyAuditTrail } from '../src/app/audit.js';
import { EVIDENCE_FILE_BYTES_MAX } from '../src/core/evidence.js';
import type { JobRunner } from '../src/jobs/runner.js';
import { buildApp } from '../src/http/build-app.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';

const admin = bearer(ADMIN_TOKEN);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-evidence-'));
let t: TestApp;
let runner: JobRunner;
let incidentId: string;

interface Item {
  id: string;
  incidentId: string;
  kind: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  note: string | null;
  createdAt: string;
  createdBy: string;
}

async function upload(parts: readonly Part[], headers = admin, id = incidentId) {
  const body = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${id}/evidence`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
}

async function list(headers = admin, id = incidentId): Promise<Item[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/${id}/evidence`,
    headers,
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: Item[] }>().items;
}

beforeAll(async () => {
  t = await startTestApp({ evidenceDir: dir });
  ({ incidentId } = await seedIncident(t.app, admin));
  runner = evidenceRunner(t.ctx, dir);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the snapshot at detection', () => {
  it('is asked for by containment and frozen once, however often its job runs', async () => {
    const jobs = await t.tdb.db.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM jobs WHERE kind = $1',
      [EVIDENCE_SNAPSHOT_JOB],
    );
    expect(jobs.rows).toHaveLength(1);
    expect(jobs.rows[0]?.payload).toMatchObject({
      incidentId,
      transactionIds: ['ev-mismatch-1'],
    });
    expect(await runner.runDue()).toBe(1);
    const first = await list();
    expect(first).toHaveLength(1);
    const snapshot = first[0];
    expect(snapshot).toMatchObject({
      kind: 'snapshot',
      mediaType: 'application/json',
      createdBy: 'evidence',
      incidentId,
    });
    expect(snapshot?.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The same job again (a retry after a crash, or a duplicate): the same document, one item.
    t.advance(60_000);
    await t.tdb.db.query(
      `INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ($1, $2, $3, $3)`,
      [EVIDENCE_SNAPSHOT_JOB, JSON.stringify(jobs.rows[0]?.payload), t.ctx.now()],
    );
    expect(await runner.runDue()).toBe(1);
    expect(await list()).toEqual(first);

    const stored = path.join(dir, 'sha256', snapshot!.sha256.slice(0, 2), snapshot!.sha256);
    expect(fs.statSync(stored).size).toBe(snapshot?.sizeBytes);
  });

  it('holds the transactions, alerts, registry versions and settlement state, masked', async () => {
    const [snapshot] = await list();
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/${snapshot!.id}/content`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    const text = response.body;
    expect(text).not.toContain(PAN);
    expect(text).not.toContain(IDS.corporateAccount);
    expect(text).not.toContain(OTHER_ACCOUNT);
    expect(text).not.toContain(IDS.residentIdValid);
    const doc = JSON.parse(text) as {
      format: string;
      detectedAt: string;
      incident: { id: string; merchantNo: string };
      transactions: { id: string; amountFen: number; panMasked: string; rrn: string }[];
      alerts: { rule: string; explanation: { zh: string; en: string } }[];
      registry: {
        merchants: { merchantNo: string; legalPerson: { idNumberMasked: string } }[];
        terminals: { terminalId: string; merchantNo: string; status: string }[];
        settlementAccounts: { merchantNo: string; accountNumberMasked: string }[];
      };
      settlement: { holds: { merchantNo: string; incidentId: string }[] };
    };
    expect(doc.format).toBe('settleguard.evidence.snapshot/1');
    expect(doc.incident).toMatchObject({ id: incidentId, merchantNo: MERCHANTS.a });
    expect(doc.transactions).toEqual([
      expect.objectContaining({ id: 'ev-mismatch-1', amountFen: 56_789, rrn: '000000123456' }),
    ]);
    expect(doc.transactions[0]?.panMasked).toMatch(/^622202\*+4562$/);
    expect(doc.alerts.map((a) => a.rule)).toEqual(['terminal_merchant_mismatch']);
    expect(doc.alerts[0]?.explanation.zh).toContain('G0000002');
    expect(doc.alerts[0]?.explanation.en).toContain(MERCHANTS.b);
    // Both merchants: the one the money would go to and the one the terminal belongs to.
    expect(doc.registry.merchants.map((m) => m.merchantNo)).toEqual([MERCHANTS.a, MERCHANTS.b]);
    expect(doc.registry.merchants[0]?.legalPerson.idNumberMasked).toContain('*');
    // The terminal as it was when used (active, bound to B), and as containment left it.
    const used = doc.registry.terminals.filter((v) => v.terminalId === 'G0000002');
    expect(used.map((v) => v.status)).toEqual(['active', 'suspended']);
    expect(used.every((v) => v.merchantNo === MERCHANTS.b)).toBe(true);
    expect(doc.registry.settlementAccounts.map((a) => a.merchantNo).sort()).toEqual([
      MERCHANTS.a,
      MERCHANTS.b,
    ]);
    expect(doc.registry.settlementAccounts[0]?.accountNumberMasked).toContain('*');
    expect(doc.settlement.holds).toEqual([
      expect.objectContaining({ merchantNo: MERCHANTS.a, incidentId }),
    ]);
  });

  it('is in the audit chain and on the timeline', async () => {
    const [snapshot] = await list();
    const audit = await t.tdb.db.query<{ action: string; after: Record<string, unknown> }>(
      `SELECT action, after FROM audit_entries WHERE entity_type = 'evidence' AND entity_id = $1`,
      [snapshot!.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.action).toBe('evidence.added');
    expect(audit.rows[0]?.after).toMatchObject({
      incidentId,
      kind: 'snapshot',
      sha256: snapshot!.sha256,
      sizeBytes: snapshot!.sizeBytes,
      mediaType: 'application/json',
    });
    const incident = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}`,
      headers: admin,
    });
    const timeline = incident.json<{ timeline: { kind: string; text: { zh: string } }[] }>()
      .timeline;
    expect(timeline.filter((e) => e.kind === 'evidence_added')).toHaveLength(1);
    expect(timeline.find((e) => e.kind === 'evidence_added')?.text.zh).toContain('证据快照');
    expect((await verifyAuditTrail(t.tdb.db)).ok).toBe(true);
  });
});

describe('files added by people', () => {
  it('accepts PNG, JPEG, GIF, WebP, PDF and UTF-8 text, by content, whatever was declared', async () => {
    const cases: [keyof typeof SAMPLES, string][] = [
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['gif', 'image/gif'],
      ['webp', 'image/webp'],
      ['pdf', 'application/pdf'],
      ['text', 'text/plain; charset=utf-8'],
    ];
    for (const [kind, mediaType] of cases) {
      const response = await upload([
        { name: 'note', data: `样本 ${kind}` },
        // Declared as something else: the content decides.
        {
          name: 'file',
          filename: `sample.${kind}`,
          contentType: 'application/x-unknown',
          data: SAMPLES[kind],
        },
      ]);
      expect(response.statusCode, kind).toBe(201);
      expect(response.json<Item>()).toMatchObject({
        kind: 'file',
        mediaType,
        sizeBytes: SAMPLES[kind].length,
        fileName: `sample.${kind}`,
        note: `样本 ${kind}`,
        createdBy: 'admin',
      });
    }
  });

  it('refuses any other content with 415 unsupported_media_type, even named and declared as an image', async () => {
    const before = (await list()).length;
    const response = await upload([
      { name: 'file', filename: 'screenshot.png', contentType: 'image/png', data: SAMPLES.elf },
    ]);
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'unsupported_media_type' });
    const binaryText = await upload([
      { name: 'file', filename: 'note.txt', data: Buffer.from('abc\u0000def') },
    ]);
    expect(binaryText.statusCode).toBe(415);
    expect((await list()).length).toBe(before);
  });

  it('keeps a safe file name, the Chinese of it included', async () => {
    const response = await upload([
      { name: 'file', filename: '银行回函\u202e.gnp.png', data: SAMPLES.png },
      { name: 'note', data: '开户行回函扫描件' },
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.json<Item>().fileName).toBe('银行回函_.gnp.png');
    const traversal = await upload([
      { name: 'file', filename: '../../etc/passwd', data: SAMPLES.text },
    ]);
    expect(traversal.json<Item>().fileName).toBe('passwd');
  });

  it('bounds what is sent: one file, 10 MiB, a note of 2,000 characters', async () => {
    const tooLarge = await upload([
      {
        name: 'file',
        filename: 'big.txt',
        data: Buffer.alloc(EVIDENCE_FILE_BYTES_MAX + 1, 0x61),
      },
    ]);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ code: 'payload_too_large' });
    const justRight = await upload([
      { name: 'file', filename: 'big.txt', data: Buffer.alloc(EVIDENCE_FILE_BYTES_MAX, 0x61) },
    ]);
    expect(justRight.statusCode).toBe(201);
    const two = await upload([
      { name: 'file', filename: 'a.png', data: SAMPLES.png },
      { name: 'file', filename: 'b.png', data: SAMPLES.png },
    ]);
    expect(two.statusCode).toBe(422);
    const longNote = await upload([
      { name: 'file', filename: 'a.png', data: SAMPLES.png },
      { name: 'note', data: '长'.repeat(2001) },
    ]);
    expect(longNote.statusCode).toBe(422);
    const noFile = await upload([{ name: 'note', data: 'only a note' }]);
    expect(noFile.statusCode).toBe(422);
    const empty = await upload([{ name: 'file', filename: 'empty.txt', data: Buffer.alloc(0) }]);
    expect(empty.statusCode).toBe(422);
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/evidence`,
      headers: admin,
      payload: { file: 'not multipart' },
    });
    expect(json.statusCode).toBe(422);
  });

  it('answers 404 for an incident that does not exist', async () => {
    const response = await upload(
      [{ name: 'file', filename: 'a.png', data: SAMPLES.png }],
      admin,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(response.statusCode).toBe(404);
    expect(
      (await upload([{ name: 'file', filename: 'a.png', data: SAMPLES.png }], admin, 'x'))
        .statusCode,
    ).toBe(404);
  });
});

describe('who may add, see and download', () => {
  let own: string;
  let other: string;
  let auditor: string;
  let support: string;
  let approver: string;
  let switchToken: string;

  beforeAll(async () => {
    own = await t.tokenFor('merchant-a', 'merchant', [MERCHANTS.a]);
    other = await t.tokenFor('merchant-b', 'merchant', [MERCHANTS.b]);
    auditor = await t.tokenFor('auditor-1', 'auditor');
    support = await t.tokenFor('support-1', 'support');
    approver = await t.tokenFor('approver-1', 'approver');
    switchToken = await t.tokenFor('switch-1', 'switch');
  });

  it('lets support and the merchant’s own users add; not auditors, approvers or the switch', async () => {
    const file = [{ name: 'file', filename: 'call.txt', data: SAMPLES.text }];
    expect((await upload(file, bearer(support))).statusCode).toBe(201);
    const mine = await upload(
      [{ name: 'file', filename: '商户说明.pdf', data: SAMPLES.pdf }],
      bearer(own),
    );
    expect(mine.statusCode).toBe(201);
    expect(mine.json<Item>().createdBy).toBe('merchant-a');
    expect((await upload(file, bearer(auditor))).statusCode).toBe(403);
    expect((await upload(file, bearer(approver))).statusCode).toBe(403);
    expect((await upload(file, bearer(switchToken))).statusCode).toBe(403);
    // Another merchant's incident does not exist for this user.
    expect((await upload(file, bearer(other))).statusCode).toBe(404);
  });

  it('shows merchant users only what they added, and lets them download only that', async () => {
    const all = await list(bearer(auditor));
    const mine = await list(bearer(own));
    expect(mine.map((i) => i.createdBy)).toEqual(['merchant-a']);
    expect(all.length).toBeGreaterThan(mine.length);
    const snapshot = all.find((i) => i.kind === 'snapshot');
    const content = (id: string, token: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/incidents/${incidentId}/evidence/${id}/content`,
        headers: bearer(token),
      });
    expect((await content(snapshot!.id, own)).statusCode).toBe(404);
    expect((await content(mine[0]!.id, own)).statusCode).toBe(200);
    expect((await content(snapshot!.id, auditor)).statusCode).toBe(200);
    expect((await content(snapshot!.id, other)).statusCode).toBe(404);
    const listOther = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence`,
      headers: bearer(other),
    });
    expect(listOther.statusCode).toBe(404);
  });

  it('keeps drills from merchant users, as every incident list does', async () => {
    const drillId = '00000000-0000-4000-8000-00000000d222';
    await t.tdb.db.query(
      `INSERT INTO incidents (id, merchant_no, status, severity, title, drill, opened_at,
         updated_at)
       VALUES ($1, $2, 'open', 'P3', $3, true, $4, $4)`,
      [drillId, MERCHANTS.a, JSON.stringify({ zh: '演练', en: 'Drill' }), t.ctx.now()],
    );
    const file = [{ name: 'file', filename: 'call.txt', data: SAMPLES.text }];
    expect((await upload(file, bearer(own), drillId)).statusCode).toBe(404);
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${drillId}/evidence`,
      headers: bearer(own),
    });
    expect(listed.statusCode).toBe(404);
    expect((await upload(file, admin, drillId)).statusCode).toBe(201);
    expect(await list(admin, drillId)).toHaveLength(1);
  });

  it('serves a download as an attachment that the browser must not sniff, checked by hash', async () => {
    const item = (await list()).find((i) => i.fileName === '银行回函_.gnp.png');
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/${item!.id}/content`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_____.gnp.png"; filename*=UTF-8''${encodeURIComponent('银行回函_.gnp.png')}`,
    );
    expect(response.headers['x-settleguard-sha256']).toBe(item!.sha256);
    expect(response.rawPayload.equals(SAMPLES.png)).toBe(true);
  });
});

describe('rows that cannot change', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of evidence rows', async () => {
    const [first] = await list();
    await expect(
      t.tdb.db.query("UPDATE evidence_items SET note = 'edited' WHERE id = $1", [first!.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.tdb.db.query('DELETE FROM evidence_items WHERE id = $1', [first!.id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.tdb.db.query('TRUNCATE evidence_items')).rejects.toThrow(/append-only/);
    expect(await list()).toContainEqual(first);
  });

  it('answers 503 evidence_store_unavailable where no evidence folder is configured', async () => {
    // The same database, served by an application that was given no evidence folder.
    const bare = await buildApp(t.ctx, {
      logLevel: 'silent',
      sessionTtlMs: 3600_000,
      secureCookies: false,
      loginAttemptsMax: 5,
      loginWindowMs: 60_000,
      consoleDir: null,
      version: 'v1',
      policy: DEFAULT_POLICY,
    });
    try {
      const body = multipart([{ name: 'file', filename: 'a.png', data: SAMPLES.png }]);
      const response = await bare.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incidentId}/evidence`,
        headers: { ...admin, ...body.headers },
        payload: body.payload,
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'evidence_store_unavailable' });
      // The list needs no files.
      const listed = await bare.inject({
        method: 'GET',
        url: `/api/v1/incidents/${incidentId}/evidence`,
        headers: admin,
      });
      expect(listed.statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
