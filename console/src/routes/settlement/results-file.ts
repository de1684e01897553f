/**
 * The bank's results as a person brings them: a CSV file (with or without a header row) or
 * NDJSON, uploaded or pasted. Each line becomes one result for POST /settlement-results, or a
 * problem naming the line, so that nothing is sent that the user did not mean. Pure.
 *
 * CSV columns, in this order when there is no header: line id (明细号, as in the payout file),
 * result (paid / returned, or 成功 / 退票), the bank's return reason, the bank's reference.
 */
import type { SettlementResultInput } from '../../api/types';

/** Most lines read from one file or paste (ten calls of the server's 1,000). */
export const RESULT_LINES_MAX = 10_000;
const REASON_LENGTH_MAX = 500;
const REFERENCE_LENGTH_MAX = 64;

export type ResultLineProblem =
  'missing_line_id' | 'unknown_status' | 'not_json' | 'too_many_lines';

export interface ParsedResults {
  results: SettlementResultInput[];
  problems: { line: number; problem: ResultLineProblem }[];
}

const STATUS_WORDS: Record<string, SettlementResultInput['status']> = {
  paid: 'paid',
  success: 'paid',
  succeeded: 'paid',
  成功: 'paid',
  已付: 'paid',
  已支付: 'paid',
  付款成功: 'paid',
  returned: 'returned',
  return: 'returned',
  failed: 'returned',
  退票: 'returned',
  已退票: 'returned',
  退回: 'returned',
  失败: 'returned',
  付款失败: 'returned',
};

type Column = 'lineId' | 'status' | 'reason' | 'bankReference';

const HEADER_WORDS: Record<string, Column> = {
  lineid: 'lineId',
  明细号: 'lineId',
  status: 'status',
  result: 'status',
  结果: 'status',
  状态: 'status',
  处理结果: 'status',
  reason: 'reason',
  原因: 'reason',
  退票原因: 'reason',
  失败原因: 'reason',
  bankreference: 'bankReference',
  reference: 'bankReference',
  银行流水号: 'bankReference',
  流水号: 'bankReference',
};

const POSITIONAL: readonly Column[] = ['lineId', 'status', 'reason', 'bankReference'];

function normaliseStatus(text: string): SettlementResultInput['status'] | undefined {
  return STATUS_WORDS[text.trim().toLowerCase()];
}

/** One CSV record's fields (RFC 4180 quoting within the line; a quoted line break is not taken). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line.charAt(index);
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',' || char === '\t') {
      fields.push(field.trim());
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field.trim());
  return fields;
}

function headerColumns(fields: string[]): (Column | undefined)[] | undefined {
  const columns = fields.map((field) => HEADER_WORDS[field.replace(/\s/g, '').toLowerCase()]);
  return columns.includes('lineId') ? columns : undefined;
}

function toResult(
  values: Partial<Record<Column, unknown>>,
): SettlementResultInput | ResultLineProblem {
  const lineId = typeof values.lineId === 'string' ? values.lineId.trim() : '';
  if (lineId === '') return 'missing_line_id';
  const status = typeof values.status === 'string' ? normaliseStatus(values.status) : undefined;
  if (status === undefined) return 'unknown_status';
  const result: SettlementResultInput = { lineId, status };
  if (typeof values.reason === 'string' && values.reason.trim() !== '') {
    result.reason = values.reason.trim().slice(0, REASON_LENGTH_MAX);
  }
  if (typeof values.bankReference === 'string' && values.bankReference.trim() !== '') {
    result.bankReference = values.bankReference.trim().slice(0, REFERENCE_LENGTH_MAX);
  }
  return result;
}

function parseJsonLine(line: string): SettlementResultInput | ResultLineProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not_json';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_json';
  return toResult(value);
}

export function parseResults(text: string): ParsedResults {
  // A byte-order mark from a spreadsheet's "CSV UTF-8" export is not part of the first field.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const results: SettlementResultInput[] = [];
  const problems: ParsedResults['problems'] = [];
  let columns: readonly (Column | undefined)[] | undefined;
  let first = true;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const lineNumber = index + 1;
    if (results.length >= RESULT_LINES_MAX) {
      problems.push({ line: lineNumber, problem: 'too_many_lines' });
      break;
    }
    let parsed: SettlementResultInput | ResultLineProblem;
    if (line.startsWith('{')) {
      parsed = parseJsonLine(line);
    } else {
      const fields = splitCsvLine(line);
      if (first) {
        first = false;
        const header = headerColumns(fields);
        if (header !== undefined) {
          columns = header;
          continue;
        }
      }
      const order = columns ?? POSITIONAL;
      const values: Partial<Record<Column, string>> = {};
      order.forEach((column, position) => {
        if (column !== undefined && values[column] === undefined) {
          values[column] = fields[position];
        }
      });
      parsed = toResult(values);
    }
    first = false;
    if (typeof parsed === 'string') problems.push({ line: lineNumber, problem: parsed });
    else results.push(parsed);
  }
  return { results, problems };
}
