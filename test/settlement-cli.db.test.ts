/** `settleguard settle`, `settle-results` and `ledger verify`, run as child processes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/storage/database.js';
import { projectPath } from '../src/project-root.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/database.js';
import { enterpriseRecord, microRecord } from './support/fixtures.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-settle-cli-'));
let server: TestDatabase | null = null;
let env: NodeJS.ProcessEnv;

function cli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', projectPath('src', 'cli', 'main.ts'), ...args],
    { env, encoding: 'utf8', cwd: projectPath(), timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Reads the CLI's database while no CLI process holds it. */
async function rows<T>(text: string): Promise<T[]> {
  if (server) return (await server.db.query<T>(text)).rows;
  const db = await openPglite({ dataDir: path.join(work, 'data', 'pglite') });
  try {
    return (await db.query<T>(text)).rows;
  } finally {
    await db.close();
  }
}

// Each command is a child process that compiles the CLI on start: slow on a busy machine.
beforeAll(async () => {
  env = { ...process.env, SETTLEGUARD_DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.SETTLEGUARD_MASTER_KEY;
  delete env.SETTLEGUARD_SETTLEMENT_FILE;
  if (TEST_DATABASE_URL) {
    server = await openTestDatabase();
    env.DATABASE_URL = server.url ?? '';
  }
  const portfolio = path.join(work, 'portfolio.ndjson');
  fs.writeFileSync(
    portfolio,
    [
      JSON.stringify(
        enterpriseRecord({ merchantNo: '510000000000001', terminalIds: ['C0000001'] }),
      ),
      JSON.stringify({
        ...microRecord({ merchantNo: '510000000000002' }),
        terminals: [
          {
            terminalId: 'C0000002',
            serialNumber: 'SNC2',
            model: 'PAX A920',
            firmwareVersion: 'V2.3.1',
          },
        ],
      }),
    ].join('\n'),
  );
  expect(cli(['import', portfolio]).code).toBe(0);
  const transactions = path.join(work, 'transactions.ndjson');
  const txn = (id: string, terminalId: string, merchantNo: string, amountFen: number) =>
    JSON.stringify({
      id,
      terminalId,
      merchantNo,
      type: 'purchase',
      amountFen,
      occurredAt: '2026-11-20T03:00:00Z',
    });
  fs.writeFileSync(
    transactions,
    [
      txn('sc-1', 'C0000001', '510000000000001', 100_000),
      txn('sc-2', 'C0000002', '510000000000002', 20_000),
    ].join('\n'),
  );
  expect(cli(['ingest', transactions]).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('settlement on the command line', () => {
  it('settles a date once, records results once, and verifies the ledger', async () => {
    const first = cli(['settle', '--date', '2026-11-20']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Settlement run made: .* \(2026-11-20, T1\)/);
    expect(first.stdout).toContain('2 line(s): 2 ready ¥1192.80, 0 held ¥0.00');
    expect(first.code).toBe(0);
    expect(cli(['settle', '--date', '2026-11-20']).stdout).toContain('Settlement run already made');

    const lines = await rows<{ id: string; merchant_no: string }>(
      'SELECT id, merchant_no FROM settlement_lines ORDER BY merchant_no',
    );
    expect(lines).toHaveLength(2);
    const results = path.join(work, 'results.csv');
    fs.writeFileSync(
      results,
      [
        'lineId,status,reason,bankReference',
        `${lines[0]?.id},paid,,B-1`,
        `${lines[1]?.id},returned,"无此账户, 请核实",B-2`,
        'not-a-line,paid,,',
      ].join('\r\n'),
    );
    const recorded = cli(['settle-results', results]);
    expect(recorded.stdout).toContain('not-a-line: not_found');
    expect(recorded.stdout).toContain('Read 3 result(s): 2 applied, 0 unchanged, 1 refused.');
    expect(recorded.code).toBe(1);
    const again = cli(['settle-results', results]);
    expect(again.stdout).toContain('0 applied, 2 unchanged, 1 refused.');

    const returned = await rows<{ status: string; return_code: string; return_text: string }>(
      `SELECT status, return_code, return_text FROM settlement_lines WHERE id = '${lines[1]?.id}'`,
    );
    expect(returned[0]).toEqual({
      status: 'returned',
      return_code: 'invalid_account',
      return_text: '无此账户, 请核实',
    });

    const verified = cli(['ledger', 'verify']);
    expect(verified.stdout).toMatch(/Ledger balanced: \d+ journals/);
    expect(verified.code).toBe(0);
  }, 300_000);
});
