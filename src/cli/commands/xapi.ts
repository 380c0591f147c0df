import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VkladError } from '../../errors.ts';
import { parseWith } from '../../http/body.ts';
import { Mapping, loadMapping, saveMapping } from '../../xapi/mapping.ts';
import { cliActor, printJson, withStore } from '../context.ts';

function readMappingFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new VkladError('malformed_body', `${file} is not a readable JSON file: ${(error as Error).message}`);
  }
}

export function xapiCommand(program: Command): void {
  const xapi = program.command('xapi').description('The xAPI Learning Record Store at /xapi (see docs/xapi.md)');
  xapi
    .command('mapping')
    .description('Print how statements become activity events, or replace that mapping from a JSON file')
    .option('--set <file>', 'a JSON file {"rules": [...]}; refused as a whole, naming the field, if any rule is wrong')
    .action(async (opts: { set?: string }) =>
      withStore(async (db) => {
        if (opts.set === undefined) return printJson(await loadMapping(db));
        const mapping = await saveMapping(db, parseWith(Mapping, readMappingFile(opts.set)), cliActor());
        console.log(`xAPI mapping replaced: ${mapping.rules.length} rules`);
      }),
    );
}
