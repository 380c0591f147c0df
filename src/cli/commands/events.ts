import type { Command } from 'commander';
import { voidEvent } from '../../store/events.ts';
import { cliActor, withStore } from '../context.ts';

export function eventsCommand(program: Command): void {
  const events = program.command('events').description('The action log');
  events
    .command('void')
    .description('Void an event (a new fact; the event stays in the log)')
    .requiredOption('--reason <text>', 'why')
    .option('--id <id>', 'Vklad event id')
    .option('--source <source>')
    .option('--source-event-id <id>')
    .action(async (opts: { reason: string; id?: string; source?: string; sourceEventId?: string }) => {
      const ref =
        opts.id !== undefined
          ? { event_id: Number(opts.id) }
          : opts.source && opts.sourceEventId
            ? { source: opts.source, source_event_id: opts.sourceEventId }
            : null;
      if (!ref) throw new Error('give --id, or --source and --source-event-id');
      await withStore(async (db) => {
        const { event, voided_now } = await voidEvent(db, ref, opts.reason, cliActor());
        console.log(voided_now ? `voided event ${event.id}` : `event ${event.id} was already voided`);
      });
    });
}
