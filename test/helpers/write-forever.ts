// Writes batches of 100 members, one transaction each, printing the number of each committed batch, until killed.
import { openPglite } from '../../src/db/pglite.ts';
import { migrate } from '../../src/db/migrate.ts';

const db = await openPglite(process.argv[2]!);
await migrate(db);
for (let batch = 1; ; batch += 1) {
  await db.transaction(async (tx) => {
    await tx.query(`insert into members (display_name) select $1 from generate_series(1, 100)`, [`batch-${batch}`]);
  });
  process.stdout.write(`${batch}\n`);
}
