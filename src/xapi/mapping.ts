import { z } from '@hono/zod-openapi';
import type { EventInput } from '../core/event.ts';
import type { Database, Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { actionKey } from '../schemas/common.ts';
import { audit } from '../store/audit.ts';
import { vkladActor } from './agents.ts';
import { instantOf, isIri, isRecord } from './values.ts';

const iri = z.string().max(2000).refine(isIri, 'must be an absolute IRI');

export const MappingRule = z
  .object({
    verb: iri.openapi({ description: 'The verb id the statement must have' }),
    activity_types: z
      .array(iri)
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: "The object's activity type must be one of these; leave out to match any activity" }),
    result: z
      .object({
        success: z.boolean().optional(),
        completion: z.boolean().optional(),
        min_scaled: z.number().min(-1).max(1).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: 'Conditions on result: success, completion, and a lowest score.scaled' }),
    action: actionKey.openapi({ description: 'The catalogue action the statement becomes' }),
  })
  .strict()
  .openapi('XapiMappingRule');

export const Mapping = z
  .object({ rules: z.array(MappingRule).max(200).openapi({ description: 'Tried in order; the first that matches decides' }) })
  .strict()
  .openapi('XapiMapping');

export type Mapping = z.infer<typeof Mapping>;
export type MappingRule = z.infer<typeof MappingRule>;

const ADL = 'http://adlnet.gov/expapi';
const SECTION_TYPES = [`${ADL}/activities/lesson`, `${ADL}/activities/module`];
const TEST_TYPES = [`${ADL}/activities/assessment`];
const ASSIGNMENT_TYPES = ['http://vocab.xapi.fr/activities/assignment'];

/** What a fresh Vklad does with the statements of a course platform; operators replace it as a whole. */
export const DEFAULT_MAPPING: Mapping = {
  rules: [
    { verb: `${ADL}/verbs/completed`, activity_types: ASSIGNMENT_TYPES, result: { success: true }, action: 'course.assignment.accepted' },
    { verb: `${ADL}/verbs/completed`, activity_types: ASSIGNMENT_TYPES, action: 'course.assignment.submitted' },
    { verb: `${ADL}/verbs/passed`, activity_types: ASSIGNMENT_TYPES, action: 'course.assignment.accepted' },
    { verb: `${ADL}/verbs/scored`, activity_types: ASSIGNMENT_TYPES, result: { success: true }, action: 'course.assignment.accepted' },
    { verb: `${ADL}/verbs/passed`, activity_types: TEST_TYPES, action: 'course.test.passed' },
    { verb: `${ADL}/verbs/experienced`, activity_types: SECTION_TYPES, action: 'course.section.read' },
    { verb: `${ADL}/verbs/completed`, activity_types: SECTION_TYPES, action: 'course.section.read' },
    { verb: 'https://w3id.org/xapi/dod-isd/verbs/achieved', action: 'qualification.achieved' },
    { verb: 'http://id.tincanapi.com/verb/earned', action: 'qualification.achieved' },
  ],
};

export async function loadMapping(db: Queryable): Promise<Mapping> {
  const [row] = await db.query<{ rules: MappingRule[] }>('select rules from xapi_mapping');
  return row ? { rules: row.rules } : DEFAULT_MAPPING;
}

/** Replaces the mapping; every action it names must be an active catalogue action. */
export async function saveMapping(db: Database, mapping: Mapping, actor: string): Promise<Mapping> {
  return db.transaction(async (tx) => {
    const keys = [...new Set(mapping.rules.map((r) => r.action))];
    const active = new Set(
      (await tx.query<{ key: string }>('select key from action_types where key = any($1) and retired_at is null', [keys])).map((r) => r.key),
    );
    const errors = mapping.rules.flatMap((rule, n) =>
      active.has(rule.action) ? [] : [{ field: `rules.${n}.action`, reason: `"${rule.action}" is not an active action in the catalogue` }],
    );
    if (errors.length > 0) throw invalid(errors);
    await tx.query(
      `insert into xapi_mapping (singleton, rules, updated_at) values (true, $1, now())
       on conflict (singleton) do update set rules = excluded.rules, updated_at = excluded.updated_at`,
      [JSON.stringify(mapping.rules)],
    );
    await audit(tx, actor, 'xapi.mapping.replace', 'xapi:mapping', { rules: mapping.rules.length });
    return mapping;
  });
}

type Json = Record<string, unknown>;

function matches(rule: MappingRule, statement: Json, activityType: string | undefined): boolean {
  if (!isRecord(statement.verb) || statement.verb.id !== rule.verb) return false;
  if (rule.activity_types && (activityType === undefined || !rule.activity_types.includes(activityType))) return false;
  const result = isRecord(statement.result) ? statement.result : {};
  const condition = rule.result ?? {};
  if (condition.success !== undefined && result.success !== condition.success) return false;
  if (condition.completion !== undefined && result.completion !== condition.completion) return false;
  if (condition.min_scaled !== undefined) {
    const scaled = isRecord(result.score) ? result.score.scaled : undefined;
    if (typeof scaled !== 'number' || scaled < condition.min_scaled) return false;
  }
  return true;
}

/**
 * The activity event a stored statement becomes, or null when no rule matches, the object is not an
 * Activity, or the actor is not one person. `typeOf` knows activity types from earlier definitions,
 * since a statement may name an activity without defining it again.
 */
export function eventFor(statement: Json, mapping: Mapping, typeOf: (activityId: string) => string | undefined): EventInput | null {
  const object = statement.object;
  if (!isRecord(object) || (object.objectType !== undefined && object.objectType !== 'Activity')) return null;
  const activityId = String(object.id);
  const definition = isRecord(object.definition) ? object.definition : {};
  const activityType = typeof definition.type === 'string' ? definition.type : typeOf(activityId);
  const rule = mapping.rules.find((r) => matches(r, statement, activityType));
  const actor = isRecord(statement.actor) ? vkladActor(statement.actor) : null;
  if (!rule || !actor) return null;
  const result = isRecord(statement.result) ? statement.result : {};
  const score = isRecord(result.score) ? result.score : {};
  const context = isRecord(statement.context) ? statement.context : {};
  const attributes: Record<string, unknown> = { verb: (statement.verb as Json).id };
  if (activityType !== undefined) attributes.activity_type = activityType;
  if (typeof context.registration === 'string') attributes.registration = context.registration;
  if (typeof score.scaled === 'number') attributes.score_scaled = score.scaled;
  if (typeof result.success === 'boolean') attributes.success = result.success;
  if (typeof result.completion === 'boolean') attributes.completion = result.completion;
  return {
    source: 'xapi',
    source_event_id: String(statement.id).toLowerCase(),
    action: rule.action,
    actor,
    occurred_at: new Date(instantOf(String(statement.timestamp))).toISOString(),
    object: activityId,
    attributes,
  };
}
