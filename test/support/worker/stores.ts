import { env } from 'cloudflare:workers';
import { type DiscoveredResource, type Provider, resourceKey } from '../../../contract/resource.js';
import { type DriftItem, type DriftReport, type DriftSummary, emptySummary } from '../../../engine/index.js';
import { D1Store } from '../../../storage/d1/store.js';
import { withClient } from '../../../storage/pg/connection.js';
import { PgStore } from '../../../storage/pg/store.js';
import type { ResourceBatch, Store } from '../../../storage/store.js';

/** Every table a store writes; each test of the storage suite starts with them empty. */
const TABLES = [
  'api_tokens',
  'tenants',
  'audit_log',
  'jobs',
  'job_accounts',
  'agents',
  'resources',
  'job_resources',
  'dead_letters',
  'states',
  'state_instances',
  'drift_items',
  'analyses',
  'resource_counts',
  'fingerprints',
  'settings',
  'drift_tracks',
  'drift_acks',
  'notifications',
  'notification_deliveries',
  'imports',
  'state_sources',
];

/** One store under test, how to empty it, and a way to run SQL both dialects read alike (to write rows as an older release left them). */
export interface Harness {
  store: () => Store;
  reset: () => Promise<void>;
  exec: (statement: string) => Promise<void>;
}

export const testEnv = env as unknown as Env & { DRIFTMGR_TEST_PG_URL?: string; CI?: string };

export const d1: Harness = {
  store: () => new D1Store(testEnv.DB),
  reset: async () => {
    await testEnv.DB.batch(TABLES.map((t) => testEnv.DB.prepare(`DELETE FROM ${t}`)));
  },
  exec: async (statement) => void (await testEnv.DB.prepare(statement).run()),
};

export const postgres: Harness = {
  store: () => new PgStore(testEnv.HYPERDRIVE.connectionString),
  reset: () =>
    withClient(
      testEnv.HYPERDRIVE.connectionString,
      async (sql) => void (await sql.query(`TRUNCATE ${TABLES.join(', ')}`)),
    ),
  exec: (statement) =>
    withClient(testEnv.HYPERDRIVE.connectionString, async (sql) => void (await sql.query(statement))),
};

export const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

export function resource(
  provider: Provider,
  account: string,
  region: string,
  type: string,
  id: string,
  size = 8,
): DiscoveredResource {
  return {
    provider,
    account,
    region,
    type,
    id,
    name: `n-${id}`,
    attributes: { Id: id, Size: size, Nested: { List: [1, 'two'] } },
    tags: { team: 'core' },
  };
}

/** Ingest followed by the merge each account's analysis does: the batches' resources land in the inventory. */
export async function sightAndMerge(store: Store, batches: ResourceBatch[], seenAt: string): Promise<void> {
  await store.upsertResources(batches, seenAt);
  for (const b of batches)
    for (const account of new Set(b.resources.map((r) => r.account))) await store.mergeSightings(b.job_id, account);
}

export const keysOf = (rows: { resource_key: string }[]) => rows.map((r) => r.resource_key);
export const sortedKeys = (rows: DiscoveredResource[]) => rows.map((r) => resourceKey(r)).sort();

/** Every page of a listing, walked with its cursor. */
export async function allPages(store: Store, query: Parameters<Store['listResources']>[0]) {
  const all = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listResources({ ...query, after });
    all.push(...page);
    if (page.length < query.limit) return all;
    after = page.at(-1)!.resource_key;
  }
}

export function summary(changed: number, missing: number, unmanaged: number): DriftSummary {
  return {
    ...emptySummary('full', 10),
    state_resources: 10,
    managed: 8,
    in_sync: 8 - changed,
    changed,
    missing,
    unmanaged,
    coverage: 0.8,
    by_severity: { critical: 0, high: changed, medium: missing, low: unmanaged },
    cost: { monthly_delta_usd: 0, currency: 'USD', source: 'none', as_of: '2026-01-01', estimate: true },
  };
}

const KINDS = ['changed', 'missing', 'unmanaged'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export function driftItem(n: number): DriftItem {
  return {
    kind: KINDS[n % 3]!,
    address: `aws_instance.i${n}`,
    tf_type: n % 2 ? 'aws_instance' : 'aws_vpc',
    cloud_type: 'AWS::EC2::Instance',
    provider: 'aws',
    account: n % 2 ? 'acct-1' : 'acct-2',
    region: n % 4 < 2 ? 'r-a' : 'r-b',
    id: `i-${n}`,
    changes: [{ path: 'x', expected: 1, actual: n }],
    severity: SEVERITIES[n % 4]!,
    score: (n * 7.5) % 100,
    rules: [],
    cost: null,
  };
}

export function report(items: DriftItem[]): DriftReport {
  return {
    summary: summary(items.filter((i) => i.kind === 'changed').length, 1, 2),
    items,
    duplicates: [{ tf_type: 'aws_vpc', id: 'vpc-1', addresses: [{ source: 's', address: 'a' }] }],
  };
}
