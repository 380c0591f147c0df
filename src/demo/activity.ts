import type { EventInput } from '../core/event.ts';
import { DAY_MS, dayAt, moscowMidnight } from './calendar.ts';
import type { Course } from './courses.ts';
import { Emitter } from './emitter.ts';
import { Forum } from './forum.ts';
import { Gatherings } from './gatherings.ts';
import { Learning } from './learning.ts';
import type { Profile } from './members.ts';
import { Rng } from './random.ts';
import { Routines } from './routines.ts';
import type { Persona } from './types.ts';
import type { World } from './world.ts';

/**
 * The community's activity over [start, end), one Moscow day at a time, each day in time order.
 * Day indices count from the Moscow midnight at or before `start`, as members' join days do.
 * All state is made here, so every call replays the same history from the seed.
 */
export function* activityByDay(rng: Rng, start: number, end: number, profiles: Profile[], courses: Course[]): Generator<EventInput[]> {
  const out = new Emitter(start, end);
  const w: World = { rng, out, profiles, courses, byPersona: byPersona(profiles) };
  const learning = new Learning(w);
  const routines = new Routines(w, learning, new Forum(w));
  const gatherings = new Gatherings(w);
  for (let index = 0, dayStart = moscowMidnight(start); dayStart < end; index++, dayStart += DAY_MS) {
    const day = dayAt(index, dayStart);
    out.beginDay(dayStart + DAY_MS);
    if (index === 0 || day.weekday === 1) routines.week(day);
    for (let m = 0; m < profiles.length; m++) routines.member(m, day);
    gatherings.day(day);
    yield out.endDay();
  }
}

function byPersona(profiles: Profile[]): Record<Persona, number[]> {
  const groups: Record<Persona, number[]> = {
    daily_learner: [], weekend_crammer: [], forum_writer: [], course_author: [], mentor: [], ambassador: [], occasional: [], lurker: [],
  };
  profiles.forEach((p, i) => groups[p.persona].push(i));
  return groups;
}
