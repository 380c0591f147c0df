import { invalid } from '../../errors.ts';
import { CURRENCIES, type Currency } from '../record.ts';

// Both currencies Vklad keeps (RUB, USD) have two decimal places.

/** A provider's currency code (any case) as a ledger currency, or a 400 naming the field. */
export function currencyOf(value: unknown, field: string): Currency {
  const code = typeof value === 'string' ? value.toUpperCase() : '';
  const currency = CURRENCIES.find((c) => c === code);
  if (!currency) throw invalid([{ field, reason: `must be one of ${CURRENCIES.join(', ')}` }], `Unsupported currency in ${field}`);
  return currency;
}

// Up to 13 integer digits keeps every amount in minor units a safe integer.
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * A positive decimal amount ("1500", "1500.5", "1500.50") as minor units, read digit by digit so no
 * binary fraction creeps in. A JSON number is read through its shortest decimal form.
 */
export function minorUnitsOf(value: unknown, field: string): number {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match) throw invalid([{ field, reason: 'must be a positive amount with at most two decimal places, like 1500.00' }]);
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (minor <= 0) throw invalid([{ field, reason: 'must be greater than zero' }]);
  return minor;
}

/** A whole number of minor units as a provider sends it (Stripe does), or a 400 naming the field. */
export function wholeMinorUnits(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid([{ field, reason: 'must be a positive whole number of minor units' }]);
  }
  return value;
}

/** The month (YYYY-MM) an instant falls in, on the calendar of `timeZone`. */
export function monthOf(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}`;
}
