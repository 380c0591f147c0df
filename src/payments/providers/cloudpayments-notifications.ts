import { VkladError, invalid } from '../../errors.ts';
import { currencyOf, minorUnitsOf, monthOf } from './money.ts';
import type { MemberRef, ProviderOutcome } from './notices.ts';
import type { PaymentSourceSettings } from './settings.ts';

export const CLOUDPAYMENTS = 'cloudpayments';

/** The notifications CloudPayments sends; each is configured with its own address in the merchant area. */
export const CLOUDPAYMENTS_NOTIFICATIONS = ['check', 'pay', 'fail', 'confirm', 'refund', 'cancel', 'recurrent'] as const;
export type CloudPaymentsNotification = (typeof CLOUDPAYMENTS_NOTIFICATIONS)[number];

/** The member id and the period may be passed in the payment's Data (JsonData) under these keys. */
export const MEMBER_DATA_KEY = 'vklad_member_id';
export const PERIOD_DATA_KEY = 'period';

export type Fields = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The notification's parameters: a form body (CloudPayments' default) or JSON, both UTF-8. */
export function readCloudPaymentsBody(rawBody: Uint8Array, contentType: string): Fields {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new VkladError('malformed_body', 'The body is not valid UTF-8 (choose UTF-8 in the notification settings)', [
      { field: '(body)', reason: 'is not valid UTF-8' },
    ]);
  }
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  if (/^application\/json\s*(;|$)/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new VkladError('malformed_body', 'The body is not valid JSON', [{ field: '(body)', reason: (error as Error).message }]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new VkladError('malformed_body', 'The body must be a JSON object', [{ field: '(body)', reason: 'must be an object' }]);
    }
    return parsed as Fields;
  }
  throw new VkladError('unsupported_media_type', 'The body must be application/x-www-form-urlencoded or application/json');
}

/** Which notification this is: named by the address (`?type=pay`), or told by OperationType and Status. */
export function notificationType(named: string | undefined, fields: Fields): CloudPaymentsNotification | 'unknown' {
  if (named !== undefined) {
    const type = CLOUDPAYMENTS_NOTIFICATIONS.find((t) => t === named.toLowerCase());
    if (!type) throw invalid([{ field: 'type', reason: `must be one of ${CLOUDPAYMENTS_NOTIFICATIONS.join(', ')}` }]);
    return type;
  }
  if (fields.OperationType === 'Refund') return 'refund';
  if (fields.OperationType === 'Payment' && fields.Status === 'Completed' && fields.ReasonCode === undefined) return 'pay';
  return 'unknown';
}

/**
 * Reads a verified CloudPayments notification: Pay (completed) and Confirm are payments, Refund a refund;
 * the others (Check, Fail, Cancel, Recurrent, two-stage authorisations) are answered and ignored.
 */
export function readCloudPaymentsNotification(type: CloudPaymentsNotification | 'unknown', fields: Fields, settings: PaymentSourceSettings): ProviderOutcome {
  if (type !== 'pay' && type !== 'confirm' && type !== 'refund') return { kind: 'ignored', reason: `${type} notification is not a payment` };
  if (isTrue(fields.TestMode) && !settings.test_mode) return { kind: 'ignored', reason: 'test-mode notification on a live source' };
  const transaction = transactionId(fields.TransactionId, 'TransactionId');
  const amount = minorUnitsOf(fields.Amount, 'Amount');
  const occurred = dateTimeOf(fields.DateTime);
  if (type === 'refund') {
    return {
      kind: 'refunds',
      notices: [
        {
          provider: CLOUDPAYMENTS,
          provider_payment_id: transactionId(fields.PaymentTransactionId, 'PaymentTransactionId'),
          provider_refund_id: transaction,
          kind: 'refund',
          amount,
          occurred_at: occurred.toISOString(),
        },
      ],
    };
  }
  if (type === 'pay' && fields.Status !== undefined && fields.Status !== 'Completed') {
    return { kind: 'ignored', reason: `payment status ${String(fields.Status)}: money moves on Confirm` };
  }
  const data = dataOf(fields);
  return {
    kind: 'payment',
    notice: {
      provider: CLOUDPAYMENTS,
      provider_payment_id: transaction,
      member: memberOf(fields, data, settings),
      amount,
      currency: currencyOf(fields.Currency, 'Currency'),
      period: periodOf(data, occurred, settings),
      occurred_at: occurred.toISOString(),
    },
  };
}

const isTrue = (value: unknown): boolean => value === true || value === 1 || (typeof value === 'string' && /^(1|true)$/i.test(value));

function transactionId(value: unknown, field: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw invalid([{ field, reason: 'must be a CloudPayments transaction number' }]);
  return text;
}

// CloudPayments writes "2025-10-01 09:30:00" in UTC; JSON notifications may use ISO 8601.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function dateTimeOf(value: unknown): Date {
  const match = typeof value === 'string' ? DATE_TIME.exec(value.trim()) : null;
  const date = match ? new Date(`${match[1]}T${match[2]}${match[3] ?? ''}${match[4] ?? 'Z'}`) : null;
  if (!date || Number.isNaN(date.getTime())) throw invalid([{ field: 'DateTime', reason: 'must be a date and time like 2025-10-01 09:30:00 (UTC)' }]);
  return date;
}

/** The payment's Data (or JsonData): a JSON object, sent as text in a form body. */
function dataOf(fields: Fields): { value: Fields; field: string } {
  const field = fields.Data !== undefined ? 'Data' : 'JsonData';
  const raw = fields[field];
  if (raw === undefined || raw === null || raw === '') return { value: {}, field };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalid([{ field, reason: 'must be a JSON object' }]);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid([{ field, reason: 'must be a JSON object' }]);
  return { value: value as Fields, field };
}

/** The member paying: named in Data, or the payer's AccountId as an identity. */
function memberOf(fields: Fields, data: { value: Fields; field: string }, settings: PaymentSourceSettings): MemberRef {
  const named = data.value[MEMBER_DATA_KEY];
  if (named !== undefined) {
    const id = typeof named === 'string' && /^[1-9]\d{0,15}$/.test(named) ? Number(named) : named;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      throw invalid([{ field: `${data.field}.${MEMBER_DATA_KEY}`, reason: 'must be a Vklad member id (a positive whole number)' }]);
    }
    return { member_id: id };
  }
  const account = fields.AccountId;
  if (typeof account !== 'string' || account.trim() === '' || account.length > 255) {
    throw invalid([{ field: 'AccountId', reason: `is required when ${data.field} does not name ${MEMBER_DATA_KEY}` }]);
  }
  return { provider: settings.identity_provider ?? CLOUDPAYMENTS, external_id: account.trim() };
}

/** The month paid for: Data's period when given, else the month the money arrived, on the community's calendar. */
function periodOf(data: { value: Fields; field: string }, occurred: Date, settings: PaymentSourceSettings): string {
  const named = data.value[PERIOD_DATA_KEY];
  if (named === undefined) return monthOf(occurred, settings.timezone);
  if (typeof named !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(named)) {
    throw invalid([{ field: `${data.field}.${PERIOD_DATA_KEY}`, reason: 'must be a month like 2025-10' }]);
  }
  return named;
}
