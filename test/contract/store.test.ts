import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownMigrations, migrate } from '../../src/db/migrate.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { anEvent } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';
import type { EventInput } from '../../src/core/event.ts';

describe.each(STORES)('the store itself ($name)', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await kind.open();
  });
  afterAll(() => store.destroy());

  it('applies each migration once, forward only', async () => {
    expect(await migrate(store.db)).toEqual([]);
    const rows = await store.db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(knownMigrations().map((m) => m.version));
  });

  it('refuses a database newer than this Vklad', async () => {
    await store.db.query("insert into schema_migrations (version, name) values (999, 'future')");
    await expect(migrate(store.db)).rejects.toThrow(/newer than this Vklad/);
    await store.db.query('delete from schema_migrations where version = 999');
  });

  it('keeps a batch of scoring marks uncompressed: thousands of distinct ids compress poorly and slowly', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => 1_000_003 * (i + 1));
    await store.db.query('insert into scoring_marks (members) values ($1::bigint[])', [ids]);
    const [row] = await store.db.query<{ compression: string | null; stored: number }>(
      'select pg_column_compression(members) as compression, cardinality(members) as stored from scoring_marks',
    );
    await store.db.query('delete from scoring_marks');
    expect(row).toEqual({ compression: null, stored: 5000 });
  });

  it('rolls back a whole transaction when any statement in it fails', async () => {
    const before = await store.db.query('select count(*)::int as n from members');
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query("insert into members (display_name) values ('doomed')");
        await tx.query('select * from no_such_table');
      }),
    ).rejects.toThrow();
    expect(await store.db.query('select count(*)::int as n from members')).toEqual(before);
  });

  it('creates one member for one new identity, however many batches race to name it', async () => {
    const actor = { provider: 'race', external_id: `r-${kind.name}` };
    const batches = Array.from({ length: 8 }, () => [anEvent({ actor }), anEvent({ actor })] as unknown as EventInput[]);
    const results = await Promise.all(batches.map((b) => ingestEvents(store.db, b, { atomic: true, unknownIdentity: () => 'create' })));
    const members = new Set(results.flat().map((o) => ('member_id' in o ? o.member_id : null)));
    expect(members.size).toBe(1);
    const [row] = await store.db.query<{ n: number }>("select count(*)::int as n from identities where provider = 'race'");
    expect(row!.n).toBe(1);
  });

  it('stores one event once when concurrent batches carry it', async () => {
    const event = anEvent() as unknown as EventInput;
    const results = await Promise.all(Array.from({ length: 6 }, () => ingestEvents(store.db, [event], { atomic: true, unknownIdentity: () => 'create' })));
    expect(results.flat().filter((o) => o.status === 'created')).toHaveLength(1);
    expect(results.flat().filter((o) => o.status === 'exists')).toHaveLength(5);
  });
});
