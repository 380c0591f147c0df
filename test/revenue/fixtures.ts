import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { getBalance } from '../../src/ledger/reads.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { putContent } from '../../src/store/content.ts';
import { newMembers } from '../payments/fixtures.ts';

/**
 * The community of the hand-computed example: course A by author a1 (its section s1 names nobody),
 * course B by a2 (60) and a3 (40); members m10, m11, m12 pay, m13 only reads.
 */
export async function community(db: Database) {
  const [a1, a2, a3, m10, m11, m12, m13] = (await newMembers(db, 7)) as [number, number, number, number, number, number, number];
  const tag = randomBytes(3).toString('hex');
  const A = `course:${tag}-A`;
  const s1 = `${A}/s1`;
  const B = `course:${tag}-B`;
  await putContent(db, A, { kind: 'course', title: 'Course A', parent_id: null, url: null, authors: [{ member_id: a1, share: 1 }] }, 'test');
  await putContent(db, s1, { kind: 'section', title: 'Section 1', parent_id: A, url: null, authors: [] }, 'test');
  await putContent(db, B, { kind: 'course', title: 'Курс B', parent_id: null, url: null, authors: [{ member_id: a2, share: 60 }, { member_id: a3, share: 40 }] }, 'test');
  return { a1, a2, a3, m10, m11, m12, m13, A, s1, B };
}

let counter = 0;
/** Ingests `count` actions of a member on a piece of content at a moment. */
export async function act(db: Database, member: number, action: string, object: string, count: number, occurred_at: string): Promise<void> {
  const events = Array.from({ length: count }, () => ({
    source: 'lms',
    source_event_id: `rev-${process.pid}-${randomBytes(4).toString('hex')}-${(counter += 1)}`,
    action,
    actor: { member_id: member },
    occurred_at,
    object,
    attributes: {},
  }));
  await ingestEvents(db, events as never, { atomic: true, unknownIdentity: () => 'create' });
}

export const balance = async (db: Database, address: string): Promise<number> => (await getBalance(db, address)).balance;
