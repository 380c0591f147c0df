import { z } from '@hono/zod-openapi';
import { VkladError } from '../../errors.ts';
import { timeZone } from '../../schemas/common.ts';

/** Settings a payment provider source understands (registered with the source). */
export const PaymentSourceSettings = z
  .object({
    /** Whose calendar decides the month a payment is for; the community's by default. */
    timezone: timeZone().default('Europe/Moscow'),
    /** Record the provider's test-mode notifications too (a staging Vklad); off, they are answered and ignored. */
    test_mode: z.boolean().default(false),
    /** The identity provider under which the provider's customer ids are linked to members. */
    identity_provider: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/).optional(),
  })
  .strict();

export type PaymentSourceSettings = z.infer<typeof PaymentSourceSettings>;

/** A source's settings as a payment hook reads them; a misconfigured source is the operator's to fix. */
export function paymentSettings(source: string, settings: unknown): PaymentSourceSettings {
  const parsed = PaymentSourceSettings.safeParse(settings ?? {});
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new VkladError('internal', `The source "${source}" is misconfigured (${what})`);
  }
  return parsed.data;
}
