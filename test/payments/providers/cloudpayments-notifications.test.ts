import { describe, expect, it } from 'vitest';
import {
  notificationType,
  readCloudPaymentsBody,
  readCloudPaymentsNotification,
} from '../../../src/payments/providers/cloudpayments-notifications.ts';
import { PaymentSourceSettings } from '../../../src/payments/providers/settings.ts';
import { fixtureBytes } from './fixtures.ts';

const FORM = 'application/x-www-form-urlencoded';
const live = PaymentSourceSettings.parse({});
const form = (name: string) => readCloudPaymentsBody(fixtureBytes(`cloudpayments/${name}`), FORM);
const read = (fields: Record<string, unknown>, type?: string, settings = live) =>
  readCloudPaymentsNotification(notificationType(type, fields), fields, settings);
const failsOn = (fields: Record<string, unknown>, field: string, type?: string) =>
  expect(() => read(fields, type)).toThrow(expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ field })] }));

describe('reading CloudPayments notifications', () => {
  it('reads a form body, decoding UTF-8 and "+"', () => {
    const fields = form('pay.form');
    expect(fields).toMatchObject({ Name: 'ANNA PETROVA', IpCity: 'Москва', Email: 'anna@example.org', DateTime: '2025-10-14 21:30:00' });
  });

  it('Pay is a payment in minor units, for the period named in Data, by the payer account as an identity', () => {
    expect(read(form('pay.form'), 'pay')).toEqual({
      kind: 'payment',
      notice: {
        provider: 'cloudpayments',
        provider_payment_id: '2846195201',
        member: { provider: 'cloudpayments', external_id: 'platform-user-314' },
        amount: 150_050,
        currency: 'RUB',
        period: '2025-10',
        occurred_at: '2025-10-14T21:30:00.000Z',
      },
    });
    // Without ?type= the notification is told by OperationType and Status.
    expect(read(form('pay.form'))).toMatchObject({ kind: 'payment' });
    const linked = PaymentSourceSettings.parse({ identity_provider: 'platform' });
    expect(read(form('pay.form'), 'pay', linked)).toMatchObject({ notice: { member: { provider: 'platform', external_id: 'platform-user-314' } } });
  });

  it('reads JSON notifications: numbers, Data as an object, the member id in Data, the period from DateTime in Moscow', () => {
    const fields = readCloudPaymentsBody(fixtureBytes('cloudpayments/pay.json'), 'application/json; charset=utf-8');
    expect(read(fields, 'pay')).toEqual({
      kind: 'payment',
      notice: {
        provider: 'cloudpayments',
        provider_payment_id: '2846201133',
        member: { member_id: 7 },
        amount: 99_010,
        currency: 'RUB',
        // 22:15 UTC on 30 September is already 1 October in Moscow.
        period: '2025-10',
        occurred_at: '2025-09-30T22:15:00.000Z',
      },
    });
  });

  it('Refund refunds the original transaction by its own transaction id', () => {
    expect(read(form('refund.form'), 'refund')).toEqual({
      kind: 'refunds',
      notices: [
        { provider: 'cloudpayments', provider_payment_id: '2846195201', provider_refund_id: '2846199877', kind: 'refund', amount: 50_025, occurred_at: '2025-10-16T08:00:00.000Z' },
      ],
    });
    expect(read(form('refund.form'))).toMatchObject({ kind: 'refunds' });
  });

  it('Confirm is a payment; an authorised two-stage Pay, Check, Fail, Cancel and Recurrent are ignored', () => {
    const pay = form('pay.form');
    expect(read(pay, 'confirm')).toMatchObject({ kind: 'payment' });
    expect(read({ ...pay, Status: 'Authorized' }, 'pay')).toMatchObject({ kind: 'ignored' });
    expect(read({ ...pay, Status: 'Authorized' })).toMatchObject({ kind: 'ignored', reason: 'unknown notification is not a payment' });
    for (const type of ['check', 'fail', 'cancel']) expect(read(pay, type)).toEqual({ kind: 'ignored', reason: `${type} notification is not a payment` });
    expect(read(form('recurrent.form'))).toMatchObject({ kind: 'ignored' });
    expect(read(form('recurrent.form'), 'recurrent')).toMatchObject({ kind: 'ignored' });
  });

  it('ignores test-mode notifications unless the source takes them', () => {
    const test = { ...form('pay.form'), TestMode: '1' };
    expect(read(test, 'pay')).toEqual({ kind: 'ignored', reason: 'test-mode notification on a live source' });
    expect(read(test, 'pay', PaymentSourceSettings.parse({ test_mode: true }))).toMatchObject({ kind: 'payment' });
  });

  it('refuses bad fields, naming each', () => {
    const pay = form('pay.form');
    failsOn({ ...pay, Currency: 'EUR' }, 'Currency');
    failsOn({ ...pay, Amount: '15.005' }, 'Amount');
    failsOn({ ...pay, Amount: '-15' }, 'Amount');
    failsOn({ ...pay, Amount: '1 500' }, 'Amount');
    failsOn({ ...pay, TransactionId: 'abc' }, 'TransactionId');
    failsOn({ ...pay, DateTime: 'yesterday' }, 'DateTime');
    failsOn({ ...pay, DateTime: '2025-13-40 25:00:00' }, 'DateTime');
    failsOn({ ...pay, Data: '{not json' }, 'Data');
    failsOn({ ...pay, Data: '{"period":"2025-13"}' }, 'Data.period');
    failsOn({ ...pay, Data: '{"vklad_member_id":"x"}' }, 'Data.vklad_member_id');
    failsOn({ ...pay, Data: '', AccountId: '' }, 'AccountId');
    failsOn({ ...form('refund.form'), PaymentTransactionId: undefined }, 'PaymentTransactionId', 'refund');
    failsOn(pay, 'type', 'payout');
  });

  it('refuses bodies it cannot read', () => {
    const bad = (raw: Buffer, type: string, code: string) => expect(() => readCloudPaymentsBody(raw, type)).toThrow(expect.objectContaining({ code }));
    bad(Buffer.from([0xff, 0xfe]), FORM, 'malformed_body');
    bad(Buffer.from('{nope'), 'application/json', 'malformed_body');
    bad(Buffer.from('[1,2]'), 'application/json', 'malformed_body');
    bad(Buffer.from('a=b'), 'text/plain', 'unsupported_media_type');
  });
});
