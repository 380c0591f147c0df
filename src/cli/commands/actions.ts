import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { z } from 'zod';
import { ActionTypeEntry } from '../../catalogue/action-type.ts';
import { invalid } from '../../errors.ts';
import { fieldErrors } from '../../schemas/common.ts';
import { listActionTypes, putActionType, retireActionType } from '../../store/catalogue.ts';
import { cliActor, printJson, withStore } from '../context.ts';

export function actionsCommand(program: Command): void {
  const actions = program.command('actions').description('The action catalogue');
  actions
    .command('list')
    .option('--retired', 'include retired action types')
    .option('--json', 'print JSON')
    .action(async (opts: { retired?: boolean; json?: boolean }) =>
      withStore(async (db) => {
        const types = await listActionTypes(db, opts.retired ?? false);
        if (opts.json) return printJson(types);
        for (const t of types) {
          console.log(`${t.key.padEnd(30)} ${t.kind.padEnd(13)} ${t.role.padEnd(11)} ${String(t.minutes).padStart(4)} min  ${t.tags.join(',')}${t.retired_at ? '  (retired)' : ''}`);
        }
      }),
    );
  actions
    .command('load')
    .description('Create or replace action types from a YAML or JSON list of {key, kind, role, minutes, tags, title: {en, ru}}')
    .argument('<file>')
    .action(async (file: string) => {
      const parsed = z.array(ActionTypeEntry).safeParse(parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw invalid(fieldErrors(parsed.error, true), `${file} is not a valid catalogue`);
      await withStore(async (db) => {
        for (const { key, ...input } of parsed.data) await putActionType(db, key, input, cliActor());
        console.log(`loaded ${parsed.data.length} action types`);
      });
    });
  actions
    .command('retire')
    .argument('<key>')
    .action(async (key: string) =>
      withStore(async (db) => {
        await retireActionType(db, key, cliActor());
        console.log(`retired ${key}`);
      }),
    );
}
