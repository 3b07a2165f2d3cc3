import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api } from '../test/support/worker/api.js';
import {
  complete,
  driftOf,
  finished,
  found,
  type HeldLease,
  importState,
  instance,
  kindsAndIds,
  leaseAll,
  scan,
  sendChunk,
  sightingsOf,
  startScan,
  volume,
} from '../test/support/worker/scan.js';
import worker from './index.js';
import { pruneOldDetail } from './retention.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

/** a[0], b[0], a[1], b[1], …: two jobs' calls taking turns. */
function alternate<T>(a: T[], b: T[]): T[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]])
    .flat()
    .filter((x): x is T => x !== undefined);
}

describe('each job sees exactly what it discovered', () => {
  it('two overlapping jobs of one account, sharded by region and by type, writing the same resources in turn, each report their own drift', async () => {
    const account = '310000000001';
    const web = instance(account, 'us-east-1', 'i-web', 't3.micro');
    const db = instance(account, 'eu-west-1', 'i-db', 't3.micro');
    const data = volume(account, 'us-east-1', 'vol-data', 100);
    const logs = volume(account, 'eu-west-1', 'vol-logs', 50);
    await importState('overlap', [web, db, data, logs, instance(account, 'eu-west-1', 'i-gone', 't3.micro')]);
    const seenByA = [
      instance(account, 'us-east-1', 'i-web', 't3.large'),
      db,
      data,
      logs,
      instance(account, 'us-east-1', 'i-stray-a', 't3.nano'),
    ];
    const seenByB = [
      web,
      db,
      volume(account, 'us-east-1', 'vol-data', 200),
      logs,
      volume(account, 'eu-west-1', 'vol-stray-b', 8),
    ];

    const a = await startScan({ account, regions: REGIONS, sharding: 'region' });
    const b = await startScan({ account, regions: REGIONS, sharding: 'resource-type' });
    const leases = await leaseAll(account);
    const [ofA, ofB] = [leases.filter((l) => l.job_id === a), leases.filter((l) => l.job_id === b)];
    // The two types of a region share its shard under either strategy; the jobs' calls still interleave.
    expect([ofA.length, ofB.length]).toEqual([2, 2]);
    const seen = (l: HeldLease) => found(l, l.job_id === a ? seenByA : seenByB);
    for (const lease of alternate(ofA, ofB)) await sendChunk(lease, seen(lease));
    // While the jobs run, each one's sightings are exactly what it saw.
    const attributesById = (rows: any[]) => Object.fromEntries(rows.map((r) => [r.id, r.attributes]));
    expect(attributesById(await sightingsOf(a, 5))).toEqual(attributesById(seenByA));
    expect(attributesById(await sightingsOf(b, 5))).toEqual(attributesById(seenByB));
    for (const lease of alternate(ofB, ofA)) await complete(lease, seen(lease).length);
    await finished(a);
    await finished(b);

    expect(kindsAndIds((await driftOf(a)).items)).toEqual(['changed:i-web', 'missing:i-gone', 'unmanaged:i-stray-a']);
    expect(kindsAndIds((await driftOf(b)).items)).toEqual([
      'changed:vol-data',
      'missing:i-gone',
      'unmanaged:vol-stray-b',
    ]);
    expect((await driftOf(a)).summary).toMatchObject({
      discovered_resources: 5,
      managed: 4,
      changed: 1,
      missing: 1,
      unmanaged: 1,
    });
    expect((await driftOf(b)).summary).toMatchObject({
      discovered_resources: 5,
      managed: 4,
      changed: 1,
      missing: 1,
      unmanaged: 1,
    });
    // Both analyses are recorded: no sighting is left behind.
    expect(
      await env.DB.prepare(`SELECT COUNT(*) AS n FROM job_resources WHERE job_id IN (?, ?)`).bind(a, b).first('n'),
    ).toBe(0);
  }, 60_000);

  it('the inventory holds the latest sighting of a resource whichever of two overlapping jobs finishes first', async () => {
    for (const [n, newerFinishesFirst] of [
      [2, true],
      [3, false],
    ] as const) {
      const account = `31000000000${n}`;
      const scope = { account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] };
      const older = await startScan(scope);
      const newer = await startScan(scope);
      const leases = await leaseAll(account);
      const leaseOf = (job: string) => leases.find((l) => l.job_id === job)!;
      await sendChunk(leaseOf(older), [instance(account, 'us-east-1', 'i-x', 't3.small')]);
      await sightingsOf(older, 1);
      await sendChunk(leaseOf(newer), [instance(account, 'us-east-1', 'i-x', 't3.large')]);
      await sightingsOf(newer, 1);
      for (const job of newerFinishesFirst ? [newer, older] : [older, newer]) {
        await complete(leaseOf(job), 1);
        await finished(job);
      }
      const listed = (await api('GET', `/api/v1/resources?account=${account}`)).body.resources;
      expect(listed.map((r: any) => [r.id, r.attributes.InstanceType, r.first_seen_job, r.last_seen_job])).toEqual([
        ['i-x', 't3.large', newerFinishesFirst ? newer : older, newer],
      ]);
      // The older job's own sighting lost to the newer one: it lists nothing of its own any more.
      expect((await api('GET', `/api/v1/resources?job_id=${older}`)).body.resources).toEqual([]);
    }
  }, 60_000);

  it('a rescan of an account reports exactly its own drift', async () => {
    const account = '310000000004';
    const managed = [instance(account, 'us-east-1', 'i-app', 't3.micro'), volume(account, 'eu-west-1', 'vol-app', 20)];
    await importState('rescan', managed);
    const first = await scan({ account, regions: REGIONS }, [
      instance(account, 'us-east-1', 'i-app', 't3.large'),
      managed[1]!,
    ]);
    const second = await scan({ account, regions: REGIONS }, [
      managed[0]!,
      volume(account, 'eu-west-1', 'vol-app', 40),
      volume(account, 'us-east-1', 'vol-new', 8),
    ]);
    expect(kindsAndIds((await driftOf(first)).items)).toEqual(['changed:i-app']);
    expect(kindsAndIds((await driftOf(second)).items)).toEqual(['changed:vol-app', 'unmanaged:vol-new']);
    expect((await driftOf(second)).summary).toMatchObject({
      discovered_resources: 3,
      in_sync: 1,
      changed: 1,
      missing: 0,
      unmanaged: 1,
      new: 2,
      resolved: 1,
    });
  }, 60_000);

  it('an analyze message redelivered after its part was recorded changes nothing', async () => {
    const account = '310000000005';
    const managed = [
      instance(account, 'us-east-1', 'i-kept', 't3.micro'),
      instance(account, 'us-east-1', 'i-lost', 't3.micro'),
    ];
    await importState('redelivery', managed);
    const jobId = await scan({ account, regions: ['us-east-1'] }, [
      instance(account, 'us-east-1', 'i-kept', 't3.large'),
      instance(account, 'us-east-1', 'i-odd', 't3.nano'),
    ]);
    const before = {
      drift: await driftOf(jobId),
      inventory: (await api('GET', `/api/v1/resources?account=${account}`)).body,
      job: (await api('GET', `/api/v1/jobs/${jobId}`)).body,
    };
    expect(kindsAndIds(before.drift.items)).toEqual(['changed:i-kept', 'missing:i-lost', 'unmanaged:i-odd']);

    const batch = createMessageBatch('driftmgr-results', [
      { id: 'analyze-again', timestamp: new Date(), attempts: 2, body: { kind: 'analyze', job_id: jobId, account } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['analyze-again']);

    expect(await driftOf(jobId)).toEqual(before.drift);
    expect((await api('GET', `/api/v1/resources?account=${account}`)).body).toEqual(before.inventory);
    expect((await api('GET', `/api/v1/jobs/${jobId}`)).body).toEqual(before.job);
  }, 30_000);

  it('the daily cron drops the sightings of a job cancelled before its analysis, once it ended more than a day ago', async () => {
    const account = '310000000006';
    const jobId = await startScan({ account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] });
    const [lease] = await leaseAll(account);
    await sendChunk(lease!, [instance(account, 'us-east-1', 'i-left', 't3.micro')]);
    expect(await sightingsOf(jobId, 1)).toHaveLength(1);
    expect((await api('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200);
    const left = () =>
      env.DB.prepare(`SELECT COUNT(*) AS n FROM job_resources WHERE job_id = ?`).bind(jobId).first('n');
    await pruneOldDetail(env);
    expect(await left()).toBe(1);
    expect((await pruneOldDetail(env, Date.now() + 25 * 3600 * 1000)).sightings).toBeGreaterThanOrEqual(1);
    expect(await left()).toBe(0);
  });
});
