import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, VkladError } from '../errors.ts';

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  malformed_body: 'Malformed request body',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  internal: 'Internal error',
};

/** Any thrown value as RFC 9457 problem+json; unexpected errors are logged and never leak details. */
export function problem(c: Context, thrown: unknown): Response {
  const error = thrown instanceof VkladError ? thrown : new VkladError('internal', 'Something went wrong on our side');
  if (!(thrown instanceof VkladError)) console.error(thrown);
  const body = {
    type: `urn:vklad:problem:${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
  };
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
}
