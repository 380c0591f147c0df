import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import type { Database, Queryable } from './database.ts';

// Ids are bigint in SQL; below 2^53 they are exact as JS numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PostgresOptions {
  url: string;
  /** Confines every connection to one schema (tests run side by side this way). */
  schema?: string;
  maxConnections?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  if (options.schema) {
    await pool.query(`create schema if not exists "${options.schema}"`);
  }
  const run = async <Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await client.query(sql, params)).rows as Row[];
  const copy = (client: pg.PoolClient, sql: string, rows: string | Uint8Array) => pipeline(Readable.from([rows]), client.query(copyStream(sql)));

  return {
    engine: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async copyFrom(sql, rows) {
      const client = await pool.connect();
      try {
        await copy(client, sql, rows);
      } finally {
        client.release();
      }
    },
    async transaction(work) {
      const client = await pool.connect();
      const tx: Queryable = {
        query: (sql, params) => run(client, sql, params),
        exec: async (sql) => void (await client.query(sql)),
        copyFrom: (sql, rows) => copy(client, sql, rows),
      };
      try {
        await client.query('begin');
        const result = await work(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
