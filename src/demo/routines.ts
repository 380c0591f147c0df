import { MINUTE_MS, type Day } from './calendar.ts';
import type { Section } from './courses.ts';
import type { Forum } from './forum.ts';
import type { Learning } from './learning.ts';
import type { Profile } from './members.ts';
import { alive, atHour, courseActor, eventsActor, size, telegramActor, type World } from './world.ts';

const CHATS = ['networking', 'networking', 'systems-thinking', 'questions', 'offtopic'];

/** Each persona's habits: whether a member shows up on a day and what they do when they do. */
export class Routines {
  /** On a break this week (holiday, illness, busy at work). */
  private readonly away: Uint8Array;
  /** Weekend crammers: studying this weekend. Occasional members: this is one of their active weeks. */
  private readonly keen: Uint8Array;
  /** Course authors: the sections they can revise. */
  private readonly own = new Map<number, Section[]>();

  constructor(
    private readonly w: World,
    private readonly learning: Learning,
    private readonly forum: Forum,
  ) {
    this.away = new Uint8Array(w.profiles.length);
    this.keen = new Uint8Array(w.profiles.length);
    for (const m of w.byPersona.occasional) this.keen[m] = w.rng.chance(1 / 3) ? 1 : 0;
  }

  /** Monday: decide the week's breaks and bursts. */
  week(day: Day): void {
    const { rng, byPersona } = this.w;
    for (const m of [...byPersona.daily_learner, ...byPersona.weekend_crammer, ...byPersona.forum_writer]) this.away[m] = rng.chance(0.06) ? 1 : 0;
    for (const m of byPersona.weekend_crammer) this.keen[m] = rng.chance(0.75 * day.season) ? 1 : 0;
    // Active weeks come in runs with gaps of weeks between them: about a third of weeks in all.
    for (const m of byPersona.occasional) this.keen[m] = rng.chance(this.keen[m] ? 0.55 : 0.22) ? 1 : 0;
  }

  member(m: number, day: Day): void {
    const p = this.w.profiles[m]!;
    if (!alive(p, day) || this.away[m]) return;
    switch (p.persona) {
      case 'daily_learner': return this.dailyLearner(m, p, day);
      case 'weekend_crammer': return this.weekendCrammer(m, p, day);
      case 'forum_writer': return this.forumWriter(m, p, day);
      case 'course_author': return this.courseAuthor(m, p, day);
      case 'mentor': return this.mentor(m, p, day);
      case 'ambassador': return this.ambassador(m, p, day);
      case 'occasional': return this.occasional(m, p, day);
      case 'lurker': return this.lurker(m, p, day);
    }
  }

  /** Most evenings, 45-90 minutes of reading and assignments. */
  private dailyLearner(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (!rng.chance(0.85 * p.intensity * day.season * (day.weekday === 7 ? 0.75 : 1))) return;
    const end = this.learning.session(m, day, this.start(p, day), rng.int(45, 90));
    this.chat(m, p, end, 0.2, 0.25);
  }

  /** Long sittings on Saturday and Sunday, little in between. */
  private weekendCrammer(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (day.weekday >= 6) {
      if (!this.keen[m] || !rng.chance(0.85 * p.intensity)) return;
      const end = this.learning.session(m, day, this.start(p, day), rng.int(120, 300));
      this.chat(m, p, end, 0.15, 0.2);
    } else if (rng.chance(0.04 * p.intensity)) {
      this.learning.session(m, day, atHour(day, 21 + rng.next()), rng.int(20, 45));
    }
  }

  /** Thinks by writing: topics, replies, comments and likes through the day. */
  private forumWriter(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (!rng.chance(0.72 * p.intensity * day.season)) return;
    let at = this.start(p, day, 2);
    if (rng.chance(0.12)) this.forum.topic(m, (at += this.gap()));
    const doings = this.writing(rng.poisson(1.3), rng.poisson(2.5), rng.poisson(4));
    for (const act of doings) this.forum[act](m, (at += this.gap()));
    if (rng.chance(0.3)) at = this.learning.session(m, day, at + this.gap(), rng.int(15, 45));
    this.chat(m, p, at, 0, 0.3);
  }

  /** Writes and revises sections (new ones appear on their own schedule) and is read on the forum. */
  private courseAuthor(m: number, p: Profile, day: Day): void {
    const { rng, out } = this.w;
    if (!rng.chance(0.55 * p.intensity * day.season)) return;
    let at = this.start(p, day, 1.5);
    if (rng.chance(0.3)) this.forum.post(m, (at += this.gap()));
    for (const act of this.writing(0, rng.poisson(0.8), rng.poisson(1.5))) this.forum[act](m, (at += this.gap()));
    const sections = this.sectionsOf(m, day);
    if (sections.length > 0 && rng.chance(0.2)) {
      out.emit((at += this.gap()), 'course', 'revised', 'course.section.revised', courseActor(p), rng.pick(sections), { words_changed: size(rng, 150, 0.8) });
    }
    this.chat(m, p, at, 0, 0.2);
  }

  /** Reviews come from submissions (see Learning); here: sessions, answers on the forum, chat. */
  private mentor(m: number, p: Profile, day: Day): void {
    const { rng, out } = this.w;
    if (!rng.chance(0.6 * p.intensity * day.season * (day.weekday >= 6 ? 0.5 : 1))) return;
    let at = this.start(p, day, 1.5);
    if (rng.chance(0.35)) {
      out.emit(at, 'events', 'session', 'mentor.session.held', eventsActor(p), null, { minutes: rng.pick([45, 60, 90]), format: 'online' });
      at += 90 * MINUTE_MS;
    }
    for (const act of this.writing(0, rng.poisson(1), rng.poisson(1.5))) this.forum[act](m, (at += this.gap()));
    if (rng.chance(0.15)) at = this.learning.session(m, day, at + this.gap(), rng.int(15, 45));
    this.chat(m, p, at, 0, 0.3);
  }

  /** Lives in the chats; meetups and referrals come from Gatherings. */
  private ambassador(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (!rng.chance(0.85 * p.intensity * day.season)) return;
    let at = this.start(p, day, 2.5);
    this.messages(p, at, 2 + rng.poisson(6));
    if (p.forum && rng.chance(0.3)) for (let i = rng.int(1, 3); i > 0; i--) this.forum.like(m, (at += this.gap()));
    if (rng.chance(0.25)) this.learning.session(m, day, at + this.gap(), rng.int(15, 45));
  }

  /** Active some weeks, gone for weeks in between. */
  private occasional(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (!this.keen[m] || !rng.chance(0.4 * p.intensity * day.season)) return;
    const end = this.learning.session(m, day, this.start(p, day), rng.int(20, 60));
    this.chat(m, p, end, 0.15, 0.15);
  }

  /** A handful of sittings a year at most; `intensity` is the daily chance. */
  private lurker(m: number, p: Profile, day: Day): void {
    const { rng } = this.w;
    if (p.intensity === 0 || !rng.chance(p.intensity * day.season)) return;
    const at = this.start(p, day);
    if (p.course) this.learning.session(m, day, at, rng.int(15, 40));
    else if (p.telegram) this.messages(p, at, 1);
    else this.forum.like(m, at);
  }

  /** A few likes and a comment on the forum, or a few messages in a chat, after studying. */
  private chat(m: number, p: Profile, at: number, forumChance: number, telegramChance: number): void {
    const { rng } = this.w;
    if (p.forum && rng.chance(forumChance)) {
      for (let i = 1 + rng.poisson(1.5); i > 0; i--) this.forum.like(m, (at += this.gap()));
      if (rng.chance(0.3)) this.forum.comment(m, (at += this.gap()));
      if (rng.chance(0.1)) this.forum.post(m, (at += this.gap()));
    }
    if (p.telegram && rng.chance(telegramChance)) this.messages(p, at, 1 + rng.poisson(2));
  }

  private messages(p: Profile, at: number, count: number): void {
    const { rng, out } = this.w;
    const chat = rng.pick(CHATS);
    for (let i = 0; i < count; i++) {
      out.emit((at += rng.int(1, 25) * MINUTE_MS), 'telegram', 'msg', 'telegram.message.sent', telegramActor(p), null, { chat, length: size(rng, 80, 1) });
    }
  }

  /** Forum doings in a random order, so likes are not always last. */
  private writing(posts: number, comments: number, likes: number): ('post' | 'comment' | 'like')[] {
    const doings = [...Array<'post'>(posts).fill('post'), ...Array<'comment'>(comments).fill('comment'), ...Array<'like'>(likes).fill('like')];
    return this.w.rng.shuffle(doings);
  }

  private sectionsOf(m: number, day: Day): string[] {
    let mine = this.own.get(m);
    if (!mine) {
      mine = this.w.courses.flatMap((c) => c.sections.filter((s) => s.authors.some((a) => a.member === m)));
      this.own.set(m, mine);
    }
    return mine.filter((s) => s.publishDay <= day.index).map((s) => s.id);
  }

  /** Today at the member's usual hour, give or take `spread` hours. */
  private start(p: Profile, day: Day, spread = 0.7): number {
    const hour = Math.min(23.5, Math.max(0, p.hour + this.w.rng.normal(0, spread)));
    return atHour(day, hour);
  }

  private gap(): number {
    return this.w.rng.int(3, 40) * MINUTE_MS;
  }
}
