/**
 * POST /api/v1/events in batches of 1,000 against `vklad serve` in its own process, compared with
 * calling the store directly with the same batches (the cost of HTTP, JSON and validation).
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/http.ts [events]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventInput } from '../src/core/event.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { seedDefaultCatalogue } from '../src/store/catalogue.ts';
import { ingestEvents } from '../src/store/events.ts';
import { ResolutionCache } from '../src/store/resolution-cache.ts';
import { syntheticEvent } from './events-file.ts';

const count = Number(process.argv[2] ?? 200_000);
const BATCH = 1000;
const CONCURRENCY = 2;
const KEY = 'bench-admin-key-0123456789';
const url = process.env.DATABASE_URL;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// Recent timestamps: the API refuses events from the future, and these are all in the past.
const batches = (offset: number): EventInput[][] =>
  Array.from({ length: count / BATCH }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => ({ ...syntheticEvent(offset + b * BATCH + i) }) as EventInput),
  );

async function viaHttp(env: Record<string, string>, work: EventInput[][]): Promise<number> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const server = spawn('bin/vklad.js', ['serve'], { env: { ...process.env, ...env, PORT: port, VKLAD_ADMIN_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => server.stdout.on('data', (d: Buffer) => d.toString().includes('serving') && resolve()));
  const queue = [...work];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        if (res.status !== 201) throw new Error(`${res.status}: ${await res.text()}`);
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('close', resolve));
  return rate;
}

async function direct(db: Database, work: EventInput[][]): Promise<number> {
  const cache = new ResolutionCache();
  const started = performance.now();
  for (const batch of work) await ingestEvents(db, batch, { atomic: true, unknownIdentity: () => 'create', cache });
  return count / ((performance.now() - started) / 1000);
}

async function prepared(db: Database): Promise<Database> {
  await migrate(db);
  await seedDefaultCatalogue(db);
  return db;
}

console.log(`POST /api/v1/events, ${fmt(count)} events in batches of ${BATCH}, ${CONCURRENCY} clients`);
if (url) {
  for (const schema of ['bench_http', 'bench_direct']) {
    const admin = await openPostgres({ url });
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.close();
  }
  const db = await prepared(await openPostgres({ url, schema: 'bench_direct' }));
  const baseline = await direct(db, batches(0));
  await db.close();
  await prepared(await openPostgres({ url, schema: 'bench_http' })).then((d) => d.close());
  const http = await viaHttp({ DATABASE_URL: `${url}?options=${encodeURIComponent('-c search_path=bench_http')}` }, batches(0));
  console.log(`postgres: HTTP ${fmt(http)}/s, store called directly ${fmt(baseline)}/s, ratio ${(http / baseline).toFixed(2)}`);
} else {
  console.log('  DATABASE_URL is not set: PostgreSQL skipped');
}
const dirs = [mkdtempSync(join(tmpdir(), 'vklad-http-')), mkdtempSync(join(tmpdir(), 'vklad-direct-')), mkdtempSync(join(tmpdir(), 'vklad-http-scoring-'))];
const db = await prepared(await openPglite(dirs[1]!));
const baseline = await direct(db, batches(0));
await db.close();
// The embedded store has one connection: the server's scoring passes take turns with ingestion on it.
const http = await viaHttp({ DATABASE_URL: '', VKLAD_DATA_DIR: dirs[0]!, VKLAD_SCORE_INTERVAL: '0' }, batches(0));
const scoring = await viaHttp({ DATABASE_URL: '', VKLAD_DATA_DIR: dirs[2]! }, batches(0));
console.log(`pglite: HTTP ${fmt(http)}/s (${fmt(scoring)}/s while the server scores every 5 s), store called directly ${fmt(baseline)}/s, ratio ${(http / baseline).toFixed(2)}`);
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
