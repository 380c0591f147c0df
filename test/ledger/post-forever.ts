// Posts batches of ledger transactions, printing the number of each committed batch, until killed.
//   tsx test/ledger/post-forever.ts pglite <data dir> | postgres <url> <schema>
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { postTransactions } from '../../src/ledger/post.ts';

const [engine, where, schema] = process.argv.slice(2);
const db: Database = engine === 'pglite' ? await openPglite(where!) : await openPostgres({ url: where!, schema: schema! });
await migrate(db);

const member = (n: number) => `member:${(n % 40) + 1}:pts`;
for (let batch = 1; ; batch += 1) {
  // Each transaction funds one member, who passes part on to another and spends a point.
  const txs = Array.from({ length: 20 }, (_, n) => ({
    id: `stream-${batch}-${n}`,
    code: 'correction' as const,
    cause: `batch ${batch}`,
    actor: 'stream',
    postings: [
      { from: 'world:pts', to: member(batch + n), amount: 10, asset: 'PTS' as const },
      { from: member(batch + n), to: member(batch + n + 7), amount: 3, asset: 'PTS' as const },
      { from: member(batch + n + 7), to: 'sink:pts:redeemed', amount: 1, asset: 'PTS' as const },
    ],
  }));
  await postTransactions(db, txs);
  process.stdout.write(`${batch}\n`);
}
