import type { EventInput } from '../../core/event.ts';
import type { Database } from '../../db/database.ts';
import { VkladError, invalid } from '../../errors.ts';
import { timeErrors } from '../../schemas/event.ts';
import { parseWith } from '../../http/body.ts';
import type { Outcome, UnknownIdentityMode } from '../../store/events.ts';
import type { ResolutionCache } from '../../store/resolution-cache.ts';
import { type DeliveryOutcome, storeDelivered } from '../deliveries.ts';
import type { Source } from '../registry.ts';
import { parseJsonBytes } from '../../http/body.ts';
import { SignedBatch, SignedEvent } from './body.ts';
import { signatureMatches, timestampProblem } from './signature.ts';

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  contentType: string | undefined;
  body: Uint8Array;
}

export interface SignedContext {
  db: Database;
  now: Date;
  unknownIdentity: (provider: string) => UnknownIdentityMode;
  cache?: ResolutionCache;
}

export type Received = DeliveryOutcome & { many: boolean; results: Outcome[] };

/**
 * Takes one delivery from a source of kind "signed": the timestamp and signature are checked before the body
 * is read as JSON; then its events are stored all or nothing under the source's name, as the events API would.
 */
export async function receiveSigned(source: Source, request: SignedRequest, context: SignedContext): Promise<Received> {
  const stale = timestampProblem(request.timestamp, context.now);
  if (stale) throw new VkladError('unauthorized', `Refused as a possible replay: ${stale}`);
  if (!signatureMatches(request.signature, source.secret, request.timestamp!, request.body)) {
    throw new VkladError('unauthorized', 'The X-Vklad-Signature header is missing or does not match the body');
  }
  const json = parseJsonBytes(request.contentType, request.body);
  const many = Array.isArray(json);
  const parsed = many ? parseWith(SignedBatch, json, true) : [parseWith(SignedEvent, json)];
  const events = parsed.map((e) => ({ ...e, source: source.name }) as EventInput);
  const late = events.flatMap((e, item) => timeErrors(e, context.now).map((err) => (many ? { ...err, item } : err)));
  if (late.length > 0) throw invalid(late);
  const { outcome, results } = await storeDelivered(context.db, events, context);
  return { ...outcome, many, results };
}
