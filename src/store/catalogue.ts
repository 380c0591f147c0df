import type { Database, Queryable } from '../db/database.ts';
import type { ActionType, ActionTypeInput } from '../catalogue/action-type.ts';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.ts';
import { notFound } from '../errors.ts';
import { audit } from './audit.ts';

export type ActionTypeView = ActionType & { retired_at: string | null; updated_at: string };

interface Row {
  key: string;
  kind: ActionType['kind'];
  role: string;
  minutes: number;
  tags: string[];
  title_en: string;
  title_ru: string;
  retired_at: Date | null;
  updated_at: Date;
}

const toView = (r: Row): ActionTypeView => ({
  key: r.key,
  kind: r.kind,
  role: r.role,
  minutes: r.minutes,
  tags: r.tags,
  title: { en: r.title_en, ru: r.title_ru },
  retired_at: r.retired_at?.toISOString() ?? null,
  updated_at: r.updated_at.toISOString(),
});

export async function listActionTypes(db: Queryable, includeRetired = false): Promise<ActionTypeView[]> {
  const rows = await db.query<Row>(
    'select * from action_types where $1 or retired_at is null order by key',
    [includeRetired],
  );
  return rows.map(toView);
}

export async function getActionType(db: Queryable, key: string): Promise<ActionTypeView> {
  const [row] = await db.query<Row>('select * from action_types where key = $1', [key]);
  if (!row) throw notFound(`Action type ${key}`);
  return toView(row);
}

const UPSERT_SQL = `
  insert into action_types (key, kind, role, minutes, tags, title_en, title_ru)
  values ($1, $2, $3, $4, $5, $6, $7)
  on conflict (key) do update set kind = excluded.kind, role = excluded.role, minutes = excluded.minutes,
    tags = excluded.tags, title_en = excluded.title_en, title_ru = excluded.title_ru, retired_at = null, updated_at = now()`;

/** Creates or replaces an action type (and brings a retired one back). */
export async function putActionType(db: Database, key: string, input: ActionTypeInput, actor: string): Promise<ActionTypeView> {
  return db.transaction(async (tx) => {
    const [before] = await tx.query<Row>('select * from action_types where key = $1 for update', [key]);
    await tx.query(UPSERT_SQL, [key, input.kind, input.role, input.minutes, input.tags, input.title.en, input.title.ru]);
    const after = await getActionType(tx, key);
    await audit(tx, actor, before ? 'action_type.update' : 'action_type.create', `action:${key}`, {
      before: before ? toView(before) : null,
      after,
    });
    return after;
  });
}

/** Retires an action type: new events naming it are refused; recorded ones keep their meaning. */
export async function retireActionType(db: Database, key: string, actor: string): Promise<ActionTypeView> {
  return db.transaction(async (tx) => {
    const rows = await tx.query('update action_types set retired_at = coalesce(retired_at, now()), updated_at = now() where key = $1 returning key', [key]);
    if (rows.length === 0) throw notFound(`Action type ${key}`);
    await audit(tx, actor, 'action_type.retire', `action:${key}`, {});
    return getActionType(tx, key);
  });
}

/** Fills an empty catalogue with the default one; a catalogue the operator has touched is left alone. */
export async function seedDefaultCatalogue(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const [any] = await tx.query('select 1 from action_types limit 1');
    if (any) return 0;
    for (const a of DEFAULT_CATALOGUE) {
      await tx.query(UPSERT_SQL, [a.key, a.kind, a.role, a.minutes, a.tags, a.title.en, a.title.ru]);
    }
    return DEFAULT_CATALOGUE.length;
  });
}
