import { expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import type { DriftItem, DriftSummary } from '../../../engine/index.js';
import type { DriftPart, Store } from '../../../storage/store.js';
import { at, summary } from './stores.js';

type Kind = DriftItem['kind'];

/** A drift item of acct-1; changed and unmanaged ones have a resource key, missing ones only an address. */
function item(
  kind: Kind,
  id: string,
  region: string,
  actual: unknown = 'new',
  extra: Partial<DriftItem> = {},
): DriftItem {
  return {
    kind,
    address: `aws_instance.${id}`,
    tf_type: 'aws_instance',
    cloud_type: 'AWS::EC2::Instance',
    provider: 'aws',
    account: 'acct-1',
    region,
    id,
    ...(kind === 'missing' ? {} : { resource_key: `aws|acct-1|${region}|AWS::EC2::Instance|${id}` }),
    changes: kind === 'changed' ? [{ path: 'instance_type', expected: 'old', actual }] : [],
    severity: 'high',
    score: 50,
    rules: [],
    cost: null,
    ...extra,
  };
}

function part(
  job_id: string,
  as_of: string,
  items: DriftItem[],
  regions = ['r-a', 'r-b'],
  extra: Partial<DriftPart> = {},
): DriftPart {
  const scopes = [{ provider: 'aws' as const, account: 'acct-1', type: 'AWS::EC2::Instance', regions }];
  const { tenant = DEFAULT_TENANT, ...rest } = extra;
  return {
    tenant,
    job_id,
    provider: 'aws',
    account: 'acct-1',
    as_of,
    scopes,
    resolves: true,
    items,
    now: as_of,
    ...rest,
  };
}

const statuses = (items: DriftItem[]) => items.map((i) => [i.id, i.status, i.first_seen_job, i.first_seen_at]);

/** The storage suite's cases for the drift lifecycle, run on each store by storage/store.test.ts. */
export function lifecycleCases(current: () => Store): void {
  it("files a part's drift: new, then ongoing; gone items resolved where the job looked, left open elsewhere; a part run again answers the same", async () => {
    const store = current();
    const [x, y, z] = [item('changed', 'x', 'r-a'), item('missing', 'y', 'r-a'), item('unmanaged', 'z', 'r-b')];
    const first = await store.trackDrift(part('job-1', at(10), [x, y, z]));
    expect(statuses(first.items)).toEqual([
      ['x', 'new', 'job-1', at(10)],
      ['y', 'new', 'job-1', at(10)],
      ['z', 'new', 'job-1', at(10)],
    ]);
    expect(first.counts).toEqual({ new: 3, resolved: 0, acknowledged: 0 });

    const second = part('job-2', at(20), [x], ['r-a']);
    for (let run = 0; run < 2; run++) {
      const tracked = await store.trackDrift(second);
      expect(statuses(tracked.items)).toEqual([['x', 'ongoing', 'job-1', at(10)]]);
      expect(tracked.counts).toEqual({ new: 0, resolved: 1, acknowledged: 0 });
    }
    expect(
      (await store.listResolvedDrift({ job_id: 'job-2' }, undefined, 10)).map((r) => [
        r.item.id,
        r.item.status,
        r.item.first_seen_job,
      ]),
    ).toEqual([['y', 'resolved', 'job-1']]);
    expect(await store.listResolvedDrift({ job_id: 'job-1' }, undefined, 10)).toEqual([]);

    // y is back, z (now in a region the job covered) is gone; an incremental part resolves nothing.
    const third = await store.trackDrift(part('job-3', at(30), [x, y]));
    expect(statuses(third.items)).toEqual([
      ['x', 'ongoing', 'job-1', at(10)],
      ['y', 'new', 'job-3', at(30)],
    ]);
    expect(third.counts).toEqual({ new: 1, resolved: 1, acknowledged: 0 });
    expect((await store.listResolvedDrift({ job_id: 'job-3' }, undefined, 10)).map((r) => r.item.id)).toEqual(['z']);
    expect(
      (await store.trackDrift(part('job-4', at(40), [], ['r-a', 'r-b'], { resolves: false }))).counts.resolved,
    ).toBe(0);
    expect(statuses((await store.trackDrift(part('job-5', at(50), [x, y]))).items)).toEqual([
      ['x', 'ongoing', 'job-1', at(10)],
      ['y', 'ongoing', 'job-3', at(30)],
    ]);
  });

  it("files the parts of an account's analysis apart, reading only their own tracks, and resolves once all are in: what no part reported, where the job looked, counted the same when run again", async () => {
    const store = current();
    const [x, y, z, w] = [
      item('changed', 'x', 'r-a'),
      item('missing', 'y', 'r-a'),
      item('unmanaged', 'z', 'r-b'),
      item('unmanaged', 'w', 'r-c'),
    ];
    await store.trackDrift(part('job-1', at(10), [x, y, z, w], ['r-a', 'r-b', 'r-c']));
    // Job 2 sees x in one part and z in another; y is gone from r-a, w from r-c, which it did not cover.
    const first = await store.fileDrift(part('job-2', at(20), [x]));
    const second = await store.fileDrift(part('job-2', at(20), [z]));
    expect([...first.items, ...second.items].map((i) => [i.id, i.status])).toEqual([
      ['x', 'ongoing'],
      ['z', 'ongoing'],
    ]);
    expect([first.counts, second.counts]).toEqual([
      { new: 0, resolved: 0, acknowledged: 0 },
      { new: 0, resolved: 0, acknowledged: 0 },
    ]);
    // Filing resolves nothing, whatever the other parts hold.
    expect(await store.listResolvedDrift({ job_id: 'job-2' }, undefined, 10)).toEqual([]);
    const resolution = { ...part('job-2', at(20), []) };
    expect(await store.resolveDrift(resolution)).toBe(1);
    expect(await store.resolveDrift(resolution)).toBe(1);
    expect((await store.listResolvedDrift({ job_id: 'job-2' }, undefined, 10)).map((r) => r.item.id)).toEqual(['y']);
    expect(await store.resolveDrift({ ...part('job-3', at(30), []), resolves: false })).toBe(0);
    expect((await store.fileDrift(part('job-3', at(30), [y]))).items.map((i) => [i.id, i.status])).toEqual([
      ['y', 'new'],
    ]);
  });

  it('lists what a job resolved with the last item body, filtered and paged', async () => {
    const store = current();
    const gone = [
      item('changed', 'a', 'r-a', 'v1'),
      item('unmanaged', 'b', 'r-b', 'x', { severity: 'low', score: 10 }),
      item('missing', 'c', 'r-a'),
    ];
    await store.trackDrift(part('job-1', at(10), gone));
    // A job that covered nowhere updates a's body and resolves nothing.
    await store.trackDrift(part('job-1b', at(15), [item('changed', 'a', 'r-a', 'v2')], []));
    await store.trackDrift(part('job-2', at(20), []));
    const pages: string[] = [];
    for (let after: [string, string, string] | undefined; ; ) {
      const page = await store.listResolvedDrift({ job_id: 'job-2' }, after, 1);
      pages.push(...page.map((p) => p.item.id));
      if (page.length < 1) break;
      after = page.at(-1)!.cursor;
    }
    expect(pages).toEqual(['a', 'c', 'b']);
    const [a] = await store.listResolvedDrift({ job_id: 'job-2', kind: 'changed' }, undefined, 10);
    expect(a!.item).toMatchObject({
      id: 'a',
      status: 'resolved',
      changes: [{ actual: 'v2' }],
      first_seen_job: 'job-1',
    });
    const ids = async (filter: Omit<Parameters<Store['listResolvedDrift']>[0], 'job_id'>) =>
      (await store.listResolvedDrift({ job_id: 'job-2', ...filter }, undefined, 10)).map((r) => r.item.id);
    expect(await ids({ region: 'r-a' })).toEqual(['a', 'c']);
    expect(await ids({ severity: 'low' })).toEqual(['b']);
    expect(await ids({ min_score: 20 })).toEqual(['a', 'c']);
    expect(await ids({ tf_type: 'aws_vpc' })).toEqual([]);
    expect(await ids({ account: 'acct-9' })).toEqual([]);
  });

  it('acknowledges an open item for its current changes: silenced until they differ or until passes, never counted new', async () => {
    const store = current();
    const x = item('changed', 'x', 'r-a', 'big');
    const m = item('missing', 'm', 'r-a');
    await store.trackDrift(part('job-1', at(10), [x, m]));
    expect(
      await store.acknowledgeDrift(DEFAULT_TENANT, {
        resource_key: 'aws|acct-1|r-a|AWS::EC2::Instance|nope',
        reason: 'r',
        until: null,
        at: at(11),
      }),
    ).toBeNull();
    const ack = { resource_key: x.resource_key!, reason: 'planned resize', until: null, at: at(11) };
    expect(await store.acknowledgeDrift(DEFAULT_TENANT, ack)).toEqual(ack);
    expect(
      await store.acknowledgeDrift(DEFAULT_TENANT, {
        resource_key: m.address,
        reason: 'decommissioning',
        until: at(40),
        at: at(12),
      }),
    ).toMatchObject({ until: at(40) });

    const second = await store.trackDrift(part('job-2', at(20), [x, m], ['r-b']));
    expect(second.items.map((i) => i.acknowledged)).toEqual([
      { reason: 'planned resize', until: null, at: at(11) },
      { reason: 'decommissioning', until: at(40), at: at(12) },
    ]);
    expect(second.counts).toEqual({ new: 0, resolved: 0, acknowledged: 2 });
    // Past `until` the missing one speaks again.
    expect(
      (await store.trackDrift(part('job-3', at(41), [x, m], ['r-b']))).items.map((i) => i.acknowledged?.reason),
    ).toEqual(['planned resize', undefined]);

    // Gone and back with the same changes: new, but acknowledged, so not counted as new.
    await store.trackDrift(part('job-4', at(50), [m]));
    const back = await store.trackDrift(part('job-5', at(60), [x, m], ['r-b']));
    expect(statuses(back.items)[0]).toEqual(['x', 'new', 'job-5', at(60)]);
    expect(back.counts).toEqual({ new: 0, resolved: 0, acknowledged: 1 });

    // Its changes differ: the acknowledgement is over, even if they change back.
    const bigger = item('changed', 'x', 'r-a', 'bigger');
    expect(
      (await store.trackDrift(part('job-6', at(70), [bigger, m], ['r-b']))).items[0]!.acknowledged,
    ).toBeUndefined();
    expect((await store.trackDrift(part('job-7', at(80), [x, m], ['r-b']))).items[0]!.acknowledged).toBeUndefined();
    // A resolved item is not open: there is nothing to acknowledge.
    await store.trackDrift(part('job-8', at(90), [m]));
    expect(await store.acknowledgeDrift(DEFAULT_TENANT, ack)).toBeNull();
  });

  it("keeps each tenant's drift in one account apart: its own history, and acknowledgements that find and silence its own items only", async () => {
    const store = current();
    const x = item('changed', 'x', 'r-a', 'big');
    const y = item('unmanaged', 'y', 'r-a');
    const other = (job: string, asOf: string, items: DriftItem[]) =>
      part(job, asOf, items, undefined, { tenant: 't-2' });
    await store.trackDrift(part('job-1', at(10), [x]));
    // The other tenant's first sighting is new to it, and its job resolves nothing of the default tenant's.
    const seen = await store.trackDrift(other('job-t2', at(20), [y]));
    expect(statuses(seen.items)).toEqual([['y', 'new', 'job-t2', at(20)]]);
    expect(seen.counts.resolved).toBe(0);
    // Only the default tenant has x open: the other tenant cannot acknowledge it.
    const ack = { resource_key: x.resource_key!, reason: 'planned resize', until: null, at: at(21) };
    expect(await store.acknowledgeDrift('t-2', ack)).toBeNull();
    expect(await store.acknowledgeDrift(DEFAULT_TENANT, ack)).toEqual(ack);
    // The other tenant now sees x too: new for it, and not silenced by the default tenant's acknowledgement.
    const both = await store.trackDrift(other('job-t2b', at(30), [x, y]));
    expect(both.items.map((i) => [i.id, i.status, i.acknowledged?.reason])).toEqual([
      ['x', 'new', undefined],
      ['y', 'ongoing', undefined],
    ]);
    const mine = await store.trackDrift(part('job-2', at(40), [x]));
    expect(mine.items.map((i) => [i.id, i.status, i.first_seen_job, i.acknowledged?.reason])).toEqual([
      ['x', 'ongoing', 'job-1', 'planned resize'],
    ]);
    // The other tenant's changed x drops its own (stale) acknowledgement only, never the default tenant's.
    await store.acknowledgeDrift('t-2', { ...ack, reason: 'theirs' });
    await store.trackDrift(other('job-t2c', at(50), [item('changed', 'x', 'r-a', 'bigger')]));
    expect((await store.trackDrift(part('job-3', at(60), [x]))).items[0]!.acknowledged?.reason).toBe('planned resize');
  });

  it("filters a job's saved items by status and acknowledgement", async () => {
    const store = current();
    const [x, y] = [item('changed', 'x', 'r-a'), item('unmanaged', 'y', 'r-a')];
    await store.trackDrift(part('job-1', at(10), [x]));
    await store.acknowledgeDrift(DEFAULT_TENANT, {
      resource_key: x.resource_key!,
      reason: 'known',
      until: null,
      at: at(11),
    });
    const tracked = await store.trackDrift(part('job-2', at(20), [x, y]));
    await store.saveDriftItems('job-2', 0, tracked.items);
    const ids = async (filter: Omit<Parameters<Store['listDriftItems']>[0], 'job_id'>) =>
      (await store.listDriftItems({ job_id: 'job-2', ...filter }, -1, 10)).map((r) => r.item.id);
    expect(await ids({ status: 'new' })).toEqual(['y']);
    expect(await ids({ status: 'ongoing' })).toEqual(['x']);
    expect(await ids({ acknowledged: false })).toEqual(['y']);
    expect(await ids({ acknowledged: true })).toEqual(['x']);
    expect(await ids({ status: 'new', acknowledged: true })).toEqual([]);
  });

  it('prunes the tracks of drift resolved before a time with the old detail, keeping open ones', async () => {
    const store = current();
    await store.trackDrift(part('job-1', at(10), [item('unmanaged', 'old', 'r-a'), item('unmanaged', 'open', 'r-a')]));
    await store.trackDrift(part('job-2', at(20), [item('unmanaged', 'open', 'r-a')]));
    await store.pruneDriftDetail(at(19));
    expect(await store.listResolvedDrift({ job_id: 'job-2' }, undefined, 10)).toHaveLength(1);
    await store.pruneDriftDetail(at(21));
    expect(await store.listResolvedDrift({ job_id: 'job-2' }, undefined, 10)).toEqual([]);
    expect(statuses((await store.trackDrift(part('job-3', at(30), [item('unmanaged', 'open', 'r-a')]))).items)).toEqual(
      [['open', 'ongoing', 'job-1', at(10)]],
    );
  });

  it('reads summaries stored before the lifecycle counts existed with those counts at 0', async () => {
    const store = current();
    const { new: _n, resolved: _r, acknowledged: _a, ...older } = summary(1, 0, 0);
    await store.saveAnalysisSummary({
      job_id: 'job-old',
      provider: 'aws',
      summary: older as DriftSummary,
      duplicates: [],
      completed_at: at(1),
    });
    expect((await store.getAnalysis('job-old'))!.summary).toEqual(summary(1, 0, 0));
    expect((await store.latestAnalyses())[0]!.summary).toMatchObject({ new: 0, resolved: 0, acknowledged: 0 });
  });
}
