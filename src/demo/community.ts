import type { EventInput } from '../core/event.ts';
import { activityByDay } from './activity.ts';
import { DAY_MS } from './calendar.ts';
import { buildCourses } from './courses.ts';
import { buildMembers } from './members.ts';
import { Rng } from './random.ts';
import type { DemoCommunity, DemoOptions } from './types.ts';

export type { DemoCommunity, DemoContent, DemoMember, DemoOptions, Persona } from './types.ts';

// Separate streams, so that e.g. iterating events never shifts who the members are.
const STREAM = { members: 1, content: 2, activity: 3 } as const;

/**
 * A synthetic community of learners with a year of their activity: pure and deterministic, the same
 * options give the same members, content and events, and events are produced only as they are read.
 */
export function generateCommunity(options: DemoOptions): DemoCommunity {
  const { seed, end } = options;
  const days = options.days ?? 365;
  const size = options.members ?? 12_000;
  const activeWeekly = options.activeWeekly ?? 500;
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  if (!(end instanceof Date) || Number.isNaN(end.getTime())) throw new RangeError('end must be a valid date');
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a positive integer');
  if (!Number.isInteger(size) || size < 1) throw new RangeError('members must be a positive integer');
  if (!(activeWeekly > 0)) throw new RangeError('activeWeekly must be positive');

  const { members, profiles } = buildMembers(new Rng(seed, STREAM.members), size, activeWeekly, days);
  const authors = members.flatMap((m, i) => (m.persona === 'course_author' ? [i] : []));
  const { courses, content } = buildCourses(new Rng(seed, STREAM.content), authors, days);
  const endMs = end.getTime();
  const startMs = endMs - days * DAY_MS;

  return {
    members,
    content,
    events(batchSize: number): Iterable<EventInput[]> {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
      return batches(activityByDay(new Rng(seed, STREAM.activity), startMs, endMs, profiles, courses), batchSize);
    },
  };
}

function* batches(days: Iterable<EventInput[]>, size: number): Generator<EventInput[]> {
  let batch: EventInput[] = [];
  for (const day of days) {
    for (const event of day) {
      batch.push(event);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
