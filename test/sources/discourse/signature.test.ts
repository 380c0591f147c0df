import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discourseSignature, signatureMatches } from '../../../src/sources/discourse/signature.ts';

const vector = JSON.parse(readFileSync(new URL('../../fixtures/vectors/discourse-webhook-signature.json', import.meta.url), 'utf8'));

describe('Discourse webhook signature', () => {
  it('matches the vector from Discourse\'s own test suite', () => {
    const body = Buffer.from(vector.body);
    expect(discourseSignature(vector.secret, body)).toBe(vector.expected);
    expect(signatureMatches(vector.secret, body, vector.expected)).toBe(true);
    expect(signatureMatches(vector.secret, body, vector.expected.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
  });

  it('refuses a missing, malformed, truncated or differently keyed signature', () => {
    const body = Buffer.from(vector.body);
    for (const header of [undefined, '', 'sha256=', vector.expected.slice(7), vector.expected.slice(0, -2), `sha1=${vector.expected.slice(7)}`, `${vector.expected}00`]) {
      expect(signatureMatches(vector.secret, body, header)).toBe(false);
    }
    expect(signatureMatches(`${vector.secret}x`, body, vector.expected)).toBe(false);
  });

  it('signs the raw bytes: any change to the body breaks it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const header = discourseSignature('secret-0123456789abcdef', bytes);
        expect(signatureMatches('secret-0123456789abcdef', bytes, header)).toBe(true);
        const changed = Uint8Array.from(bytes);
        changed[at % changed.length]! ^= flip;
        expect(signatureMatches('secret-0123456789abcdef', changed, header)).toBe(false);
      }),
    );
  });
});
