import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { invalid, notFound } from '../errors.ts';
import { memberId, slug, text } from '../schemas/common.ts';
import { audit } from './audit.ts';

export const ContentBody = z
  .object({
    kind: slug.openapi({ example: 'section' }),
    title: text(500),
    parent_id: text(200).nullable().default(null),
    url: z.url().max(2000).nullable().default(null),
    authors: z
      .array(z.object({ member_id: memberId, share: z.number().int().positive().max(1_000_000) }).strict())
      .max(50)
      .default([])
      .openapi({ description: 'Co-authors with integer shares, e.g. 60 and 40' }),
  })
  .strict()
  .openapi('ContentInput');

export type ContentInput = z.infer<typeof ContentBody>;
export type ContentView = ContentInput & { id: string; updated_at: string };

export async function getContent(db: Queryable, id: string): Promise<ContentView> {
  const [row] = await db.query<{ id: string; kind: string; title: string; parent_id: string | null; url: string | null; updated_at: Date }>(
    'select id, kind, title, parent_id, url, updated_at from content where id = $1',
    [id],
  );
  if (!row) throw notFound(`Content ${id}`);
  const authors = await db.query<{ member_id: number; share: number }>(
    'select member_id, share from content_authors where content_id = $1 order by member_id',
    [id],
  );
  return { ...row, updated_at: row.updated_at.toISOString(), authors };
}

export async function listContent(db: Queryable, filter: { parent?: string | undefined; author?: number | undefined }, limit = 500): Promise<ContentView[]> {
  const ids = await db.query<{ id: string }>(
    `select c.id from content c
     where ($1::text is null or c.parent_id = $1)
       and ($2::bigint is null or exists (select 1 from content_authors a where a.content_id = c.id and a.member_id = $2))
     order by c.id limit $3`,
    [filter.parent ?? null, filter.author ?? null, limit],
  );
  return Promise.all(ids.map((r) => getContent(db, r.id)));
}

/** Creates or replaces a content item with its authors; the parent must exist and must not lead back to it. */
export async function putContent(db: Database, id: string, input: ContentInput, actor: string): Promise<ContentView> {
  return db.transaction(async (tx) => {
    if (input.parent_id !== null) {
      const [cycle] = await tx.query<{ found: boolean; id_in_chain: boolean }>(
        `with recursive chain(id, parent_id, depth) as (
           select id, parent_id, 1 from content where id = $1
           union all
           select c.id, c.parent_id, chain.depth + 1 from content c join chain on c.id = chain.parent_id where chain.depth < 100)
         select count(*) > 0 as found, coalesce(bool_or(id = $2), false) as id_in_chain from chain`,
        [input.parent_id, id],
      );
      if (!cycle?.found) throw invalid([{ field: 'parent_id', reason: `content ${input.parent_id} does not exist` }]);
      if (cycle.id_in_chain) throw invalid([{ field: 'parent_id', reason: 'would make the content its own ancestor' }]);
    }
    const authorIds = input.authors.map((a) => a.member_id);
    if (new Set(authorIds).size !== authorIds.length) throw invalid([{ field: 'authors', reason: 'lists a member twice' }]);
    const live = await tx.query<{ id: number }>('select id from members where id = any($1) and merged_into is null', [authorIds]);
    const missing = authorIds.filter((a) => !live.some((m) => m.id === a));
    if (missing.length > 0) throw invalid([{ field: 'authors', reason: `members ${missing.join(', ')} do not exist or were merged` }]);

    await tx.query(
      `insert into content (id, kind, title, parent_id, url) values ($1, $2, $3, $4, $5)
       on conflict (id) do update set kind = excluded.kind, title = excluded.title, parent_id = excluded.parent_id,
         url = excluded.url, updated_at = now()`,
      [id, input.kind, input.title, input.parent_id, input.url],
    );
    await tx.query('delete from content_authors where content_id = $1', [id]);
    await tx.query(
      `insert into content_authors (content_id, member_id, share)
       select $1, member_id, share from json_to_recordset($2::json) as a(member_id bigint, share integer)`,
      [id, JSON.stringify(input.authors)],
    );
    await audit(tx, actor, 'content.put', `content:${id}`, { ...input });
    return getContent(tx, id);
  });
}
