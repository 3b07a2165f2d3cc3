import type { OperationalCounts } from '../store.js';
import type { Sql } from './connection.js';

/** Every figure the metrics endpoint reports, in one query. */
export async function operationalCounts(sql: Sql): Promise<OperationalCounts> {
  const { rows } = await sql.query<OperationalCounts>(
    `SELECT
       (SELECT COALESCE(jsonb_object_agg(status, n), '{}') FROM (SELECT status, COUNT(*)::int AS n FROM jobs GROUP BY status) j) AS jobs_by_status,
       (SELECT COALESCE(SUM(shards_total - shards_succeeded - shards_failed - shards_cancelled), 0)::int FROM jobs WHERE status IN ('pending', 'running')) AS shards_open,
       (SELECT COUNT(*)::int FROM dead_letters) AS dead_letters,
       (SELECT COALESCE(jsonb_object_agg(provider, n), '{}') FROM (
          SELECT provider, SUM((summary ->> 'changed')::float8 + (summary ->> 'missing')::float8 + (summary ->> 'unmanaged')::float8) AS n
          FROM analyses GROUP BY provider) d) AS drift_detected`,
  );
  return rows[0]!;
}
