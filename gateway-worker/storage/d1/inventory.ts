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

const INVENTORY_PAGE = 5000;

/** Every resource a job discovered, read in key order a page at a time. */
export async function loadInventory(db: D1Database, jobId: string): Promise<DiscoveredResource[]> {
  const all: DiscoveredResource[] = [];
  let after = '';
  for (;;) {
    const { results } = await db
      .prepare(
        `SELECT resource_key, provider, account, region, type, resource_id, name, attributes, tags FROM resources
         WHERE last_seen_job = ? AND resource_key > ? ORDER BY resource_key LIMIT ?`,
      )
      .bind(jobId, after, INVENTORY_PAGE)
      .all<InventoryRow>();
    for (const r of results) all.push(resourceOf(r));
    if (results.length < INVENTORY_PAGE) return all;
    after = results.at(-1)!.resource_key;
  }
}

interface InventoryRow {
  resource_key: string;
  provider: DiscoveredResource['provider'];
  account: string;
  region: string;
  type: string;
  resource_id: string;
  name: string | null;
  attributes: string;
  tags: string;
}

function resourceOf(r: InventoryRow): DiscoveredResource {
  return {
    provider: r.provider,
    account: r.account,
    region: r.region,
    type: r.type,
    id: r.resource_id,
    ...(r.name === null ? {} : { name: r.name }),
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
    tags: JSON.parse(r.tags) as Record<string, string>,
  };
}
