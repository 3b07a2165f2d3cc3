import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type { DriftItem } from '../engine/index.js';
import { changeFingerprint, itemKeyOf, planLifecycle, type TrackState } from './drift-lifecycle.js';
import type { DriftPart } from './store.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

const x: DriftItem = {
  kind: 'unmanaged',
  address: 'aws_instance.x',
  tf_type: 'aws_instance',
  cloud_type: 'AWS::EC2::Instance',
  provider: 'aws',
  account: 'a',
  region: 'r',
  id: 'x',
  resource_key: 'aws|a|r|AWS::EC2::Instance|x',
  changes: [],
  severity: 'low',
  score: 1,
  rules: [],
  cost: null,
};

function part(job_id: string, as_of: string, items: DriftItem[]): DriftPart {
  return {
    tenant: DEFAULT_TENANT,
    job_id,
    provider: 'aws',
    account: 'a',
    as_of,
    scopes: [{ provider: 'aws', account: 'a', type: 'AWS::EC2::Instance', regions: ['r'] }],
    resolves: true,
    items,
    now: as_of,
  };
}

function track(overrides: Partial<TrackState>): TrackState {
  return {
    itemKey: itemKeyOf(x),
    cloudType: 'AWS::EC2::Instance',
    region: 'r',
    firstSeenJob: 'job-1',
    firstSeenAt: at(10),
    lastSeenAt: at(10),
    resolvedJob: null,
    resolvedAt: null,
    ...overrides,
  };
}

const plan = (p: DriftPart, tracks: TrackState[]) =>
  planLifecycle(
    p,
    tracks,
    new Map(),
    p.items.map(() => 'fp'),
  );

describe('drift lifecycle across overlapping jobs of one account', () => {
  it('a job that started before the job that last saw an item neither rewrites its track nor resolves it', () => {
    const seenLater = [track({ firstSeenJob: 'job-2', firstSeenAt: at(20), lastSeenAt: at(20) })];
    const older = plan(part('job-1', at(10), [x]), seenLater);
    expect(older.writes).toEqual([]);
    expect(older.items[0]).toMatchObject({ status: 'ongoing', first_seen_job: 'job-2' });
    expect(plan(part('job-1', at(10), []), seenLater).resolve).toEqual([]);
  });

  it('an item resolved by a job that started later stays resolved when an older job still saw it', () => {
    const resolvedLater = [track({ resolvedJob: 'job-3', resolvedAt: at(30) })];
    expect(plan(part('job-2', at(20), [x]), resolvedLater).writes).toEqual([]);
    const after = plan(part('job-4', at(40), [x]), resolvedLater);
    expect(after.writes.map((w) => [w.fj, w.fa, w.lj])).toEqual([['job-4', at(40), 'job-4']]);
    expect(after.items[0]!.status).toBe('new');
  });

  it('one track per item key however often a part reports it', () => {
    const twice = plan(part('job-1', at(10), [x, { ...x, severity: 'high' }]), []);
    expect(twice.writes).toHaveLength(1);
    expect(twice.writes[0]!.item.severity).toBe('high');
  });
});

describe('change fingerprint', () => {
  it('depends on the kind and the changes, not on the order of object keys', async () => {
    const changed: DriftItem = {
      ...x,
      kind: 'changed',
      changes: [{ path: 'tags', expected: { a: 1, b: 2 }, actual: { a: 1 } }],
    };
    const reordered: DriftItem = {
      ...changed,
      changes: [{ actual: { a: 1 }, path: 'tags', expected: { b: 2, a: 1 } }],
      score: 99,
    };
    expect(await changeFingerprint(reordered)).toBe(await changeFingerprint(changed));
    expect(await changeFingerprint({ ...changed, kind: 'unmanaged' })).not.toBe(await changeFingerprint(changed));
    expect(
      await changeFingerprint({ ...changed, changes: [{ path: 'tags', expected: { a: 1, b: 3 }, actual: { a: 1 } }] }),
    ).not.toBe(await changeFingerprint(changed));
  });
});
