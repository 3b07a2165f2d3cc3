import { describe, expect, it } from 'vitest';
import { api } from '../test/support/worker/api.js';
import { driftOf, importState, instance, kindsAndIds, scan, volume } from '../test/support/worker/scan.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

/** Items as `kind:id:status:first_seen_job`, sorted. */
const lifecycleOf = (items: any[]) => items.map((i) => `${i.kind}:${i.id}:${i.status}:${i.first_seen_job}`).sort();

describe('drift across scans of one account', () => {
  const account = '320000000001';
  const web = instance(account, 'us-east-1', 'i-web', 't3.micro');
  const data = volume(account, 'eu-west-1', 'vol-data', 100);
  const strayEast = instance(account, 'us-east-1', 'i-stray-east', 't3.nano');
  const strayEu = instance(account, 'eu-west-1', 'i-stray-eu', 't3.nano');
  const drifted = [instance(account, 'us-east-1', 'i-web', 't3.large'), data, strayEast, strayEu];
  const fixed = [web, data, strayEast, strayEu];
  const jobs: string[] = [];

  it('a first scan finds every item new; a second scan of the unchanged estate finds none new or resolved, every item ongoing', async () => {
    await importState('lifecycle', [web, data, instance(account, 'us-east-1', 'i-gone', 't3.micro')]);
    jobs.push(await scan({ account, regions: REGIONS }, drifted));
    const first = await driftOf(jobs[0]!);
    const expected = ['changed:i-web', 'missing:i-gone', 'unmanaged:i-stray-east', 'unmanaged:i-stray-eu'];
    expect(lifecycleOf(first.items)).toEqual(expected.map((k) => `${k}:new:${jobs[0]}`));
    expect(first.items.every((i: any) => typeof i.first_seen_at === 'string')).toBe(true);
    expect(first.summary).toMatchObject({ new: 4, resolved: 0, acknowledged: 0 });

    jobs.push(await scan({ account, regions: REGIONS }, drifted));
    const second = await driftOf(jobs[1]!);
    expect(lifecycleOf(second.items)).toEqual(expected.map((k) => `${k}:ongoing:${jobs[0]}`));
    expect(second.items.map((i: any) => i.first_seen_at)).toEqual(first.items.map((i: any) => i.first_seen_at));
    expect(second.summary).toMatchObject({ new: 0, resolved: 0 });
    expect((await driftOf(jobs[1]!, '&status=new')).items).toEqual([]);
    expect((await driftOf(jobs[1]!, '&status=resolved')).items).toEqual([]);
  }, 30_000);

  it('a fixed resource shows under status=resolved for the job that found it fixed, and not before', async () => {
    jobs.push(await scan({ account, regions: REGIONS }, fixed));
    const third = await driftOf(jobs[2]!);
    expect(kindsAndIds(third.items)).toEqual(['missing:i-gone', 'unmanaged:i-stray-east', 'unmanaged:i-stray-eu']);
    expect(third.summary).toMatchObject({ new: 0, resolved: 1 });
    const resolved = await driftOf(jobs[2]!, '&status=resolved');
    expect(resolved.items.map((i: any) => [i.kind, i.id, i.status, i.first_seen_job, i.changes[0].actual])).toEqual([
      ['changed', 'i-web', 'resolved', jobs[0], 't3.large'],
    ]);
    expect((await driftOf(jobs[1]!, '&status=resolved')).items).toEqual([]);
    expect(kindsAndIds((await driftOf(jobs[2]!, '&status=ongoing')).items)).toEqual(kindsAndIds(third.items));
  }, 30_000);

  it('an item gone from a region the job did not cover stays open', async () => {
    jobs.push(await scan({ account, regions: ['us-east-1'] }, fixed));
    const eastOnly = await driftOf(jobs[3]!);
    expect(kindsAndIds(eastOnly.items)).toEqual(['missing:i-gone', 'unmanaged:i-stray-east']);
    expect(eastOnly.summary.resolved).toBe(0);
    expect((await driftOf(jobs[3]!, '&status=resolved')).items).toEqual([]);
    jobs.push(await scan({ account, regions: REGIONS }, fixed));
    expect(lifecycleOf((await driftOf(jobs[4]!, '&kind=unmanaged')).items)).toContain(
      `unmanaged:i-stray-eu:ongoing:${jobs[0]}`,
    );
  }, 30_000);
});

describe('POST /api/v1/drift/ack', () => {
  const account = '320000000002';
  const web = instance(account, 'us-east-1', 'i-web', 't3.micro');
  const resourceKey = `aws|${account}|us-east-1|AWS::EC2::Instance|i-web`;
  const scanWith = async (type: string) =>
    driftOf(await scan({ account, regions: ['us-east-1'] }, [instance(account, 'us-east-1', 'i-web', type)]));

  it("is in the OpenAPI document, with the drift list's status and acknowledged filters and what resources?job_id= lists", async () => {
    const { paths } = (await api('GET', '/api/v1/openapi.json', undefined, null)).body;
    expect(Object.keys(paths['/api/v1/drift/ack'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '404']),
    );
    expect(paths['/api/v1/drift'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['status', 'acknowledged']),
    );
    const jobParameter = paths['/api/v1/resources'].get.parameters.find((p: any) => p.name === 'job_id');
    expect(jobParameter.description ?? jobParameter.schema.description).toMatch(/sightings .* then the inventory rows/);
  });

  it('refuses bad input with 400 and a key no open item has with 404', async () => {
    const ack = (body: unknown) => api('POST', '/api/v1/drift/ack', body);
    expect((await ack({ reason: 'x' })).status).toBe(400);
    expect((await ack({ resource_key: resourceKey, reason: '' })).status).toBe(400);
    expect((await ack({ resource_key: resourceKey, reason: 'x'.repeat(501) })).status).toBe(400);
    const past = await ack({ resource_key: resourceKey, reason: 'x', until: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('until');
    expect((await ack({ resource_key: resourceKey, reason: 'x', until: 'tomorrow' })).status).toBe(400);
    const unknown = await ack({ resource_key: 'aws|nope', reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('silences an item until its changes differ, and until `until` passes', async () => {
    await importState('acks', [web, instance(account, 'us-east-1', 'i-gone', 't3.micro')]);
    expect(kindsAndIds((await scanWith('t3.large')).items)).toEqual(['changed:i-web', 'missing:i-gone']);
    const acked = await api('POST', '/api/v1/drift/ack', { resource_key: resourceKey, reason: 'resize approved' });
    expect(acked.status).toBe(201);
    expect(acked.body).toEqual({
      resource_key: resourceKey,
      reason: 'resize approved',
      until: null,
      at: expect.any(String),
    });
    expect(
      (await api('POST', '/api/v1/drift/ack', { resource_key: 'aws_instance.i_gone', reason: 'being retired' })).status,
    ).toBe(201);

    const silenced = await scanWith('t3.large');
    const web2 = silenced.items.find((i: any) => i.id === 'i-web');
    expect(web2.acknowledged).toEqual({ reason: 'resize approved', until: null, at: acked.body.at });
    expect(silenced.summary).toMatchObject({ acknowledged: 2, new: 0 });
    expect(await driftOfJob(silenced, '&acknowledged=false')).toEqual([]);
    expect(kindsAndIds(await driftOfJob(silenced, '&acknowledged=true'))).toEqual(['changed:i-web', 'missing:i-gone']);

    const changedAgain = await scanWith('t3.xlarge');
    expect(changedAgain.items.find((i: any) => i.id === 'i-web').acknowledged).toBeUndefined();
    expect(changedAgain.summary.acknowledged).toBe(1);

    const until = new Date(Date.now() + 4000).toISOString();
    expect(
      (await api('POST', '/api/v1/drift/ack', { resource_key: resourceKey, reason: 'until the window closes', until }))
        .body.until,
    ).toBe(until);
    expect((await scanWith('t3.xlarge')).items.find((i: any) => i.id === 'i-web').acknowledged).toMatchObject({
      until,
    });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(until) - Date.now() + 100)));
    expect((await scanWith('t3.xlarge')).items.find((i: any) => i.id === 'i-web').acknowledged).toBeUndefined();
  }, 60_000);
});

/** The items of the job a drift page is about, with more filters. */
async function driftOfJob(page: { job_id: string }, query: string): Promise<any[]> {
  return (await driftOf(page.job_id, query)).items;
}
