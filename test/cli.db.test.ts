/** The `settleguard` command line, run as a child process against a real database. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/storage/database.js';
import { projectPath } from '../src/project-root.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/database.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-cli-'));
let server: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;

function cli(args: string[], input?: string) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', projectPath('src', 'cli', 'main.ts'), ...args],
    {
      env,
      input,
      encoding: 'utf8',
      cwd: projectPath(),
      timeout: 60_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs SQL against the CLI's database while no CLI process holds it. */
async function sql(text: string): Promise<void> {
  if (server) {
    await server.db.query(text);
    return;
  }
  const db = await openPglite({ dataDir: path.join(work, 'data', 'pglite') });
  try {
    await db.query(text);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  env = { ...process.env, SETTLEGUARD_DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.SETTLEGUARD_MASTER_KEY;
  if (TEST_DATABASE_URL) {
    server = await openTestDatabase();
    env.DATABASE_URL = server.url ?? '';
  }
});
afterAll(async () => {
  await server?.close();
});

describe('settleguard import', () => {
  it('imports NDJSON, reports refused lines with their codes, and continues', () => {
    const file = path.join(work, 'portfolio.ndjson');
    const bad = microRecord({ merchantNo: '500000000000003' });
    bad.merchant.legalPerson.idNumber = IDS.residentIdBadCheck;
    fs.writeFileSync(
      file,
      [
        JSON.stringify(
          enterpriseRecord({ merchantNo: '500000000000001', terminalIds: ['D0000001'] }),
        ),
        '{not json',
        JSON.stringify(bad),
        JSON.stringify(microRecord({ merchantNo: '500000000000002' })),
      ].join('\n'),
    );
    const result = cli(['import', file]);
    expect(result.stdout).toContain('line 2: import_format');
    expect(result.stdout).toContain('line 3: resident_id_checksum: merchant.legalPerson.idNumber');
    expect(result.stdout).toContain('Imported 2 record(s); refused 2.');
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(IDS.cardIcbc);
  });

  it('imports CSV with terminals', () => {
    const file = path.join(work, 'portfolio.csv');
    fs.writeFileSync(
      file,
      [
        'merchantNo,name,type,uscc,legalPersonName,legalPersonIdNumber,mcc,accountNumber,accountName,accountType,terminals',
        `500000000000004,"杭州市西湖区李记面馆",individual_business,${IDS.usccValid2},李伟,${IDS.residentIdValid4},5812,${IDS.cardCcb},李伟,personal,D0000004/SN500004/PAX A920/V2.3.1`,
      ].join('\n'),
    );
    const result = cli(['import', file]);
    expect(result.stdout).toContain('Imported 1 record(s); refused 0.');
    expect(result.code).toBe(0);
  });
});

describe('settleguard ingest', () => {
  const txn = (id: string, terminalId: string, merchantNo: string, extra: object = {}) => ({
    id,
    terminalId,
    merchantNo,
    type: 'purchase',
    amountFen: 5_000,
    occurredAt: '2026-11-25T10:00:00Z',
    ...extra,
  });

  it('screens an NDJSON file, listing refused lines, and answers a second run with duplicates', () => {
    const file = path.join(work, 'transactions.ndjson');
    fs.writeFileSync(
      file,
      [
        JSON.stringify(txn('cli-1', 'D0000001', '500000000000001', { pan: IDS.cardIcbc })),
        JSON.stringify(txn('cli-2', 'D0000001', '500000000000004')),
        'not json',
        JSON.stringify(txn('cli-3', 'D0000001', '500000000000001', { amountFen: 0 })),
        JSON.stringify(txn('cli-4', 'D0000004', '500000000000004')),
      ].join('\n'),
    );
    const first = cli(['ingest', file]);
    expect(first.stdout).toContain('line 3: validation_failed');
    expect(first.stdout).toContain('line 4: amount_invalid');
    expect(first.stdout).toContain(
      'Read 5 line(s): 3 accepted, 0 duplicate, 2 refused, 0 skipped. Decisions: 2 ok, 0 review, 1 contain.',
    );
    expect(first.stdout + first.stderr).not.toContain(IDS.cardIcbc);
    expect(first.code).toBe(1);
    const second = cli(['ingest', file]);
    // The replay answers with the first decisions, whatever was contained since.
    expect(second.stdout).toContain(
      '0 accepted, 3 duplicate, 2 refused, 0 skipped. Decisions: 2 ok, 0 review, 1 contain.',
    );
  });

  it('reads a file of ISO 8583 frames', async () => {
    const { encodeFrame, encodeMessage } = await import('../src/ingest/iso8583/index.js');
    const file = path.join(work, 'mirror.bin');
    const frame = encodeFrame(
      encodeMessage(
        {
          mti: '0210',
          fields: {
            2: IDS.cardCcb,
            3: '000000',
            4: '000000009900',
            11: '000777',
            12: '101500',
            13: '1125',
            37: '633000000777',
            39: '00',
            41: 'D0000004',
            42: '500000000000004',
            49: '156',
          },
        },
        'ascii',
      ),
    );
    fs.writeFileSync(file, frame);
    const result = cli(['ingest', file, '--format', 'iso8583', '--encoding', 'ascii']);
    expect(result.stdout).toContain('Read 1 line(s): 1 accepted');
    expect(result.code).toBe(0);
  });
});

describe('settleguard user add', () => {
  it('prints a token once and refuses a merchant user for an unknown merchant', () => {
    const ok = cli([
      'user',
      'add',
      'shop-d',
      '--role',
      'merchant',
      '--merchant',
      '500000000000001',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Created shop-d \(merchant, merchants 500000000000001\)/);
    expect(ok.stdout).toMatch(/\nsg_[A-Za-z0-9_-]{43}\n/);
    const unknown = cli([
      'user',
      'add',
      'shop-x',
      '--role',
      'merchant',
      '--merchant',
      '599999999999999',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('merchant_unknown');
    const badRole = cli(['user', 'add', 'someone', '--role', 'boss']);
    expect(badRole.stderr).toContain('role');
  });

  it('takes a password on standard input', () => {
    const result = cli(
      ['user', 'add', 'ops-d', '--role', 'ops', '--password-stdin'],
      'a long enough password\n',
    );
    expect(result.code).toBe(0);
  });
});

describe('settleguard audit verify', () => {
  it('passes on an intact trail and names the first altered entry', async () => {
    const intact = cli(['audit', 'verify']);
    expect(intact.stdout).toMatch(/Audit trail intact: \d+ entries verified/);
    expect(intact.code).toBe(0);
    await sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 4");
    const broken = cli(['audit', 'verify']);
    expect(broken.stdout).toContain('Audit trail BROKEN at entry 4 (hash_mismatch)');
    expect(broken.code).toBe(1);
  });
});
