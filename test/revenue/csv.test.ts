import { describe, expect, it } from 'vitest';
import { csvLine, decimal } from '../../src/revenue/statement.ts';

describe('CSV and amounts for people', () => {
  it('writes minor units as decimals in the currency\'s scale', () => {
    expect([decimal(12345, 'RUB'), decimal(-42, 'RUB'), decimal(5, 'USD'), decimal(0, 'RUB')]).toEqual(['123.45', '-0.42', '0.05', '0.00']);
  });

  it('quotes separators and keeps a spreadsheet from running text as a formula', () => {
    expect(csvLine(['=HYPERLINK("x")', '-0.42', -42, 'a,b', '+7 900', '@sum'])).toBe(`"'=HYPERLINK(""x"")",-0.42,-42,"a,b",'+7 900,'@sum\r\n`);
  });
});
