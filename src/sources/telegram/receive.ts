import type { Database } from '../../db/database.ts';
import { VkladError, invalid } from '../../errors.ts';
import { timeErrors } from '../../schemas/event.ts';
import type { ResolutionCache } from '../../store/resolution-cache.ts';
import type { UnknownIdentityMode } from '../../store/events.ts';
import { parseWith } from '../../http/body.ts';
import { type DeliveryOutcome, storeDelivered } from '../deliveries.ts';
import type { Source } from '../registry.ts';
import { TelegramUpdate, readUpdate } from './update.ts';

export interface TelegramContext {
  db: Database;
  now: Date;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  cache?: ResolutionCache;
}

/** Takes one parsed JSON body from Telegram for a source whose secret token already matched. */
export async function receiveUpdate(source: Source, body: unknown, context: TelegramContext): Promise<DeliveryOutcome> {
  const update = parseWith(TelegramUpdate, body);
  const chats = (source.settings['chats'] as number[] | undefined) ?? [];
  const reading = readUpdate(update, source.name, chats);
  if (!reading.counted) return { status: 'ignored', reason: reading.reason };
  const late = timeErrors(reading.event, context.now).map((e) => ({ ...e, field: 'message.date' }));
  if (late.length > 0) throw invalid(late);
  const { outcome, results } = await storeDelivered(context.db, [reading.event], context);
  if (results[0]!.status === 'conflict') {
    throw new VkladError('conflict', `Update ${update.update_id} was stored before with different content`);
  }
  return outcome;
}
