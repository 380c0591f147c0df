/** The small seam between Vklad and a PostgreSQL-speaking engine (a server, or embedded PGlite). */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Bulk-loads rows with `copy <table> (<columns>) from stdin [with (format binary)]`: text-format rows as a string, binary ones as bytes. */
  copyFrom(sql: string, rows: string | Uint8Array): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: all of it commits, or none of it does. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
