import type { JobDetail } from '../../contract/api.js';
import { type DiscoveredResource, type Provider, resourceKey } from '../../contract/resource.js';
import type { InjectedDrift } from '../../emulator/terraform-state.js';
import { compareDrift, type DriftComparison, foundIdentities, injectedIdentities } from '../drift-check.js';
import { driftOf, type GatewayCall } from '../local-stack.js';

/**
 * What a chaos run is judged by: the inventory the jobs stored against the estate (nothing
 * lost, nothing stored or counted twice) and each job's drift against the injected drift.
 */

export interface InventoryCheck {
  /** Distinct resources in the stored inventory. */
  stored: number;
  /** Estate resources not stored, plus those a job counted fewer than the estate holds. */
  lost: number;
  /** Rows listed more than once, plus resources a job counted beyond the estate. */
  duplicated: number;
  /** Stored resources the estate does not hold. */
  unknown: number;
}

export interface JobVerdict {
  job_id: string;
  sharding: string;
  status: string;
  error: string | null;
  wall_seconds: number | null;
  shards: number;
  /** The most attempts any shard took. */
  max_attempts: number;
  /** Shards whose last attempt ended because a chunk it sent was never written (lost with the queue). */
  lost_chunk_shards: number;
  resources_discovered: number;
  drift_exact: boolean;
  /** Per kind: found / injected, and the first few differences. */
  drift: Record<string, { found: number; injected: number; missed: string[]; unexpected: string[] }>;
}

/** Every key the inventory lists for a cloud, page by page, repeats kept. */
export async function inventoryKeys(call: GatewayCall, provider: Provider): Promise<string[]> {
  const keys: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const query: string = `provider=${provider}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call<{ resources: { resource_key: string }[]; next_cursor: string | null }>(
      'GET',
      `/api/v1/resources?${query}`,
    );
    keys.push(...page.resources.map((r) => r.resource_key));
    if (!(cursor = page.next_cursor)) return keys;
  }
}

export function checkInventory(
  estate: readonly DiscoveredResource[],
  listed: readonly string[],
  jobs: readonly JobDetail[],
): InventoryCheck {
  const estateKeys = new Set(estate.map(resourceKey));
  const stored = new Set(listed);
  const counted = jobs.map((j) => j.counts.resources_discovered);
  return {
    stored: stored.size,
    lost:
      [...estateKeys].filter((k) => !stored.has(k)).length +
      counted.reduce((n, c) => n + Math.max(0, estate.length - c), 0),
    duplicated: listed.length - stored.size + counted.reduce((n, c) => n + Math.max(0, c - estate.length), 0),
    unknown: [...stored].filter((k) => !estateKeys.has(k)).length,
  };
}

/** A completed job's drift found against the drift injected; a job that did not complete found nothing. */
export async function compareJobDrift(
  call: GatewayCall,
  job: JobDetail,
  injected: readonly InjectedDrift[],
): Promise<DriftComparison> {
  const found =
    job.status === 'completed'
      ? foundIdentities((await driftOf(call, job.job_id)).items)
      : { changed: [], missing: [], unmanaged: [] };
  return compareDrift(job.provider, found, injectedIdentities(injected, job.provider));
}

export function jobVerdict(job: JobDetail, drift: DriftComparison, examples = 3): JobVerdict {
  const finished = job.finished_at ? Date.parse(job.finished_at) : undefined;
  return {
    job_id: job.job_id,
    sharding: job.sharding.type,
    status: job.status,
    error: job.error,
    wall_seconds: finished === undefined ? null : Math.round((finished - Date.parse(job.created_at)) / 1000),
    shards: job.counts.shards_total,
    max_attempts: Math.max(0, ...job.shards.map((s) => s.attempts)),
    lost_chunk_shards: job.shards.filter((s) => s.last_error?.includes('was accepted but not written')).length,
    resources_discovered: job.counts.resources_discovered,
    drift_exact: job.status === 'completed' && drift.exact,
    drift: Object.fromEntries(
      drift.kinds.map((k) => [
        k.kind,
        {
          found: k.found,
          injected: k.injected,
          missed: k.missed.slice(0, examples),
          unexpected: k.unexpected.slice(0, examples),
        },
      ]),
    ),
  };
}

/** Micro-averaged over the jobs and kinds: an item found twice counts as one false find. */
export function precisionRecall(comparisons: readonly DriftComparison[]): { precision: number; recall: number } {
  const kinds = comparisons.flatMap((c) => c.kinds);
  const found = kinds.reduce((n, k) => n + k.found, 0);
  const injected = kinds.reduce((n, k) => n + k.injected, 0);
  const hits = kinds.reduce((n, k) => n + k.injected - k.missed.length, 0);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10_000) / 10_000);
  return { precision: ratio(hits, found), recall: ratio(hits, injected) };
}
