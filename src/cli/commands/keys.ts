import type { Command } from 'commander';
import { SCOPES, type Scope, createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import { cliActor, withStore } from '../context.ts';

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim());
  const wrong = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (wrong.length > 0) throw new Error(`unknown scopes: ${wrong.join(', ')} (known: ${SCOPES.join(', ')})`);
  return scopes as Scope[];
}

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys: stored hashed, shown once');
  keys
    .command('create')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`, parseScopes)
    .action(async (opts: { name: string; scopes: Scope[] }) =>
      withStore(async (db) => {
        const { id, key } = await createApiKey(db, opts.name, opts.scopes, cliActor());
        console.log(`created key ${id} (${opts.scopes.join(', ')}); it is shown only now:\n${key}`);
      }),
    );
  keys.command('list').action(async () =>
    withStore(async (db) => {
      for (const k of await listApiKeys(db)) {
        console.log(`${k.id}  ${k.name}  ${k.scopes.join(',')}  created ${k.created_at.toISOString()}${k.revoked_at ? `  revoked ${k.revoked_at.toISOString()}` : ''}`);
      }
    }),
  );
  keys
    .command('revoke')
    .argument('<id>')
    .action(async (id: string) =>
      withStore(async (db) => {
        await revokeApiKey(db, id, cliActor());
        console.log(`revoked ${id}`);
      }),
    );
}
