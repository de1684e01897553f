/**
 * Reading a portfolio file for import, one record per line, streamed so that a large file runs
 * in bounded memory.
 *
 * - NDJSON: each line is one import record as in `POST /api/v1/import`.
 * - CSV (UTF-8, optional BOM, RFC 4180 quoting within a line): a header row naming the columns
 *   below; one merchant per row. `terminals` holds `terminalId/serialNumber/model/firmwareVersion`
 *   entries separated by `;`.
 *
 *   merchantNo,name,type,uscc,usccChecksumOverrideReason,legalPersonName,legalPersonIdNumber,mcc,
 *   contactPhone,address,accountNumber,accountName,accountType,bankCode,bankName,accountStatus,
 *   terminals
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { DomainError } from '../core/errors.js';

export const CSV_COLUMNS = [
  'merchantNo',
  'name',
  'type',
  'uscc',
  'usccChecksumOverrideReason',
  'legalPersonName',
  'legalPersonIdNumber',
  'mcc',
  'contactPhone',
  'address',
  'accountNumber',
  'accountName',
  'accountType',
  'bankCode',
  'bankName',
  'accountStatus',
  'terminals',
] as const;

/** Longest line read; anything longer is refused as that line's error. */
export const LINE_LENGTH_MAX = 64 * 1024;

export type ParsedLine = { line: number; record: unknown } | { line: number; error: string };

/** Splits one CSV line into fields (quotes, doubled quotes inside quotes). */
export function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        current += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c === '"' && current === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  fields.push(current);
  return fields;
}

/** One CSV row as an import record; empty cells are left out. */
export function csvRowToRecord(header: readonly string[], fields: readonly string[]): unknown {
  const cell = (name: (typeof CSV_COLUMNS)[number]): string | undefined => {
    const index = header.indexOf(name);
    const value = index >= 0 ? fields[index]?.trim() : undefined;
    return value === '' ? undefined : value;
  };
  const accountNumber = cell('accountNumber');
  const terminals = (cell('terminals') ?? '')
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [terminalId, serialNumber, model, firmwareVersion] = entry.split('/');
      return { terminalId, serialNumber, model, firmwareVersion };
    });
  return {
    merchant: {
      merchantNo: cell('merchantNo'),
      name: cell('name'),
      type: cell('type'),
      uscc: cell('uscc'),
      usccChecksumOverrideReason: cell('usccChecksumOverrideReason'),
      legalPerson: { name: cell('legalPersonName'), idNumber: cell('legalPersonIdNumber') },
      mcc: cell('mcc'),
      contactPhone: cell('contactPhone'),
      address: cell('address'),
    },
    ...(accountNumber
      ? {
          settlementAccount: {
            accountNumber,
            accountName: cell('accountName'),
            accountType: cell('accountType'),
            bankCode: cell('bankCode'),
            bankName: cell('bankName'),
            status: cell('accountStatus'),
          },
        }
      : {}),
    terminals,
  };
}

export function detectFormat(file: string, firstLine: string): 'ndjson' | 'csv' {
  if (file.toLowerCase().endsWith('.csv')) return 'csv';
  if (firstLine.trimStart().startsWith('{')) return 'ndjson';
  if (firstLine.includes('merchantNo')) return 'csv';
  throw new DomainError('import_format', 'The file is neither NDJSON nor a CSV with a header row');
}

/** Yields parsed lines of a file; a bad line is an error entry, never the end of the file. */
export async function* readPortfolioFile(
  file: string,
  format?: 'ndjson' | 'csv',
): AsyncGenerator<ParsedLine> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  let kind = format;
  let header: string[] | null = null;
  for await (const raw of lines) {
    lineNo += 1;
    const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    kind ??= detectFormat(file, text);
    if (text.length > LINE_LENGTH_MAX) {
      yield { line: lineNo, error: `line longer than ${LINE_LENGTH_MAX} characters` };
      continue;
    }
    try {
      if (kind === 'ndjson') {
        yield { line: lineNo, record: JSON.parse(text) as unknown };
      } else if (!header) {
        header = splitCsvLine(text).map((name) => name.trim());
        const missing = ['merchantNo', 'name', 'type'].filter((c) => !header?.includes(c));
        if (missing.length > 0) {
          throw new DomainError('import_format', `CSV header lacks ${missing.join(', ')}`);
        }
      } else {
        yield { line: lineNo, record: csvRowToRecord(header, splitCsvLine(text)) };
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      yield { line: lineNo, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
