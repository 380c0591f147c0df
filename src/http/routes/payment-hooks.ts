import type { Context } from 'hono';
import { VkladError, notFound } from '../../errors.ts';
import { type HookRequest, type PaymentProvider, cloudpayments, stripe } from '../../payments/providers/providers.ts';
import { recordOutcome } from '../../payments/providers/record-outcome.ts';
import { paymentSettings } from '../../payments/providers/settings.ts';
import { recordDelivery } from '../../sources/deliveries.ts';
import { activeSource } from '../../sources/registry.ts';
import { readRawBody } from '../body.ts';
import type { App, Deps } from '../env.ts';

/** Far beyond a Stripe invoice event or a CloudPayments notification. */
export const PAYMENT_HOOK_BODY_BYTES = 1024 * 1024;

/**
 * POST /hooks/stripe and /hooks/cloudpayments (the sources named so), or /hooks/<provider>/{name} for
 * another registered source of that kind. Outside the API's bearer keys: the provider's signature on
 * the raw bytes is checked before anything is read or stored, and every outcome is counted for the source.
 */
export function paymentHookRoutes(app: App, deps: Deps): void {
  for (const provider of [stripe, cloudpayments]) {
    app.post(`/hooks/${provider.kind}`, (c) => receive(c, deps, provider, provider.kind));
    app.post(`/hooks/${provider.kind}/:name`, (c) => receive(c, deps, provider, c.req.param('name')));
  }
}

async function receive(c: Context, deps: Deps, provider: PaymentProvider, name: string): Promise<Response> {
  const source = await activeSource(deps.db, name, provider.kind);
  // As for every source kind: an unknown or disabled source is not found and not counted.
  if (!source) throw notFound(`${provider.kind === 'stripe' ? 'Stripe' : 'CloudPayments'} source ${name}`);
  const at = deps.now();
  try {
    const request: HookRequest = {
      body: await readRawBody(c.req.raw, PAYMENT_HOOK_BODY_BYTES),
      header: (header) => c.req.header(header),
      query: (key) => c.req.query(key),
      now: at,
    };
    provider.verify(request, source.secret);
    const outcome = provider.read(request, paymentSettings(name, source.settings));
    const result = await recordOutcome(deps.db, outcome, `source:${name}`);
    await recordDelivery(deps.db, name, { ...result, at });
    return c.json(provider.answer(result) as object);
  } catch (error) {
    if (error instanceof VkladError && error.status < 500) {
      await recordDelivery(deps.db, name, { status: 'rejected', reason: rejection(error), at });
    }
    throw error;
  }
}

/** Why a delivery was refused, in our words: the message and the fields it names (with the ids they concern), never the body. */
const rejection = (error: VkladError): string =>
  [error.message, ...error.errors.map((e) => `${e.field} ${e.reason}`)].join('; ');
