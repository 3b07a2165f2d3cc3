import { expect, it } from 'vitest';
import { type DiscoveredResource, resourceKey } from '../../../contract/resource.js';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import { instanceSlot, type ParsedState, resourceSlot, SLOT_COUNT, type StateInstance } from '../../../engine/index.js';
import type { ActiveInstance, Store } from '../../../storage/store.js';
import { at, resource } from './stores.js';

/** The lower half of the slots: one part of an analysis in two. */
const HALF = { from: 0, to: SLOT_COUNT / 2 - 1 };
const EVERY_SLOT = { from: 0, to: SLOT_COUNT - 1 };
const inHalf = (slot: number) => slot <= HALF.to;

const ec2 = (n: number) => resource('aws', 'acct-1', n % 2 ? 'r-a' : 'r-b', 'AWS::EC2::Instance', `i-${n}`);
const keys = (rows: DiscoveredResource[]) => rows.map(resourceKey).sort();

function instance(n: number, source: string): StateInstance {
  return {
    source,
    address: `aws_instance.i${n}`,
    tfType: 'aws_instance',
    name: `i${n}`,
    provider: 'provider["aws"]',
    tainted: false,
    attributes: { id: `i-${n}` },
  };
}

const state = (source: string, instances: StateInstance[]): ParsedState => ({
  source,
  version: 4,
  instances,
  dataSourcesSkipped: 0,
});

/** Every page a scan visits, and the pages' sizes. */
async function scanned<T>(scan: (visit: (page: T[]) => void) => Promise<void>) {
  const rows: T[] = [];
  const pages: number[] = [];
  await scan((page) => {
    pages.push(page.length);
    rows.push(...page);
  });
  return { rows, pages };
}

/** The storage suite's cases for reading an account's analysis one part (a range or set of slots) at a time. */
export function partCases(current: () => Store, exec: (statement: string) => Promise<void>): void {
  it("reads, merges and drops one part of a job's sightings: its slots only, each row once past a page, rows from before slots where their content puts them", async () => {
    const store = current();
    // Each half of the slots holds more than a page (5,000) of them.
    const resources = Array.from({ length: 10_500 }, (_, n) => ec2(n));
    const elsewhere = resource('aws', 'acct-2', 'r-a', 'AWS::EC2::Instance', 'i-other');
    await store.upsertResources(
      [
        { job_id: 'job-p', resources },
        { job_id: 'job-p', resources: [elsewhere] },
      ],
      at(1),
    );
    await exec(`UPDATE job_resources SET slot = NULL WHERE resource_id IN ('i-1', 'i-2', 'i-3', 'i-4')`);
    const legacy = new Set(['i-1', 'i-2', 'i-3', 'i-4']);
    const half = resources.filter((r) => inHalf(resourceSlot(r)));

    const all = await scanned<DiscoveredResource>((visit) =>
      store.scanInventory('job-p', 'acct-1', { slots: EVERY_SLOT }, visit),
    );
    expect(all.rows).toHaveLength(resources.length);
    expect(keys(all.rows)).toEqual(keys(resources));
    expect(all.pages.length).toBeGreaterThan(2);
    // Rows read by slot and rows from before slots come back as they were written.
    expect(all.rows.find((r) => r.id === 'i-9')).toEqual(resources[9]);
    expect(all.rows.find((r) => r.id === 'i-2')).toEqual(resources[2]);
    const lower = await scanned<DiscoveredResource>((visit) =>
      store.scanInventory('job-p', 'acct-1', { slots: HALF }, visit),
    );
    expect(lower.rows).toHaveLength(half.length);
    expect(keys(lower.rows)).toEqual(keys(half));
    const picked = [resources[2]!, resources[9]!, resources[9000]!];
    expect(keys(await store.loadInventory('job-p', 'acct-1', { slots: { in: picked.map(resourceSlot) } }))).toEqual(
      keys(picked),
    );
    expect(await store.loadInventory('job-p', 'acct-1', { slots: HALF, types: ['AWS::EC2::VPC'] })).toEqual([]);

    const buckets = await store.sightingsPerBucket('job-p', 'acct-1', 30);
    const count = (bucket: number | null) => buckets.find((b) => b.bucket === bucket)?.n ?? 0;
    expect(count(null)).toBe(legacy.size);
    expect(count(0)).toBe(half.filter((r) => !legacy.has(r.id)).length);
    expect(count(0) + count(1) + count(null)).toBe(resources.length);

    // A part's range is merged and dropped a page at a time; rows from before slots are left to the account's close.
    await store.mergeSightings('job-p', 'acct-1', HALF);
    const merged = await store.listResources({ tenant: DEFAULT_TENANT, limit: 10_000 });
    expect(merged.map((r) => r.resource_key).sort()).toEqual(keys(half.filter((r) => !legacy.has(r.id))));
    await store.dropSightings('job-p', 'acct-1', HALF);
    const left = resources.filter((r) => !inHalf(resourceSlot(r)) || legacy.has(r.id));
    expect(keys(await store.loadInventory('job-p', 'acct-1'))).toEqual(keys(left));
    expect(await store.loadInventory('job-p', 'acct-2')).toEqual([elsewhere]);
    await store.mergeSightings('job-p', 'acct-1', 'unslotted');
    const withLegacy = half.filter((r) => !legacy.has(r.id)).concat(resources.filter((r) => legacy.has(r.id)));
    expect(
      (await store.listResources({ tenant: DEFAULT_TENANT, limit: 10_000 })).map((r) => r.resource_key).sort(),
    ).toEqual(keys(withLegacy));
    await store.dropSightings('job-p', 'acct-1', 'unslotted');
    expect(keys(await store.loadInventory('job-p', 'acct-1'))).toEqual(
      keys(resources.filter((r) => !inHalf(resourceSlot(r)) && !legacy.has(r.id))),
    );
  });

  it('drops one part of the sightings but for the types kept', async () => {
    const store = current();
    const vpcs = Array.from({ length: 40 }, (_, n) => resource('aws', 'acct-1', 'r-a', 'AWS::EC2::VPC', `vpc-${n}`));
    const mixed = [...Array.from({ length: 40 }, (_, n) => ec2(n)), ...vpcs];
    await store.upsertResources([{ job_id: 'job-q', resources: mixed }], at(1));
    await store.dropSightings('job-q', 'acct-1', HALF, ['AWS::EC2::Instance']);
    const kept = mixed.filter((r) => r.type === 'AWS::EC2::Instance' || !inHalf(resourceSlot(r)));
    expect(kept.length).toBeLessThan(mixed.length);
    expect(keys(await store.loadInventory('job-q', 'acct-1'))).toEqual(keys(kept));
  });

  it("scans the active states' instances of one part in state and instance order, past the first page, with instances from before slots where their content puts them", async () => {
    const store = current();
    const a = state(
      'a.tfstate',
      Array.from({ length: 2100 }, (_, n) => instance(n, 'a.tfstate')),
    );
    // The same resource again (i-7) and one of its own.
    const b = state('b.tfstate', [instance(7, 'b.tfstate'), instance(9000, 'b.tfstate')]);
    await store.saveStates(DEFAULT_TENANT, 'default', [b, a]);
    await exec(`UPDATE state_instances SET slot = NULL WHERE address IN ('aws_instance.i1', 'aws_instance.i7')`);
    const addresses = (rows: ActiveInstance[]) => rows.map((r) => `${r.instance.source} ${r.instance.address}`);
    const expected = [...a.instances, ...b.instances].map((i) => `${i.source} ${i.address}`);

    const all = await scanned<ActiveInstance>((visit) => store.scanActiveInstances({ tenant: DEFAULT_TENANT }, visit));
    expect(addresses(all.rows)).toEqual(expected);
    expect(all.pages.length).toBeGreaterThan(1);
    const lower = await scanned<ActiveInstance>((visit) =>
      store.scanActiveInstances({ tenant: DEFAULT_TENANT, slots: HALF }, visit),
    );
    const lowerExpected = [...a.instances, ...b.instances]
      .filter((i) => inHalf(instanceSlot(i)))
      .map((i) => `${i.source} ${i.address}`);
    expect(addresses(lower.rows)).toEqual(lowerExpected);

    const picked = { in: [instanceSlot(a.instances[7]!), instanceSlot(a.instances[1]!)] };
    const inSet = await scanned<ActiveInstance>((visit) =>
      store.scanActiveInstances({ tenant: DEFAULT_TENANT, slots: picked }, visit),
    );
    expect(addresses(inSet.rows)).toEqual([
      'a.tfstate aws_instance.i1',
      'a.tfstate aws_instance.i7',
      'b.tfstate aws_instance.i7',
    ]);

    const loaded = await store.loadActiveStates({
      tenant: DEFAULT_TENANT,
      slots: HALF,
      tfTypes: new Set(['aws_instance']),
    });
    expect(loaded.map((s) => s.source)).toEqual(['a.tfstate', 'b.tfstate']);
    expect(loaded.flatMap((s) => s.instances.map((i) => `${i.source} ${i.address}`))).toEqual(lowerExpected);
    expect(
      (await store.loadActiveStates({ tenant: DEFAULT_TENANT, slots: HALF, tfTypes: new Set(['aws_vpc']) })).flatMap(
        (s) => s.instances,
      ),
    ).toEqual([]);
  });

  it('reads the fingerprints of the keys asked for only', async () => {
    const store = current();
    await store.saveFingerprints(DEFAULT_TENANT, 'aws', { k1: 'f1', k2: 'f2', k3: 'f3' });
    expect(await store.loadFingerprints(DEFAULT_TENANT, 'aws', ['k1', 'k3', 'nope'])).toEqual({ k1: 'f1', k3: 'f3' });
    expect(await store.loadFingerprints(DEFAULT_TENANT, 'aws', [])).toEqual({});
    expect(await store.loadFingerprints(DEFAULT_TENANT, 'gcp', ['k1'])).toEqual({});
  });
}
