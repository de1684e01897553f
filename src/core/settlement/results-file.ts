/**
 * The bank results file that `settleguard settle-results FILE` reads, in one of two forms:
 *
 * - CSV (UTF-8, comma-separated, RFC 4180 quoting) with a header row naming the columns
 *   `lineId,status,reason,bankReference` (reason and bankReference optional; the Chinese
 *   headers 明细号,状态,原因,银行流水号 are accepted too); status is `paid` or `returned`
 *   (成功 / 退票 accepted).
 * - NDJSON: one `{ "lineId", "status", "reason"?, "bankReference"? }` per line.
 *
 * Every line is checked; problems are listed with their line number and nothing is refused
 * silently. Pure.
 */

export interface ResultRecord {
  lineId: string;
  status: 'paid' | 'returned';
  reason?: string;
  bankReference?: string;
}

export interface ResultsFileProblem {
  line: number;
  message: string;
}

const HEADER_ALIASES: Record<string, keyof ResultRecord> = {
  lineid: 'lineId',
  明细号: 'lineId',
  status: 'status',
  状态: 'status',
  reason: 'reason',
  原因: 'reason',
  退票原因: 'reason',
  bankreference: 'bankReference',
  银行流水号: 'bankReference',
};

const STATUS_ALIASES: Record<string, ResultRecord['status']> = {
  paid: 'paid',
  成功: 'paid',
  已支付: 'paid',
  returned: 'returned',
  退票: 'returned',
  退回: 'returned',
};

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes, breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i += 1) {
    const c = body.charAt(i);
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function toRecord(
  raw: Record<string, unknown>,
  line: number,
  problems: ResultsFileProblem[],
): ResultRecord | null {
  const lineId = typeof raw.lineId === 'string' ? raw.lineId.trim() : '';
  const status =
    typeof raw.status === 'string' ? STATUS_ALIASES[raw.status.trim().toLowerCase()] : undefined;
  if (!lineId) problems.push({ line, message: 'lineId is missing' });
  if (!status)
    problems.push({
      line,
      message: `status ${JSON.stringify(raw.status)} is not paid or returned`,
    });
  if (!lineId || !status) return null;
  const record: ResultRecord = { lineId, status };
  if (typeof raw.reason === 'string' && raw.reason.trim()) record.reason = raw.reason.trim();
  if (typeof raw.bankReference === 'string' && raw.bankReference.trim()) {
    record.bankReference = raw.bankReference.trim();
  }
  return record;
}

export function parseResultsFile(
  text: string,
  format: 'csv' | 'ndjson',
): { records: ResultRecord[]; problems: ResultsFileProblem[] } {
  const problems: ResultsFileProblem[] = [];
  const records: ResultRecord[] = [];
  if (format === 'ndjson') {
    text.split(/\r?\n/).forEach((lineText, i) => {
      if (!lineText.trim()) return;
      try {
        const parsed = JSON.parse(lineText) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          problems.push({ line: i + 1, message: 'not a JSON object' });
          return;
        }
        const record = toRecord(parsed as Record<string, unknown>, i + 1, problems);
        if (record) records.push(record);
      } catch {
        problems.push({ line: i + 1, message: 'not valid JSON' });
      }
    });
    return { records, problems };
  }
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? null);
  if (!header.includes('lineId') || !header.includes('status')) {
    return { records, problems: [{ line: 1, message: 'the header must name lineId and status' }] };
  }
  rows.slice(1).forEach((cells, i) => {
    if (cells.every((cell) => cell.trim() === '')) return;
    const raw: Record<string, unknown> = {};
    header.forEach((key, column) => {
      if (key) raw[key] = cells[column] ?? '';
    });
    const record = toRecord(raw, i + 2, problems);
    if (record) records.push(record);
  });
  return { records, problems };
}
