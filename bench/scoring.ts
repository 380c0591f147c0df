/**
 * Replay speed of the pure scoring engine over 1,000,000 events already in memory (5,000 members,
 * one year), against a bare loop that only sums base points per member over the same events.
 *   npx tsx bench/scoring.ts [events]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_CATALOGUE } from '../src/catalogue/default-catalogue.ts';
import { parsePolicy, policySet, scoreMembers, totalsByMember, type ScoringEvent } from '../src/scoring/index.ts';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const MEMBERS = 5_000;
const ROUNDS = 5;
const DAY_MS = 86_400_000;
const START = Date.parse('2025-09-01T00:00:00+03:00');

// A full collection before each measurement, so heap figures are what is live, not garbage waiting.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const policy = parsePolicy(readFileSync('policies/default.yaml', 'utf8'), { catalogue: DEFAULT_CATALOGUE });
const set = policySet([policy]);

/** Small deterministic generator, so every run replays the same year. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How often each action happens in a member's active day: reading and chat dominate, authoring is rare. */
const MIX: [string, number][] = [
  ['course.section.read', 30],
  ['telegram.message.sent', 18],
  ['forum.like.received', 12],
  ['forum.like.given', 10],
  ['forum.comment.created', 8],
  ['forum.post.created', 8],
  ['course.test.passed', 4],
  ['course.assignment.submitted', 3],
  ['course.assignment.accepted', 2],
  ['forum.topic.created', 1.5],
  ['mentor.review.done', 1.2],
  ['event.attended', 0.6],
  ['forum.solution.accepted', 0.5],
  ['mentor.session.held', 0.3],
  ['course.section.revised', 0.3],
  ['course.section.authored', 0.1],
  ['ambassador.referral.joined', 0.1],
  ['ambassador.meetup.hosted', 0.05],
  ['event.talk.given', 0.04],
  ['qualification.achieved', 0.01],
];

function generate(count: number): ScoringEvent[] {
  const rnd = random(42);
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const pick = (): string => {
    let r = rnd() * total;
    for (const [key, w] of MIX) if ((r -= w) < 0) return key;
    return MIX[0]![0];
  };
  // Each member has a habit: how likely an active day is, and how busy it is.
  const habit = Array.from({ length: MEMBERS }, () => ({ daily: 0.05 + rnd() * 0.9, busy: 1 + rnd() * 8 }));
  const meanPerDay = habit.reduce((s, h) => s + h.daily * h.busy, 0);
  const scale = count / (meanPerDay * 365);
  const events: ScoringEvent[] = [];
  for (let day = 0; day < 365 && events.length < count; day++) {
    for (let m = 0; m < MEMBERS && events.length < count; m++) {
      const h = habit[m]!;
      if (rnd() >= h.daily) continue;
      const n = Math.max(1, Math.round(h.busy * scale * (0.5 + rnd())));
      for (let i = 0; i < n && events.length < count; i++) {
        const action = pick();
        const peer = action.startsWith('forum.like') || action === 'forum.solution.accepted' ? 1 + Math.floor(rnd() * MEMBERS) : null;
        events.push({
          id: events.length + 1,
          member: m + 1,
          action,
          at: START + day * DAY_MS + Math.floor(rnd() * DAY_MS),
          object: null,
          attributes: { words: Math.floor(10 + rnd() * 300) },
          peer,
        });
      }
    }
  }
  // A store hands events over in occurrence order.
  return events.sort((a, b) => a.at - b.at || a.id - b.id);
}

/** Sums catalogue-free base points per member: the cost of touching every event once. */
function bareLoop(events: readonly ScoringEvent[], base: Map<string, number>): Map<number, number> {
  const sums = new Map<number, number>();
  for (const e of events) sums.set(e.member, (sums.get(e.member) ?? 0) + (base.get(e.action) ?? 0));
  return sums;
}

/** Wall time and CPU time of one run: on a busy machine CPU time is what one core really spent. */
function time<T>(run: () => T): { ms: number; cpuMs: number; result: T } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, result };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
const rate = (ms: number): string => `${Math.round((COUNT / ms) * 1000).toLocaleString('en')} events/s`;

const events = generate(COUNT);
const base = new Map(Object.entries(policy.actions).map(([key, rule]) => [key, rule.points]));
gc();
const heapWithEvents = process.memoryUsage().heapUsed;
console.log(`${events.length.toLocaleString('en')} events, ${MEMBERS} members, one year; heap with the events loaded ${mb(heapWithEvents)}`);

/** Runs `run` ROUNDS times; the median time, and the heap it leaves live beyond the events (its result). */
function measure<T>(run: () => T): { ms: number; cpuMs: number; heap: number; result: T } {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let result!: T;
  for (let round = 0; round < ROUNDS; round++) {
    result = undefined as T;
    gc();
    const t = time(run);
    times.push(t.ms);
    cpuTimes.push(t.cpuMs);
    result = t.result;
  }
  gc();
  return { ms: median(times), cpuMs: median(cpuTimes), heap: process.memoryUsage().heapUsed - heapWithEvents, result };
}

const bare = measure(() => bareLoop(events, base));
const totals = measure(() => totalsByMember(set, events));
const full = measure(() => scoreMembers(set, events));
const fromAwards = new Map<number, number>();
for (const a of full.result.awards) fromAwards.set(a.member, (fromAwards.get(a.member) ?? 0) + a.points);
const same = [...totals.result].every(([member, points]) => (fromAwards.get(member) ?? 0) === points);

console.log(`bare loop (sum base points per member)  ${rate(bare.ms)}  (median of ${ROUNDS}: ${bare.ms.toFixed(0)} ms)`);
console.log(`engine, totals per member               ${rate(totals.ms)}  (${totals.ms.toFixed(0)} ms)  ratio to bare loop ${(totals.ms / bare.ms).toFixed(1)}x; live heap after: ${mb(totals.heap)}`);
console.log(`engine, every award with its trail      ${rate(full.ms)}  (${full.ms.toFixed(0)} ms)  ratio to bare loop ${(full.ms / bare.ms).toFixed(1)}x; ${full.result.awards.length.toLocaleString('en')} awards hold ${mb(full.heap)}`);
console.log(`by CPU time: bare loop ${rate(bare.cpuMs)}, totals ${rate(totals.cpuMs)} (${(totals.cpuMs / bare.cpuMs).toFixed(1)}x), awards ${rate(full.cpuMs)} (${(full.cpuMs / bare.cpuMs).toFixed(1)}x); load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
console.log(`members scored ${totals.result.size}${same ? '' : ' (totals and awards disagree!)'}; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
