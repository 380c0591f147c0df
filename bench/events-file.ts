import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';

const ACTIONS = ['course.section.read', 'forum.post.created', 'forum.like.received', 'course.test.passed', 'telegram.message.sent'];
const SOURCES: Record<string, string> = { course: 'course', forum: 'forum', telegram: 'telegram' };

/** The n-th synthetic event: 20,000 members, a year of actions, realistic field sizes. */
export function syntheticEvent(n: number) {
  const action = ACTIONS[n % ACTIONS.length]!;
  const source = SOURCES[action.split('.')[0]!] ?? 'course';
  return {
    source,
    source_event_id: `bench-${n}`,
    action,
    actor: { provider: 'forum', external_id: `user-${(n * 7919) % 20_000}` },
    occurred_at: new Date(Date.UTC(2025, 0, 1) + ((n * 31_557) % 31_536_000) * 1000).toISOString().replace('Z', '+00:00'),
    object: `section:course-${n % 12}/${n % 20}`,
    attributes: { words: (n * 37) % 400, client: 'bench' },
  };
}

/** Writes `count` synthetic events as JSONL (once; reused by later runs). */
export async function eventsFile(path: string, count: number): Promise<string> {
  if (existsSync(path) && statSync(path).size > 0) return path;
  const out = createWriteStream(path);
  for (let n = 0; n < count; n += 1) {
    if (!out.write(`${JSON.stringify(syntheticEvent(n))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}
