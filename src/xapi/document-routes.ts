import type { Context } from 'hono';
import { VkladError, invalid } from '../errors.ts';
import type { App, Deps, Env } from '../http/env.ts';
import { agentIds } from './agents.ts';
import { type DocumentKind, type DocumentScope, deleteDocuments, getDocument, listDocumentIds, writeDocument } from './document-store.ts';
import { agentParam, iriParam, queryParams, required, timestampParam, uuidParam } from './params.ts';
import { preconditionAware } from './protocol.ts';

const MAX_DOCUMENT = 10 * 1024 * 1024;

/** One document resource: its path, the parameters that place a document, and the one that names it. */
interface Resource {
  path: string;
  kind: DocumentKind;
  idParam: string;
  scopeParams: string[];
  /** Deleting without an id deletes every document of the scope (State only). */
  deleteMany: boolean;
  /** PUT over an existing document must say which version it replaces (the profiles). */
  putNeedsPrecondition: boolean;
}

const RESOURCES: Resource[] = [
  { path: '/xapi/activities/state', kind: 'state', idParam: 'stateId', scopeParams: ['activityId', 'agent', 'registration'], deleteMany: true, putNeedsPrecondition: false },
  { path: '/xapi/activities/profile', kind: 'activity_profile', idParam: 'profileId', scopeParams: ['activityId'], deleteMany: false, putNeedsPrecondition: true },
  { path: '/xapi/agents/profile', kind: 'agent_profile', idParam: 'profileId', scopeParams: ['agent'], deleteMany: false, putNeedsPrecondition: true },
];

function scopeOf(resource: Resource, params: Record<string, string>): DocumentScope {
  const uses = (name: string) => resource.scopeParams.includes(name);
  return {
    kind: resource.kind,
    activityId: uses('activityId') ? iriParam(required(params, 'activityId'), 'activityId')! : '',
    agentKey: uses('agent') ? agentParam(required(params, 'agent')).key : '',
    registration: uses('registration') ? (uuidParam(params.registration, 'registration')?.toLowerCase() ?? '') : '',
  };
}

const preconditions = (c: Context) => ({ ifMatch: c.req.header('if-match'), ifNoneMatch: c.req.header('if-none-match') });

async function readDocument(c: Context): Promise<Buffer> {
  if (Number(c.req.header('content-length') ?? 0) > MAX_DOCUMENT) throw new VkladError('payload_too_large', `A document must be at most ${MAX_DOCUMENT} bytes`);
  const bytes = Buffer.from(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_DOCUMENT) throw new VkladError('payload_too_large', `A document must be at most ${MAX_DOCUMENT} bytes`);
  return bytes;
}

export function documentRoutes(app: App, deps: Deps): void {
  for (const resource of RESOURCES) {
    const { path, idParam } = resource;
    const allowed = [...resource.scopeParams, idParam];

    app.get(
      path,
      preconditionAware(async (c: Context<Env>) => {
        const params = queryParams(c, [...allowed, 'since']);
        const scope = scopeOf(resource, params);
        const id = params[idParam];
        if (id === undefined) {
          const { ids, lastModified } = await listDocumentIds(deps.db, scope, timestampParam(params.since, 'since') ?? null);
          if (lastModified) c.header('Last-Modified', lastModified.toUTCString());
          return c.json(ids);
        }
        if (params.since !== undefined) throw invalid([{ field: 'since', reason: `is only for listing, without ${idParam}` }]);
        const doc = await getDocument(deps.db, scope, id);
        if (!doc) throw new VkladError('not_found', `No document ${id}`);
        return c.body(new Uint8Array(doc.content), 200, {
          'content-type': doc.contentType,
          etag: doc.etag,
          'last-modified': doc.updatedAt.toUTCString(),
        });
      }),
    );

    const write = (merge: boolean) =>
      preconditionAware(async (c: Context<Env>) => {
        const params = queryParams(c, allowed);
        const scope = scopeOf(resource, params);
        const id = required(params, idParam);
        const stored = await writeDocument(deps.db, scope, id, {
          content: await readDocument(c),
          contentType: c.req.header('content-type') ?? 'application/octet-stream',
          merge,
          preconditions: preconditions(c),
          putNeedsPrecondition: resource.putNeedsPrecondition,
          now: deps.now(),
        });
        return c.body(null, 204, { etag: stored.etag });
      });
    app.put(path, write(false));
    app.post(path, write(true));

    app.delete(
      path,
      preconditionAware(async (c: Context<Env>) => {
        const params = queryParams(c, allowed);
        const scope = scopeOf(resource, params);
        const id = params[idParam] ?? null;
        if (id === null && !resource.deleteMany) throw invalid([{ field: idParam, reason: 'is required' }]);
        await deleteDocuments(deps.db, scope, id, preconditions(c));
        return c.body(null, 204);
      }),
    );
  }

  app.get('/xapi/activities', async (c) => {
    const params = queryParams(c, ['activityId']);
    const id = iriParam(required(params, 'activityId'), 'activityId')!;
    const [row] = await deps.db.query<{ definition: Record<string, unknown> }>('select definition from xapi_activities where id = $1', [id]);
    if (!row) throw new VkladError('not_found', `No statement has mentioned activity ${id}`);
    return c.json({ objectType: 'Activity', id, ...(Object.keys(row.definition).length > 0 ? { definition: row.definition } : {}) });
  });

  app.get('/xapi/agents', async (c) => {
    const params = queryParams(c, ['agent']);
    const { agent, key } = agentParam(required(params, 'agent'));
    const names = await deps.db.query<{ name: string }>('select name from xapi_agent_names where agent_key = $1 order by name', [key]);
    const person: Record<string, unknown> = { objectType: 'Person' };
    const allNames = [...new Set([...(typeof agent.name === 'string' ? [agent.name] : []), ...names.map((n) => n.name)])];
    if (allNames.length > 0) person.name = allNames;
    for (const [ifi, value] of Object.entries(agentIds(agent))) if (ifi !== 'objectType' && ifi !== 'member') person[ifi] = [value];
    return c.json(person);
  });
}
