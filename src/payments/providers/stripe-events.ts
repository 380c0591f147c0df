import { z } from '@hono/zod-openapi';
import { invalid } from '../../errors.ts';
import { fieldErrors } from '../../schemas/common.ts';
import { currencyOf, monthOf, wholeMinorUnits } from './money.ts';
import type { MemberRef, ProviderOutcome, RefundNotice } from './notices.ts';
import type { PaymentSourceSettings } from './settings.ts';

export const STRIPE = 'stripe';

/** The metadata key that names a Vklad member on a Stripe subscription, invoice or customer. */
export const MEMBER_METADATA_KEY = 'vklad_member_id';

const id = z.string().min(1).max(255);
const unix = z.number().int().nonnegative();
const metadata = z.record(z.string(), z.string()).nullish();
/** An expandable reference: Stripe sends an id, or the object when expanded. */
const ref = z.union([id, z.object({ id })]).nullish().transform((r) => (typeof r === 'string' ? r : r?.id ?? null));

const Event = z.object({
  id,
  type: z.string(),
  created: unix,
  livemode: z.boolean(),
  data: z.object({ object: z.record(z.string(), z.unknown()), previous_attributes: z.record(z.string(), z.unknown()).nullish() }),
});

const Line = z.object({
  type: z.string().nullish(),
  period: z.object({ start: unix, end: unix }),
  metadata,
  parent: z.object({ type: z.string().nullish() }).nullish(),
});

const Invoice = z.object({
  id,
  customer: ref,
  amount_paid: z.number(),
  currency: z.string(),
  payment_intent: ref,
  charge: ref,
  // Newer API versions list the invoice's payments instead of naming one payment intent.
  payments: z.object({ data: z.array(z.object({ payment: z.object({ payment_intent: ref }).nullish() })) }).nullish(),
  status_transitions: z.object({ paid_at: unix.nullish() }).nullish(),
  metadata,
  subscription_details: z.object({ metadata }).nullish(),
  parent: z.object({ subscription_details: z.object({ metadata }).nullish() }).nullish(),
  lines: z.object({ data: z.array(Line).min(1, 'must list at least one line with its period') }),
});

const Charge = z.object({
  id,
  payment_intent: ref,
  currency: z.string(),
  amount_refunded: z.number().int().nonnegative(),
  refunds: z.object({ data: z.array(z.object({ id, amount: z.number(), status: z.string().nullish(), created: unix })) }).nullish(),
});

const Dispute = z.object({ id, amount: z.number(), currency: z.string(), charge: ref, payment_intent: ref, created: unix });

/** Parses a part of the event; `prefix` is where that part sits, so errors name the field in the event. */
function parse<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const at = (field: string) => (!prefix ? field : field === '(body)' ? prefix : `${prefix}.${field}`);
    throw invalid(fieldErrors(parsed.error).map((e) => ({ ...e, field: at(e.field) })));
  }
  return parsed.data;
}

const iso = (unix_s: number): string => new Date(unix_s * 1000).toISOString();

/**
 * Reads a verified Stripe event: `invoice.paid` is a subscription payment, `charge.refunded` refunds
 * and `charge.dispute.created` a chargeback; every other type, test-mode events on a live source and
 * invoices with nothing paid are ignored. A malformed event of a handled type is a 400 naming the field.
 */
export function readStripeEvent(body: unknown, settings: PaymentSourceSettings): ProviderOutcome {
  const event = parse(Event, body);
  const handler = HANDLERS[event.type];
  if (!handler) return { kind: 'ignored', reason: `event type ${event.type} is not a payment` };
  if (!event.livemode && !settings.test_mode) return { kind: 'ignored', reason: 'test-mode event on a live source' };
  return handler(event, settings);
}

type Handler = (event: z.infer<typeof Event>, settings: PaymentSourceSettings) => ProviderOutcome;

const HANDLERS: Record<string, Handler> = {
  'invoice.paid': (event, settings) => {
    const invoice = parse(Invoice, event.data.object, 'data.object');
    if (invoice.amount_paid === 0) return { kind: 'ignored', reason: 'invoice paid nothing' };
    const amount = wholeMinorUnits(invoice.amount_paid, 'data.object.amount_paid');
    const currency = currencyOf(invoice.currency, 'data.object.currency');
    // The subscription's line says which period is paid for; the invoice's own period is the one before.
    const line = invoice.lines.data.find((l) => l.type === 'subscription' || l.parent?.type === 'subscription_item_details') ?? invoice.lines.data[0]!;
    const paymentIntent = invoice.payment_intent ?? invoice.payments?.data.find((p) => p.payment?.payment_intent)?.payment?.payment_intent;
    return {
      kind: 'payment',
      notice: {
        provider: STRIPE,
        provider_payment_id: paymentIntent ?? invoice.charge ?? invoice.id,
        member: invoiceMember(invoice, line, settings),
        amount,
        currency,
        period: monthOf(new Date(line.period.start * 1000), settings.timezone),
        occurred_at: iso(invoice.status_transitions?.paid_at ?? event.created),
      },
    };
  },

  'charge.refunded': (event) => {
    const charge = parse(Charge, event.data.object, 'data.object');
    currencyOf(charge.currency, 'data.object.currency');
    const payment = charge.payment_intent ?? charge.id;
    const notice = (refund_id: string, amount: number, field: string, created: number): RefundNotice => ({
      provider: STRIPE,
      provider_payment_id: payment,
      provider_refund_id: refund_id,
      kind: 'refund',
      amount: wholeMinorUnits(amount, field),
      occurred_at: iso(created),
    });
    if (charge.refunds) {
      const notices = charge.refunds.data.flatMap((r, i) =>
        r.status === 'succeeded' ? [notice(r.id, r.amount, `data.object.refunds.data.${i}.amount`, r.created)] : [],
      );
      return notices.length > 0 ? { kind: 'refunds', notices } : { kind: 'ignored', reason: 'no succeeded refund listed' };
    }
    // API versions that leave the refunds out: this event's refund is what the refunded total grew by.
    const before = event.data.previous_attributes?.amount_refunded;
    if (typeof before !== 'number') {
      throw invalid([{ field: 'data.previous_attributes.amount_refunded', reason: 'is required when data.object.refunds is absent' }]);
    }
    const delta = charge.amount_refunded - before;
    return { kind: 'refunds', notices: [notice(`${charge.id}:refunded:${charge.amount_refunded}`, delta, 'data.object.amount_refunded', event.created)] };
  },

  'charge.dispute.created': (event) => {
    const dispute = parse(Dispute, event.data.object, 'data.object');
    currencyOf(dispute.currency, 'data.object.currency');
    const payment = dispute.payment_intent ?? dispute.charge;
    if (!payment) throw invalid([{ field: 'data.object.charge', reason: 'is required' }]);
    return {
      kind: 'refunds',
      notices: [
        {
          provider: STRIPE,
          provider_payment_id: payment,
          provider_refund_id: dispute.id,
          kind: 'chargeback',
          amount: wholeMinorUnits(dispute.amount, 'data.object.amount'),
          occurred_at: iso(dispute.created),
        },
      ],
    };
  },
};

/** The member a subscription invoice is for: named in metadata, or the Stripe customer as an identity. */
function invoiceMember(invoice: z.infer<typeof Invoice>, line: z.infer<typeof Line>, settings: PaymentSourceSettings): MemberRef {
  const sources: [string, Record<string, string> | null | undefined][] = [
    ['data.object.parent.subscription_details.metadata', invoice.parent?.subscription_details?.metadata],
    ['data.object.subscription_details.metadata', invoice.subscription_details?.metadata],
    ['data.object.metadata', invoice.metadata],
    ['data.object.lines.data.metadata', line.metadata],
  ];
  for (const [field, values] of sources) {
    const named = values?.[MEMBER_METADATA_KEY];
    if (named === undefined) continue;
    if (!/^[1-9]\d{0,15}$/.test(named) || !Number.isSafeInteger(Number(named))) {
      throw invalid([{ field: `${field}.${MEMBER_METADATA_KEY}`, reason: 'must be a Vklad member id (a positive whole number)' }]);
    }
    return { member_id: Number(named) };
  }
  if (!invoice.customer) {
    throw invalid([{ field: 'data.object.customer', reason: `is required when no ${MEMBER_METADATA_KEY} metadata names the member` }]);
  }
  return { provider: settings.identity_provider ?? STRIPE, external_id: invoice.customer };
}
