import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRowToRecord, readPortfolioFile, splitCsvLine } from './portfolio-file.js';

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-file-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function collect(file: string) {
  const out = [];
  for await (const line of readPortfolioFile(file)) out.push(line);
  return out;
}

describe('splitCsvLine', () => {
  it('handles quotes, doubled quotes and commas inside quotes', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', '']);
    expect(() => splitCsvLine('"open')).toThrow(/unterminated/);
  });
});

describe('csvRowToRecord', () => {
  it('builds an import record with terminals and an account', () => {
    const header = [
      'merchantNo',
      'name',
      'type',
      'legalPersonName',
      'legalPersonIdNumber',
      'mcc',
      'accountNumber',
      'accountName',
      'accountType',
      'terminals',
    ];
    const record = csvRowToRecord(header, [
      '100000000000001',
      '张丽便利店',
      'micro',
      '张丽',
      '330106198503124416',
      '5499',
      '6222020200001234562',
      '张丽',
      'personal',
      'T0000001/SN1/PAX A920/V1; T0000002/SN2/PAX A920/V1',
    ]);
    expect(record).toEqual({
      merchant: {
        merchantNo: '100000000000001',
        name: '张丽便利店',
        type: 'micro',
        uscc: undefined,
        usccChecksumOverrideReason: undefined,
        legalPerson: { name: '张丽', idNumber: '330106198503124416' },
        mcc: '5499',
        contactPhone: undefined,
        address: undefined,
      },
      settlementAccount: {
        accountNumber: '6222020200001234562',
        accountName: '张丽',
        accountType: 'personal',
        bankCode: undefined,
        bankName: undefined,
        status: undefined,
      },
      terminals: [
        { terminalId: 'T0000001', serialNumber: 'SN1', model: 'PAX A920', firmwareVersion: 'V1' },
        { terminalId: 'T0000002', serialNumber: 'SN2', model: 'PAX A920', firmwareVersion: 'V1' },
      ],
    });
  });
});

describe('readPortfolioFile', () => {
  it('reads NDJSON, reporting a broken line without stopping', async () => {
    const file = tempFile(
      'p.ndjson',
      '{"merchant":{"merchantNo":"1"}}\n\n{broken\n{"merchant":{}}\n',
    );
    const lines = await collect(file);
    expect(lines.map((l) => l.line)).toEqual([1, 3, 4]);
    expect('error' in lines[1]!).toBe(true);
  });

  it('reads CSV with a BOM and a header', async () => {
    const file = tempFile(
      'p.csv',
      '\uFEFFmerchantNo,name,type\r\n100000000000001,"甲,乙",micro\r\n',
    );
    const lines = await collect(file);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      line: 2,
      record: { merchant: { merchantNo: '100000000000001', name: '甲,乙' } },
    });
  });

  it('refuses a file that is neither', async () => {
    const file = tempFile('p.txt', 'hello world\n');
    await expect(collect(file)).rejects.toMatchObject({ code: 'import_format' });
  });
});
