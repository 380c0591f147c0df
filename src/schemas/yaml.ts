import type { z } from '@hono/zod-openapi';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { VkladError, type FieldError } from '../errors.ts';

/** A field error that also names the line of the text it comes from. */
export interface LineFieldError extends FieldError {
  line: number;
}

/**
 * Parses YAML (or JSON) text against a schema; throws `validation_failed` naming, for each problem,
 * the line, the field and the reason. `what` names the document in the message ("The policy").
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw failure(what, doc.errors.map((e) => ({ field: '(policy)', reason: e.message.split('\n')[0]!, line: lines.linePos(e.pos[0]).line })));
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  throw failure(
    what,
    parsed.error.issues.flatMap((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const path = key === undefined ? issue.path : [...issue.path, key];
        return { field: path.map(String).join('.') || '(policy)', reason: key === undefined ? issue.message : 'is not a known field', line: lineOf(doc, path, lines) };
      });
    }),
  );
}

/** The line of the deepest node on `path` that exists: a missing field is reported where its parent is. */
function lineOf(doc: Document, path: readonly PropertyKey[], lines: LineCounter): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

function failure(what: string, errors: LineFieldError[]): VkladError {
  const said = errors.map((e) => `line ${e.line}, ${e.field}: ${e.reason}`).join('; ');
  return new VkladError('validation_failed', `${what} is invalid: ${said}`, errors);
}
