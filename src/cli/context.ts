import { userInfo } from 'node:os';
import { type Config, configFromEnv } from '../config.ts';
import type { Database } from '../db/database.ts';
import { VkladError } from '../errors.ts';
import { openStore } from '../open-store.ts';

/** Who the audit log records for commands run from a terminal. */
export const cliActor = (): string => `cli:${userInfo().username}`;

/** Opens the configured store for one command and closes it afterwards. */
export async function withStore<T>(work: (db: Database, config: Config) => Promise<T>, config = configFromEnv()): Promise<T> {
  const db = await openStore(config);
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

/** Prints an error the way a person at a terminal wants it and sets the exit code. */
export function reportError(error: unknown): void {
  if (error instanceof VkladError) {
    console.error(`error: ${error.message}`);
    for (const e of error.errors) console.error(`  ${e.item === undefined ? '' : `[${e.item}] `}${e.field}: ${e.reason}`);
    process.exitCode = error.status >= 500 ? 1 : 2;
  } else {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

export const printJson = (value: unknown): void => console.log(JSON.stringify(value, null, 2));
