import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPaymentsHmac, verifyCloudPaymentsHmac } from '../../../src/payments/providers/cloudpayments-signature.ts';
import { stripeSignature, verifyStripeSignature } from '../../../src/payments/providers/stripe-signature.ts';
import { fixtureBytes } from './fixtures.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

// Vectors computed outside Vklad from the documented schemes, with openssl:
//   printf '%s' '1760529600.{"id":"evt_test","object":"event"}' | openssl dgst -sha256 -hmac 'whsec_vklad_test_0123456789abcdef' -hex
//   openssl dgst -sha256 -hmac 'cp_api_secret_0123456789abcdef' -binary test/fixtures/payments/cloudpayments/pay.form | base64
const STRIPE_SECRET = 'whsec_vklad_test_0123456789abcdef';
const STRIPE_T = 1760529600;
const STRIPE_BODY = bytes('{"id":"evt_test","object":"event"}');
const STRIPE_V1 = 'abcd26f049857a0ec9f459d5f9442d0fdcebd179c1011d02e50da18a3973a873';
const CP_SECRET = 'cp_api_secret_0123456789abcdef';

describe('Stripe-Signature', () => {
  it('computes v1 as the hex HMAC-SHA256 of "<t>.<body>" (vector from openssl)', () => {
    expect(stripeSignature(STRIPE_SECRET, STRIPE_T, STRIPE_BODY)).toBe(STRIPE_V1);
  });

  it('accepts the vector within the replay window, on either side of our clock', () => {
    const header = `t=${STRIPE_T},v1=${STRIPE_V1}`;
    expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, STRIPE_T)).not.toThrow();
    expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, STRIPE_T + 300)).not.toThrow();
    expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, STRIPE_T - 300)).not.toThrow();
  });

  it('accepts when any of several v1 signatures matches, ignoring v0 and unknown schemes', () => {
    const other = 'f'.repeat(64);
    const header = `t=${STRIPE_T},v1=${other},v0=${'0'.repeat(64)},v1=${STRIPE_V1},x=1`;
    expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, STRIPE_T)).not.toThrow();
  });

  it('refuses a replay: a valid signature whose timestamp is more than 300 s away', () => {
    const header = `t=${STRIPE_T},v1=${STRIPE_V1}`;
    for (const now of [STRIPE_T + 301, STRIPE_T - 301, STRIPE_T + 86_400]) {
      expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, now)).toThrow(expect.objectContaining({ code: 'unauthorized', message: expect.stringContaining('replay') }));
    }
  });

  it('refuses a wrong secret, a changed body, a changed timestamp, and a v0-only header', () => {
    const refuse = (header: string, body = STRIPE_BODY, secret = STRIPE_SECRET) =>
      expect(() => verifyStripeSignature(header, body, secret, STRIPE_T)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    refuse(`t=${STRIPE_T},v1=${STRIPE_V1}`, STRIPE_BODY, 'whsec_another_secret_0123456789');
    refuse(`t=${STRIPE_T},v1=${STRIPE_V1}`, bytes('{"id":"evt_test","object":"event" }'));
    refuse(`t=${STRIPE_T + 1},v1=${STRIPE_V1}`);
    expect(() => verifyStripeSignature(`t=${STRIPE_T},v0=${STRIPE_V1}`, STRIPE_BODY, STRIPE_SECRET, STRIPE_T)).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('answers a missing header 401 and an unreadable one 400 naming the header', () => {
    expect(() => verifyStripeSignature(undefined, STRIPE_BODY, STRIPE_SECRET, STRIPE_T)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    for (const header of ['garbage', `t=soon,v1=${STRIPE_V1}`, `v1=${STRIPE_V1}`, `t=${STRIPE_T}`, `t=${STRIPE_T},v1=abc`]) {
      expect(() => verifyStripeSignature(header, STRIPE_BODY, STRIPE_SECRET, STRIPE_T)).toThrow(
        expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'Stripe-Signature' })] }),
      );
    }
  });
});

describe('CloudPayments Content-HMAC', () => {
  const body = fixtureBytes('cloudpayments/pay.form');

  it('is the base64 HMAC-SHA256 of the raw body with the API secret (vector from openssl)', () => {
    expect(cloudPaymentsHmac(CP_SECRET, body)).toBe('z4RNLRAc9wzKV0Pw7AjKl2Jm+YCGMIgXWblLnTDCXOc=');
    expect(cloudPaymentsHmac(CP_SECRET, bytes('TransactionId=1&Amount=10.00'))).toBe('e3w/L5oNx9POENPXi4jR8seuqY+ikKFWZhBmi2qy2OY=');
  });

  it('accepts the signature in Content-HMAC or in X-Content-HMAC', () => {
    const hmac = cloudPaymentsHmac(CP_SECRET, body);
    expect(() => verifyCloudPaymentsHmac({ content: hmac }, body, CP_SECRET)).not.toThrow();
    expect(() => verifyCloudPaymentsHmac({ xContent: hmac }, body, CP_SECRET)).not.toThrow();
    expect(() => verifyCloudPaymentsHmac({ content: 'bm9wZQ==', xContent: hmac }, body, CP_SECRET)).not.toThrow();
  });

  it('refuses a missing header, a wrong secret, a changed body and garbage', () => {
    const refuse = (headers: { content?: string; xContent?: string }, raw = body) =>
      expect(() => verifyCloudPaymentsHmac(headers, raw, CP_SECRET)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    refuse({});
    refuse({ content: cloudPaymentsHmac('another_api_secret_0123', body) });
    refuse({ content: cloudPaymentsHmac(CP_SECRET, body) }, Buffer.concat([body, bytes('&Amount=1')]));
    refuse({ content: 'not base64 at all!!', xContent: '' });
  });
});

describe('signature invariants', () => {
  const secret = fc.string({ minLength: 16, maxLength: 64 });
  const body = fc.uint8Array({ minLength: 1, maxLength: 512 });

  it('Stripe: what is signed verifies at any time in the window, and any changed byte is refused', () => {
    fc.assert(
      fc.property(secret, body, fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: -300, max: 300 }), fc.nat(), (key, raw, t, skew, at) => {
        const header = `t=${t},v1=${stripeSignature(key, t, raw)}`;
        verifyStripeSignature(header, raw, key, t + skew);
        const tampered = Uint8Array.from(raw);
        tampered[at % raw.length]! ^= 1 + (at % 255);
        expect(() => verifyStripeSignature(header, tampered, key, t)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
      }),
    );
  });

  it('CloudPayments: what is signed verifies, and any changed byte is refused', () => {
    fc.assert(
      fc.property(secret, body, fc.nat(), (key, raw, at) => {
        const hmac = cloudPaymentsHmac(key, raw);
        verifyCloudPaymentsHmac({ content: hmac }, raw, key);
        const tampered = Uint8Array.from(raw);
        tampered[at % raw.length]! ^= 1 + (at % 255);
        expect(() => verifyCloudPaymentsHmac({ content: hmac }, tampered, key)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
      }),
    );
  });
});
