import { describe, expect, it } from 'vitest';
import { parseCsv, parseResultsFile } from './results-file.js';

describe('parseResultsFile', () => {
  it('reads CSV with quoted reasons, Chinese headers and status words', () => {
    const text =
      '\uFEFF明细号,状态,原因\r\nL1,成功,\r\nL2,退票,"户名不符, 请核实"\r\n\r\nL3,maybe,x\r\n';
    const { records, problems } = parseResultsFile(text, 'csv');
    expect(records).toEqual([
      { lineId: 'L1', status: 'paid' },
      { lineId: 'L2', status: 'returned', reason: '户名不符, 请核实' },
    ]);
    expect(problems).toEqual([{ line: 5, message: 'status "maybe" is not paid or returned' }]);
  });

  it('reads NDJSON and names bad lines', () => {
    const text =
      '{"lineId":"L1","status":"paid","bankReference":"B1"}\nnot json\n{"lineId":"","status":"paid"}\n';
    const { records, problems } = parseResultsFile(text, 'ndjson');
    expect(records).toEqual([{ lineId: 'L1', status: 'paid', bankReference: 'B1' }]);
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('refuses a CSV without the needed columns', () => {
    expect(parseResultsFile('a,b\n1,2\n', 'csv').problems).toEqual([
      { line: 1, message: 'the header must name lineId and status' },
    ]);
  });

  it('splits CSV per RFC 4180', () => {
    expect(parseCsv('a,"b ""q""",c\n"x\ny",z')).toEqual([
      ['a', 'b "q"', 'c'],
      ['x\ny', 'z'],
    ]);
  });
});
