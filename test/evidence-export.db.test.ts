/**
 * `settleguard evidence verify` and `settleguard evidence export`, run as child processes
 * against a real database and evidence folder: the bundle checks with the real
 * `sha256sum -c SHA256SUMS`, and a file tampered with in the bundle fails it; a file altered
 * in the store, or a row changed in the database, makes `evidence verify` exit 1 naming it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/boot.js';
import { createContext } from '../src/app/context.js';
import { RegistryIndex } from '../src/app/screening/registry-index.js';
import { ensureAdminToken } from '../src/app/users/authenticate.js';
import { buildApp } from '../src/http/build-app.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import { openPglite } from '../src/storage/database.js';
import { projectPath } from '../src/project-root.js';
import { ADMIN_TOKEN, bearer } from './support/app.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/database.js';
import { evidenceRunner, multipart, SAMPLES, seedIncident } from './support/evidence.js';

/** Each CLI run opens the database anew: a few seconds each on a busy machine. */
const CLI_TEST_MS = 180_000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-evidence-cli-'));
const dataDir = path.join(work, 'data');
// The default: <data folder>/evidence.
const evidenceDir = path.join(dataDir, 'evidence');
let server: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;
let incidentId: string;
let items: { id: string; sha256: string; fileName: string; kind: string }[];

function cli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', projectPath('src', 'cli', 'main.ts'), ...args],
    { env, encoding: 'utf8', cwd: projectPath(), timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sha256sum(dir: string) {
  const result = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout };
}

/** Runs SQL against the CLI's database while no CLI process holds it. */
async function sql(text: string, params: unknown[] = []): Promise<void> {
  if (server) {
    await server.db.query(text, params);
    return;
  }
  const db = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
  try {
    await db.query(text, params);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  env = { ...process.env, SETTLEGUARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.SETTLEGUARD_MASTER_KEY;
  delete env.SETTLEGUARD_EVIDENCE_DIR;
  if (TEST_DATABASE_URL) {
    server = await openTestDatabase();
    env.DATABASE_URL = server.url ?? '';
  }
  // The incident and its evidence are made through the application, as a server would.
  const { db, vault } = await openStore({ databaseUrl: server?.url ?? null, dataDir });
  try {
    const index = new RegistryIndex();
    await index.loadAll(db);
    const ctx = createContext({ db, vault, index });
    await ensureAdminToken(ctx, ADMIN_TOKEN);
    const app = await buildApp(ctx, {
      logLevel: 'silent',
      sessionTtlMs: 3600_000,
      secureCookies: false,
      loginAttemptsMax: 5,
      loginWindowMs: 60_000,
      consoleDir: null,
      version: 'v1',
      policy: DEFAULT_POLICY,
      evidenceDir,
    });
    const admin = bearer(ADMIN_TOKEN);
    ({ incidentId } = await seedIncident(app, admin));
    await evidenceRunner(ctx, evidenceDir).runDue();
    const body = multipart([
      { name: 'file', filename: '通话记录 2026-11-26.txt', data: SAMPLES.text },
      { name: 'note', data: '与开户行的通话' },
    ]);
    const added = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/evidence`,
      headers: { ...admin, ...body.headers },
      payload: body.payload,
    });
    expect(added.statusCode).toBe(201);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incidentId}/evidence`,
      headers: admin,
    });
    items = listed.json<{ items: typeof items }>().items;
    expect(items.map((i) => i.kind)).toEqual(['snapshot', 'file']);
    await app.close();
  } finally {
    await db.close();
  }
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('settleguard evidence export', () => {
  it(
    'writes a bundle that sha256sum -c checks, and that fails it once tampered with',
    () => {
      const bundle = path.join(work, 'bundle');
      const result = cli(['evidence', 'export', incidentId, '--out', bundle]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 item(s) in 2 file(s)');

      const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as {
        format: string;
        incident: { id: string; merchantNo: string; merchantName: string };
        auditChain: { ok: boolean };
        items: { id: string; sha256: string; sizeBytes: number; fileName: string; path: string }[];
        problems: unknown[];
      };
      expect(manifest.format).toBe('settleguard.evidence.bundle/1');
      expect(manifest.incident).toMatchObject({
        id: incidentId,
        merchantName: '北京示例餐饮管理有限公司',
      });
      expect(manifest.auditChain.ok).toBe(true);
      expect(manifest.problems).toEqual([]);
      expect(manifest.items.map((i) => [i.id, i.sha256])).toEqual(
        items.map((i) => [i.id, i.sha256]),
      );
      expect(manifest.items[1]).toMatchObject({
        fileName: '通话记录 2026-11-26.txt',
        sizeBytes: SAMPLES.text.length,
        path: `files/${items[1]!.sha256}.txt`,
      });

      const sums = fs.readFileSync(path.join(bundle, 'SHA256SUMS'), 'utf8').trim().split('\n');
      expect(sums).toHaveLength(4);
      const checked = sha256sum(bundle);
      expect(checked.code).toBe(0);
      expect(checked.stdout).toContain(`files/${items[0]!.sha256}.json: OK`);
      expect(checked.stdout).toContain('manifest.json: OK');

      const tampered = path.join(bundle, 'files', `${items[1]!.sha256}.txt`);
      fs.appendFileSync(tampered, '改');
      const failed = sha256sum(bundle);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain(`files/${items[1]!.sha256}.txt: FAILED`);
    },
    CLI_TEST_MS,
  );

  it('refuses a folder that is not empty', () => {
    const bundle = path.join(work, 'bundle');
    const result = cli(['evidence', 'export', incidentId, '--out', bundle]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('conflict');
  });
});

describe('settleguard evidence verify', () => {
  it(
    'reports intact evidence, of one incident and of all',
    () => {
      const one = cli(['evidence', 'verify', incidentId]);
      expect(one.stdout).toContain('Evidence intact');
      expect(one.stdout).toContain('2 item(s)');
      expect(one.code).toBe(0);
      const all = cli(['evidence', 'verify']);
      expect(all.code).toBe(0);
    },
    CLI_TEST_MS,
  );

  it(
    'exits 1 naming a file altered in the store, and leaves it out of a bundle',
    () => {
      const file = path.join(evidenceDir, 'sha256', items[1]!.sha256.slice(0, 2), items[1]!.sha256);
      const original = fs.readFileSync(file);
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, Buffer.concat([original, Buffer.from('\n补充一句')]));
      try {
        const result = cli(['evidence', 'verify', incidentId]);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain(`file_altered: Evidence ${items[1]!.id}`);
        const bundle = path.join(work, 'bundle-altered');
        const exported = cli(['evidence', 'export', incidentId, '--out', bundle]);
        expect(exported.code).toBe(1);
        expect(exported.stdout).toContain('file_altered');
        expect(fs.readdirSync(path.join(bundle, 'files'))).toEqual([`${items[0]!.sha256}.json`]);
        expect(sha256sum(bundle).code).toBe(0);
      } finally {
        fs.writeFileSync(file, original);
      }
      expect(cli(['evidence', 'verify', incidentId]).code).toBe(0);
    },
    CLI_TEST_MS,
  );

  it('exits 1 naming a row changed in the database', async () => {
    await sql('ALTER TABLE evidence_items DISABLE TRIGGER evidence_items_append_only');
    await sql('UPDATE evidence_items SET size_bytes = size_bytes + 1 WHERE id = $1', [
      items[1]!.id,
    ]);
    await sql('ALTER TABLE evidence_items ENABLE TRIGGER evidence_items_append_only');
    const result = cli(['evidence', 'verify', incidentId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`row_altered: Evidence ${items[1]!.id}: sizeBytes`);
  });

  it('answers a clear error for an incident that does not exist', () => {
    const result = cli(['evidence', 'verify', 'no-such-incident']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not_found');
  });
});
