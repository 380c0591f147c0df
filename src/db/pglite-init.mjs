// Creates an embedded store's data directory: `node pglite-init.mjs DIR OPTIONS_JSON`.
// It runs as a process of its own, as PostgreSQL's initdb does: creating a store starts two more
// PostgreSQL instances in WebAssembly memory, which is never given back, so the store's own process
// would otherwise peak at ~800 MB and keep much of it.
import { PGlite } from '@electric-sql/pglite';

const [dataDir, options] = process.argv.slice(2);
const db = await PGlite.create(dataDir, JSON.parse(options));
await db.close();
