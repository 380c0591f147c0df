import { describe, expect, it } from 'vitest';
import { PaymentSourceSettings } from '../../../src/payments/providers/settings.ts';
import { readStripeEvent } from '../../../src/payments/providers/stripe-events.ts';
import { fixtureJson } from './fixtures.ts';

const live = PaymentSourceSettings.parse({});

const failsOn = (event: unknown, field: string, settings = live) =>
  expect(() => readStripeEvent(event, settings)).toThrow(
    expect.objectContaining({ code: 'validation_failed', errors: expect.arrayContaining([expect.objectContaining({ field })]) }),
  );

describe('reading Stripe events', () => {
  it('invoice.paid is a subscription payment for the month its subscription line starts, in the community time zone', () => {
    expect(readStripeEvent(fixtureJson('stripe/invoice.paid.json'), live)).toEqual({
      kind: 'payment',
      notice: {
        provider: 'stripe',
        provider_payment_id: 'pi_3SIvkKAbCdEfGh01',
        member: { member_id: 42 },
        amount: 1000,
        currency: 'USD',
        // The line starts 2025-10-31T21:00Z, which is 1 November in Moscow.
        period: '2025-11',
        occurred_at: '2025-10-15T11:49:50.000Z',
      },
    });
    const utc = PaymentSourceSettings.parse({ timezone: 'UTC' });
    expect(readStripeEvent(fixtureJson('stripe/invoice.paid.json'), utc)).toMatchObject({ notice: { period: '2025-10' } });
  });

  it('reads newer API versions: payment intent from the invoice payments, the customer as an identity', () => {
    expect(readStripeEvent(fixtureJson('stripe/invoice.paid.basil.json'), live)).toEqual({
      kind: 'payment',
      notice: {
        provider: 'stripe',
        provider_payment_id: 'pi_3SIvkKAbCdEfGh02',
        member: { provider: 'stripe', external_id: 'cus_TEuLrX4mB7' },
        amount: 99_000,
        currency: 'RUB',
        period: '2025-11',
        occurred_at: '2025-10-15T11:50:50.000Z',
      },
    });
    const linked = PaymentSourceSettings.parse({ identity_provider: 'billing' });
    expect(readStripeEvent(fixtureJson('stripe/invoice.paid.basil.json'), linked)).toMatchObject({
      notice: { member: { provider: 'billing', external_id: 'cus_TEuLrX4mB7' } },
    });
  });

  it('takes the member from subscription metadata first, then invoice, then line metadata', () => {
    const event = fixtureJson('stripe/invoice.paid.basil.json');
    event.data.object.lines.data[0].metadata = { vklad_member_id: '9' };
    expect(readStripeEvent(event, live)).toMatchObject({ notice: { member: { member_id: 9 } } });
    event.data.object.metadata = { vklad_member_id: '8' };
    expect(readStripeEvent(event, live)).toMatchObject({ notice: { member: { member_id: 8 } } });
    event.data.object.parent.subscription_details.metadata = { vklad_member_id: '7' };
    expect(readStripeEvent(event, live)).toMatchObject({ notice: { member: { member_id: 7 } } });
  });

  it('charge.refunded gives each succeeded refund with its own id, against the payment intent', () => {
    expect(readStripeEvent(fixtureJson('stripe/charge.refunded.json'), live)).toEqual({
      kind: 'refunds',
      notices: [
        { provider: 'stripe', provider_payment_id: 'pi_3SIvkKAbCdEfGh01', provider_refund_id: 're_3SIvkKAbCdEfGh01b', kind: 'refund', amount: 300, occurred_at: '2025-10-15T11:54:50.000Z' },
        { provider: 'stripe', provider_payment_id: 'pi_3SIvkKAbCdEfGh01', provider_refund_id: 're_3SIvkKAbCdEfGh01a', kind: 'refund', amount: 100, occurred_at: '2025-10-15T11:53:20.000Z' },
      ],
    });
  });

  it('charge.refunded without the refunds list refunds what the refunded total grew by', () => {
    expect(readStripeEvent(fixtureJson('stripe/charge.refunded.no-list.json'), live)).toEqual({
      kind: 'refunds',
      notices: [
        { provider: 'stripe', provider_payment_id: 'pi_3SIvkKAbCdEfGh02', provider_refund_id: 'ch_3SIvkKAbCdEfGh02:refunded:99000', kind: 'refund', amount: 50_000, occurred_at: '2025-10-15T11:56:40.000Z' },
      ],
    });
    const event = fixtureJson('stripe/charge.refunded.no-list.json');
    delete event.data.previous_attributes;
    failsOn(event, 'data.previous_attributes.amount_refunded');
  });

  it('charge.dispute.created is a chargeback of the disputed amount', () => {
    expect(readStripeEvent(fixtureJson('stripe/charge.dispute.created.json'), live)).toEqual({
      kind: 'refunds',
      notices: [
        { provider: 'stripe', provider_payment_id: 'pi_3SIvkKAbCdEfGh01', provider_refund_id: 'dp_1SIvkMAbCdEfGh01', kind: 'chargeback', amount: 1000, occurred_at: '2025-10-15T11:58:00.000Z' },
      ],
    });
  });

  it('ignores other event types, test-mode events on a live source, and invoices that paid nothing', () => {
    expect(readStripeEvent(fixtureJson('stripe/customer.created.json'), live)).toEqual({ kind: 'ignored', reason: 'event type customer.created is not a payment' });
    const test = { ...fixtureJson('stripe/invoice.paid.json'), livemode: false };
    expect(readStripeEvent(test, live)).toMatchObject({ kind: 'ignored' });
    expect(readStripeEvent(test, PaymentSourceSettings.parse({ test_mode: true }))).toMatchObject({ kind: 'payment' });
    const free = fixtureJson('stripe/invoice.paid.json');
    free.data.object.amount_paid = 0;
    expect(readStripeEvent(free, live)).toEqual({ kind: 'ignored', reason: 'invoice paid nothing' });
  });

  it('refuses malformed events of handled types, naming the field', () => {
    const invoice = () => fixtureJson('stripe/invoice.paid.json');
    const set = (event: any, mutate: (o: any) => void) => (mutate(event.data.object), event);
    failsOn(set(invoice(), (o) => (o.currency = 'eur')), 'data.object.currency');
    failsOn(set(invoice(), (o) => (o.amount_paid = 10.5)), 'data.object.amount_paid');
    failsOn(set(invoice(), (o) => (o.amount_paid = -100)), 'data.object.amount_paid');
    failsOn(set(invoice(), (o) => (o.amount_paid = '1000')), 'data.object.amount_paid');
    failsOn(set(invoice(), (o) => (o.lines.data = [])), 'data.object.lines.data');
    failsOn(set(invoice(), (o) => delete o.lines.data[0].period), 'data.object.lines.data.0.period');
    failsOn(set(invoice(), (o) => (o.subscription_details.metadata.vklad_member_id = 'anna')), 'data.object.subscription_details.metadata.vklad_member_id');
    failsOn(set(invoice(), (o) => ((o.subscription_details = null), (o.customer = null))), 'data.object.customer');
    failsOn(set(fixtureJson('stripe/charge.refunded.json'), (o) => (o.currency = 'gbp')), 'data.object.currency');
    failsOn(set(fixtureJson('stripe/charge.refunded.json'), (o) => (o.refunds.data[0].amount = 0)), 'data.object.refunds.data.0.amount');
    failsOn(set(fixtureJson('stripe/charge.dispute.created.json'), (o) => delete o.amount), 'data.object.amount');
    failsOn({ ...invoice(), data: null }, 'data');
    failsOn('not an event', '(body)');
    failsOn({ type: 'invoice.paid' }, 'id');
  });
});
