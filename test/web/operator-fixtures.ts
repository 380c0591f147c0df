import { readFileSync } from 'node:fs';

const SHIPPED = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

/** The shipped policy with posts worth twice as much and reading half, as a new version from `from`. */
export const candidatePolicy = (version: string, from: string): string =>
  SHIPPED.replace(/^version: .*$/m, `version: "${version}"`)
    .replace(/^effective_from: .*$/m, `effective_from: ${from}`)
    .replace(/course\.section\.read:(\s+)\{ points: 2,/, 'course.section.read:$1{ points: 1,')
    .replace(/forum\.post\.created:\n(\s+)points: 6/, 'forum.post.created:\n$1points: 12');
