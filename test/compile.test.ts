import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the compiler is plain JavaScript, run before any TypeScript can be.
import { compiled } from '../bin/compile.js';

const compile = compiled as (entry: string, root: string) => string;

/** A package of TypeScript sources: a main module importing a helper, a type and a data file. */
function sourcePackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'vklad-compile-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('src/lib/greet.ts', "export const greet = (name: string): string => `hello, ${name}`;\n");
  write('src/lib/types.ts', 'export interface Named { name: string }\n');
  write('src/lib/data.txt', 'from a file beside the sources\n');
  write('policies/p.yaml', 'policy: 1\n');
  write(
    'src/main.ts',
    [
      "import { readFileSync } from 'node:fs';",
      "import { greet } from './lib/greet.ts';",
      "import type { Named } from './lib/types.ts';",
      'const who: Named = { name: "vklad" };',
      "const { greet: again } = await import('./lib/greet.ts');",
      "const data = readFileSync(new URL('./lib/data.txt', import.meta.url), 'utf8').trim();",
      "const policy = readFileSync(new URL('../policies/p.yaml', import.meta.url), 'utf8').trim();",
      'console.log(JSON.stringify([greet(who.name), again("again"), data, policy]));',
    ].join('\n'),
  );
  return root;
}

const run = (file: string) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)})`], { encoding: 'utf8' }));
const outputs = (root: string) => readdirSync(join(root, 'node_modules/.cache/vklad'));

describe('compiling the sources for the vklad command', () => {
  it('runs the TypeScript as JavaScript, with its imports, files beside it and the policies', () => {
    const root = sourcePackage();
    const main = compile('main.ts', root);
    expect(main.endsWith('/src/main.js')).toBe(true);
    expect(run(main)).toEqual(['hello, vklad', 'hello, again', 'from a file beside the sources', 'policy: 1']);
    expect(readFileSync(main, 'utf8')).not.toContain("types.ts'");
  });

  it('reuses a compilation while the sources stay the same and compiles again when one changes', () => {
    const root = sourcePackage();
    const first = compile('main.ts', root);
    expect(compile('main.ts', root)).toBe(first);
    writeFileSync(join(root, 'src/lib/greet.ts'), "export const greet = (name: string): string => `hi, ${name}`;\n");
    const second = compile('main.ts', root);
    expect(second).not.toBe(first);
    expect(run(second)[0]).toBe('hi, vklad');
  });

  it('keeps only the newest three compilations and no staging directories', () => {
    const root = sourcePackage();
    for (let n = 0; n < 5; n += 1) {
      writeFileSync(join(root, 'src/lib/data.txt'), `version ${n}\n`);
      utimesSync(join(root, 'src/lib/data.txt'), new Date(), new Date(Date.now() + n * 1000));
      compile('main.ts', root);
    }
    expect(outputs(root)).toHaveLength(3);
    expect(outputs(root).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('gives processes starting together one and the same compilation', async () => {
    const root = sourcePackage();
    const script = `import { compiled } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'bin/compile.js')).href)}; console.log(compiled('main.ts', ${JSON.stringify(root)}));`;
    const starts = Array.from({ length: 4 }, () =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
      ),
    );
    const mains = await Promise.all(starts);
    expect(new Set(mains).size).toBe(1);
    expect(run(mains[0]!)[0]).toBe('hello, vklad');
    expect(outputs(root)).toHaveLength(1);
  });
});
