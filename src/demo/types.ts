import type { EventInput } from '../core/event.ts';
import type { NewMember } from '../store/members.ts';

export type Persona =
  | 'daily_learner'
  | 'weekend_crammer'
  | 'forum_writer'
  | 'course_author'
  | 'mentor'
  | 'ambassador'
  | 'occasional'
  | 'lurker';

export interface DemoMember extends NewMember {
  persona: Persona;
  display_name: string;
  roles: string[];
  identities: { provider: string; external_id: string }[];
}

export interface DemoContent {
  id: string;
  kind: 'course' | 'section';
  title: string;
  parent_id: string | null;
  /** `member` is an index into the members array. */
  authors: { member: number; share: number }[];
}

export interface DemoCommunity {
  members: DemoMember[];
  /** Parents are listed before their children. */
  content: DemoContent[];
  /** Activity in chronological batches of at most `batchSize`, generated day by day as it is consumed. */
  events(batchSize: number): Iterable<EventInput[]>;
}

export interface DemoOptions {
  seed: number;
  end: Date;
  /** Length of the window [end - days, end); 365 by default. */
  days?: number;
  /** 12,000 by default. */
  members?: number;
  /** Members active in a typical week; about 500 by default. */
  activeWeekly?: number;
}
