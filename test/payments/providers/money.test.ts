import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyOf, minorUnitsOf, monthOf, wholeMinorUnits } from '../../../src/payments/providers/money.ts';

describe('amounts in minor units', () => {
  it('reads decimal strings exactly', () => {
    expect(minorUnitsOf('1500', 'Amount')).toBe(150_000);
    expect(minorUnitsOf('1500.5', 'Amount')).toBe(150_050);
    expect(minorUnitsOf('1500.50', 'Amount')).toBe(150_050);
    expect(minorUnitsOf('0.01', 'Amount')).toBe(1);
    // 0.29 * 100 is 28.999999999999996 in binary floating point; read as digits it is 29.
    expect(minorUnitsOf('0.29', 'Amount')).toBe(29);
    expect(minorUnitsOf('1.15', 'Amount')).toBe(115);
    expect(minorUnitsOf(990.1, 'Amount')).toBe(99_010);
    expect(minorUnitsOf('9999999999999.99', 'Amount')).toBe(999_999_999_999_999);
  });

  it('every amount with up to two decimals comes back as the integer it was written from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), (minor, asNumber) => {
        const text = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
        if (minor >= 1e15) return; // beyond 13 integer digits, refused below
        expect(minorUnitsOf(asNumber ? Number(text) : text, 'Amount')).toBe(minor);
      }),
    );
  });

  it('refuses what is not a positive amount with at most two decimals, naming the field', () => {
    for (const bad of ['', ' ', '0', '0.00', '-1', '1.005', '1,50', '1e3', 'NaN', '10000000000000', '1.', '.5', null, undefined, {}, -3, 1e21, Number.NaN, 0.001]) {
      expect(() => minorUnitsOf(bad, 'Amount')).toThrow(expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'Amount' })] }));
    }
  });

  it('whole minor units must be positive safe integers', () => {
    expect(wholeMinorUnits(1000, 'amount')).toBe(1000);
    for (const bad of [0, -1, 1.5, '1000', 2 ** 53, null]) {
      expect(() => wholeMinorUnits(bad, 'amount')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });
});

describe('currencies', () => {
  it('knows RUB and USD in any case and refuses the rest', () => {
    expect(currencyOf('rub', 'currency')).toBe('RUB');
    expect(currencyOf('USD', 'currency')).toBe('USD');
    for (const bad of ['eur', 'RUR', '', null, 643]) {
      expect(() => currencyOf(bad, 'currency')).toThrow(expect.objectContaining({ code: 'validation_failed', errors: [{ field: 'currency', reason: 'must be one of RUB, USD' }] }));
    }
  });
});

describe('the month of an instant', () => {
  it('follows the calendar of the time zone', () => {
    const instant = new Date('2025-10-31T21:00:00Z');
    expect(monthOf(instant, 'Europe/Moscow')).toBe('2025-11');
    expect(monthOf(instant, 'UTC')).toBe('2025-10');
    expect(monthOf(new Date('2025-12-31T23:59:59Z'), 'UTC')).toBe('2025-12');
  });
});
