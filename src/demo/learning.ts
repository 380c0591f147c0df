import { DAY_MS, HOUR_MS, MINUTE_MS, type Day } from './calendar.ts';
import type { Section } from './courses.ts';
import { alive, courseActor, size, spend, type World } from './world.ts';

/** Course counts after which a member earns the next qualification. */
const QUALIFICATIONS: [courses: number, level: string][] = [
  [2, 'Ученик'],
  [5, 'Практик'],
  [9, 'Мастер'],
];

/**
 * Members working through courses: a section is read in one or more sittings until it sinks in,
 * sections with an assignment end in a submission that a mentor reviews a few days later, and a
 * finished course ends in a test.
 */
export class Learning {
  private readonly positions: (Uint8Array | undefined)[] = [];
  private readonly current: Int16Array;
  private readonly understood: Uint8Array;
  private readonly completed: Uint8Array;

  constructor(private readonly w: World) {
    this.current = new Int16Array(w.profiles.length).fill(-1);
    this.understood = new Uint8Array(w.profiles.length);
    this.completed = new Uint8Array(w.profiles.length);
  }

  /** Studies for about `budget` minutes from `at`; returns when the sitting ended. */
  session(member: number, day: Day, at: number, budget: number): number {
    const { rng, out, profiles, courses } = this.w;
    const profile = profiles[member]!;
    if (!profile.course) return at;
    const position = (this.positions[member] ??= new Uint8Array(courses.length));
    let spent = 0;
    while (spent < budget) {
      let c = this.current[member]!;
      if (c < 0 || !this.available(position, c, day)) {
        c = this.choose(member, position, day);
        if (c < 0) break;
        this.current[member] = c;
        this.understood[member] = 0;
      }
      const section = courses[c]!.sections[position[c]!]!;
      if (this.understood[member] && section.assignment) {
        this.submit(member, section, at, day);
        at += spend(rng, 45);
        spent += 45;
        at = this.advance(member, c, position, at);
      } else {
        out.emit(at, 'course', 'read', 'course.section.read', courseActor(profile), section.id);
        at += spend(rng, 15);
        spent += 15;
        if (rng.chance(0.35)) {
          if (section.assignment) this.understood[member] = 1;
          else at = this.advance(member, c, position, at);
        }
      }
    }
    return at;
  }

  private available(position: Uint8Array, c: number, day: Day): boolean {
    const section = this.w.courses[c]!.sections[position[c]!];
    return section !== undefined && section.publishDay <= day.index;
  }

  /** Newcomers mostly start with the introductory course; those who finished everything start one over. */
  private choose(member: number, position: Uint8Array, day: Day): number {
    const { rng, courses } = this.w;
    if (this.completed[member] === 0 && this.available(position, 0, day) && rng.chance(0.6)) return 0;
    const open = courses.flatMap((_, c) => (this.available(position, c, day) ? [c] : []));
    if (open.length > 0) return rng.pick(open);
    const published = courses.flatMap((course, c) => (course.sections[0]!.publishDay <= day.index ? [c] : []));
    if (published.length === 0) return -1;
    const again = rng.pick(published);
    position[again] = 0;
    return again;
  }

  private advance(member: number, c: number, position: Uint8Array, at: number): number {
    const { rng, out, profiles, courses } = this.w;
    const course = courses[c]!;
    position[c] = position[c]! + 1;
    this.understood[member] = 0;
    if (position[c]! < course.sections.length) return at;
    this.current[member] = -1;
    const actor = courseActor(profiles[member]!);
    out.emit(at, 'course', 'test', 'course.test.passed', actor, course.id, { score: rng.int(60, 100) });
    const done = (this.completed[member] = Math.min(255, this.completed[member]! + 1));
    const level = QUALIFICATIONS.find(([courses]) => courses === done)?.[1];
    if (level) out.emit(at + MINUTE_MS, 'course', 'qualification', 'qualification.achieved', actor, course.id, { level });
    return at + spend(rng, 20);
  }

  /** The submission, and the mentor's review and (usually) acceptance a few days later, outside the night. */
  private submit(member: number, section: Section, at: number, day: Day): void {
    const { rng, out, profiles } = this.w;
    const learner = courseActor(profiles[member]!);
    const n = out.emit(at, 'course', 'submission', 'course.assignment.submitted', learner, section.id, { words: size(rng, 350, 0.6) });
    if (n === null) return;
    const mentor = this.reviewer(day);
    if (mentor < 0) return;
    let when = at + Math.round((rng.float(10, 80) * HOUR_MS) / 1000) * 1000;
    const hour = ((when - day.start) % DAY_MS) / HOUR_MS;
    if (hour < 8) when += Math.round(((rng.float(9, 22) - hour) * HOUR_MS) / 1000) * 1000;
    const submission = `submission-${n}`;
    const accepted = rng.chance(0.85);
    out.emit(when, 'course', 'review', 'mentor.review.done', courseActor(profiles[mentor]!), section.id, {
      submission,
      verdict: accepted ? 'accepted' : 'returned',
    });
    if (accepted) {
      out.emit(when + spend(rng, 5), 'course', 'accept', 'course.assignment.accepted', learner, section.id, { submission, score: rng.int(60, 100) });
    }
  }

  private reviewer(day: Day): number {
    const { rng, profiles, byPersona } = this.w;
    for (let attempt = 0; attempt < 5 && byPersona.mentor.length > 0; attempt++) {
      const mentor = rng.pick(byPersona.mentor);
      if (alive(profiles[mentor]!, day)) return mentor;
    }
    return -1;
  }
}
