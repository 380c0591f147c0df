export { policySet, type PolicySet } from './compile.ts';
export { applyDiffs, diffAwards, type AwardDiff, type AwardSink, type PostedAward } from './differ.ts';
export { replay, scoreMembers, totalsByMember } from './engine.ts';
export { parsePolicy, type LoadOptions, type PolicyFieldError } from './policy-loader.ts';
export type { Policy } from './policy-schema.ts';
export { renderTrail, type Language } from './trail.ts';
export type * from './types.ts';
