import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudPaymentsHmac } from '../../../src/payments/providers/cloudpayments-signature.ts';
import { stripeSignature } from '../../../src/payments/providers/stripe-signature.ts';
import { sourceStatus } from '../../../src/sources/deliveries.ts';
import { registerSource } from '../../../src/sources/registry.ts';
import { createMembers } from '../../../src/store/members.ts';
import { type Api, apiFor } from '../../helpers/api.ts';
import { STORES, type TestStore } from '../../helpers/stores.ts';
import { fixtureBytes, fixtureJson } from './fixtures.ts';

const NOW = new Date('2025-10-15T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const STRIPE_SECRET = 'whsec_vklad_test_0123456789abcdef';
const CP_SECRET = 'cp_api_secret_0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded';

describe.each(STORES)('payment provider webhooks ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  let anna: number;
  let boris: number;
  beforeAll(async () => {
    store = await kind.open();
    api = apiFor(store.db, { key: null, now: NOW });
    await registerSource(store.db, { name: 'stripe', kind: 'stripe', secret: STRIPE_SECRET }, 'test');
    await registerSource(store.db, { name: 'cloudpayments', kind: 'cloudpayments', secret: CP_SECRET }, 'test');
    [anna, boris] = await createMembers(
      store.db,
      [
        { display_name: 'Anna', identities: [{ provider: 'cloudpayments', external_id: 'platform-user-314' }] },
        { display_name: 'Boris', identities: [{ provider: 'stripe', external_id: 'cus_TEuLrX4mB7' }] },
      ],
      'test',
    ) as [number, number];
  });
  afterAll(() => store.destroy());

  const counts = async () => {
    const [row] = await store.db.query<{ payments: number; refunds: number; transactions: number }>(
      `select (select count(*)::int from payments) as payments, (select count(*)::int from payment_refunds) as refunds,
              (select count(*)::int from transactions) as transactions`,
    );
    return row!;
  };
  const payment = async (provider: string, id: string) =>
    (await store.db.query<any>('select member_id::int, amount::int, currency, period, occurred_at from payments where provider = $1 and provider_payment_id = $2', [provider, id]))[0];
  const refunds = async (provider: string) =>
    store.db.query<any>('select provider_refund_id, kind, amount::int from payment_refunds where provider = $1 order by provider_refund_id', [provider]);

  // Stripe: the body is signed as sent, with our clock's time unless told otherwise.
  const toStripe = (body: string, { secret = STRIPE_SECRET, t = NOW_S, header, path = '/hooks/stripe' }: { secret?: string; t?: number; header?: string; path?: string } = {}) =>
    api.request('POST', path, body, {
      'content-type': 'application/json; charset=utf-8',
      ...(header === '' ? {} : { 'stripe-signature': header ?? `t=${t},v1=${stripeSignature(secret, t, Buffer.from(body))}` }),
    });
  const stripeEvent = (name: string, edit: (event: any) => void = () => {}) => {
    const event = fixtureJson(`stripe/${name}.json`);
    edit(event);
    return JSON.stringify(event);
  };
  const annaInvoice = (edit: (invoice: any) => void = () => {}) =>
    stripeEvent('invoice.paid', (e) => {
      e.data.object.subscription_details.metadata.vklad_member_id = String(anna);
      edit(e.data.object);
    });

  const toCloudPayments = (body: Buffer | string, { type = 'pay', contentType = FORM, secret = CP_SECRET, header = 'content-hmac' } = {}) => {
    const bytes = Buffer.from(body);
    return api.request('POST', `/hooks/cloudpayments${type ? `?type=${type}` : ''}`, bytes, {
      'content-type': contentType,
      ...(header ? { [header]: cloudPaymentsHmac(secret, bytes) } : {}),
    });
  };

  describe('Stripe', () => {
    it('records invoice.paid as the member\'s payment for the period, and a retry records nothing more', async () => {
      const before = await counts();
      const body = annaInvoice();
      const res = await toStripe(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'accepted' });
      expect(await payment('stripe', 'pi_3SIvkKAbCdEfGh01')).toMatchObject({ member_id: anna, amount: 1000, currency: 'USD', period: '2025-11' });
      expect(await counts()).toEqual({ ...before, payments: before.payments + 1, transactions: before.transactions + 1 });

      const again = await toStripe(body, { t: NOW_S - 60 });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate' });
      expect(await counts()).toEqual({ ...before, payments: before.payments + 1, transactions: before.transactions + 1 });
      expect((await sourceStatus(store.db, 'stripe')).counts).toMatchObject({ accepted: 1, duplicate: 1 });
    });

    it('records each succeeded refund of charge.refunded once, by its refund id', async () => {
      const body = stripeEvent('charge.refunded');
      expect((await toStripe(body)).body).toEqual({ status: 'accepted' });
      expect(await refunds('stripe')).toEqual([
        { provider_refund_id: 're_3SIvkKAbCdEfGh01a', kind: 'refund', amount: 100 },
        { provider_refund_id: 're_3SIvkKAbCdEfGh01b', kind: 'refund', amount: 300 },
      ]);
      const before = await counts();
      expect((await toStripe(body)).body).toEqual({ status: 'duplicate' });
      expect(await counts()).toEqual(before);
    });

    it('records a customer linked as an identity, and a refund told only by the refunded total', async () => {
      expect((await toStripe(stripeEvent('invoice.paid.basil'))).body).toEqual({ status: 'accepted' });
      expect(await payment('stripe', 'pi_3SIvkKAbCdEfGh02')).toMatchObject({ member_id: boris, amount: 99_000, currency: 'RUB', period: '2025-11' });
      expect((await toStripe(stripeEvent('charge.refunded.no-list'))).body).toEqual({ status: 'accepted' });
      expect(await refunds('stripe')).toContainEqual({ provider_refund_id: 'ch_3SIvkKAbCdEfGh02:refunded:99000', kind: 'refund', amount: 50_000 });
    });

    it('records charge.dispute.created as a chargeback of the payment', async () => {
      const paid = annaInvoice((o) => (o.payment_intent = 'pi_disputed_01'));
      expect((await toStripe(paid)).body).toEqual({ status: 'accepted' });
      const dispute = stripeEvent('charge.dispute.created', (e) => (e.data.object.payment_intent = 'pi_disputed_01'));
      expect((await toStripe(dispute)).body).toEqual({ status: 'accepted' });
      expect(await refunds('stripe')).toContainEqual({ provider_refund_id: 'dp_1SIvkMAbCdEfGh01', kind: 'chargeback', amount: 1000 });
      const before = await counts();
      expect((await toStripe(dispute)).body).toEqual({ status: 'duplicate' });
      expect(await counts()).toEqual(before);
    });

    it('answers other event types 200 and records them as ignored', async () => {
      const before = await counts();
      const res = await toStripe(stripeEvent('customer.created'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ignored', reason: 'event type customer.created is not a payment' });
      expect(await counts()).toEqual(before);
      expect((await sourceStatus(store.db, 'stripe')).counts.ignored).toBeGreaterThanOrEqual(1);
    });

    it('refuses a wrong secret, a replay, a missing or unreadable signature and an unknown source, storing nothing', async () => {
      const before = await counts();
      const body = annaInvoice((o) => (o.payment_intent = 'pi_never_01'));
      const refusals = [
        [await toStripe(body, { secret: 'whsec_someone_else_0123456789' }), 401],
        [await toStripe(body, { t: NOW_S - 301 }), 401],
        [await toStripe(body, { t: NOW_S + 301 }), 401],
        [await toStripe(body, { header: '' }), 401],
        [await toStripe(body, { header: 'v1=abc' }), 400],
        [await toStripe(body, { path: '/hooks/stripe/nope' }), 404],
      ] as const;
      for (const [res, status] of refusals) {
        expect(res.status).toBe(status);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(refusals[1][0].body.detail).toContain('replay');
      expect(await counts()).toEqual(before);
      const status = await sourceStatus(store.db, 'stripe');
      expect(status.counts.rejected).toBeGreaterThanOrEqual(5);
      expect(status.recent_rejects[0]!.reason).toContain('Stripe-Signature');
      expect(status.recent_rejects[0]!.reason).not.toContain('pi_never_01');
    });

    it('refuses signed bodies it cannot record with a 400 naming the field, storing nothing', async () => {
      const before = await counts();
      const bad: [string, string][] = [
        [annaInvoice((o) => ((o.payment_intent = 'pi_bad_1'), (o.currency = 'eur'))), 'data.object.currency'],
        [annaInvoice((o) => ((o.payment_intent = 'pi_bad_2'), (o.amount_paid = 10.5))), 'data.object.amount_paid'],
        [annaInvoice((o) => ((o.payment_intent = 'pi_bad_3'), (o.lines.data = []))), 'data.object.lines.data'],
        [annaInvoice((o) => ((o.payment_intent = 'pi_bad_4'), (o.subscription_details.metadata = {}), (o.customer = 'cus_unlinked'))), 'member.external_id'],
        [annaInvoice((o) => ((o.payment_intent = 'pi_bad_5'), (o.subscription_details.metadata.vklad_member_id = '999999'))), 'member.member_id'],
        [stripeEvent('charge.dispute.created', (e) => ((e.data.object.id = 'dp_unknown'), (e.data.object.payment_intent = 'pi_unknown'))), 'provider_payment_id'],
        ['{"id": "evt_1", "type": "invoice.paid",', '(body)'],
        ['[]', '(body)'],
      ];
      for (const [body, field] of bad) {
        const res = await toStripe(body);
        expect(res.status, body.slice(0, 80)).toBe(400);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field }));
      }
      expect(await counts()).toEqual(before);
    });

    it('refuses a body over 1 MiB before reading it; a disabled source, or one of another kind, is not found', async () => {
      const before = await counts();
      const huge = annaInvoice((o) => ((o.payment_intent = 'pi_huge'), (o.description = 'x'.repeat(1024 * 1024))));
      expect((await toStripe(huge)).status).toBe(413);
      await registerSource(store.db, { name: 'stripe-old', kind: 'stripe', secret: STRIPE_SECRET }, 'test');
      await store.db.query("update sources set disabled_at = now() where name = 'stripe-old'");
      const res = await toStripe(annaInvoice((o) => (o.payment_intent = 'pi_disabled')), { path: '/hooks/stripe/stripe-old' });
      expect(res.status).toBe(404);
      expect((await sourceStatus(store.db, 'stripe-old')).counts).toEqual({ accepted: 0, duplicate: 0, ignored: 0, rejected: 0 });
      expect((await toStripe(annaInvoice(), { path: '/hooks/stripe/cloudpayments', secret: CP_SECRET })).status).toBe(404);
      expect(await counts()).toEqual(before);
    });
  });

  describe('CloudPayments', () => {
    it('records Pay as the payer\'s payment, answers {"code":0}, and answers a retry alike without recording twice', async () => {
      const body = fixtureBytes('cloudpayments/pay.form');
      const before = await counts();
      const res = await toCloudPayments(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 0 });
      expect(await payment('cloudpayments', '2846195201')).toMatchObject({ member_id: anna, amount: 150_050, currency: 'RUB', period: '2025-10' });
      expect(await counts()).toEqual({ ...before, payments: before.payments + 1, transactions: before.transactions + 1 });
      const again = await toCloudPayments(body, { header: 'x-content-hmac' });
      expect(again.body).toEqual({ code: 0 });
      expect(await counts()).toEqual({ ...before, payments: before.payments + 1, transactions: before.transactions + 1 });
      expect((await sourceStatus(store.db, 'cloudpayments')).counts).toMatchObject({ accepted: 1, duplicate: 1 });
    });

    it('records Refund against the paid transaction, once', async () => {
      const body = fixtureBytes('cloudpayments/refund.form');
      expect((await toCloudPayments(body, { type: 'refund' })).body).toEqual({ code: 0 });
      expect((await toCloudPayments(body, { type: '' })).body).toEqual({ code: 0 });
      expect(await refunds('cloudpayments')).toEqual([{ provider_refund_id: '2846199877', kind: 'refund', amount: 50_025 }]);
    });

    it('takes JSON notifications naming the member in Data', async () => {
      const json = fixtureBytes('cloudpayments/pay.json').toString().replace('"vklad_member_id":7', `"vklad_member_id":${boris}`);
      expect((await toCloudPayments(json, { contentType: 'application/json' })).body).toEqual({ code: 0 });
      expect(await payment('cloudpayments', '2846201133')).toMatchObject({ member_id: boris, amount: 99_010, period: '2025-10' });
    });

    it('answers Recurrent and Check with {"code":0} and records nothing', async () => {
      const before = await counts();
      expect((await toCloudPayments(fixtureBytes('cloudpayments/recurrent.form'), { type: 'recurrent' })).body).toEqual({ code: 0 });
      const check = fixtureBytes('cloudpayments/pay.form').toString().replace('2846195201', '2846195999');
      expect((await toCloudPayments(check, { type: 'check' })).body).toEqual({ code: 0 });
      expect(await counts()).toEqual(before);
    });

    it('refuses a wrong or missing HMAC and bad notifications with 4xx, storing nothing', async () => {
      const before = await counts();
      const pay = fixtureBytes('cloudpayments/pay.form').toString().replace('2846195201', '2846195777');
      expect((await toCloudPayments(pay, { secret: 'another_api_secret_0123' })).status).toBe(401);
      expect((await toCloudPayments(pay, { header: '' })).status).toBe(401);
      const bad: [string, string, number][] = [
        [pay.replace('Currency=RUB', 'Currency=EUR'), 'Currency', 400],
        [pay.replace('Amount=1500.50', 'Amount=1500.505'), 'Amount', 400],
        [pay.replace('Amount=1500.50', 'Amount=0'), 'Amount', 400],
        [pay.replace('DateTime=2025-10-14+21%3A30%3A00', 'DateTime=soon'), 'DateTime', 400],
        [pay.replace('AccountId=platform-user-314', 'AccountId=stranger'), 'member.external_id', 400],
        [fixtureBytes('cloudpayments/refund.form').toString().replace('TransactionId=2846199877&PaymentTransactionId=2846195201', 'TransactionId=2846199878&PaymentTransactionId=1'), 'provider_payment_id', 400],
      ];
      for (const [body, field, status] of bad) {
        const res = await toCloudPayments(body, { type: body.includes('OperationType=Refund') ? 'refund' : 'pay' });
        expect(res.status, field).toBe(status);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field }));
      }
      expect((await toCloudPayments(pay, { contentType: 'text/plain' })).status).toBe(415);
      expect((await toCloudPayments(pay, { type: 'payout' })).status).toBe(400);
      // The same refund id told with another amount is a conflict naming the field, not a second refund.
      const changed = fixtureBytes('cloudpayments/refund.form').toString().replace('Amount=500.25', 'Amount=600.00');
      const conflict = await toCloudPayments(changed, { type: 'refund' });
      expect(conflict.status).toBe(409);
      expect(conflict.body.errors).toContainEqual(expect.objectContaining({ field: 'amount' }));
      expect(await counts()).toEqual(before);
    });
  });
});
