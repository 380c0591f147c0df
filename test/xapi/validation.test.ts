import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementErrors } from '../../src/xapi/validate.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import { type Lrs, VERBS, aStatement, lrsClient } from './lrs.ts';

type Case = [name: string, change: (s: Record<string, any>) => void, field: string];

const agent = (extra: Record<string, unknown>) => ({ objectType: 'Agent', ...extra });
const ACCOUNT = { homePage: 'https://courses.example.org', name: 'anna' };
const SUB = () => ({ objectType: 'SubStatement', actor: agent({ mbox: 'mailto:a@example.org' }), verb: { id: VERBS.attempted }, object: { id: 'https://x.example/a' } });

/** Every rule the specification names for statements, one violation each, with the field the error must name. */
const INVALID: Case[] = [
  // statement
  ['no actor', (s) => delete s.actor, 'actor'],
  ['no verb', (s) => delete s.verb, 'verb'],
  ['no object', (s) => delete s.object, 'object'],
  ['unknown top-level property', (s) => (s.foo = 1), 'foo'],
  ['id not a UUID', (s) => (s.id = 'not-a-uuid'), 'id'],
  ['null property', (s) => (s.result = null), 'result'],
  ['null inside actor', (s) => (s.actor.name = null), 'actor.name'],
  ['version not 1.0 or 2.0', (s) => (s.version = '0.95'), 'version'],
  ['statement not an object', (s) => (s.object = 'text'), 'object'],
  // actor: Agent / Group identifiers
  ['agent without identifier', (s) => (s.actor = agent({ name: 'x' })), 'actor'],
  ['agent with two identifiers', (s) => (s.actor = agent({ mbox: 'mailto:a@example.org', account: ACCOUNT })), 'actor'],
  ['mbox without mailto:', (s) => (s.actor = agent({ mbox: 'a@example.org' })), 'actor.mbox'],
  ['mbox_sha1sum not hex', (s) => (s.actor = agent({ mbox_sha1sum: 'xyz' })), 'actor.mbox_sha1sum'],
  ['openid not an IRI', (s) => (s.actor = agent({ openid: 'not an iri' })), 'actor.openid'],
  ['account without name', (s) => (s.actor = agent({ account: { homePage: 'https://x.example' } })), 'actor.account.name'],
  ['account homePage not an IRL', (s) => (s.actor = agent({ account: { homePage: 'x', name: 'a' } })), 'actor.account.homePage'],
  ['account with extra property', (s) => (s.actor = agent({ account: { ...ACCOUNT, id: 1 } })), 'actor.account.id'],
  ['agent objectType in wrong case', (s) => (s.actor.objectType = 'agent'), 'actor.objectType'],
  ['agent name not a string', (s) => (s.actor.name = 5), 'actor.name'],
  ['anonymous group without members', (s) => (s.actor = { objectType: 'Group', name: 'g' }), 'actor.member'],
  ['anonymous group with no members', (s) => (s.actor = { objectType: 'Group', member: [] }), 'actor.member'],
  ['group with a group as member', (s) => (s.actor = { objectType: 'Group', member: [{ objectType: 'Group', member: [] }] }), 'actor.member.0.objectType'],
  ['group member without identifier', (s) => (s.actor = { objectType: 'Group', member: [{ name: 'x' }] }), 'actor.member.0'],
  ['identified group with two identifiers', (s) => (s.actor = { objectType: 'Group', mbox: 'mailto:g@example.org', openid: 'https://id.example/g' }), 'actor'],
  // verb
  ['verb without id', (s) => (s.verb = { display: { en: 'x' } }), 'verb.id'],
  ['verb id not an IRI', (s) => (s.verb.id = 'experienced'), 'verb.id'],
  ['verb display not a language map', (s) => (s.verb.display = 'experienced'), 'verb.display'],
  ['verb display with a bad language tag', (s) => (s.verb.display = { 'not a tag': 'x' }), 'verb.display.not a tag'],
  ['verb display value not a string', (s) => (s.verb.display = { en: 1 }), 'verb.display.en'],
  ['verb with extra property', (s) => (s.verb.foo = 'x'), 'verb.foo'],
  // object
  ['unknown objectType', (s) => (s.object.objectType = 'Thing'), 'object.objectType'],
  ['activity without id', (s) => delete s.object.id, 'object.id'],
  ['activity id not an IRI', (s) => (s.object.id = 'section 1'), 'object.id'],
  ['activity type not an IRI', (s) => (s.object.definition.type = 'lesson'), 'object.definition.type'],
  ['activity moreInfo not an IRL', (s) => (s.object.definition.moreInfo = 'x'), 'object.definition.moreInfo'],
  ['activity definition unknown property', (s) => (s.object.definition.foo = 1), 'object.definition.foo'],
  ['unknown interactionType', (s) => (s.object.definition.interactionType = 'essay'), 'object.definition.interactionType'],
  ['choices with likert', (s) => Object.assign(s.object.definition, { interactionType: 'likert', choices: [{ id: 'a' }] }), 'object.definition.choices'],
  ['duplicate component ids', (s) => Object.assign(s.object.definition, { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] }), 'object.definition.choices.1.id'],
  ['correctResponsesPattern not strings', (s) => Object.assign(s.object.definition, { interactionType: 'choice', correctResponsesPattern: [1] }), 'object.definition.correctResponsesPattern'],
  ['agent object without objectType', (s) => (s.object = { mbox: 'mailto:b@example.org' }), 'object.id'],
  ['statement ref without UUID', (s) => (s.object = { objectType: 'StatementRef', id: 'x' }), 'object.id'],
  ['substatement with id', (s) => (s.object = { ...SUB(), id: crypto.randomUUID() }), 'object.id'],
  ['substatement with stored', (s) => (s.object = { ...SUB(), stored: '2025-01-01T00:00:00Z' }), 'object.stored'],
  ['substatement in substatement', (s) => (s.object = { ...SUB(), object: SUB() }), 'object.object.objectType'],
  ['substatement without verb', (s) => (s.object = { ...SUB(), verb: undefined }), 'object.verb'],
  // result
  ['scaled above 1', (s) => (s.result = { score: { scaled: 1.5 } }), 'result.score.scaled'],
  ['scaled below -1', (s) => (s.result = { score: { scaled: -1.01 } }), 'result.score.scaled'],
  ['raw below min', (s) => (s.result = { score: { raw: 1, min: 2, max: 10 } }), 'result.score.raw'],
  ['raw above max', (s) => (s.result = { score: { raw: 11, min: 2, max: 10 } }), 'result.score.raw'],
  ['min not below max', (s) => (s.result = { score: { min: 10, max: 10 } }), 'result.score.min'],
  ['score not a number', (s) => (s.result = { score: { raw: '5' } }), 'result.score.raw'],
  ['success not boolean', (s) => (s.result = { success: 'yes' }), 'result.success'],
  ['completion not boolean', (s) => (s.result = { completion: 1 }), 'result.completion'],
  ['duration not ISO 8601', (s) => (s.result = { duration: '5 minutes' }), 'result.duration'],
  ['result extension key not an IRI', (s) => (s.result = { extensions: { words: 5 } }), 'result.extensions.words'],
  ['result unknown property', (s) => (s.result = { grade: 'A' }), 'result.grade'],
  // context
  ['registration not a UUID', (s) => (s.context = { registration: 'abc' }), 'context.registration'],
  ['revision with an agent object', (s) => Object.assign(s, { object: agent({ mbox: 'mailto:b@example.org' }), context: { revision: '2' } }), 'context.revision'],
  ['platform with a statement ref object', (s) => Object.assign(s, { object: { objectType: 'StatementRef', id: crypto.randomUUID() }, context: { platform: 'web' } }), 'context.platform'],
  ['team not a group', (s) => (s.context = { team: agent({ mbox: 'mailto:b@example.org' }) }), 'context.team.objectType'],
  ['instructor without identifier', (s) => (s.context = { instructor: { name: 'x' } }), 'context.instructor'],
  ['language not a tag', (s) => (s.context = { language: 'english please' }), 'context.language'],
  ['context statement not a StatementRef', (s) => (s.context = { statement: { id: crypto.randomUUID() } }), 'context.statement.objectType'],
  ['unknown contextActivities key', (s) => (s.context = { contextActivities: { sibling: [] } }), 'context.contextActivities.sibling'],
  ['context activity without id', (s) => (s.context = { contextActivities: { parent: [{ objectType: 'Activity' }] } }), 'context.contextActivities.parent.0.id'],
  ['context extension key not an IRI', (s) => (s.context = { extensions: { course: 1 } }), 'context.extensions.course'],
  ['contextAgents entry of wrong objectType', (s) => (s.context = { contextAgents: [{ objectType: 'Agent', agent: agent({ mbox: 'mailto:b@example.org' }) }] }), 'context.contextAgents.0.objectType'],
  ['contextGroups with an agent', (s) => (s.context = { contextGroups: [{ objectType: 'contextGroup', group: agent({ mbox: 'mailto:b@example.org' }) }] }), 'context.contextGroups.0.group.objectType'],
  ['relevantTypes empty', (s) => (s.context = { contextAgents: [{ objectType: 'contextAgent', agent: agent({ mbox: 'mailto:b@example.org' }), relevantTypes: [] }] }), 'context.contextAgents.0.relevantTypes'],
  // timestamps
  ['timestamp without time zone', (s) => (s.timestamp = '2025-10-01T10:00:00'), 'timestamp'],
  ['timestamp with -00:00', (s) => (s.timestamp = '2025-10-01T10:00:00-00:00'), 'timestamp'],
  ['timestamp not a date', (s) => (s.timestamp = 'yesterday'), 'timestamp'],
  ['timestamp on 31 February', (s) => (s.timestamp = '2025-02-31T10:00:00Z'), 'timestamp'],
  ['stored not a timestamp', (s) => (s.stored = '2025-10-01'), 'stored'],
  // authority, attachments
  ['authority without identifier', (s) => (s.authority = { objectType: 'Agent', name: 'x' }), 'authority'],
  ['attachment without sha2', (s) => (s.attachments = [{ usageType: 'https://x.example/u', display: { en: 'x' }, contentType: 'text/plain', length: 1, fileUrl: 'https://x.example/f' }]), 'attachments.0.sha2'],
  ['attachment length negative', (s) => (s.attachments = [{ usageType: 'https://x.example/u', display: { en: 'x' }, contentType: 'text/plain', length: -1, sha2: 'a'.repeat(64), fileUrl: 'https://x.example/f' }]), 'attachments.0.length'],
  // voiding
  ['voiding an activity', (s) => (s.verb = { id: VERBS.voided }), 'object.objectType'],
];

const VALID: [string, (s: Record<string, any>) => void][] = [
  ['mbox agent without objectType', (s) => (s.actor = { mbox: 'mailto:a@example.org' })],
  ['mbox_sha1sum', (s) => (s.actor = { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' })],
  ['openid', (s) => (s.actor = { openid: 'https://id.example/anna' })],
  ['identified group', (s) => (s.actor = { objectType: 'Group', account: ACCOUNT, member: [{ mbox: 'mailto:a@example.org' }] })],
  ['anonymous group', (s) => (s.actor = { objectType: 'Group', member: [{ mbox: 'mailto:a@example.org' }, { account: ACCOUNT }] })],
  ['agent object', (s) => (s.object = agent({ mbox: 'mailto:b@example.org' }))],
  ['substatement', (s) => (s.object = SUB())],
  ['single context activity (0.95 style)', (s) => (s.context = { contextActivities: { parent: { id: 'https://x.example/course' } } })],
  ['full result', (s) => (s.result = { score: { scaled: -1, raw: 0, min: 0, max: 10 }, success: false, completion: true, response: 'x', duration: 'PT1H2M3.5S', extensions: { 'https://x.example/e': null } })],
  ['null inside extensions', (s) => (s.context = { extensions: { 'https://x.example/e': { a: null } } })],
  ['2.0 context agents', (s) => (s.context = { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:b@example.org' }, relevantTypes: ['https://x.example/t'] }] })],
  ['timestamp offset without colon', (s) => (s.timestamp = '2025-10-01T10:00:00.123+0300')],
  ['timestamp in UTC', (s) => (s.timestamp = '2025-10-01T10:00:00Z')],
  ['version 1.0.3', (s) => (s.version = '1.0.3')],
  ['interaction with choices', (s) => Object.assign(s.object.definition, { interactionType: 'choice', correctResponsesPattern: ['a'], choices: [{ id: 'a', description: { en: 'A' } }, { id: 'b' }] })],
  ['voiding statement', (s) => Object.assign(s, { verb: { id: VERBS.voided }, object: { objectType: 'StatementRef', id: crypto.randomUUID() } })],
  ['attachment by fileUrl', (s) => (s.attachments = [{ usageType: 'https://x.example/u', display: { en: 'x' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64), fileUrl: 'https://x.example/f' }])],
];

function variant(change: (s: Record<string, any>) => void): Record<string, any> {
  const s = aStatement();
  change(s);
  return JSON.parse(JSON.stringify(s));
}

describe('statement validation', () => {
  it.each(INVALID)('refuses %s, naming the field', (_name, change, field) => {
    expect(statementErrors(variant(change)).map((e) => e.field)).toContain(field);
  });

  it.each(VALID)('accepts %s', (_name, change) => {
    expect(statementErrors(variant(change))).toEqual([]);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => Array.isArray(statementErrors(value))));
  });

  it('reports every violation of a statement, not only the first', () => {
    const s = variant((x) => Object.assign(x, { verb: { id: 'nope' }, timestamp: 'soon', result: { score: { scaled: 9 } } }));
    expect(statementErrors(s).map((e) => e.field).sort()).toEqual(['result.score.scaled', 'timestamp', 'verb.id']);
  });
});

describe.each(STORES)('invalid statements over HTTP ($name)', (kind) => {
  let store: TestStore;
  let lrs: Lrs;
  beforeAll(async () => {
    store = await kind.open();
    lrs = lrsClient(store.db);
  });
  afterAll(() => store.destroy());

  it.each(INVALID)('answers 400 to %s and stores nothing', async (_name, change, field) => {
    const res = await lrs.request('POST', '/xapi/statements', [aStatement(), variant(change)]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ item: 1, field }));
    const [row] = await store.db.query<{ n: number }>('select count(*)::int as n from xapi_statements');
    expect(row!.n).toBe(0);
  });

  it('answers 400 to bodies that are not statements', async () => {
    for (const body of ['{', '[]', '"text"', '42']) {
      const res = await lrs.request('POST', '/xapi/statements', body);
      expect(res.status, body).toBe(400);
    }
    const typeless = await lrs.request('POST', '/xapi/statements', JSON.stringify(aStatement()), { 'content-type': 'text/plain' });
    expect(typeless.status).toBe(415);
  });

  it('refuses an attachment with neither a fileUrl nor its content', async () => {
    const s = aStatement({ attachments: [{ usageType: 'https://x.example/u', display: { en: 'x' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64) }] });
    const res = await lrs.request('POST', '/xapi/statements', s);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'attachments.0.sha2' })]);
  });

  it('accepts a statement of each valid shape', async () => {
    const res = await lrs.request('POST', '/xapi/statements', VALID.map(([, change]) => variant(change)));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(VALID.length);
  });
});

