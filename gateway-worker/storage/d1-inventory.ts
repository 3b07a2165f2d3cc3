import { resourceKey, type DiscoveredResource } from '../../contract/resource.js';

/**
 * Upserts one message's resources with a single statement: the rows travel as one JSON
 * parameter expanded by json_each, which keeps D1's 100-parameter and 100 KB statement
 * limits whatever the row count. Re-running it with the same rows changes nothing.
 */
export function upsertResourcesStatement(db: D1Database, jobId: string, seenAt: string, resources: DiscoveredResource[]) {
  const rows = resources.map((r) => ({
    k: resourceKey(r),
    p: r.provider,
    a: r.account,
    r: r.region,
    t: r.type,
    i: r.id,
    n: r.name ?? null,
    at: r.attributes,
    tg: r.tags,
  }));
  return db
    .prepare(
      `INSERT INTO resources (resource_key, provider, account, region, type, resource_id, name, attributes, tags,
                              first_seen_job, last_seen_job, last_seen_at)
       SELECT value ->> '$.k', value ->> '$.p', value ->> '$.a', value ->> '$.r', value ->> '$.t', value ->> '$.i',
              value ->> '$.n', value -> '$.at', value -> '$.tg', ?2, ?2, ?3
       FROM json_each(?1) WHERE true
       ON CONFLICT (resource_key) DO UPDATE SET
         name = excluded.name, attributes = excluded.attributes, tags = excluded.tags,
         last_seen_job = excluded.last_seen_job, last_seen_at = excluded.last_seen_at`,
    )
    .bind(JSON.stringify(rows), jobId, seenAt);
}

/** Resources a job saw, for its analysis. */
export async function countResourcesSeenBy(db: D1Database, jobId: string): Promise<number> {
  const row = await db.prepare(`SELECT COUNT(*) AS n FROM resources WHERE last_seen_job = ?`).bind(jobId).first<{ n: number }>();
  return row?.n ?? 0;
}
