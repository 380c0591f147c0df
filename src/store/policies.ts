import { readFileSync } from 'node:fs';
import type { Database, Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { type Policy, type PolicySet, parsePolicy, policySet } from '../scoring/index.ts';
import { audit } from './audit.ts';
import { listActionTypes } from './catalogue.ts';
import type { PeerAttributes } from './scoring-events.ts';
import { markForScoring } from './scoring-queue.ts';

const DEFAULT_POLICY_FILE = new URL('../../policies/default.yaml', import.meta.url);

export interface AdoptedPolicy {
  version: string;
  effective_from: string;
  adopted_at: string;
  adopted_by: string;
}

interface Row {
  version: string;
  effective_from: string;
  adopted_at: Date;
  adopted_by: string;
}

/** Parses a policy text against the store's catalogue, which fills in kinds, roles and minutes. */
export async function parseWithCatalogue(db: Queryable, text: string): Promise<Policy> {
  return parsePolicy(text, { catalogue: await listActionTypes(db, true) });
}

/** For each peer-signal action, the event attribute naming the other member. */
export function peerAttributes(policies: readonly Policy[]): PeerAttributes {
  const attributes: PeerAttributes = new Map();
  for (const policy of policies) {
    for (const [action, rule] of Object.entries(policy.actions)) if (rule.peer) attributes.set(action, rule.peer.from);
  }
  return attributes;
}

/** Every adopted version, compiled: what the scoring pass scores with. */
export async function currentPolicies(db: Queryable): Promise<{ set: PolicySet; policies: Policy[] }> {
  const rows = await db.query<{ source: string }>('select source from policies order by effective_from');
  const catalogue = await listActionTypes(db, true);
  const policies = rows.map((r) => parsePolicy(r.source, { catalogue }));
  return { set: policySet(policies), policies };
}

const ADOPTED_COLUMNS = "version, to_char(effective_from, 'YYYY-MM-DD') as effective_from, adopted_at, adopted_by";
const adopted = (r: Row): AdoptedPolicy => ({ version: r.version, effective_from: r.effective_from, adopted_at: r.adopted_at.toISOString(), adopted_by: r.adopted_by });

export async function listPolicies(db: Queryable): Promise<AdoptedPolicy[]> {
  return (await db.query<Row>(`select ${ADOPTED_COLUMNS} from policies order by effective_from`)).map(adopted);
}

export interface Adoption {
  /** `forward`: from an effective date not before today; `rescore`: from any date, re-scoring what it changes. */
  mode: 'forward' | 'rescore';
  actor: string;
  now: Date;
}

/**
 * Adopts a policy version. Nothing is rewritten in place: the members with events from its
 * effective date on are marked, and the next scoring pass posts what changes as correcting
 * transactions. Audited, with the policy text.
 */
export async function adoptPolicy(db: Database, text: string, adoption: Adoption): Promise<{ policy: AdoptedPolicy; members_marked: number }> {
  const policy = await parseWithCatalogue(db, text);
  const today = adoption.now.toISOString().slice(0, 10);
  if (adoption.mode === 'forward' && policy.effective_from < today) {
    throw invalid([{ field: 'effective_from', reason: `is before today (${today}); adopt with a re-score to change the past` }]);
  }
  return db.transaction(async (tx) => {
    await tx.query('lock table policies in exclusive mode');
    const [clash] = await tx.query('select 1 from policies where version = $1', [policy.version]);
    if (clash) throw invalid([{ field: 'version', reason: `${policy.version} is already adopted; give the new policy its own version` }]);
    // Refuses, naming the field, a policy that takes effect on the same day as an adopted one.
    policySet([...(await currentPolicies(tx)).policies, policy]);
    const [row] = await tx.query<Row>(
      `insert into policies (version, effective_from, source, adopted_by) values ($1, $2, $3, $4) returning ${ADOPTED_COLUMNS}`,
      [policy.version, policy.effective_from, text, adoption.actor],
    );
    const members = await tx.query<{ member_id: number }>(
      'select distinct member_id from events where member_id is not null and occurred_at >= $1::date',
      [policy.effective_from],
    );
    await markForScoring(tx, members.map((m) => m.member_id));
    await audit(tx, adoption.actor, 'policy.adopt', `policy:${policy.version}`, { mode: adoption.mode, effective_from: policy.effective_from, text });
    return { policy: adopted(row!), members_marked: members.length };
  });
}

/** A store with no policy gets the one Vklad ships, so that scoring works from the first event. */
export async function seedDefaultPolicy(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('lock table policies in exclusive mode');
    const [any] = await tx.query('select 1 from policies limit 1');
    if (any) return false;
    const text = readFileSync(DEFAULT_POLICY_FILE, 'utf8');
    const policy = await parseWithCatalogue(tx, text);
    await tx.query('insert into policies (version, effective_from, source, adopted_by) values ($1, $2, $3, $4)', [
      policy.version,
      policy.effective_from,
      text,
      'vklad',
    ]);
    return true;
  });
}
