import { VkladError } from '../errors.ts';
import { isTimeZone } from '../schemas/common.ts';

/** How the web app signs people in; read from the environment at startup. */
export interface WebConfig {
  /** Where the site is reached from outside, e.g. https://vklad.example.org; links and cookies follow it. */
  publicUrl: string;
  /** The Discourse forum acting as identity provider; sign-in through it is offered when both are set. */
  forumUrl: string | null;
  discourseSecret: string | null;
  /** Sessions last this long. */
  sessionMs: number;
  /** Sign-in tokens (forum nonces, e-mailed links) expire after this long. */
  tokenMs: number;
  /** Sign-in attempts allowed per window, per client address and per e-mail address. */
  limits: { window_ms: number; per_ip: number; per_address: number };
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Where the community lives: dates on pages are written in this zone. */
  timeZone: string;
}

export function webConfigFromEnv(env: NodeJS.ProcessEnv = process.env, port = Number(env.PORT ?? 8080)): WebConfig {
  const publicUrl = (env.VKLAD_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) fail('VKLAD_PUBLIC_URL', 'must be an http(s) URL');
  const forumUrl = env.VKLAD_FORUM_URL ? env.VKLAD_FORUM_URL.replace(/\/+$/, '') : null;
  if (forumUrl !== null && !/^https?:\/\/[^/]+/.test(forumUrl)) fail('VKLAD_FORUM_URL', 'must be an http(s) URL');
  const discourseSecret = env.VKLAD_DISCOURSE_CONNECT_SECRET || null;
  if (discourseSecret !== null && discourseSecret.length < 10) fail('VKLAD_DISCOURSE_CONNECT_SECRET', 'must be at least 10 characters');
  const zone = env.VKLAD_TIME_ZONE || 'Europe/Moscow';
  if (!isTimeZone(zone)) fail('VKLAD_TIME_ZONE', 'must be an IANA time zone, like Europe/Moscow');
  return {
    publicUrl,
    forumUrl,
    discourseSecret,
    sessionMs: 30 * 86_400_000,
    tokenMs: 15 * 60_000,
    limits: { window_ms: 15 * 60_000, per_ip: 30, per_address: 5 },
    trustProxy: env.VKLAD_TRUST_PROXY === '1',
    timeZone: zone,
  };
}

export const forumSignIn = (config: WebConfig): boolean => config.forumUrl !== null && config.discourseSecret !== null;
export const secureCookies = (config: WebConfig): boolean => config.publicUrl.startsWith('https://');

function fail(variable: string, reason: string): never {
  throw new VkladError('validation_failed', `${variable} ${reason}`, [{ field: variable, reason }]);
}
