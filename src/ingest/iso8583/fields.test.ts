import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS, formatIn } from './fields.js';

describe('the field table', () => {
  it('is documented row by row in README.md', () => {
    const readme = fs.readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Fields'), readme.indexOf('## From message'));
    const documented = [...section.matchAll(/^\|\s*(\d+)\s*\|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual([1, ...FIELDS.keys()]);
  });

  it('gives every field a sane format', () => {
    for (const spec of FIELDS.values()) {
      expect(spec.length).toBeGreaterThan(0);
      expect(spec.length).toBeLessThanOrEqual(spec.lengthType === 'LLVAR' ? 99 : 999);
      expect(formatIn(spec, 'ascii').length).toBeGreaterThan(0);
      if (spec.bcd !== undefined) expect(['n', 'z']).toContain(spec.format);
      if (spec.gbk) expect(spec.format).toBe('ans');
    }
  });
});
