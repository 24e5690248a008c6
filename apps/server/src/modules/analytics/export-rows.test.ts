import { describe, expect, it } from 'vitest';
import { csvLine, localTimeFormatter, xlsxCell } from './export-rows.ts';

describe('export rows', () => {
  it('CSV quotes commas, quotes and line breaks, and defuses formulas typed as names', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 3, null])).toBe('a,"b,c","say ""hi""","two\nlines",3,\r\n');
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1)\r\n`);
    expect(xlsxCell('=1+1')).toBe("'=1+1");
    expect(xlsxCell(-5)).toBe(-5);
  });

  it('local times carry the offset of the instant: both 02:30 of the Berlin autumn night differ', () => {
    const time = localTimeFormatter('Europe/Berlin');
    expect(time(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25T02:30:00+02:00');
    expect(time(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25T02:30:00+01:00');
    expect(time(null)).toBe('');
    expect(localTimeFormatter('UTC')(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z');
    expect(localTimeFormatter('Asia/Kathmandu')(Date.UTC(2026, 0, 1))).toBe('2026-01-01T05:45:00+05:45');
  });
});
