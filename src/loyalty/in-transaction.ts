import type { Database, Queryable } from '../db/database.ts';

/**
 * The open transaction seen as a Database, so ledger operations (which open their own transaction)
 * join it instead: the hold, the stock and the limit then commit or roll back together.
 */
export function inTransaction(tx: Queryable, engine: Database['engine']): Database {
  return {
    engine,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    copyFrom: (sql, rows) => tx.copyFrom(sql, rows),
    transaction: (work) => work(tx),
    close: async () => undefined,
  };
}
