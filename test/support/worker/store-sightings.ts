import { expect, it } from 'vitest';
import { resourceKey } from '../../../contract/resource.js';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import type { Store } from '../../../storage/store.js';
import { allPages, at, keysOf, resource } from './stores.js';

/**
 * The storage suite's cases for per-job sightings and their merge into the inventory, run on
 * each store by storage/store.test.ts (whose beforeEach empties the store).
 */
export function sightingCases(current: () => Store): void {
  it("keeps each job's sightings apart: a redelivered batch writes the same rows, another job's sighting changes nothing of it", async () => {
    const store = current();
    const batch = {
      job_id: 'job-a',
      resources: [resource('aws', 'acct-1', 'r-a', 'T1', 'x-1'), resource('aws', 'acct-1', 'r-a', 'T1', 'x-2')],
    };
    await store.upsertResources([batch], at(1));
    await store.upsertResources([batch], at(2));
    expect(await store.loadInventory('job-a', 'acct-1')).toEqual(batch.resources);
    const listed = await store.listResources({ tenant: DEFAULT_TENANT, job_id: 'job-a', limit: 10 });
    expect(listed).toEqual(
      batch.resources.map((r) => ({
        ...r,
        resource_key: resourceKey(r),
        first_seen_job: 'job-a',
        last_seen_job: 'job-a',
        last_seen_at: at(2),
      })),
    );

    const changed = { ...resource('aws', 'acct-1', 'r-a', 'T1', 'x-1', 16), name: undefined };
    await store.upsertResources([{ job_id: 'job-b', resources: [changed] }], at(3));
    expect(await store.loadInventory('job-a', 'acct-1')).toEqual(batch.resources);
    const [seenByB] = await store.loadInventory('job-b', 'acct-1');
    expect(seenByB).toEqual({ ...changed, name: undefined });
    expect(seenByB).not.toHaveProperty('name');
    expect(await store.loadInventory('job-a', 'acct-2')).toEqual([]);
    // Sightings are not the inventory until an analysis merges them.
    expect(await store.listResources({ tenant: DEFAULT_TENANT, limit: 10 })).toEqual([]);
  });

  it("keeps the later of two sightings of a resource by one job in one delivery, and each job's own", async () => {
    const store = current();
    const r = resource('aws', 'acct-1', 'r-a', 'T1', 'dup');
    const deliveries = [
      { job_id: 'job-a', resources: [r] },
      { job_id: 'job-b', resources: [{ ...r, attributes: { v: 'b' } }] },
      { job_id: 'job-a', resources: [{ ...r, attributes: { v: 'a2' } }] },
    ];
    await store.upsertResources(deliveries, at(1));
    expect((await store.loadInventory('job-a', 'acct-1')).map((x) => x.attributes)).toEqual([{ v: 'a2' }]);
    expect((await store.loadInventory('job-b', 'acct-1')).map((x) => x.attributes)).toEqual([{ v: 'b' }]);
  });

  it('merges sightings into the inventory where they are no older than its row, whichever job merges last', async () => {
    const store = current();
    const older = {
      job_id: 'job-a',
      resources: [resource('aws', 'acct-1', 'r-a', 'T1', 'x', 1), resource('aws', 'acct-1', 'r-a', 'T1', 'only-a', 1)],
    };
    const newer = { job_id: 'job-b', resources: [resource('aws', 'acct-1', 'r-a', 'T1', 'x', 2)] };
    await store.upsertResources([older], at(1));
    await store.upsertResources([newer], at(2));
    await store.mergeSightings('job-b', 'acct-1');
    await store.mergeSightings('job-a', 'acct-1');
    await store.mergeSightings('job-a', 'acct-1');
    const [onlyA, x] = await store.listResources({ tenant: DEFAULT_TENANT, limit: 10 });
    expect(x).toMatchObject({
      id: 'x',
      attributes: { Size: 2 },
      first_seen_job: 'job-b',
      last_seen_job: 'job-b',
      last_seen_at: at(2),
    });
    expect(onlyA).toMatchObject({ id: 'only-a', first_seen_job: 'job-a', last_seen_job: 'job-a', last_seen_at: at(1) });

    // The other order: the newer sighting moves the row on and keeps its first job.
    await store.upsertResources([{ ...older, job_id: 'job-c' }], at(0));
    await store.mergeSightings('job-c', 'acct-1');
    await store.upsertResources([{ ...newer, job_id: 'job-d' }], at(3));
    await store.mergeSightings('job-d', 'acct-1');
    expect((await store.listResources({ tenant: DEFAULT_TENANT, limit: 10 }))[1]).toMatchObject({
      id: 'x',
      attributes: { Size: 2 },
      first_seen_job: 'job-b',
      last_seen_job: 'job-d',
      last_seen_at: at(3),
    });
  });

  it('merges and drops sightings a page at a time, past the first page, one account at a time', async () => {
    const store = current();
    const many = Array.from({ length: 5003 }, (_, i) => ({
      ...resource('aws', 'acct-1', 'r-a', 'T', `i-${String(i).padStart(5, '0')}`),
      attributes: {},
      tags: {},
    }));
    const other = resource('aws', 'acct-2', 'r-a', 'T', 'elsewhere');
    await store.upsertResources([{ job_id: 'job-a', resources: [...many, other] }], at(1));
    await store.mergeSightings('job-a', 'acct-1');
    const merged = await allPages(store, { tenant: DEFAULT_TENANT, limit: 1000 });
    expect(merged.map((r) => r.id)).toEqual(many.map((r) => r.id));

    await store.dropSightings('job-a', 'acct-1');
    expect(await store.loadInventory('job-a', 'acct-1')).toEqual([]);
    expect(await store.loadInventory('job-a', 'acct-2')).toEqual([other]);
  });

  it("lists a job's resources from its sightings while they exist, then from the inventory rows it saw last", async () => {
    const store = current();
    const a = ['x-1', 'x-2', 'x-3'].map((id) => resource('aws', 'acct-1', 'r-a', 'T1', id));
    const b = resource('aws', 'acct-2', 'r-a', 'T1', 'y-1');
    await store.upsertResources([{ job_id: 'job-a', resources: [...a, b] }], at(1));
    const whole = [...a, b].map((r) => resourceKey(r)).sort();
    expect(keysOf(await allPages(store, { tenant: DEFAULT_TENANT, job_id: 'job-a', limit: 2 }))).toEqual(whole);

    // One account analysed: merged, its sightings dropped; the listing still holds all four, once each.
    await store.mergeSightings('job-a', 'acct-1');
    expect(keysOf(await allPages(store, { tenant: DEFAULT_TENANT, job_id: 'job-a', limit: 2 }))).toEqual(whole);
    await store.dropSightings('job-a', 'acct-1');
    expect(keysOf(await allPages(store, { tenant: DEFAULT_TENANT, job_id: 'job-a', limit: 2 }))).toEqual(whole);
    expect(
      keysOf(await allPages(store, { tenant: DEFAULT_TENANT, job_id: 'job-a', account: 'acct-1', limit: 2 })),
    ).toEqual(whole.slice(0, 3));

    // A later job saw x-2 last: the inventory row is that job's now.
    await store.upsertResources([{ job_id: 'job-b', resources: [a[1]!] }], at(2));
    await store.mergeSightings('job-b', 'acct-1');
    await store.dropSightings('job-b');
    expect(keysOf(await allPages(store, { tenant: DEFAULT_TENANT, job_id: 'job-a', limit: 2 }))).toEqual(
      whole.filter((k) => !k.endsWith('x-2')),
    );
    expect(
      (await store.listResources({ tenant: DEFAULT_TENANT, job_id: 'job-b', limit: 5 })).map((r) => [
        r.id,
        r.first_seen_job,
        r.last_seen_job,
      ]),
    ).toEqual([['x-2', 'job-a', 'job-b']]);
    expect(
      (await store.resourcesByKey(DEFAULT_TENANT, [resourceKey(a[2]!), resourceKey(b), 'aws|nope'])).map((r) => r.id),
    ).toEqual(['x-3']);
  });

  it('prunes the sightings of jobs that finished before a time, and only those', async () => {
    const store = current();
    const spec = (job_id: string) => ({
      job_id,
      provider: 'aws' as const,
      accounts: ['acct-1'],
      regions: ['r-a'],
      resource_types: ['T'],
      mode: 'full' as const,
      sharding: { type: 'region' as const, shard_size: 10 },
    });
    for (const job of ['job-a', 'job-b', 'job-c']) {
      await store.indexJob(spec(job), at(0));
      await store.upsertResources(
        [{ job_id: job, resources: [resource('aws', 'acct-1', 'r-a', 'T', `${job}-1`)] }],
        at(1),
      );
    }
    const ended = (job_id: string, finished_at: string | null) =>
      store.updateJobIndex({
        job_id,
        status: finished_at ? 'failed' : 'running',
        shards_total: 1,
        shards_succeeded: 0,
        shards_failed: 1,
        shards_cancelled: 0,
        resources_discovered: 1,
        updated_at: at(5),
        finished_at,
        error: null,
      });
    await ended('job-a', at(5));
    await ended('job-b', at(9));
    await ended('job-c', null);
    expect(await store.pruneSightings(at(6))).toBe(1);
    expect(await store.loadInventory('job-a', 'acct-1')).toEqual([]);
    expect(await store.loadInventory('job-b', 'acct-1')).toHaveLength(1);
    expect(await store.loadInventory('job-c', 'acct-1')).toHaveLength(1);
    expect(await store.pruneSightings(at(6))).toBe(0);
  });
}
