import { Command } from 'commander';
import { reportError } from './context.ts';
import { COMMAND_MODULES } from './modules.ts';

const program = new Command('vklad')
  .description(
    'Vklad records every active action of a learning community and turns it into points, money and tokens.\n' +
      'Store: PostgreSQL from DATABASE_URL, else embedded PGlite in VKLAD_DATA_DIR (default .vklad/data).',
  )
  .showHelpAfterError();

// A command loads only its own module (an import then carries no web app in memory); help and
// mistakes load them all.
const named = COMMAND_MODULES.filter(({ commands }) => commands.includes(process.argv[2] ?? ''));
for (const { load } of named.length > 0 ? named : COMMAND_MODULES) (await load())(program);

try {
  await program.parseAsync();
} catch (error) {
  reportError(error);
}
