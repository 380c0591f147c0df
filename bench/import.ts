/**
 * `vklad import` throughput and memory, against a raw COPY of the same rows into the same table
 * shape, in PostgreSQL's default text format and in its binary format.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import.ts [events]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openPostgres } from '../src/db/postgres.ts';
import { openStore } from '../src/open-store.ts';
import { eventsFile } from './events-file.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const url = process.env.DATABASE_URL;
mkdirSync('bench/out', { recursive: true });
const file = await eventsFile(`bench/out/events-${count}.jsonl`, count);

const withSchema = (schema: string) => `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/** A new store as Vklad leaves it the first time it opens one: migrated, with the default catalogue and policy. */
async function freshSchema(schema: string): Promise<void> {
  const db = await openPostgres({ url: url! });
  await db.query(`drop schema if exists ${schema} cascade`);
  await db.query(`create schema ${schema}`);
  await db.close();
  const scoped = await openStore({ databaseUrl: withSchema(schema), dataDir: '' });
  // Each timed run starts with no dirty pages or WAL left over from the run before.
  await scoped.query('checkpoint');
  await scoped.close();
}

/** Runs `vklad import` as its own process, as an operator would (through its shebang); returns events/s and peak RSS. */
interface Run {
  rate: number;
  rss_mb: number;
  seconds: number;
}

function vkladImport(env: Record<string, string>): Run {
  const started = performance.now();
  const result = spawnSync('bin/vklad.js', ['import', file], {
    env: { ...process.env, ...env, NODE_OPTIONS: '--import ./bench/report-rss.mjs' },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`import failed: ${result.stderr}`);
  const stored = Number(/stored (\d+)/.exec(result.stdout)?.[1]);
  if (stored !== count) throw new Error(`expected ${count} stored, got: ${result.stdout}`);
  return { rate: count / seconds, rss_mb: Number(/PEAK_RSS_MB (\d+)/.exec(result.stderr)?.[1]), seconds };
}

type Format = 'text' | 'binary';
const FORMATS: Format[] = ['text', 'binary'];
const withFormat = (sql: string, format: Format) => (format === 'binary' ? `${sql} with (format binary)` : sql);

/** The rows `vklad import` stored, exactly, as COPY input in `format`: the baseline loads the same rows. */
async function storedRows(schema: string, format: Format): Promise<string> {
  const path = `bench/out/events-${count}.copy-${format}`;
  const client = new pg.Client({ connectionString: withSchema(schema) });
  await client.connect();
  await pipeline(client.query(copyTo(withFormat('copy events to stdout', format))), createWriteStream(path));
  await client.end();
  return path;
}

async function rawCopy(schema: string, path: string, format: Format): Promise<number> {
  const client = new pg.Client({ connectionString: withSchema(schema) });
  await client.connect();
  const started = performance.now();
  await pipeline(createReadStream(path), client.query(copyFrom(withFormat('copy events from stdin', format))));
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return count / seconds;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`vklad import of ${fmt(count)} events (${file})`);

if (url) {
  const rounds: (Run & { copy: Record<Format, number> })[] = [];
  for (let round = 1; round <= 3; round += 1) {
    await freshSchema('bench_import');
    const vklad = vkladImport({ DATABASE_URL: withSchema('bench_import') });
    const copy = {} as Record<Format, number>;
    for (const format of FORMATS) {
      const rows = await storedRows('bench_import', format);
      await freshSchema('bench_copy');
      copy[format] = await rawCopy('bench_copy', rows, format);
    }
    rounds.push({ copy, ...vklad });
    console.log(
      `  postgres round ${round}: vklad import ${fmt(vklad.rate)}/s, raw COPY ${fmt(copy.text)}/s (ratio ${(vklad.rate / copy.text).toFixed(2)}), ` +
        `binary raw COPY ${fmt(copy.binary)}/s (ratio ${(vklad.rate / copy.binary).toFixed(2)}), peak RSS ${vklad.rss_mb} MB`,
    );
  }
  const summary = FORMATS.map((f) => `${f === 'text' ? '' : `${f} `}raw COPY ${fmt(median(rounds.map((r) => r.copy[f])))}/s, ratio ${median(rounds.map((r) => r.rate / r.copy[f])).toFixed(2)}`);
  console.log(`postgres median: vklad import ${fmt(median(rounds.map((r) => r.rate)))}/s; ${summary.join('; ')}`);
  const db = await openPostgres({ url });
  await db.query('drop schema if exists bench_copy cascade; drop schema if exists bench_import cascade');
  await db.close();
} else {
  console.log('  DATABASE_URL is not set: PostgreSQL rounds skipped');
}

const embedded = [];
for (let round = 1; round <= 3; round += 1) {
  const dir = mkdtempSync(join(tmpdir(), 'vklad-bench-'));
  await (await openStore({ databaseUrl: undefined, dataDir: dir })).close();
  embedded.push(vkladImport({ DATABASE_URL: '', VKLAD_DATA_DIR: dir }));
  rmSync(dir, { recursive: true, force: true });
  console.log(`  pglite round ${round}: vklad import ${fmt(embedded.at(-1)!.rate)}/s, peak RSS ${embedded.at(-1)!.rss_mb} MB`);
}
console.log(`pglite median: vklad import ${fmt(median(embedded.map((r) => r.rate)))}/s, highest peak RSS ${Math.max(...embedded.map((r) => r.rss_mb))} MB`);
