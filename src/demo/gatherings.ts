import type { Day } from './calendar.ts';
import type { Section } from './courses.ts';
import type { Persona } from './types.ts';
import { alive, atHour, courseActor, eventsActor, size, spend, type World } from './world.ts';

// Who turns up to the fortnightly online seminar.
const SEMINAR_CHANCE: Record<Persona, number> = {
  daily_learner: 0.25,
  weekend_crammer: 0.08,
  forum_writer: 0.3,
  course_author: 0.5,
  mentor: 0.5,
  ambassador: 0.6,
  occasional: 0.05,
  lurker: 0.001,
};

/** What happens on a calendar rather than by habit: seminars, meetups, referrals, new sections. */
export class Gatherings {
  private seminars = 0;
  private readonly social: number[];
  private readonly joins = new Map<number, number[]>();
  private readonly publishing = new Map<number, Section[]>();

  constructor(private readonly w: World) {
    this.social = w.profiles.flatMap((p, i) => (p.persona === 'lurker' ? [] : [i]));
    w.profiles.forEach((p, i) => p.referrer >= 0 && listAt(this.joins, p.from).push(i));
    for (const course of w.courses) for (const s of course.sections) if (s.publishDay >= 0) listAt(this.publishing, s.publishDay).push(s);
  }

  day(day: Day): void {
    if (day.weekday === 4 && Math.floor(day.index / 7) % 2 === 0) this.seminar(day);
    if (day.weekday === 6) this.meetups(day);
    this.referrals(day);
    this.publish(day);
  }

  private seminar(day: Day): void {
    const { rng, out, profiles, byPersona } = this.w;
    const object = `event:${++this.seminars}`;
    const at = atHour(day, 19);
    for (const p of profiles) {
      if (alive(p, day) && rng.chance(SEMINAR_CHANCE[p.persona] * day.season)) {
        out.emit(at + rng.int(-300, 900) * 1000, 'events', 'attend', 'event.attended', eventsActor(p), object, { format: 'online', minutes: 90 });
      }
    }
    const speakers = [...byPersona.course_author, ...byPersona.mentor, ...byPersona.forum_writer].filter((m) => alive(profiles[m]!, day));
    for (let talk = 0, count = rng.int(1, 2); talk < count && speakers.length > 0; talk++) {
      const speaker = speakers.splice(rng.int(0, speakers.length - 1), 1)[0]!;
      out.emit(at + talk * 40 * 60_000, 'events', 'talk', 'event.talk.given', eventsActor(profiles[speaker]!), object, { minutes: rng.pick([20, 30, 40]) });
    }
  }

  /** Ambassadors host meetups in their cities on some Saturdays. */
  private meetups(day: Day): void {
    const { rng, out, profiles, byPersona } = this.w;
    for (const host of byPersona.ambassador) {
      const p = profiles[host]!;
      if (!alive(p, day) || !rng.chance(0.3 * day.season)) continue;
      const at = atHour(day, rng.float(12, 17));
      const guests = new Set<number>();
      for (let tries = 0, want = rng.int(4, 15); guests.size < want && tries < want * 4; tries++) {
        const guest = rng.pick(this.social);
        if (guest !== host && alive(profiles[guest]!, day)) guests.add(guest);
      }
      const n = out.emit(at, 'events', 'meetup', 'ambassador.meetup.hosted', eventsActor(p), (k) => `meetup:${k}`, { city: p.city, attendees: guests.size });
      if (n === null) continue;
      for (const guest of guests) {
        out.emit(at + rng.int(0, 1200) * 1000, 'events', 'attend', 'event.attended', eventsActor(profiles[guest]!), `meetup:${n}`, { format: 'offline', city: p.city });
      }
    }
  }

  /** A newcomer's first day counts for the ambassador who brought them. */
  private referrals(day: Day): void {
    const { rng, out, profiles } = this.w;
    for (const joiner of this.joins.get(day.index) ?? []) {
      const p = profiles[joiner]!;
      const referred = eventsActor(p);
      out.emit(atHour(day, rng.float(10, 22)), 'course', 'referral', 'ambassador.referral.joined', courseActor(profiles[p.referrer]!), null, {
        referred: 'provider' in referred ? `${referred.provider}:${referred.external_id}` : null,
      });
    }
  }

  /** New sections appear on their day, written by their authors. */
  private publish(day: Day): void {
    const { rng, out, profiles } = this.w;
    for (const section of this.publishing.get(day.index) ?? []) {
      const at = atHour(day, rng.float(10, 18));
      for (const author of section.authors) {
        out.emit(at + spend(rng, 5), 'course', 'authored', 'course.section.authored', courseActor(profiles[author.member]!), section.id, {
          share: author.share,
          words: size(rng, 1800, 0.4),
        });
      }
    }
  }
}

function listAt<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
