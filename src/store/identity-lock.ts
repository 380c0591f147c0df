/**
 * SQL that takes transaction-scoped advisory locks on identities, given as a JSON array of
 * {provider, external_id} in $1, in one fixed order so that concurrent writers cannot deadlock.
 * Whoever creates, links or parks an identity holds its lock first.
 */
export const LOCK_IDENTITIES_SQL = `
  select pg_advisory_xact_lock(h) from (
    select distinct hashtextextended(k.provider || chr(31) || k.external_id, 7372) as h
    from json_to_recordset($1::json) as k(provider text, external_id text)
    order by h
  ) locks`;
