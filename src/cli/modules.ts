import type { Command } from 'commander';

type Register = (program: Command) => void;

/** The modules behind the `vklad` command, each with the top-level commands it registers. */
export const COMMAND_MODULES: { commands: string[]; load: () => Promise<Register> }[] = [
  { commands: ['demo'], load: async () => (await import('./commands/demo.ts')).demoCommand },
  { commands: ['serve'], load: async () => (await import('./commands/serve.ts')).serveCommand },
  { commands: ['import'], load: async () => (await import('./commands/import.ts')).importCommand },
  { commands: ['keys'], load: async () => (await import('./commands/keys.ts')).keysCommand },
  { commands: ['actions'], load: async () => (await import('./commands/actions.ts')).actionsCommand },
  { commands: ['members'], load: async () => (await import('./commands/members.ts')).membersCommand },
  { commands: ['events'], load: async () => (await import('./commands/events.ts')).eventsCommand },
  { commands: ['balance', 'history', 'adjust'], load: async () => (await import('./commands/ledger.ts')).ledgerCommand },
  { commands: ['rewards', 'codes', 'redeem'], load: async () => (await import('./commands/rewards.ts')).rewardsCommand },
  { commands: ['score', 'explain', 'policy'], load: async () => (await import('./commands/scoring.ts')).scoringCommands },
  { commands: ['sources'], load: async () => (await import('./commands/sources.ts')).sourcesCommand },
  { commands: ['revenue', 'payments', 'payout'], load: async () => (await import('./commands/revenue.ts')).revenueCommands },
  { commands: ['xapi'], load: async () => (await import('./commands/xapi.ts')).xapiCommand },
];
