import type { Command } from 'commander';
import { getMember, linkIdentity, mergeMembers } from '../../store/members.ts';
import { cliActor, printJson, withStore } from '../context.ts';

const id = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`"${value}" is not a member id`);
  return n;
};

export function membersCommand(program: Command): void {
  const members = program.command('members').description('Members and their identities');
  members
    .command('show')
    .argument('<id>', 'member id', id)
    .action(async (member: number) => withStore(async (db) => printJson(await getMember(db, member))));
  members
    .command('link')
    .description('Link an identity to a member; events parked under it are attributed to the member')
    .argument('<id>', 'member id', id)
    .argument('<provider>')
    .argument('<external_id>')
    .action(async (member: number, provider: string, external_id: string) =>
      withStore(async (db) => {
        const result = await linkIdentity(db, member, { provider, external_id }, cliActor());
        console.log(`linked ${provider}:${external_id} to member ${member}; ${result.parked_events_attributed} parked events attributed`);
      }),
    );
  members
    .command('merge')
    .description('Merge member <from> into member <into> (audited)')
    .argument('<from>', 'member id', id)
    .argument('<into>', 'member id', id)
    .action(async (from: number, into: number) =>
      withStore(async (db) => {
        const r = await mergeMembers(db, from, into, cliActor());
        console.log(`merged ${from} into ${into}: ${r.identities_moved} identities and ${r.events_moved} events moved`);
      }),
    );
}
