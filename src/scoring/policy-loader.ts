import { type LineFieldError, parseYamlWith } from '../schemas/yaml.ts';
import type { ActionType } from '../catalogue/action-type.ts';
import { policySchema, type Policy } from './policy-schema.ts';

/** A field error that also names the line of the policy text it comes from. */
export type PolicyFieldError = LineFieldError;

export interface LoadOptions {
  /** Fills in kind, role and minutes an action leaves out. */
  catalogue?: readonly ActionType[];
}

/** Parses one policy version from YAML or JSON text; throws `validation_failed` naming line, field and reason. */
export function parsePolicy(text: string, options: LoadOptions = {}): Policy {
  return parseYamlWith(policySchema(options.catalogue), text, 'The policy');
}
