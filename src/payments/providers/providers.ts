import { VkladError } from '../../errors.ts';
import { notificationType, readCloudPaymentsBody, readCloudPaymentsNotification } from './cloudpayments-notifications.ts';
import { verifyCloudPaymentsHmac } from './cloudpayments-signature.ts';
import type { ProviderOutcome } from './notices.ts';
import type { PaymentSourceSettings } from './settings.ts';
import { readStripeEvent } from './stripe-events.ts';
import { verifyStripeSignature } from './stripe-signature.ts';

/** A provider's request as its hook sees it: the raw bytes (what was signed), headers, query and our clock. */
export interface HookRequest {
  body: Uint8Array;
  header(name: string): string | undefined;
  query(name: string): string | undefined;
  now: Date;
}

/** What Vklad did with a notification, for the answer and the delivery log. */
export interface HookResult {
  status: 'accepted' | 'duplicate' | 'ignored';
  /** Why it was ignored. */
  reason?: string;
}

/** One payment provider: how its requests are signed, what they say, and what it expects back. */
export interface PaymentProvider {
  kind: 'stripe' | 'cloudpayments';
  /** Throws 400/401 unless the request was signed with `secret`; runs before anything else reads the body. */
  verify(request: HookRequest, secret: string): void;
  read(request: HookRequest, settings: PaymentSourceSettings): ProviderOutcome;
  /** The success body the provider waits for. */
  answer(result: HookResult): unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonOf(body: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new VkladError('malformed_body', 'The body is not valid UTF-8 JSON', [{ field: '(body)', reason: (error as Error).message }]);
  }
}

export const stripe: PaymentProvider = {
  kind: 'stripe',
  verify: (request, secret) => verifyStripeSignature(request.header('stripe-signature'), request.body, secret, Math.floor(request.now.getTime() / 1000)),
  read: (request, settings) => readStripeEvent(jsonOf(request.body), settings),
  answer: (result) => result,
};

export const cloudpayments: PaymentProvider = {
  kind: 'cloudpayments',
  verify: (request, secret) =>
    verifyCloudPaymentsHmac({ content: request.header('content-hmac'), xContent: request.header('x-content-hmac') }, request.body, secret),
  read: (request, settings) => {
    const fields = readCloudPaymentsBody(request.body, request.header('content-type') ?? '');
    return readCloudPaymentsNotification(notificationType(request.query('type'), fields), fields, settings);
  },
  // CloudPayments takes {"code":0} as "received"; anything else, or no answer, is retried.
  answer: () => ({ code: 0 }),
};
