/**
 * A full account, ID or phone number appears nowhere at rest: not in PGlite's files (data,
 * WAL, everything in the folder), not in a pg_dump of the server database, not in the log.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/boot.js';
import { createContext } from '../src/app/context.js';
import { importPortfolio } from '../src/app/registry/import-portfolio.js';
import { buildApp } from '../src/http/build-app.js';
import { DEFAULT_POLICY } from '../src/core/screening/policy.js';
import { ensureAdminToken } from '../src/app/users/authenticate.js';
import {
  openPostgresSchema,
  openTestDatabase,
  postgresForTests,
  testContext,
} from './support/database.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';

const SECRETS = [
  IDS.cardIcbc,
  IDS.corporateAccount,
  IDS.residentIdValid,
  IDS.residentIdValid3,
  '13812345678',
];

const records = [
  enterpriseRecord({ merchantNo: '400000000000001', terminalIds: ['C0000001'] }),
  microRecord({ merchantNo: '400000000000002' }),
];

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('numbers at rest', () => {
  it('are in no file of the embedded database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-rest-'));
    const store = await openStore({ dataDir });
    const ctx = createContext({ db: store.db, vault: store.vault });
    const result = await importPortfolio(ctx, null, records);
    expect(result.imported).toBe(2);
    await store.db.query('CHECKPOINT');
    await store.db.close();
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(100);
    // The key file is 0600, created on first start.
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    let bytes = 0;
    for (const file of files) {
      const content = fs.readFileSync(file);
      bytes += content.length;
      for (const secret of SECRETS) {
        expect(content.includes(secret), `${secret} found in ${file}`).toBe(false);
      }
    }
    // Non-vacuous: the registry is in those files, in clear where it is not secret.
    const all = Buffer.concat(files.map((file) => fs.readFileSync(file)));
    expect(all.includes('400000000000002')).toBe(true);
    expect(bytes).toBeGreaterThan(1_000_000);
  });

  it('are in no pg_dump of the server database', async (context) => {
    const url = await postgresForTests();
    if (!url) {
      context.skip();
      return;
    }
    const tdb = await openPostgresSchema(url);
    try {
      const { ctx } = testContext(tdb.db);
      expect((await importPortfolio(ctx, null, records)).imported).toBe(2);
      const dump = execFileSync('pg_dump', ['--schema', tdb.schema ?? '', url], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      for (const secret of SECRETS) expect(dump).not.toContain(secret);
      expect(dump).toContain('400000000000002');
    } finally {
      await tdb.close();
    }
  });
});

describe('numbers in the log', () => {
  it('never appear, even at trace level and on refused input', async () => {
    const tdb = await openTestDatabase();
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const { ctx } = testContext(tdb.db);
    await ensureAdminToken(ctx, 'log-test-admin-token-123');
    const app = await buildApp(ctx, {
      logLevel: 'trace',
      logStream: stream,
      sessionTtlMs: 60_000,
      secureCookies: false,
      loginAttemptsMax: 5,
      loginWindowMs: 60_000,
      consoleDir: null,
      version: 'test',
      policy: DEFAULT_POLICY,
    });
    try {
      const headers = { authorization: 'Bearer log-test-admin-token-123' };
      await app.inject({ method: 'POST', url: '/api/v1/import', headers, payload: { records } });
      await app.inject({
        method: 'POST',
        url: '/api/v1/import',
        headers,
        payload: { records: [microRecord({ merchantNo: 'bad', accountNumber: IDS.cardIcbc })] },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/settlement-accounts/check',
        headers,
        payload: {
          merchantNo: '400000000000002',
          accountNumber: IDS.cardIcbc,
          accountName: '张丽',
          accountType: 'personal',
        },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/import',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: `{"records":[{"accountNumber":"${IDS.cardIcbc}"`,
      });
      await app.inject({ method: 'GET', url: '/api/v1/merchants/400000000000002', headers });
      // Card numbers arriving with transactions, accepted and refused, reach no log line.
      await app.inject({
        method: 'POST',
        url: '/api/v1/transactions',
        headers,
        payload: {
          transactions: [
            {
              id: 'log-1',
              terminalId: 'C0000001',
              merchantNo: '400000000000001',
              type: 'purchase',
              amountFen: 100,
              occurredAt: '2026-11-25T10:00:00Z',
              pan: IDS.cardCcb,
            },
            {
              id: 'log-2',
              terminalId: 'C0000001',
              merchantNo: '400000000000001',
              type: 'purchase',
              amountFen: -1,
              occurredAt: '2026-11-25T10:00:00Z',
              pan: IDS.cardAbc,
            },
            {
              id: 'log-3',
              terminalId: 'C0000001',
              merchantNo: '400000000000002',
              type: 'purchase',
              amountFen: 100,
              occurredAt: '2026-11-25T10:00:00Z',
              pan: `${IDS.cardAbc}12345`,
            },
          ],
        },
      });
    } finally {
      await app.close();
      await tdb.close();
    }
    const log = lines.join('');
    expect(log).toContain('/api/v1/import');
    expect(log).not.toContain('log-test-admin-token-123');
    for (const secret of [...SECRETS, IDS.cardCcb, IDS.cardAbc]) expect(log).not.toContain(secret);
    expect(log).toContain('/api/v1/transactions');
  });
});
