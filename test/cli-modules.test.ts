import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES } from '../src/cli/modules.ts';

describe('the modules behind the vklad command', () => {
  it('each register exactly the top-level commands they are listed with, and no command twice', async () => {
    const all: string[] = [];
    for (const { commands, load } of COMMAND_MODULES) {
      const program = new Command();
      (await load())(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...commands].sort());
      all.push(...commands);
    }
    expect(new Set(all).size).toBe(all.length);
  });
});
