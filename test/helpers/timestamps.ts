import fc from 'fast-check';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * ISO 8601 timestamps as event schemas accept them: seconds, an optional fraction of up to
 * `maxFractionDigits` digits, `Z` or an offset.
 */
export function isoTimestamp({ maxFractionDigits }: { maxFractionDigits: number }): fc.Arbitrary<string> {
  const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });
  const fraction = fc.option(fc.stringMatching(new RegExp(`^\\d{1,${maxFractionDigits}}$`)), { nil: undefined });
  const offset = fc.oneof(
    fc.constant('Z'),
    fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
  );
  return fc.tuple(date, fraction, offset).map(([d, digits, zone]) => {
    const wall = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    return `${wall}${digits === undefined ? '' : `.${digits}`}${zone}`;
  });
}
