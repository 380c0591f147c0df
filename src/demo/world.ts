import type { Actor } from '../core/event.ts';
import type { Course } from './courses.ts';
import { HOUR_MS, MINUTE_MS, type Day } from './calendar.ts';
import type { Emitter } from './emitter.ts';
import type { Profile } from './members.ts';
import type { Rng } from './random.ts';
import type { Persona } from './types.ts';

/** What every part of the activity generator shares for one pass over the window. */
export interface World {
  rng: Rng;
  out: Emitter;
  profiles: Profile[];
  courses: Course[];
  byPersona: Record<Persona, number[]>;
}

// Each source names its actor by the identity the source itself knows.
export const forumActor = (p: Profile): Actor => ({ provider: 'forum', external_id: p.forum! });
export const courseActor = (p: Profile): Actor => ({ provider: 'course', external_id: p.course! });
export const telegramActor = (p: Profile): Actor => ({ provider: 'telegram', external_id: p.telegram! });
/** Events sign people up through the Telegram bot, or with the course account when there is no Telegram. */
export const eventsActor = (p: Profile): Actor =>
  p.telegram ? telegramActor(p) : p.course ? courseActor(p) : forumActor(p);

export const alive = (p: Profile, day: Day): boolean => p.from <= day.index && day.index < p.to;

/** A moment on `day` at Moscow `hour`, whole seconds. */
export const atHour = (day: Day, hour: number): number => day.start + Math.round((hour * HOUR_MS) / 1000) * 1000;

/** `minutes` of effort give or take a third, whole seconds. */
export const spend = (rng: Rng, minutes: number): number => Math.round((minutes * MINUTE_MS * rng.float(0.7, 1.3)) / 1000) * 1000;

/** A message, post or comment size: most moderate, a few long. */
export const size = (rng: Rng, median: number, sigma: number): number => Math.max(1, Math.round(rng.logNormal(median, sigma)));
