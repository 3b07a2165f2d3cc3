import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { WebhookPayload } from '../contract/notifications.js';
import { announceNewDrift } from '../orchestrator-do/drift-announcements.js';
import { jobCoordinator } from '../orchestrator-do/stubs.js';
import { storeFor } from '../storage/index.js';
import { api } from '../test/support/worker/api.js';
import { hookUrl, received, signatureVerifies, waitForReceived } from '../test/support/worker/receiver.js';
import { driftOf, importState, instance, scan } from '../test/support/worker/scan.js';
import { unwrap } from './errors.js';

const SECRET = 'flow-secret-0123456789abcdef';

async function addTarget(name: string, minSeverity: string, query = ''): Promise<string> {
  const res = await api('POST', '/api/v1/notifications', {
    type: 'webhook',
    url: hookUrl(name, query),
    min_severity: minSeverity,
    secret: SECRET,
  });
  expect(res.status).toBe(201);
  return res.body.notification_id;
}

/**
 * The whole path: a scan's analysis completes in its coordinator, which puts one message per
 * target on the notifications queue, whose consumer posts to the test receiver over HTTP.
 */
describe('notifications of new drift', () => {
  const account = '330000000001';
  const web = instance(account, 'us-east-1', 'i-web', 't3.micro');
  const drifted = [
    instance(account, 'us-east-1', 'i-web', 't3.large'),
    instance(account, 'us-east-1', 'i-stray', 't3.nano'),
  ];
  const flaky = 'flow-flaky';
  let jobId = '';
  let flakyId = '';

  it('posts a signed webhook when an analysis finds new drift, retrying a receiver that first answers 500', async () => {
    await importState('notify', [web]);
    flakyId = await addTarget(flaky, 'low', '?fail=1');
    jobId = await scan({ account, regions: ['us-east-1'] }, drifted);
    const found = (await driftOf(jobId)).items;
    expect(found.map((i: any) => `${i.kind}:${i.id}:${i.status}`).sort()).toEqual([
      'changed:i-web:new',
      'unmanaged:i-stray:new',
    ]);

    const requests = await waitForReceived(flaky, 2);
    expect(requests.map((r) => r.status)).toEqual([500, 200]);
    for (const r of requests) {
      expect(r.headers['x-driftmgr-delivery']).toBe(`${jobId}.${flakyId}`);
      expect(await signatureVerifies(SECRET, r)).toBe(true);
    }
    const payload = WebhookPayload.parse(JSON.parse(requests[1]!.body));
    expect(payload).toMatchObject({ job_id: jobId, provider: 'aws', summary: { new: 2 } });
    expect(payload.items.map((i) => `${i.kind}:${i.id}`).sort()).toEqual(['changed:i-web', 'unmanaged:i-stray']);
    const bySeverity: Record<string, number> = {};
    for (const i of found) bySeverity[i.severity] = (bySeverity[i.severity] ?? 0) + 1;
    expect(payload.summary.by_severity).toEqual(bySeverity);
  }, 60_000);

  it("sends nothing twice when the completion is run again, nor below a target's severity", async () => {
    // A target added now is told when the completion is announced again: its delivery marks the
    // moment the queue carried that announcement, and the first target's copy with it.
    const marker = 'flow-marker';
    const markerId = await addTarget(marker, 'low');
    // The job's drift is below critical, so a critical target hears nothing of it.
    expect((await driftOf(jobId)).items.map((i: any) => i.severity)).not.toContain('critical');
    const aboveAll = 'flow-above';
    await addTarget(aboveAll, 'critical');

    const coordinator = jobCoordinator(env, jobId);
    const { summary } = (await storeFor(env).getAnalysis(jobId))!;
    expect(summary.new).toBe(2);
    // The account's analyze message delivered again records its part again; the job stays completed.
    const input = unwrap(await coordinator.analysisInput(account));
    expect(unwrap(await coordinator.recordAnalysisPart(input.part.id, summary, [])).status).toBe('completed');
    // And the completion's announcement made again, as a retried completion would.
    await announceNewDrift(env, { job_id: jobId, provider: 'aws' }, summary);

    expect(await waitForReceived(marker, 1)).toHaveLength(1);
    expect((await received(marker))[0]!.headers['x-driftmgr-delivery']).toBe(`${jobId}.${markerId}`);
    expect(await received(flaky)).toHaveLength(2);
    expect(await received(aboveAll)).toEqual([]);
  }, 60_000);

  it('tells no one of a scan that finds nothing new', async () => {
    const quiet = 'flow-quiet';
    await addTarget(quiet, 'low');
    const next = await scan({ account, regions: ['us-east-1'] }, drifted);
    expect((await driftOf(next)).summary.new).toBe(0);
    // The next scan with news reaches the target, and is the first thing it got.
    const news = [...drifted, instance(account, 'us-east-1', 'i-new', 't3.nano')];
    const third = await scan({ account, regions: ['us-east-1'] }, news);
    const [first] = await waitForReceived(quiet, 1);
    expect(first!.headers['x-driftmgr-delivery']).toMatch(new RegExp(`^${third}\\.`));
  }, 60_000);
});
