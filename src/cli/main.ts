import { Command } from 'commander';
import { actionsCommand } from './commands/actions.ts';
import { demoCommand } from './commands/demo.ts';
import { eventsCommand } from './commands/events.ts';
import { importCommand } from './commands/import.ts';
import { keysCommand } from './commands/keys.ts';
import { membersCommand } from './commands/members.ts';
import { ledgerCommand } from './commands/ledger.ts';
import { rewardsCommand } from './commands/rewards.ts';
import { scoringCommands } from './commands/scoring.ts';
import { serveCommand } from './commands/serve.ts';
import { sourcesCommand } from './commands/sources.ts';
import { revenueCommands } from './commands/revenue.ts';
import { xapiCommand } from './commands/xapi.ts';
import { reportError } from './context.ts';

const program = new Command('vklad')
  .description(
    'Vklad records every active action of a learning community and turns it into points, money and tokens.\n' +
      'Store: PostgreSQL from DATABASE_URL, else embedded PGlite in VKLAD_DATA_DIR (default .vklad/data).',
  )
  .showHelpAfterError();

for (const register of [demoCommand, serveCommand, importCommand, keysCommand, actionsCommand, membersCommand, eventsCommand, ledgerCommand, rewardsCommand, scoringCommands, sourcesCommand, revenueCommands, xapiCommand]) {
  register(program);
}

try {
  await program.parseAsync();
} catch (error) {
  reportError(error);
}
