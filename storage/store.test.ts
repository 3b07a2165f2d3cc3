import { beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '../contract/job.js';
import { type DiscoveredResource, type Provider, resourceKey } from '../contract/resource.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type { DriftItem, ParsedState, StateInstance } from '../engine/index.js';
import { accessCases } from '../test/support/worker/store-access.js';
import { importCases } from '../test/support/worker/store-imports.js';
import { lifecycleCases } from '../test/support/worker/store-lifecycle.js';
import { notificationCases } from '../test/support/worker/store-notifications.js';
import { partCases } from '../test/support/worker/store-parts.js';
import { readVersionCases } from '../test/support/worker/store-read-version.js';
import { sightingCases } from '../test/support/worker/store-sightings.js';
import { stateSourceCases } from '../test/support/worker/store-state-sources.js';
import {
  allPages,
  at,
  d1,
  driftItem,
  type Harness,
  keysOf,
  postgres,
  report,
  resource,
  sightAndMerge,
  sortedKeys,
  testEnv,
} from '../test/support/worker/stores.js';
import { DRIFT_PART_SPAN, type ResourceCount, type Store, type StoredResource } from './store.js';
import { saveWholeAnalysis } from './whole-analysis.js';

function jobSpec(job_id: string, provider: Provider, accounts: string[]): JobSpec {
  return {
    job_id,
    provider,
    accounts,
    regions: ['r1'],
    resource_types: ['T'],
    mode: 'full',
    sharding: { type: 'region', shard_size: 10 },
  };
}

/** 2 providers × 2 accounts × 2 regions × 2 types × 3 ids, split over two jobs. */
const ESTATE: { job: string; resource: DiscoveredResource }[] = (['aws', 'gcp'] as const).flatMap((provider) =>
  ['acct-1', 'acct-2'].flatMap((account) =>
    ['r-a', 'r-b'].flatMap((region) =>
      ['T1', 'T2'].flatMap((type) =>
        [0, 1, 2].map((n) => ({
          job: n === 0 ? 'job-b' : 'job-a',
          resource: resource(provider, account, region, type, `${type}-${region}-${n}`),
        })),
      ),
    ),
  ),
);

async function seedEstate(store: Store): Promise<void> {
  await sightAndMerge(
    store,
    ['job-a', 'job-b'].map((job_id) => ({
      job_id,
      resources: ESTATE.filter((e) => e.job === job_id).map((e) => e.resource),
    })),
    at(1),
  );
}

function instance(address: string, tfType: string, id: string): StateInstance {
  return {
    source: 'main.tfstate',
    address,
    tfType,
    name: address.split('.').at(-1)!,
    provider: 'provider["aws"]',
    tainted: false,
    attributes: { id },
  };
}

function parsedState(source: string, serial: number, instances: StateInstance[]): ParsedState {
  return { source, version: 4, terraformVersion: '1.9.0', serial, lineage: 'lin-1', instances, dataSourcesSkipped: 1 };
}

/**
 * The one storage suite, run on D1 and on Postgres. Long on purpose: every Store method's
 * behaviour is asserted here once, so the two adapters cannot drift apart.
 */
function describeStore(name: string, harness: Harness) {
  describe(name, () => {
    let store: Store;
    beforeEach(async () => {
      store = harness.store();
      await harness.reset();
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('indexes jobs, pages them newest first and filters by status and provider', async () => {
      await store.indexJob(jobSpec('job-1', 'aws', ['a1', 'a2']), at(1));
      await store.indexJob(jobSpec('job-2', 'aws', ['a1']), at(2));
      await store.indexJob({ ...jobSpec('job-3', 'azure', ['a1']), schedule_id: 'sch_1' }, at(2));
      await store.indexJob(jobSpec('job-4', 'aws', ['a2']), at(3));
      await store.updateJobIndex({
        job_id: 'job-4',
        status: 'completed',
        shards_total: 6,
        shards_succeeded: 4,
        shards_failed: 1,
        shards_cancelled: 1,
        resources_discovered: 42,
        updated_at: at(9),
        finished_at: at(9),
        error: null,
      });

      const all = await store.listJobs({ limit: 10 });
      expect(all.map((j) => j.job_id)).toEqual(['job-4', 'job-3', 'job-2', 'job-1']);
      expect(all[0]).toMatchObject({
        status: 'completed',
        provider: 'aws',
        accounts: ['a2'],
        regions: ['r1'],
        resource_types: ['T'],
        mode: 'full',
        sharding: { type: 'region', shard_size: 10 },
        created_at: at(3),
        updated_at: at(9),
        finished_at: at(9),
        error: null,
        counts: {
          shards_total: 6,
          shards_succeeded: 4,
          shards_failed: 1,
          shards_cancelled: 1,
          shards_pending: 0,
          resources_discovered: 42,
        },
      });
      const first = await store.listJobs({ limit: 2 });
      const last = first.at(-1)!;
      const second = await store.listJobs({ limit: 2, after: [last.created_at, last.job_id] });
      expect([...first, ...second].map((j) => j.job_id)).toEqual(['job-4', 'job-3', 'job-2', 'job-1']);
      expect((await store.listJobs({ limit: 10, status: 'pending', provider: 'aws' })).map((j) => j.job_id)).toEqual([
        'job-2',
        'job-1',
      ]);
      expect((await store.listJobs({ limit: 10, provider: 'azure' })).map((j) => j.job_id)).toEqual(['job-3']);
      expect(all.map((j) => j.schedule_id)).toEqual([null, 'sch_1', null, null]);

      expect(await store.jobExists('job-2')).toBe(true);
      expect(await store.jobExists('job-9')).toBe(false);
      expect(await store.openJobsForAccount('aws', 'a1', 'default')).toEqual(['job-1', 'job-2']);
      expect(await store.openJobsForAccount('aws', 'a2', 'default')).toEqual(['job-1']);
    });

    it("keeps each tenant's jobs to that tenant: lists, lookups and an account's open jobs", async () => {
      await store.indexJob(jobSpec('job-d', 'aws', ['a1']), at(1));
      await store.indexJob({ ...jobSpec('job-t', 'aws', ['a1']), tenant_id: 'team-t' }, at(2));
      const ids = async (tenant?: string) => (await store.listJobs({ limit: 10, tenant })).map((j) => j.job_id);
      expect(await ids('default')).toEqual(['job-d']);
      expect(await ids('team-t')).toEqual(['job-t']);
      expect(await ids('team-u')).toEqual([]);
      expect(await ids()).toEqual(['job-t', 'job-d']);
      expect(await store.jobExists('job-t', 'team-t')).toBe(true);
      expect(await store.jobExists('job-t', 'default')).toBe(false);
      expect(await store.jobExists('job-d', 'team-t')).toBe(false);
      expect(await store.jobExists('job-t')).toBe(true);
      expect(await store.openJobsForAccount('aws', 'a1', 'default')).toEqual(['job-d']);
      expect(await store.openJobsForAccount('aws', 'a1', 'team-t')).toEqual(['job-t']);
    });

    it('records agents and lists the accounts seen since a time', async () => {
      await store.recordAgent('aws', 'acct-2', 'agent-x', at(1), 'default');
      await store.recordAgent('aws', 'acct-1', 'agent-x', at(1), 'default');
      await store.recordAgent('aws', 'acct-1', 'agent-y', at(2), 'default');
      await store.recordAgent('gcp', 'proj-1', 'agent-z', at(5), 'default');
      expect(await store.accountsSeenSince('aws', at(0))).toEqual(['acct-1', 'acct-2']);
      expect(await store.accountsSeenSince('aws', at(2))).toEqual(['acct-1']);
      await store.recordAgent('aws', 'acct-2', 'agent-x', at(6), 'default');
      expect(await store.accountsSeenSince('aws', at(6))).toEqual(['acct-2']);
      expect(await store.accountsSeenSince('gcp', at(6))).toEqual([]);
    });

    it('knows accounts per tenant: the same agent of the same account counts for each tenant apart', async () => {
      await store.recordAgent('aws', 'acct-1', 'agent-x', at(1), 'default');
      await store.recordAgent('aws', 'acct-2', 'agent-x', at(1), 'team-t');
      await store.recordAgent('aws', 'acct-1', 'agent-x', at(2), 'team-t');
      expect(await store.accountsSeenSince('aws', at(0), 'default')).toEqual(['acct-1']);
      expect(await store.accountsSeenSince('aws', at(0), 'team-t')).toEqual(['acct-1', 'acct-2']);
      expect(await store.accountsSeenSince('aws', at(0), 'team-u')).toEqual([]);
      expect(await store.accountsSeenSince('aws', at(2), 'default')).toEqual([]);
    });

    sightingCases(() => store);
    partCases(() => store, harness.exec);

    it('drops resources no job has seen since a time, and only those', async () => {
      await sightAndMerge(
        store,
        [
          {
            job_id: 'job-a',
            resources: [
              resource('aws', 'acct-1', 'r-a', 'T1', 'old-1'),
              resource('aws', 'acct-1', 'r-a', 'T1', 'old-2'),
            ],
          },
        ],
        at(1),
      );
      await sightAndMerge(
        store,
        [{ job_id: 'job-b', resources: [resource('aws', 'acct-1', 'r-a', 'T1', 'new-1')] }],
        at(5),
      );
      expect(await store.pruneStaleResources(at(3))).toBe(2);
      expect((await store.listResources({ tenant: DEFAULT_TENANT, limit: 10 })).map((r) => r.id)).toEqual(['new-1']);
      expect(await store.pruneStaleResources(at(3))).toBe(0);
    });

    it('restores exported rows exactly, sightings included', async () => {
      await seedEstate(store);
      const exported = await allPages(store, { tenant: DEFAULT_TENANT, limit: 17 });
      const restored: StoredResource[] = exported.map((r, i) => ({
        ...r,
        first_seen_job: `old-${i % 3}`,
        last_seen_at: at(30 + (i % 5)),
      }));
      await harness.reset();
      await store.restoreResources(DEFAULT_TENANT, restored.slice(0, 10));
      await store.restoreResources(DEFAULT_TENANT, restored);
      expect(await allPages(store, { tenant: DEFAULT_TENANT, limit: 1000 })).toEqual(restored);
    });

    it('lists with each filter and walks every page in key order', async () => {
      await seedEstate(store);
      const resources = ESTATE.map((e) => e.resource);
      const filters: [Parameters<Store['listResources']>[0], (r: DiscoveredResource, job: string) => boolean][] = [
        [{ tenant: DEFAULT_TENANT, limit: 5 }, () => true],
        [{ tenant: DEFAULT_TENANT, limit: 5, provider: 'gcp' }, (r) => r.provider === 'gcp'],
        [{ tenant: DEFAULT_TENANT, limit: 5, account: 'acct-2' }, (r) => r.account === 'acct-2'],
        [{ tenant: DEFAULT_TENANT, limit: 5, region: 'r-b' }, (r) => r.region === 'r-b'],
        [{ tenant: DEFAULT_TENANT, limit: 5, type: 'T2' }, (r) => r.type === 'T2'],
        [{ tenant: DEFAULT_TENANT, limit: 5, job_id: 'job-b' }, (_, job) => job === 'job-b'],
        [
          { tenant: DEFAULT_TENANT, limit: 3, provider: 'aws', account: 'acct-1', region: 'r-a', type: 'T1' },
          (r) => r.provider === 'aws' && r.account === 'acct-1' && r.region === 'r-a' && r.type === 'T1',
        ],
      ];
      for (const [query, keep] of filters) {
        expect(keysOf(await allPages(store, query)), JSON.stringify(query)).toEqual(
          sortedKeys(ESTATE.filter((e) => keep(e.resource, e.job)).map((e) => e.resource)),
        );
      }
      // The job's own sightings, merged and still there: each resource as the job saw it.
      const inventory = await store.loadInventory('job-a', 'acct-2');
      expect(inventory.map((r) => resourceKey(r))).toEqual(
        sortedKeys(ESTATE.filter((e) => e.job === 'job-a' && e.resource.account === 'acct-2').map((e) => e.resource)),
      );
      const byKey = new Map(resources.map((r) => [resourceKey(r), r]));
      for (const r of inventory) expect(r).toEqual(byKey.get(resourceKey(r)));
    });

    it('counts resources per scope exactly as an independent count does, after a refresh', async () => {
      await seedEstate(store);
      await store.refreshResourceCounts();
      const expected = new Map<string, ResourceCount>();
      for (const { resource: r } of ESTATE) {
        const k = [r.provider, r.account, r.region, r.type].join('|');
        const c = expected.get(k) ?? {
          provider: r.provider,
          account: r.account,
          region: r.region,
          type: r.type,
          count: 0,
        };
        expected.set(k, { ...c, count: c.count + 1 });
      }
      const independent = [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
      expect(await store.resourceCounts()).toEqual(independent);

      await sightAndMerge(
        store,
        [{ job_id: 'job-c', resources: [resource('azure', 'sub-1', 'westeurope', 'T1', 'new')] }],
        at(5),
      );
      expect(await store.resourceCounts()).toEqual(independent);
      await store.refreshResourceCounts();
      expect(await store.resourceCounts()).toEqual(
        [...independent, { provider: 'azure', account: 'sub-1', region: 'westeurope', type: 'T1', count: 1 }].sort(
          (a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0),
        ),
      );
    });

    it("keeps an inventory per tenant: a job's sightings merge into its own tenant's, even of an account both scan", async () => {
      await store.indexJob(jobSpec('job-d', 'aws', ['acct-1']), at(1));
      await store.indexJob({ ...jobSpec('job-t', 'aws', ['acct-1']), tenant_id: 'team-t' }, at(1));
      const shared = resource('aws', 'acct-1', 'r-a', 'T1', 'shared', 8);
      await sightAndMerge(
        store,
        [{ job_id: 'job-d', resources: [shared, resource('aws', 'acct-1', 'r-a', 'T1', 'only-d')] }],
        at(2),
      );
      // A later, different sighting by the other tenant's job leaves the default tenant's row as it was.
      await sightAndMerge(store, [{ job_id: 'job-t', resources: [{ ...shared, attributes: { Size: 99 } }] }], at(3));
      const listed = async (tenant: string) =>
        (await store.listResources({ tenant, limit: 10 })).map((r) => [r.id, r.last_seen_job, r.attributes.Size]);
      expect(await listed(DEFAULT_TENANT)).toEqual([
        ['only-d', 'job-d', 8],
        ['shared', 'job-d', 8],
      ]);
      expect(await listed('team-t')).toEqual([['shared', 'job-t', 99]]);
      expect(await listed('team-x')).toEqual([]);
      // A job's listing joins its own tenant's rows only.
      expect((await store.listResources({ tenant: 'team-t', job_id: 'job-d', limit: 10 })).length).toBe(0);
      expect((await store.resourcesByKey('team-t', [resourceKey(shared)])).map((r) => r.attributes)).toEqual([
        { Size: 99 },
      ]);
      expect(await store.resourcesByKey('team-x', [resourceKey(shared)])).toEqual([]);

      await store.refreshResourceCounts();
      const scope = { provider: 'aws', account: 'acct-1', region: 'r-a', type: 'T1' };
      expect(await store.resourceCounts(DEFAULT_TENANT)).toEqual([{ ...scope, count: 2 }]);
      expect(await store.resourceCounts('team-t')).toEqual([{ ...scope, count: 1 }]);
      // The deployment's count (metrics) sums the tenants' rows of a scope.
      expect(await store.resourceCounts()).toEqual([{ ...scope, count: 3 }]);

      // A restore writes into the restoring tenant only.
      const [row] = await store.listResources({ tenant: 'team-t', limit: 10 });
      await store.restoreResources('team-x', [{ ...row!, attributes: { Size: 1 } }]);
      expect(await listed('team-x')).toEqual([['shared', 'job-t', 1]]);
      expect(await listed('team-t')).toEqual([['shared', 'job-t', 99]]);
      expect((await listed(DEFAULT_TENANT)).length).toBe(2);
    });

    it('imports states, activates the new version, supersedes the old and survives a failed import', async () => {
      const v1 = [instance('aws_instance.web', 'aws_instance', 'i-1'), instance('aws_vpc.main', 'aws_vpc', 'vpc-1')];
      const saved = await store.saveStates(DEFAULT_TENANT, 'default', [
        parsedState('main.tfstate', 1, v1),
        parsedState('net.tfstate', 7, []),
      ]);
      expect(saved.map((s) => [s.name, s.instances, s.serial])).toEqual([
        ['main.tfstate', 2, 1],
        ['net.tfstate', 0, 7],
      ]);
      expect(await store.listActiveStates(DEFAULT_TENANT)).toEqual(saved);
      expect(await store.loadActiveStates({ tenant: DEFAULT_TENANT })).toEqual([
        parsedState('main.tfstate', 1, v1),
        parsedState('net.tfstate', 7, []),
      ]);
      expect(
        (await store.loadActiveStates({ tenant: DEFAULT_TENANT, tfTypes: new Set(['aws_vpc']) }))[0]!.instances,
      ).toEqual([v1[1]]);

      await store.saveStates(DEFAULT_TENANT, 'prod', [parsedState('main.tfstate', 1, v1)]);
      const v2 = [instance('aws_instance.api', 'aws_instance', 'i-2')];
      const [next] = await store.saveStates(DEFAULT_TENANT, 'default', [parsedState('main.tfstate', 2, v2)]);
      const active = await store.listActiveStates(DEFAULT_TENANT);
      expect(active.map((s) => [s.workspace, s.name, s.serial])).toEqual([
        ['default', 'main.tfstate', 2],
        ['default', 'net.tfstate', 7],
        ['prod', 'main.tfstate', 1],
      ]);
      expect(active[0]!.state_id).toBe(next!.state_id);
      const loaded = await store.loadActiveStates({ tenant: DEFAULT_TENANT, tfTypes: new Set(['aws_instance']) });
      expect(loaded.map((s) => [s.source, s.instances.map((i) => i.address)])).toEqual([
        ['main.tfstate', ['aws_instance.api']],
        ['net.tfstate', []],
        ['prod/main.tfstate', ['aws_instance.web']],
      ]);

      // A value JSON cannot carry fails the import after its state rows were written.
      const broken = { ...instance('aws_instance.bad', 'aws_instance', 'i-3'), attributes: { size: 1n } };
      await expect(
        store.saveStates(DEFAULT_TENANT, 'default', [parsedState('main.tfstate', 3, [broken])]),
      ).rejects.toThrow();
      expect(await store.listActiveStates(DEFAULT_TENANT)).toEqual(active);
      expect(await store.loadActiveStates({ tenant: DEFAULT_TENANT, tfTypes: new Set(['aws_instance']) })).toEqual(
        loaded,
      );
    });

    it('saves, replaces, filters and pages drift items', async () => {
      const items = Array.from({ length: 24 }, (_, n) => driftItem(n));
      await saveWholeAnalysis(store, 'job-1', 'aws', report(items), at(10));
      const all = await store.listDriftItems({ job_id: 'job-1' }, -1, 100);
      expect(all).toEqual(items.map((item, seq) => ({ seq, item })));

      const filters: [Omit<Parameters<Store['listDriftItems']>[0], 'job_id'>, (i: DriftItem) => boolean][] = [
        [{ kind: 'missing' }, (i) => i.kind === 'missing'],
        [{ severity: 'high' }, (i) => i.severity === 'high'],
        [{ min_score: 52.5 }, (i) => i.score >= 52.5],
        [{ tf_type: 'aws_vpc' }, (i) => i.tf_type === 'aws_vpc'],
        [{ account: 'acct-1' }, (i) => i.account === 'acct-1'],
        [{ region: 'r-b', kind: 'changed' }, (i) => i.region === 'r-b' && i.kind === 'changed'],
      ];
      for (const [filter, keep] of filters) {
        const pages: number[] = [];
        for (let after = -1; ; ) {
          const page = await store.listDriftItems({ job_id: 'job-1', ...filter }, after, 2);
          pages.push(...page.map((p) => p.seq));
          if (page.length < 2) break;
          after = page.at(-1)!.seq;
        }
        expect(pages, JSON.stringify(filter)).toEqual(items.flatMap((item, seq) => (keep(item) ? [seq] : [])));
      }

      const replacement = report(items.slice(0, 3));
      await saveWholeAnalysis(store, 'job-1', 'aws', replacement, at(11));
      expect(await store.loadReport('job-1')).toEqual({
        summary: replacement.summary,
        items: replacement.items,
        duplicates: replacement.duplicates,
      });
      expect(await store.getAnalysis('job-1')).toEqual({
        job_id: 'job-1',
        provider: 'aws',
        summary: replacement.summary,
        duplicates: replacement.duplicates,
        completed_at: at(11),
      });
      expect(await store.getAnalysis('job-9')).toBeNull();
      expect(await store.loadReport('job-9')).toBeNull();

      // An analysis done in parts (one per account): replacing one part leaves the other.
      await store.saveDriftItems('job-2', 0, items.slice(0, 2));
      await store.saveDriftItems('job-2', DRIFT_PART_SPAN, items.slice(2, 5));
      await store.saveDriftItems('job-2', 0, items.slice(5, 6));
      const parted = await store.listDriftItems({ job_id: 'job-2' }, -1, 100);
      expect(parted.map((p) => p.seq)).toEqual([0, DRIFT_PART_SPAN, DRIFT_PART_SPAN + 1, DRIFT_PART_SPAN + 2]);
      expect(parted.map((p) => p.item)).toEqual([items[5], items[2], items[3], items[4]]);
    });

    it("finds a tenant's latest analyses and trend window among its own jobs' only", async () => {
      await store.indexJob(jobSpec('job-d', 'aws', ['a1']), at(0));
      await store.indexJob({ ...jobSpec('job-t', 'aws', ['a1']), tenant_id: 'team-t' }, at(0));
      await saveWholeAnalysis(store, 'job-d', 'aws', report([driftItem(0)]), at(1));
      await saveWholeAnalysis(store, 'job-t', 'aws', report([]), at(2));
      expect((await store.latestAnalyses('default')).map((a) => a.job_id)).toEqual(['job-d']);
      expect((await store.latestAnalyses('team-t')).map((a) => a.job_id)).toEqual(['job-t']);
      expect(await store.latestAnalyses('team-u')).toEqual([]);
      expect(await store.latestAnalysedJob(undefined, 'default')).toBe('job-d');
      expect(await store.latestAnalysedJob('aws', 'team-t')).toBe('job-t');
      expect(await store.latestAnalysedJob(undefined, 'team-u')).toBeNull();
      expect((await store.analysesBetween(at(0), at(9), undefined, 'default')).map((a) => a.job_id)).toEqual(['job-d']);
      expect((await store.analysesBetween(at(0), at(9), 'aws', 'team-t')).map((a) => a.job_id)).toEqual(['job-t']);
      expect((await store.analysesBetween(at(0), at(9))).map((a) => a.job_id)).toEqual(['job-d', 'job-t']);
    });

    it('finds the latest analyses, the trend window, and prunes detail while keeping summaries', async () => {
      await saveWholeAnalysis(store, 'aws-old', 'aws', report([driftItem(0)]), at(1));
      await saveWholeAnalysis(store, 'gcp-only', 'gcp', report([driftItem(1)]), at(2));
      await saveWholeAnalysis(store, 'aws-new', 'aws', report([driftItem(2)]), at(3));
      await saveWholeAnalysis(store, 'azure-new', 'azure', report([]), at(4));

      expect((await store.latestAnalyses()).map((a) => a.job_id)).toEqual(['aws-new', 'azure-new', 'gcp-only']);
      expect(await store.latestAnalysedJob()).toBe('azure-new');
      expect(await store.latestAnalysedJob('gcp')).toBe('gcp-only');
      expect(await store.latestAnalysedJob('aws')).toBe('aws-new');

      expect((await store.analysesBetween(at(2), at(4))).map((a) => a.job_id)).toEqual([
        'gcp-only',
        'aws-new',
        'azure-new',
      ]);
      expect((await store.analysesBetween(at(0), at(3), 'aws')).map((a) => a.job_id)).toEqual(['aws-old', 'aws-new']);
      expect(await store.analysesBetween(at(5), at(9))).toEqual([]);

      expect((await store.pruneDriftDetail(at(3))).sort()).toEqual(['aws-old', 'gcp-only']);
      expect(await store.pruneDriftDetail(at(3))).toEqual([]);
      expect(await store.listDriftItems({ job_id: 'aws-old' }, -1, 10)).toEqual([]);
      expect(await store.listDriftItems({ job_id: 'aws-new' }, -1, 10)).toHaveLength(1);
      expect((await store.analysesBetween(at(0), at(9))).map((a) => [a.job_id, a.summary.changed])).toEqual([
        ['aws-old', 1],
        ['gcp-only', 0],
        ['aws-new', 0],
        ['azure-new', 0],
      ]);
      expect((await store.loadReport('aws-old'))?.items).toEqual([]);
    });

    it('keeps fingerprints per tenant and provider, updating those saved again', async () => {
      await store.saveFingerprints(DEFAULT_TENANT, 'aws', { 'aws_instance.a': 'f1', 'aws|k|r|T|i-1': 'f2' });
      await store.saveFingerprints(DEFAULT_TENANT, 'gcp', { 'aws_instance.a': 'g1' });
      await store.saveFingerprints(DEFAULT_TENANT, 'aws', { 'aws_instance.a': 'f3', 'aws_vpc.b': 'f4' });
      expect(await store.loadFingerprints(DEFAULT_TENANT, 'aws')).toEqual({
        'aws_instance.a': 'f3',
        'aws|k|r|T|i-1': 'f2',
        'aws_vpc.b': 'f4',
      });
      expect(await store.loadFingerprints(DEFAULT_TENANT, 'gcp')).toEqual({ 'aws_instance.a': 'g1' });
      expect(await store.loadFingerprints(DEFAULT_TENANT, 'azure')).toEqual({});
      // Another tenant's fingerprints of the same keys are its own baseline.
      await store.saveFingerprints('t-2', 'aws', { 'aws_instance.a': 'o1' });
      expect(await store.loadFingerprints('t-2', 'aws', ['aws_instance.a', 'aws_vpc.b'])).toEqual({
        'aws_instance.a': 'o1',
      });
      expect((await store.loadFingerprints(DEFAULT_TENANT, 'aws'))['aws_instance.a']).toBe('f3');
    });

    it('keeps the ignore rules, empty until set and replaced whole', async () => {
      expect(await store.getIgnoreRules(DEFAULT_TENANT)).toEqual({ driftignore: '', rules: [] });
      const rules = {
        driftignore: 'aws_instance.i-*\n!aws_instance.i-keep',
        rules: [{ type: 'aws_*', path: 'tags', when: { path: 'State.Name', equals: 'stopped' } }],
      };
      await store.putIgnoreRules(DEFAULT_TENANT, rules, at(1));
      expect(await store.getIgnoreRules(DEFAULT_TENANT)).toEqual(rules);
      // Each tenant keeps its own.
      expect(await store.getIgnoreRules('ten_other')).toEqual({ driftignore: '', rules: [] });
      await store.putIgnoreRules('ten_other', { driftignore: 'aws_vpc.*', rules: [] }, at(1));
      expect(await store.getIgnoreRules('ten_other')).toEqual({ driftignore: 'aws_vpc.*', rules: [] });
      expect(await store.getIgnoreRules(DEFAULT_TENANT)).toEqual(rules);
      await store.putIgnoreRules(DEFAULT_TENANT, { driftignore: '', rules: [] }, at(2));
      expect(await store.getIgnoreRules(DEFAULT_TENANT)).toEqual({ driftignore: '', rules: [] });
    });

    lifecycleCases(() => store);
    accessCases(() => store);
    importCases(() => store);
    notificationCases(() => store);
    readVersionCases(() => store);
    stateSourceCases(() => store);

    it('records dead letters once and reports operational counts', async () => {
      const letters = [
        { message_id: 'm1', queue: 'q', reason: 'bad', body: { kind: 'mystery' } },
        { message_id: 'm2', queue: 'q', reason: 'retries exhausted', body: { job_id: 'j' } },
      ];
      await store.recordDeadLetters(letters, at(1));
      await store.recordDeadLetters(letters, at(2));
      await store.indexJob(jobSpec('job-1', 'aws', ['a']), at(1));
      await store.indexJob(jobSpec('job-2', 'aws', ['a']), at(2));
      await store.updateJobIndex({
        job_id: 'job-2',
        status: 'running',
        shards_total: 6,
        shards_succeeded: 2,
        shards_failed: 1,
        shards_cancelled: 0,
        resources_discovered: 0,
        updated_at: at(3),
        finished_at: null,
        error: null,
      });
      await saveWholeAnalysis(store, 'job-x', 'aws', report([driftItem(0), driftItem(3)]), at(4));
      expect(await store.operationalCounts()).toEqual({
        jobs_by_status: { pending: 1, running: 1 },
        shards_open: 3,
        dead_letters: 2,
      });
    });
  });
}

describeStore('D1Store', d1);

// The Postgres half runs whenever a test database is configured, and always in CI.
if (testEnv.DRIFTMGR_TEST_PG_URL) describeStore('PgStore (Postgres through Hyperdrive)', postgres);
else if (testEnv.CI === 'true') {
  describe('PgStore (Postgres through Hyperdrive)', () => {
    it('has a test database in CI', () => {
      throw new Error('CI=true but DRIFTMGR_TEST_PG_URL is not set: .ci/run must export it');
    });
  });
} else {
  console.warn('PgStore suite skipped: DRIFTMGR_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
  describe.skip('PgStore (Postgres through Hyperdrive): skipped, DRIFTMGR_TEST_PG_URL is not set', () =>
    describeStore('PgStore', postgres));
}
