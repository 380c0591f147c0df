// Compiles Vklad's TypeScript sources to JavaScript once per change of them, so that the command
// runs plain JavaScript: a module-hook compiler at run time (tsx) costs every process a loader
// thread and ~70 MB, and every start a few hundred milliseconds.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync, version as esbuildVersion } from 'esbuild';

const VKLAD = fileURLToPath(new URL('..', import.meta.url));
// Bump when the output's shape changes, so that older compilations are not reused.
const FORMAT = 1;
const KEEP = 3;

/**
 * The compiled form of `src/<entry>` (a `.ts` path), compiled first if any source changed since the
 * last compilation. Compilations are keyed by the sources' paths, sizes and modification times, and
 * built aside then renamed into place, so processes starting together never see half of one.
 */
export function compiled(entry, root = VKLAD) {
  const sources = join(root, 'src');
  const files = walk(sources).sort();
  const out = join(root, 'node_modules', '.cache', 'vklad', fingerprint(sources, files));
  if (!existsSync(out)) build(root, files, out);
  return join(out, 'src', entry.replace(/\.ts$/, '.js'));
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

function fingerprint(sources, files) {
  const hash = createHash('sha256').update(`${FORMAT} ${esbuildVersion} ${process.version}\n`);
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(sources, file)} ${size} ${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function build(root, files, out) {
  const staging = `${out}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = join(staging, 'src', relative(join(root, 'src'), file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) writeFileSync(target.replace(/\.ts$/, '.js'), compile(file));
    else copyFileSync(file, target);
  }
  // Files read at run time beside the sources, and the package's module type.
  if (existsSync(join(root, 'policies'))) symlinkSync(join(root, 'policies'), join(staging, 'policies'));
  writeFileSync(join(staging, 'package.json'), '{ "type": "module" }\n');
  try {
    renameSync(staging, out);
  } catch (error) {
    // Another process finished the same compilation first: use theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(out)) throw error;
    return;
  }
  prune(out);
}

/** One module: types stripped, relative `.ts` imports pointed at the compiled `.js` files. */
function compile(file) {
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return code.replace(/((?:\bfrom|\bimport)\s*\(?\s*)(['"])(\.\.?\/[^'"]*)\.ts\2/g, '$1$2$3.js$2');
}

/**
 * Keeps the few newest compilations (a process still running from one may yet import from it) and
 * removes what compilations cut off by a killed process left behind.
 */
function prune(current) {
  const cache = dirname(current);
  const entries = readdirSync(cache).flatMap((name) => {
    const path = join(cache, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    return path === current || !stat ? [] : [{ path, mtimeMs: stat.mtimeMs, staging: name.endsWith('.tmp') }];
  });
  const done = entries.filter((e) => !e.staging).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const abandoned = entries.filter((e) => e.staging && Date.now() - e.mtimeMs > 10 * 60_000);
  for (const { path } of [...done.slice(KEEP - 1), ...abandoned]) rmSync(path, { recursive: true, force: true });
}
