import type { FieldError } from '../errors.ts';
import {
  VOIDED_VERB,
  isDuration,
  isIri,
  isIrl,
  isLanguageTag,
  isMailto,
  isMediaType,
  isRecord,
  isSha1,
  isSha2,
  isUuid,
  isXapiVersion,
  timestampError,
} from './values.ts';

/**
 * Checks a statement against the rules of the xAPI specification (2.0, and 1.0.3 where they agree),
 * collecting every violation with the path of the field it concerns.
 */
export function statementErrors(statement: unknown): FieldError[] {
  const check = new Checker();
  check.nulls(statement, '');
  if (check.errors.length === 0) check.statement(statement, '', false);
  return check.errors;
}

/** Checks an Agent or Group given as a request parameter (`agent=` of queries and documents). */
export function actorErrors(actor: unknown, field: string, agentOnly = false): FieldError[] {
  const check = new Checker();
  check.nulls(actor, field);
  if (check.errors.length === 0) {
    if (agentOnly) check.agent(actor, field, false);
    else check.actor(actor, field);
  }
  return check.errors;
}

const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const STATEMENT_KEYS = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'];
const SUB_STATEMENT_KEYS = ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'];
const INTERACTION_TYPES = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other'];
const COMPONENTS_OF: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];
const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'];

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, reason: string): void {
    this.errors.push({ field: field || '(body)', reason });
  }

  /** No property may be null, except inside extensions. */
  nulls(value: unknown, path: string): void {
    if (value === null) return this.fail(path, 'must not be null');
    if (Array.isArray(value)) value.forEach((item, i) => this.nulls(item, join(path, i)));
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) if (key !== 'extensions') this.nulls(item, join(path, key));
    }
  }

  /** An object with only the allowed keys; returns it, or undefined after reporting. */
  record(value: unknown, path: string, allowed: string[], required: string[] = []): Record<string, unknown> | undefined {
    if (!isRecord(value)) {
      this.fail(path, 'must be a JSON object');
      return undefined;
    }
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.fail(join(path, key), 'is not a property the xAPI specification defines here');
    for (const key of required) if (value[key] === undefined) this.fail(join(path, key), 'is required');
    return value;
  }

  string(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== 'string') this.fail(path, 'must be a string');
  }

  boolean(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.fail(path, 'must be true or false');
  }

  iri(value: unknown, path: string): void {
    if (value !== undefined && !isIri(value)) this.fail(path, 'must be an absolute IRI');
  }

  irl(value: unknown, path: string): void {
    if (value !== undefined && !isIrl(value)) this.fail(path, 'must be an absolute URL (IRL)');
  }

  uuid(value: unknown, path: string): void {
    if (value !== undefined && !isUuid(value)) this.fail(path, 'must be a UUID');
  }

  timestamp(value: unknown, path: string): void {
    if (value === undefined) return;
    const reason = timestampError(value);
    if (reason) this.fail(path, reason);
  }

  languageMap(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!isRecord(value)) return this.fail(path, 'must be a language map: an object of language tags to strings');
    for (const [tag, text] of Object.entries(value)) {
      if (!isLanguageTag(tag)) this.fail(join(path, tag), 'is not an RFC 5646 language tag');
      if (typeof text !== 'string') this.fail(join(path, tag), 'must be a string');
    }
  }

  extensions(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!isRecord(value)) return this.fail(path, 'must be an object whose keys are IRIs');
    for (const key of Object.keys(value)) if (!isIri(key)) this.fail(join(path, key), 'an extension key must be an absolute IRI');
  }

  statement(value: unknown, path: string, sub: boolean): void {
    const s = sub
      ? this.record(value, path, [...SUB_STATEMENT_KEYS, 'id', 'stored', 'version', 'authority'], ['actor', 'verb', 'object'])
      : this.record(value, path, STATEMENT_KEYS, ['actor', 'verb', 'object']);
    if (!s) return;
    if (sub) {
      for (const key of ['id', 'stored', 'version', 'authority']) {
        if (s[key] !== undefined) this.fail(join(path, key), 'a SubStatement must not have this property');
      }
    }
    if (!sub) this.uuid(s.id, join(path, 'id'));
    if (s.actor !== undefined) this.actor(s.actor, join(path, 'actor'));
    if (s.verb !== undefined) this.verb(s.verb, join(path, 'verb'));
    if (s.object !== undefined) this.object(s.object, join(path, 'object'), sub);
    if (s.result !== undefined) this.result(s.result, join(path, 'result'));
    if (s.context !== undefined) this.context(s.context, join(path, 'context'), s.object);
    this.timestamp(s.timestamp, join(path, 'timestamp'));
    if (!sub) {
      this.timestamp(s.stored, join(path, 'stored'));
      if (s.authority !== undefined) this.actor(s.authority, join(path, 'authority'));
      if (s.version !== undefined && !isXapiVersion(s.version)) this.fail(join(path, 'version'), 'must be an xAPI version starting with 1.0 or 2.0');
    }
    if (s.attachments !== undefined) this.attachments(s.attachments, join(path, 'attachments'));
    if (isRecord(s.verb) && s.verb.id === VOIDED_VERB) {
      if (!isRecord(s.object) || s.object.objectType !== 'StatementRef') {
        this.fail(join(path, 'object.objectType'), 'a voiding statement (verb "voided") must have a StatementRef as its object');
      }
    }
  }

  actor(value: unknown, path: string): void {
    if (isRecord(value) && value.objectType === 'Group') this.group(value, path);
    else this.agent(value, path, false);
  }

  /** Exactly one inverse functional identifier, each in its own form. */
  ifi(a: Record<string, unknown>, path: string, optional: boolean): void {
    const present = IFIS.filter((key) => a[key] !== undefined);
    if (present.length > 1) this.fail(path, `must have exactly one of mbox, mbox_sha1sum, openid, account; has ${present.join(', ')}`);
    if (present.length === 0 && !optional) this.fail(path, 'must have exactly one of mbox, mbox_sha1sum, openid, account');
    if (a.mbox !== undefined && !isMailto(a.mbox)) this.fail(join(path, 'mbox'), 'must be a mailto: IRI of an email address');
    if (a.mbox_sha1sum !== undefined && !isSha1(a.mbox_sha1sum)) this.fail(join(path, 'mbox_sha1sum'), 'must be the hex SHA-1 of a mailto: IRI');
    this.iri(a.openid, join(path, 'openid'));
    if (a.account !== undefined) {
      const account = this.record(a.account, join(path, 'account'), ['homePage', 'name'], ['homePage', 'name']);
      if (account) {
        this.irl(account.homePage, join(path, 'account.homePage'));
        this.string(account.name, join(path, 'account.name'));
      }
    }
  }

  agent(value: unknown, path: string, objectTypeRequired: boolean): void {
    const a = this.record(value, path, ['objectType', 'name', ...IFIS]);
    if (!a) return;
    if (a.objectType !== undefined && a.objectType !== 'Agent') this.fail(join(path, 'objectType'), 'must be "Agent"');
    if (objectTypeRequired && a.objectType === undefined) this.fail(join(path, 'objectType'), 'is required');
    this.string(a.name, join(path, 'name'));
    this.ifi(a, path, false);
  }

  group(value: unknown, path: string): void {
    const g = this.record(value, path, ['objectType', 'name', 'member', ...IFIS], ['objectType']);
    if (!g) return;
    if (g.objectType !== 'Group') this.fail(join(path, 'objectType'), 'must be "Group"');
    this.string(g.name, join(path, 'name'));
    const anonymous = IFIS.every((key) => g[key] === undefined);
    this.ifi(g, path, true);
    if (anonymous && g.member === undefined) this.fail(join(path, 'member'), 'an anonymous Group must list its members');
    if (g.member !== undefined) {
      if (!Array.isArray(g.member)) return this.fail(join(path, 'member'), 'must be an array of Agents');
      if (anonymous && g.member.length === 0) this.fail(join(path, 'member'), 'an anonymous Group must list at least one member');
      g.member.forEach((m, i) => {
        if (isRecord(m) && m.objectType === 'Group') this.fail(join(path, `member.${i}.objectType`), 'a Group member must be an Agent, not a Group');
        else this.agent(m, join(path, `member.${i}`), false);
      });
    }
  }

  verb(value: unknown, path: string): void {
    const v = this.record(value, path, ['id', 'display'], ['id']);
    if (!v) return;
    this.iri(v.id, join(path, 'id'));
    this.languageMap(v.display, join(path, 'display'));
  }

  object(value: unknown, path: string, inSub: boolean): void {
    if (!isRecord(value)) return this.fail(path, 'must be a JSON object');
    switch (value.objectType) {
      case undefined:
      case 'Activity':
        return this.activity(value, path);
      case 'Agent':
        return this.agent(value, path, true);
      case 'Group':
        return this.group(value, path);
      case 'StatementRef':
        return this.statementRef(value, path);
      case 'SubStatement':
        if (inSub) return this.fail(join(path, 'objectType'), 'a SubStatement must not contain a SubStatement');
        return this.statement(value, path, true);
      default:
        return this.fail(join(path, 'objectType'), 'must be one of Activity, Agent, Group, StatementRef, SubStatement');
    }
  }

  statementRef(value: unknown, path: string): void {
    const r = this.record(value, path, ['objectType', 'id'], ['objectType', 'id']);
    if (!r) return;
    if (r.objectType !== 'StatementRef') this.fail(join(path, 'objectType'), 'must be "StatementRef"');
    this.uuid(r.id, join(path, 'id'));
  }

  activity(value: unknown, path: string): void {
    const a = this.record(value, path, ['objectType', 'id', 'definition'], ['id']);
    if (!a) return;
    if (a.objectType !== undefined && a.objectType !== 'Activity') this.fail(join(path, 'objectType'), 'must be "Activity"');
    this.iri(a.id, join(path, 'id'));
    if (a.definition !== undefined) this.definition(a.definition, join(path, 'definition'));
  }

  definition(value: unknown, path: string): void {
    const keys = ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...COMPONENT_LISTS];
    const d = this.record(value, path, keys);
    if (!d) return;
    this.languageMap(d.name, join(path, 'name'));
    this.languageMap(d.description, join(path, 'description'));
    this.iri(d.type, join(path, 'type'));
    this.irl(d.moreInfo, join(path, 'moreInfo'));
    this.extensions(d.extensions, join(path, 'extensions'));
    const interaction = d.interactionType;
    if (interaction !== undefined && (typeof interaction !== 'string' || !INTERACTION_TYPES.includes(interaction))) {
      this.fail(join(path, 'interactionType'), `must be one of ${INTERACTION_TYPES.join(', ')}`);
    }
    if (d.correctResponsesPattern !== undefined) {
      if (interaction === undefined) this.fail(join(path, 'correctResponsesPattern'), 'is only allowed with an interactionType');
      if (!Array.isArray(d.correctResponsesPattern) || d.correctResponsesPattern.some((p) => typeof p !== 'string')) {
        this.fail(join(path, 'correctResponsesPattern'), 'must be an array of strings');
      }
    }
    const allowed = typeof interaction === 'string' ? (COMPONENTS_OF[interaction] ?? []) : [];
    for (const list of COMPONENT_LISTS) {
      if (d[list] === undefined) continue;
      if (!allowed.includes(list)) this.fail(join(path, list), `is not allowed for interactionType ${String(interaction ?? '(none)')}`);
      this.components(d[list], join(path, list));
    }
  }

  components(value: unknown, path: string): void {
    if (!Array.isArray(value)) return this.fail(path, 'must be an array of interaction components');
    const seen = new Set<unknown>();
    value.forEach((c, i) => {
      const component = this.record(c, join(path, i), ['id', 'description'], ['id']);
      if (!component) return;
      if (typeof component.id !== 'string' || component.id === '') this.fail(join(path, `${i}.id`), 'must be a non-empty string');
      else if (seen.has(component.id)) this.fail(join(path, `${i}.id`), 'must be unique within the list');
      seen.add(component.id);
      this.languageMap(component.description, join(path, `${i}.description`));
    });
  }

  result(value: unknown, path: string): void {
    const r = this.record(value, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
    if (!r) return;
    this.boolean(r.success, join(path, 'success'));
    this.boolean(r.completion, join(path, 'completion'));
    this.string(r.response, join(path, 'response'));
    if (r.duration !== undefined && !isDuration(r.duration)) this.fail(join(path, 'duration'), 'must be an ISO 8601 duration, like PT1H30M');
    this.extensions(r.extensions, join(path, 'extensions'));
    if (r.score !== undefined) this.score(r.score, join(path, 'score'));
  }

  score(value: unknown, path: string): void {
    const s = this.record(value, path, ['scaled', 'raw', 'min', 'max']);
    if (!s) return;
    const numbers: Record<string, number> = {};
    for (const key of ['scaled', 'raw', 'min', 'max']) {
      if (s[key] === undefined) continue;
      if (typeof s[key] !== 'number' || !Number.isFinite(s[key])) this.fail(join(path, key), 'must be a number');
      else numbers[key] = s[key];
    }
    const { scaled, raw, min, max } = numbers;
    if (scaled !== undefined && (scaled < -1 || scaled > 1)) this.fail(join(path, 'scaled'), 'must be between -1 and 1');
    if (min !== undefined && max !== undefined && min >= max) this.fail(join(path, 'min'), 'must be less than max');
    if (raw !== undefined && min !== undefined && raw < min) this.fail(join(path, 'raw'), 'must not be less than min');
    if (raw !== undefined && max !== undefined && raw > max) this.fail(join(path, 'raw'), 'must not be greater than max');
  }

  context(value: unknown, path: string, object: unknown): void {
    const keys = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions', 'contextAgents', 'contextGroups'];
    const c = this.record(value, path, keys);
    if (!c) return;
    this.uuid(c.registration, join(path, 'registration'));
    if (c.instructor !== undefined) this.actor(c.instructor, join(path, 'instructor'));
    if (c.team !== undefined) {
      if (isRecord(c.team) && c.team.objectType === 'Group') this.group(c.team, join(path, 'team'));
      else this.fail(join(path, 'team.objectType'), 'team must be a Group');
    }
    const objectIsActivity = isRecord(object) && (object.objectType === undefined || object.objectType === 'Activity');
    for (const key of ['revision', 'platform']) {
      this.string(c[key], join(path, key));
      if (c[key] !== undefined && !objectIsActivity) this.fail(join(path, key), 'is only allowed when the object is an Activity');
    }
    if (c.language !== undefined && !isLanguageTag(c.language)) this.fail(join(path, 'language'), 'must be an RFC 5646 language tag');
    if (c.statement !== undefined) this.statementRef(c.statement, join(path, 'statement'));
    this.extensions(c.extensions, join(path, 'extensions'));
    if (c.contextActivities !== undefined) {
      const ca = this.record(c.contextActivities, join(path, 'contextActivities'), CONTEXT_ACTIVITY_KEYS);
      if (ca) {
        for (const key of CONTEXT_ACTIVITY_KEYS) {
          const list = ca[key];
          if (list === undefined) continue;
          const at = join(path, `contextActivities.${key}`);
          if (Array.isArray(list)) list.forEach((a, i) => this.activity(a, join(at, i)));
          else this.activity(list, at);
        }
      }
    }
    this.contextActors(c.contextAgents, join(path, 'contextAgents'), 'contextAgent', 'agent');
    this.contextActors(c.contextGroups, join(path, 'contextGroups'), 'contextGroup', 'group');
  }

  /** xAPI 2.0 contextAgents / contextGroups: typed wrappers with relevant types. */
  contextActors(value: unknown, path: string, objectType: string, key: 'agent' | 'group'): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) return this.fail(path, 'must be an array');
    value.forEach((item, i) => {
      const at = join(path, i);
      const entry = this.record(item, at, ['objectType', key, 'relevantTypes'], ['objectType', key]);
      if (!entry) return;
      if (entry.objectType !== undefined && entry.objectType !== objectType) this.fail(join(at, 'objectType'), `must be "${objectType}"`);
      if (entry[key] !== undefined) {
        if (key === 'agent') this.agent(entry[key], join(at, key), false);
        else if (isRecord(entry[key]) && entry[key].objectType === 'Group') this.group(entry[key], join(at, key));
        else this.fail(join(at, `${key}.objectType`), 'must be "Group"');
      }
      if (entry.relevantTypes !== undefined) {
        if (!Array.isArray(entry.relevantTypes) || entry.relevantTypes.length === 0) this.fail(join(at, 'relevantTypes'), 'must be a non-empty array of IRIs');
        else entry.relevantTypes.forEach((t, n) => this.iri(t, join(at, `relevantTypes.${n}`)));
      }
    });
  }

  attachments(value: unknown, path: string): void {
    if (!Array.isArray(value)) return this.fail(path, 'must be an array');
    value.forEach((item, i) => {
      const at = join(path, i);
      const a = this.record(item, at, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'], ['usageType', 'display', 'contentType', 'length', 'sha2']);
      if (!a) return;
      this.iri(a.usageType, join(at, 'usageType'));
      this.languageMap(a.display, join(at, 'display'));
      this.languageMap(a.description, join(at, 'description'));
      if (a.contentType !== undefined && !isMediaType(a.contentType)) this.fail(join(at, 'contentType'), 'must be an Internet media type');
      if (a.length !== undefined && !(Number.isInteger(a.length) && (a.length as number) >= 0)) this.fail(join(at, 'length'), 'must be a whole number of octets');
      if (a.sha2 !== undefined && !isSha2(a.sha2)) this.fail(join(at, 'sha2'), 'must be a hex SHA-2 hash');
      this.irl(a.fileUrl, join(at, 'fileUrl'));
    });
  }
}
