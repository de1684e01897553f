/**
 * Verification of evidence catches what a person with access to the disk or the database
 * could do: a file altered or removed on disk, a row changed or deleted in the database by a
 * superuser who gets past the append-only triggers, and an audit entry changed to match.
 * Each is named, with the item it concerns; putting things back makes verification pass again.
 * The bundle streamed over HTTP extracts with tar and checks with sha256sum.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { evidenceRunner, MERCHANTS, multipart, SAMPLES, seedIncident } from './support/evidence.js';

const admin = bearer(ADMIN_TOKEN);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-evidence-verify-'));
let t: TestApp;
let incidentId: string;
let items: { id: string; sha256: string; kind: string; note: string | null }[];

interface Verdict {
  ok: boolean;
  items: number;
  auditChain: { ok: boolean };
  problems: { code: string; evidenceId: string | null; message: string }[];
}

async function verify(headers = admin): Promise<Verdict> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/${incidentId}/evidence/verify`,
    headers,
  });
  expect(response.statusCode).toBe(200);
  return response.json<Verdict>();
}

const fileOf = (sha256: string) => path.join(dir, 'sha256', sha256.slice(0, 2), sha256);

/** What a superuser can do: switch the append-only trigger off around a change. */
async function asSuperuser(sql: string, params: unknown[]): Promise<void> {
  await t.tdb.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE evidence_items DISABLE TRIGGER evidence_items_append_only');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE evidence_items ENABLE TRIGGER evidence_items_append_only');
  });
}

beforeAll(async () => {
  t = await startTestApp({ evidenceDir: dir });
  ({ incidentId } = await seedIncident(t.app, admin));
  await evidenceRunner(t.ctx, dir).runDue();
  for (const [name, data] of [
    ['call.txt', SAMPLES.text],
    ['letter.pdf', SAMPLES.pdf],
  ] as const) {
    const body = multipart([
      { name: 'file', filename: name, data },
      { name: 'note', data: `原始说明 ${name}` },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/evidence`,
      headers: { ...admin, ...body.headers },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(201);
  }
  const listed = await t.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/${incidentId}/evidence`,
    headers: admin,
  });
  items = listed.json<{ items: typeof items }>().items;
  expect(items.map((i) => i.kind)).toEqual(['snapshot', 'file', 'file']);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('evidence verification', () => {
  it('passes when nothing was touched, for the roles that may verify', async () => {
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, items: 3, problems: [], auditChain: { ok: true } });
    const auditor = await t.tokenFor('auditor-1', 'auditor');
    expect((await verify(bearer(auditor))).ok).toBe(true);
    const merchant = await t.tokenFor('merchant-a', 'merchant', [MERCHANTS.a]);
    const refused = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/verify`,
      headers: bearer(merchant),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('streams the bundle as a tar that tar extracts and sha256sum -c checks', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/export`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-tar');
    expect(response.headers['content-disposition']).toContain(`evidence-${incidentId}.tar`);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-evidence-tar-'));
    try {
      const archive = path.join(out, 'bundle.tar');
      fs.writeFileSync(archive, response.rawPayload);
      const extracted = spawnSync('tar', ['-xf', archive, '-C', out], { encoding: 'utf8' });
      expect(extracted.status, extracted.stderr).toBe(0);
      const bundle = path.join(out, `evidence-${incidentId}`);
      expect(fs.readdirSync(path.join(bundle, 'files'))).toHaveLength(3);
      const checked = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], {
        cwd: bundle,
        encoding: 'utf8',
      });
      expect(checked.status, checked.stdout).toBe(0);
      expect(checked.stdout.match(/: OK$/gm)).toHaveLength(5);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    const support = await t.tokenFor('support-1', 'support');
    const refused = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/export`,
      headers: bearer(support),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('names a file altered on disk, and refuses to serve it', async () => {
    const item = items[1]!;
    const file = fileOf(item.sha256);
    const original = fs.readFileSync(file);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, Buffer.concat([original, Buffer.from('（已篡改）')]));
    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      expect.objectContaining({ code: 'file_altered', evidenceId: item.id }),
    ]);
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence/${item.id}/content`,
      headers: admin,
    });
    expect(download.statusCode).toBe(409);
    expect(download.json()).toMatchObject({ code: 'evidence_file_unavailable' });
    fs.writeFileSync(file, original);
    expect((await verify()).ok).toBe(true);
  });

  it('names a file removed from disk', async () => {
    const item = items[0]!;
    const file = fileOf(item.sha256);
    const original = fs.readFileSync(file);
    fs.rmSync(file);
    const verdict = await verify();
    expect(verdict.problems).toEqual([
      expect.objectContaining({ code: 'file_missing', evidenceId: item.id }),
    ]);
    fs.writeFileSync(file, original);
    expect((await verify()).ok).toBe(true);
  });

  it('names a row changed in the database past the triggers, field by field', async () => {
    const item = items[2]!;
    await asSuperuser("UPDATE evidence_items SET note = '改过的说明' WHERE id = $1", [item.id]);
    let verdict = await verify();
    expect(verdict.problems).toEqual([
      expect.objectContaining({ code: 'row_altered', evidenceId: item.id }),
    ]);
    expect(verdict.problems[0]?.message).toContain('note');

    // Pointing the row at other content: the row disagrees with its audit entry, and the
    // content it now names is not in the store.
    const forged = 'f'.repeat(64);
    await asSuperuser('UPDATE evidence_items SET note = $2, sha256 = $3 WHERE id = $1', [
      item.id,
      item.note,
      forged,
    ]);
    verdict = await verify();
    expect(verdict.problems.map((p) => p.code).sort()).toEqual(['file_missing', 'row_altered']);
    expect(verdict.problems.every((p) => p.evidenceId === item.id)).toBe(true);
    expect(verdict.problems.find((p) => p.code === 'row_altered')?.message).toContain('sha256');

    await asSuperuser('UPDATE evidence_items SET sha256 = $2 WHERE id = $1', [
      item.id,
      item.sha256,
    ]);
    expect((await verify()).ok).toBe(true);
  });

  it('names a row deleted from the database', async () => {
    const item = items[1]!;
    const saved = await t.tdb.db.query('SELECT * FROM evidence_items WHERE id = $1', [item.id]);
    await asSuperuser('DELETE FROM evidence_items WHERE id = $1', [item.id]);
    const verdict = await verify();
    expect(verdict.problems).toEqual([
      expect.objectContaining({ code: 'row_missing', evidenceId: item.id }),
    ]);
    const row = saved.rows[0] as Record<string, unknown>;
    await t.tdb.db.query(
      `INSERT INTO evidence_items (id, incident_id, kind, sha256, size_bytes, media_type,
         file_name, note, created_at, created_by, audit_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        row.id,
        row.incident_id,
        row.kind,
        row.sha256,
        row.size_bytes,
        row.media_type,
        row.file_name,
        row.note,
        row.created_at,
        row.created_by,
        row.audit_seq,
      ],
    );
    expect((await verify()).ok).toBe(true);
  });

  it('names a broken audit chain when the audit entry is changed to match a changed row', async () => {
    const item = items[2]!;
    await asSuperuser("UPDATE evidence_items SET note = '改过的说明' WHERE id = $1", [item.id]);
    await t.tdb.db.query(
      `UPDATE audit_entries SET after = jsonb_set(after, '{note}', '"改过的说明"')
        WHERE entity_type = 'evidence' AND entity_id = $1`,
      [item.id],
    );
    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.auditChain.ok).toBe(false);
    expect(verdict.problems.map((p) => p.code)).toEqual(['audit_chain_broken']);
  });
});
