import { describe, expect, it } from 'vitest';
import { parseResults, RESULT_LINES_MAX, splitCsvLine } from './results-file';

const A = '0b7c5e1a-1111-4a4a-8a8a-000000000001';
const B = '0b7c5e1a-1111-4a4a-8a8a-000000000002';

describe('the bank results a person uploads or pastes', () => {
  it('reads a headerless CSV in the documented column order', () => {
    expect(parseResults(`${A},paid,,BR001\n${B},returned,账户已冻结,BR002\n`)).toEqual({
      results: [
        { lineId: A, status: 'paid', bankReference: 'BR001' },
        { lineId: B, status: 'returned', reason: '账户已冻结', bankReference: 'BR002' },
      ],
      problems: [],
    });
  });

  it('takes a Chinese header in any order, a byte-order mark and Windows line ends', () => {
    const text = `\uFEFF退票原因,处理结果,明细号\r\n,成功,${A}\r\n户名不符,退票,${B}\r\n`;
    expect(parseResults(text).results).toEqual([
      { lineId: A, status: 'paid' },
      { lineId: B, status: 'returned', reason: '户名不符' },
    ]);
  });

  it('reads NDJSON, and names each line it cannot use by its number', () => {
    const text = [
      JSON.stringify({ lineId: A, status: 'paid' }),
      '{not json',
      JSON.stringify({ lineId: B, status: 'maybe' }),
      ',paid',
      JSON.stringify({ lineId: B, status: 'returned', reason: 'Account closed' }),
    ].join('\n');
    expect(parseResults(text)).toEqual({
      results: [
        { lineId: A, status: 'paid' },
        { lineId: B, status: 'returned', reason: 'Account closed' },
      ],
      problems: [
        { line: 2, problem: 'not_json' },
        { line: 3, problem: 'unknown_status' },
        { line: 4, problem: 'missing_line_id' },
      ],
    });
  });

  it('keeps quoted commas and doubled quotes in a reason', () => {
    expect(splitCsvLine(`${A},returned,"户名不符, 请核实 ""张三""",X1`)).toEqual([
      A,
      'returned',
      '户名不符, 请核实 "张三"',
      'X1',
    ]);
  });

  it('stops at the line limit and says where', () => {
    const lines = Array.from({ length: RESULT_LINES_MAX + 2 }, () => `${A},paid`);
    const parsed = parseResults(lines.join('\n'));
    expect(parsed.results).toHaveLength(RESULT_LINES_MAX);
    expect(parsed.problems).toEqual([{ line: RESULT_LINES_MAX + 1, problem: 'too_many_lines' }]);
  });
});
