/**
 * Ledger throughput on PostgreSQL: two-posting transactions with balance checks, against plain
 * inserts of the same rows into tables of the same shape, in the same run: the entry rows alone, and
 * the transaction and entry rows, each both in one statement of JSON parameters (as the ledger
 * writes them) and by COPY.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/ledger.ts [transactions per round] [batch] [connections]
 */
import { copyRow } from '../src/db/copy-text.ts';
import type { Database, Queryable } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { postTransactions } from '../src/ledger/post.ts';
import type { TransactionInput } from '../src/ledger/transaction.ts';

const count = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 1000);
const connections = Number(process.argv[4] ?? 4);
const MEMBERS = 10_000;
const url = process.env.DATABASE_URL;
if (!url) {
  console.log('DATABASE_URL is not set: this benchmark runs on PostgreSQL only');
  process.exit(0);
}

const SCHEMA = 'bench_ledger';
const admin = await openPostgres({ url });
await admin.query(`drop schema if exists ${SCHEMA} cascade`);
await admin.close();
const db = await openPostgres({ url, schema: SCHEMA, maxConnections: connections });
await migrate(db);
// The baseline tables: the same columns, defaults, identity, checks and indexes as the ledger's.
await db.query('create table plain_entries (like entries including all); create table plain_transactions (like transactions including all)');

const member = (n: number) => `member:${n + 1}:pts`;
const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Runs the batches on `connections` streams at once; each stream keeps to its own members, as members' traffic does. */
async function inStreams(batches: (() => Promise<unknown>)[][]): Promise<number> {
  const started = performance.now();
  await Promise.all(batches.map(async (stream) => { for (const run of stream) await run(); }));
  return (performance.now() - started) / 1000;
}

const funding: TransactionInput[] = Array.from({ length: MEMBERS }, (_, n) => ({
  id: `fund-${n}`,
  code: 'award',
  cause: 'bench',
  actor: 'bench',
  postings: [{ from: 'world:pts', to: member(n), amount: 1_000_000, asset: 'PTS' }],
}));
for (const part of chunks(funding, 1000)) await postTransactions(db, part);

/** Transaction n of a round moves points a → b → c, all three members of the same stream. */
function transactions(round: number): TransactionInput[][] {
  const perStream = MEMBERS / connections;
  return Array.from({ length: connections }, (_, stream) =>
    Array.from({ length: Math.ceil(count / connections) }, (_, n) => {
      const pick = (k: number) => member(stream * perStream + ((n * 7 + k * 1_009) % perStream));
      return {
        id: `r${round}-${stream}-${n}`,
        code: 'correction',
        cause: 'bench',
        actor: 'bench',
        postings: [
          { from: pick(0), to: pick(1), amount: 1 + (n % 5), asset: 'PTS' },
          { from: pick(1), to: pick(2), amount: 1 + (n % 3), asset: 'PTS' },
        ],
      };
    }),
  );
}

async function ledgerRound(round: number): Promise<{ rate: number; posted: number }> {
  const streams = transactions(round);
  const posted = streams.reduce((sum, s) => sum + s.length, 0);
  const seconds = await inStreams(streams.map((txs) => chunks(txs, batch).map((part) => () => postTransactions(db, part))));
  return { rate: posted / seconds, posted };
}

interface Row {
  transaction_id: string;
  [column: string]: unknown;
}

const ENTRY_COLUMNS = { transaction_id: 'text', account: 'text', amount: 'bigint', balance_after: 'bigint', at: 'timestamptz' };
const TRANSACTION_COLUMNS = { id: 'text', code: 'text', cause: 'text', actor: 'text', memo: 'text', content: 'text', at: 'timestamptz' };
type Columns = Record<string, string>;

/** Rows as one JSON parameter, the shape of the ledger's statements. */
const asJson = (columns: Columns, rows: Row[]) => JSON.stringify(rows.map((r) => Object.fromEntries(Object.keys(columns).map((name) => [name, r[name]]))));
const selectJson = (param: string, columns: Columns) =>
  `select * from json_to_recordset(${param}::json) as r(${Object.entries(columns).map(([name, type]) => `${name} ${type}`).join(', ')})`;
const copyValue = (value: unknown) => (value instanceof Date ? value.toISOString() : ((value ?? null) as string | number | null));
const asCopy = (columns: Columns, rows: Row[]) => rows.map((r) => copyRow(Object.keys(columns).map((name) => copyValue(r[name])))).join('');

/**
 * The ways the baseline writes a batch's rows, one database transaction per batch. The ledger posts a
 * batch in one statement of JSON parameters, so the baseline also gets its rows in one statement; and,
 * since COPY is the fastest way PostgreSQL takes rows in, a baseline by COPY as well.
 */
const PLAIN = {
  'entry rows, one insert': async (tx: Queryable, b: PlainBatch) => {
    await tx.query(`insert into plain_entries (${Object.keys(ENTRY_COLUMNS)}) ${selectJson('$1', ENTRY_COLUMNS)}`, [asJson(ENTRY_COLUMNS, b.entries)]);
  },
  'entry rows by COPY': async (tx: Queryable, b: PlainBatch) => {
    await tx.copyFrom(`copy plain_entries (${Object.keys(ENTRY_COLUMNS)}) from stdin`, asCopy(ENTRY_COLUMNS, b.entries));
  },
  'transaction and entry rows, one statement': async (tx: Queryable, b: PlainBatch) => {
    await tx.query(
      `with t as (insert into plain_transactions (${Object.keys(TRANSACTION_COLUMNS)}) ${selectJson('$1', TRANSACTION_COLUMNS)})
       insert into plain_entries (${Object.keys(ENTRY_COLUMNS)}) ${selectJson('$2', ENTRY_COLUMNS)}`,
      [asJson(TRANSACTION_COLUMNS, b.transactions), asJson(ENTRY_COLUMNS, b.entries)],
    );
  },
  'transaction and entry rows by COPY': async (tx: Queryable, b: PlainBatch) => {
    await tx.copyFrom(`copy plain_transactions (${Object.keys(TRANSACTION_COLUMNS)}) from stdin`, asCopy(TRANSACTION_COLUMNS, b.transactions));
    await tx.copyFrom(`copy plain_entries (${Object.keys(ENTRY_COLUMNS)}) from stdin`, asCopy(ENTRY_COLUMNS, b.entries));
  },
} as const;
type PlainWay = keyof typeof PLAIN;

interface PlainBatch {
  entries: Row[];
  transactions: Row[];
}

/** Exactly the rows the ledger round wrote, grouped into the same streams and batches of the same transactions. */
async function roundRows(round: number): Promise<PlainBatch[][]> {
  const entries = await db.query<Row>(`select ${Object.keys(ENTRY_COLUMNS).join(', ')} from entries where transaction_id like 'r${round}-%' order by id`);
  const transactions = await db.query<Row & { id: string }>(
    `select ${Object.keys(TRANSACTION_COLUMNS).join(', ')}, id as transaction_id from transactions where id like 'r${round}-%' order by id`,
  );
  const stream = (r: Row) => r.transaction_id.split('-')[1]!;
  const batchOf = (r: Row) => Math.floor(Number(r.transaction_id.split('-')[2]) / batch);
  const streams = new Map<string, Map<number, PlainBatch>>();
  const slot = (r: Row) => {
    const batches = streams.get(stream(r)) ?? streams.set(stream(r), new Map()).get(stream(r))!;
    return batches.get(batchOf(r)) ?? batches.set(batchOf(r), { entries: [], transactions: [] }).get(batchOf(r))!;
  };
  for (const e of entries) slot(e).entries.push(e);
  for (const t of transactions) slot(t).transactions.push(t);
  return [...streams.values()].map((batches) => [...batches.values()]);
}

/** Writes the round's rows into the baseline tables one way; the rate in the ledger's transactions per second. */
async function plainRound(rows: PlainBatch[][], posted: number, way: PlainWay): Promise<number> {
  await db.query('truncate plain_entries, plain_transactions');
  const seconds = await inStreams(rows.map((batches) => batches.map((b) => () => db.transaction((tx) => PLAIN[way](tx, b)))));
  return posted / seconds;
}

async function invariants(database: Database): Promise<string> {
  const [row] = await database.query<{ unbalanced: number; negative: number }>(
    `select (select count(*) from (select asset from accounts group by asset having sum(balance) <> 0) u)::int as unbalanced,
            (select count(*) from accounts where not may_go_negative and balance - held < 0)::int as negative`,
  );
  return row!.unbalanced === 0 && row!.negative === 0 ? 'zero-sum holds, nothing negative' : `BROKEN: ${JSON.stringify(row)}`;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`ledger: ${fmt(count)} two-posting transactions per round, batches of ${batch}, ${connections} connection(s), ${fmt(MEMBERS)} members`);
const rounds: { ledger: number; plain: Record<PlainWay, number> }[] = [];
for (let round = 1; round <= 3; round += 1) {
  const ledger = await ledgerRound(round);
  const rows = await roundRows(round);
  const plain = {} as Record<PlainWay, number>;
  for (const way of Object.keys(PLAIN) as PlainWay[]) plain[way] = await plainRound(rows, ledger.posted, way);
  rounds.push({ ledger: ledger.rate, plain });
  console.log(`  round ${round}: ledger ${fmt(ledger.rate)} tx/s; plain inserts of the same rows:`);
  for (const [way, rate] of Object.entries(plain)) console.log(`    ${way}: ${fmt(rate)} tx/s, ledger ratio ${(ledger.rate / rate).toFixed(2)}`);
}
console.log(`median: ledger ${fmt(median(rounds.map((r) => r.ledger)))} two-posting tx/s with balance checks; plain inserts of the same rows:`);
for (const way of Object.keys(PLAIN) as PlainWay[]) {
  const ratio = median(rounds.map((r) => r.ledger / r.plain[way]));
  console.log(`  ${way}: ${fmt(median(rounds.map((r) => r.plain[way])))} tx/s, ledger ratio ${ratio.toFixed(2)}`);
}
console.log(await invariants(db));
await db.query(`drop schema ${SCHEMA} cascade`);
await db.close();
