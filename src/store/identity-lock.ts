/**
 * SQL that takes transaction-scoped advisory locks on identities, given as a JSON array of
 * {provider, external_id} in $1, in one fixed order so that concurrent writers cannot deadlock.
 * Whoever creates, links or parks an identity holds its lock first.
 *
 * Identities share 1,024 locks by hash: a first import naming tens of thousands of new identities
 * in one transaction would otherwise overflow PostgreSQL's shared lock table ("out of shared
 * memory"). Two identities in one bucket only wait for each other. The two-key form keeps these
 * locks apart from every single-key advisory lock.
 */
export const LOCK_IDENTITIES_SQL = `
  select pg_advisory_xact_lock(7372, b) from (
    select distinct hashtext(k.provider || chr(31) || k.external_id) & 1023 as b
    from json_to_recordset($1::json) as k(provider text, external_id text)
    order by b
  ) locks`;
