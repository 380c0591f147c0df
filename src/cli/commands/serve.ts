import type { Command } from 'commander';
import { type Config, configFromEnv } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { openStore } from '../../open-store.ts';
import { startScorer } from '../../services/scorer.ts';

/** Serves the API until SIGINT or SIGTERM, then closes the store cleanly. */
export async function runServer(db: Database, config: Config): Promise<string> {
  // Loaded here, not at the top, so that commands other than serve and demo start light.
  const [{ serve }, { createApp }] = await Promise.all([import('@hono/node-server'), import('../../http/app.ts')]);
  const app = createApp({ db, config, now: () => new Date() });
  const scorer = startScorer(db, config.scoreIntervalMs, (error) => console.error(`scoring pass failed: ${error instanceof Error ? error.message : String(error)}`));
  const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const stop = () => {
    server.close();
    void scorer
      .stop()
      .then(() => db.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return `http://localhost:${port}`;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the API on PORT (default 8080) over the configured store')
    .action(async () => {
      const config = configFromEnv();
      const db = await openStore(config);
      const url = await runServer(db, config);
      console.log(`Vklad is serving ${db.engine === 'pglite' ? `the embedded store in ${config.dataDir}` : 'PostgreSQL'} at ${url}`);
      console.log(`health: ${url}/healthz   API document: ${url}/api/openapi.json`);
    });
}
