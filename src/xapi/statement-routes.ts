import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { VkladError, invalid } from '../errors.ts';
import type { App, Deps, Env } from '../http/env.ts';
import { type Attachments, attachmentsOf, readStatementsBody } from './attachments.ts';
import { type StatementFormat, canonical, idsOnly } from './format.ts';
import { type Part, multipartBody } from './multipart.ts';
import { answeredVersion } from './protocol.ts';
import { agentParam, booleanParam, iriParam, queryParams, timestampParam, uuidParam } from './params.ts';
import { recordStatements } from './record.ts';
import { type Position, type StatementFilter, findStatement, queryStatements } from './statement-store.ts';
import { isRecord } from './values.ts';

const MAX_BODY = 10 * 1024 * 1024;
export const MAX_PAGE = 500;
const QUERY_PARAMS = ['agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending'];
const SINGLE_PARAMS = ['statementId', 'voidedStatementId', 'format', 'attachments'];

/** A `more` link carries the whole query and where the last page ended, so it needs nothing else. */
const Continuation = z.object({
  filter: z.object({
    agent: z.string().nullable(),
    verb: z.string().nullable(),
    activity: z.string().nullable(),
    registration: z.string().nullable(),
    relatedActivities: z.boolean(),
    relatedAgents: z.boolean(),
    since: z.string().nullable(),
    until: z.string().nullable(),
    ascending: z.boolean(),
  }),
  after: z.object({ stored: z.string(), seq: z.number().int() }),
  limit: z.number().int().min(1).max(MAX_PAGE),
  format: z.enum(['exact', 'ids', 'canonical']),
  attachments: z.boolean(),
});
type Continuation = z.infer<typeof Continuation>;

const encodeMore = (c: Continuation): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeMore(token: string): Continuation {
  try {
    return Continuation.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw invalid([{ field: 'more', reason: 'is not a link this LRS returned' }]);
  }
}

function authorityOf(c: Context<Env>) {
  const keyId = c.get('principal').key_id;
  return { objectType: 'Agent', name: `Vklad API key ${keyId}`, account: { homePage: new URL(c.req.url).origin, name: keyId } };
}

export function statementRoutes(app: App, deps: Deps): void {
  const record = (c: Context<Env>, statements: unknown[], inBatch: boolean, attachments: Attachments) =>
    recordStatements(statements, inBatch, attachments, {
      db: deps.db,
      now: deps.now(),
      authority: authorityOf(c),
      version: answeredVersion(c.req.header('x-experience-api-version') ?? '')?.startsWith('1.') ? '1.0.0' : '2.0.0',
      unknownIdentity: deps.config.unknownIdentity,
      actor: `api_key:${c.get('principal').key_id}`,
    });

  app.put('/xapi/statements', async (c) => {
    const params = queryParams(c, ['statementId']);
    const id = uuidParam(params.statementId, 'statementId');
    if (id === undefined) throw invalid([{ field: 'statementId', reason: 'is required' }]);
    const { body, attachments } = await readStatementsBody(c, MAX_BODY);
    if (!isRecord(body)) throw invalid([{ field: '(body)', reason: 'must be one statement (a JSON object)' }]);
    if (body.id !== undefined && (typeof body.id !== 'string' || body.id.toLowerCase() !== id.toLowerCase())) {
      throw invalid([{ field: 'id', reason: 'must equal the statementId parameter' }]);
    }
    await record(c, [{ ...body, id: body.id ?? id }], false, attachments);
    return c.body(null, 204);
  });

  app.post('/xapi/statements', async (c) => {
    queryParams(c, []);
    const { body, attachments } = await readStatementsBody(c, MAX_BODY);
    const batch = Array.isArray(body);
    const statements = batch ? body : [body];
    if (statements.length === 0) throw invalid([{ field: '(body)', reason: 'must contain at least one statement' }]);
    return c.json(await record(c, statements, batch, attachments));
  });

  app.get('/xapi/statements', async (c) => {
    const consistentThrough = deps.now().toISOString();
    c.header('X-Experience-API-Consistent-Through', consistentThrough);
    const all = c.req.queries();
    if ('more' in all) return page(c, decodeMore(queryParams(c, ['more']).more!));
    if ('statementId' in all || 'voidedStatementId' in all) return single(c);
    return page(c, firstPage(c));
  });

  async function single(c: Context<Env>): Promise<Response> {
    const params = queryParams(c, SINGLE_PARAMS);
    if (params.statementId !== undefined && params.voidedStatementId !== undefined) {
      throw invalid([{ field: 'voidedStatementId', reason: 'give statementId or voidedStatementId, not both' }]);
    }
    const voided = params.voidedStatementId !== undefined;
    const field = voided ? 'voidedStatementId' : 'statementId';
    const id = uuidParam(params[field], field)!;
    const format = formatParam(params.format);
    const attachments = booleanParam(params.attachments, 'attachments') ?? false;
    const body = await findStatement(deps.db, id, voided);
    if (body === null) throw new VkladError('not_found', voided ? `No voided statement ${id}` : `No statement ${id} (or it is voided)`);
    const statement = JSON.parse(body) as Record<string, unknown>;
    c.header('Last-Modified', new Date(String(statement.stored)).toUTCString());
    const json = format === 'exact' ? body : JSON.stringify(reformat(statement, format, c));
    return respond(c, json, attachments ? await attachmentsOf(deps.db, [statement]) : null);
  }

  function firstPage(c: Context<Env>): Continuation {
    const p = queryParams(c, QUERY_PARAMS);
    const limit = p.limit === undefined ? 0 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 0) throw invalid([{ field: 'limit', reason: 'must be a whole number, 0 for as many as the LRS allows' }]);
    return {
      filter: {
        agent: p.agent === undefined ? null : agentParam(p.agent).key,
        verb: iriParam(p.verb, 'verb') ?? null,
        activity: iriParam(p.activity, 'activity') ?? null,
        registration: uuidParam(p.registration, 'registration') ?? null,
        relatedActivities: booleanParam(p.related_activities, 'related_activities') ?? false,
        relatedAgents: booleanParam(p.related_agents, 'related_agents') ?? false,
        since: timestampParam(p.since, 'since') ?? null,
        until: timestampParam(p.until, 'until') ?? null,
        ascending: booleanParam(p.ascending, 'ascending') ?? false,
      },
      after: { stored: '', seq: 0 },
      limit: limit === 0 || limit > MAX_PAGE ? MAX_PAGE : limit,
      format: formatParam(p.format),
      attachments: booleanParam(p.attachments, 'attachments') ?? false,
    };
  }

  async function page(c: Context<Env>, q: Continuation): Promise<Response> {
    const after: Position | null = q.after.stored === '' ? null : q.after;
    const filter: StatementFilter = q.filter;
    // One more than the page tells whether there is a next page without a second query.
    const rows = await queryStatements(deps.db, filter, after, q.limit + 1);
    const shown = rows.slice(0, q.limit).map((r) => r.body);
    const more = rows.length > q.limit ? `/xapi/statements?more=${encodeMore({ ...q, after: rows[q.limit - 1]!.position })}` : '';
    const texts = q.format === 'exact' ? shown : shown.map((b) => JSON.stringify(reformat(JSON.parse(b), q.format, c)));
    const newest = shown.map((b) => Date.parse(String((JSON.parse(b) as Record<string, unknown>).stored))).reduce((m, t) => Math.max(m, t), 0);
    if (newest > 0) c.header('Last-Modified', new Date(newest).toUTCString());
    const json = `{"statements":[${texts.join(',')}],"more":${JSON.stringify(more)}}`;
    return respond(c, json, q.attachments ? await attachmentsOf(deps.db, shown.map((b) => JSON.parse(b))) : null);
  }
}

function formatParam(value: string | undefined): StatementFormat {
  if (value === undefined) return 'exact';
  if (value !== 'exact' && value !== 'ids' && value !== 'canonical') throw invalid([{ field: 'format', reason: 'must be exact, ids or canonical' }]);
  return value;
}

function reformat(statement: Record<string, unknown>, format: StatementFormat, c: Context): Record<string, unknown> {
  if (format === 'ids') return idsOnly(statement);
  if (format === 'canonical') return canonical(statement, c.req.header('accept-language'));
  return statement;
}

/** JSON, or with attachments=true multipart/mixed: the JSON first, then the attachments' contents. */
function respond(c: Context, json: string, attachments: Part[] | null): Response {
  if (attachments === null) return c.body(json, 200, { 'content-type': 'application/json; charset=utf-8' });
  const boundary = `vklad-${randomBytes(12).toString('hex')}`;
  const body = multipartBody(boundary, [{ headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from(json) }, ...attachments]);
  return c.body(new Uint8Array(body), 200, { 'content-type': `multipart/mixed; boundary=${boundary}` });
}
