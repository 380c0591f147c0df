import { readFileSync } from 'node:fs';
import type { Database, Queryable } from '../db/database.ts';
import { invalid } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { latestClosed, nextPeriod } from './period.ts';
import { type RevenuePolicy, parseRevenuePolicy } from './policy.ts';

const DEFAULT_FILE = new URL('../../policies/revenue-default.yaml', import.meta.url);

export interface AdoptedRevenuePolicy {
  version: string;
  effective_from: string;
  adopted_at: string;
  adopted_by: string;
}

async function catalogueKeys(db: Queryable): Promise<Set<string>> {
  return new Set((await db.query<{ key: string }>('select key from action_types')).map((r) => r.key));
}

/** The policy Vklad ships, used for every period before the first adopted version. */
export const shippedPolicy = (): RevenuePolicy => parseRevenuePolicy(readFileSync(DEFAULT_FILE, 'utf8'));

/** Checks a policy text against the catalogue without adopting it. */
export async function checkRevenuePolicy(db: Queryable, text: string): Promise<RevenuePolicy> {
  return parseRevenuePolicy(text, await catalogueKeys(db));
}

/** The policy that splits a period: the adopted version in effect on its first day, else the shipped one. */
export async function revenuePolicyFor(db: Queryable, period: string): Promise<RevenuePolicy> {
  const [row] = await db.query<{ source: string }>(
    "select source from revenue_policies where effective_from <= ($1 || '-01')::date order by effective_from desc limit 1",
    [period],
  );
  return row ? parseRevenuePolicy(row.source) : shippedPolicy();
}

export async function listRevenuePolicies(db: Queryable): Promise<AdoptedRevenuePolicy[]> {
  const rows = await db.query<{ version: string; effective_from: string; adopted_at: Date; adopted_by: string }>(
    "select version, to_char(effective_from, 'YYYY-MM-DD') as effective_from, adopted_at, adopted_by from revenue_policies order by effective_from",
  );
  return rows.map((r) => ({ ...r, adopted_at: r.adopted_at.toISOString() }));
}

/** Adopts a version from its effective month on; a month already closed cannot be split again. Audited with the text. */
export async function adoptRevenuePolicy(db: Database, text: string, actor: string): Promise<AdoptedRevenuePolicy> {
  const policy = await checkRevenuePolicy(db, text);
  return db.transaction(async (tx) => {
    await tx.query('lock table revenue_policies in exclusive mode');
    const closed = await latestClosed(tx);
    const period = policy.effective_from.slice(0, 7);
    if (closed && period <= closed.period) {
      throw invalid([{ field: 'effective_from', reason: `is in a closed period (${closed.period}); the first open one starts ${nextPeriod(closed.period)}-01` }]);
    }
    const clash = await tx.query<{ version: string }>('select version from revenue_policies where version = $1 or effective_from = $2', [policy.version, policy.effective_from]);
    if (clash.some((c) => c.version === policy.version)) throw invalid([{ field: 'version', reason: `${policy.version} is already adopted; give the new policy its own version` }]);
    if (clash.length > 0) throw invalid([{ field: 'effective_from', reason: `version ${clash[0]!.version} already takes effect on ${policy.effective_from}` }]);
    await tx.query('insert into revenue_policies (version, effective_from, source, adopted_by) values ($1, $2, $3, $4)', [policy.version, policy.effective_from, text, actor]);
    await audit(tx, actor, 'revenue_policy.adopt', `revenue_policy:${policy.version}`, { effective_from: policy.effective_from, text });
    return (await listRevenuePolicies(tx)).find((p) => p.version === policy.version)!;
  });
}
