import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SLOT_COUNT } from '../engine/index.js';
import { DRIFT_PART_SPAN } from '../storage/store.js';
import { api, lease, resource, startJob, waitForJob } from '../test/support/worker/api.js';
import { summary } from '../test/support/worker/stores.js';
import { AnalysisParts } from './analysis-parts.js';
import type { JobCoordinator } from './job-coordinator.js';

let accountSeq = 100_000_000_000;
/** Storage is shared within a file, so each test gets an account no other test uses. */
const freshAccount = () => String(accountSeq++);

function coordinator(jobId: string) {
  return env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));
}

/** Moves every lease deadline into the past, as if the agents went silent. */
async function expireAllLeases(jobId: string) {
  await runInDurableObject(coordinator(jobId), async (_: JobCoordinator, state) => {
    state.storage.sql.exec(`UPDATE shards SET lease_expires_at = 1 WHERE status = 'leased'`);
  });
}

describe('lease expiry', () => {
  it('the alarm returns an expired lease to pending and another agent takes it', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const first = await lease(account, { agent_id: 'agent-dies' });
    expect(first.status).toBe(200);
    expect(await lease(account)).toMatchObject({ status: 204 });

    await expireAllLeases(job.job_id);
    expect(await runDurableObjectAlarm(coordinator(job.job_id))).toBe(true);

    const detail = await api('GET', `/api/v1/jobs/${job.job_id}`);
    expect(detail.body.shards[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(detail.body.shards[0].last_error).toContain('lease expired');

    const second = await lease(account, { agent_id: 'agent-b' });
    expect(second.body).toMatchObject({ shard_id: first.body.shard_id, attempt: 2 });
    const stale = await api('POST', `/api/v1/shards/${first.body.shard_id}/heartbeat`, {
      lease_id: first.body.lease_id,
    });
    expect(stale.status).toBe(409);
  });

  it('a lease found overdue before the alarm ran is refused as expired', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    await expireAllLeases(job.job_id);
    const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/heartbeat`, { lease_id: held.body.lease_id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('lease_expired');
  });

  it('keeps one alarm at the earliest lease deadline across many shards', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    await lease(account);
    await lease(account);
    const [alarm, earliest] = await runInDurableObject(coordinator(job.job_id), async (_: JobCoordinator, state) => [
      await state.storage.getAlarm(),
      state.storage.sql
        .exec<{ t: number }>(`SELECT MIN(lease_expires_at) AS t FROM shards WHERE status = 'leased'`)
        .one().t,
    ]);
    expect(alarm).toBe(earliest);
  });
});

describe('retries and failure', () => {
  it('retries a failing shard up to the attempt limit, then fails it and the job', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const held = await lease(account);
      expect(held.body.attempt).toBe(attempt);
      const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/fail`, {
        lease_id: held.body.lease_id,
        reason: `throttled ${attempt}`,
      });
      expect(res.body.status).toBe(attempt < 3 ? 'pending' : 'failed');
    }
    const finished = await waitForJob(job.job_id, ['failed']);
    expect(finished.status).toBe('failed');
    expect(finished.error).toContain('every shard failed');
    expect(finished.error).toContain('throttled 3');
  });

  it('a permanent error fails the shard at once', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/fail`, {
      lease_id: held.body.lease_id,
      reason: 'AccessDenied',
      retryable: false,
    });
    expect(res.body.status).toBe('failed');
    expect((await waitForJob(job.job_id, ['failed'])).counts.shards_failed).toBe(1);
  });

  it('backs off before a failed shard may be leased again', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    await runInDurableObject(coordinator(job.job_id), async (instance: JobCoordinator) => {
      const out = await instance.fail(held.body.shard_id, {
        lease_id: held.body.lease_id,
        reason: 'x',
        retryable: true,
      });
      expect(out.ok).toBe(true);
    });
    await runInDurableObject(coordinator(job.job_id), async (_: JobCoordinator, state) => {
      state.storage.sql.exec(`UPDATE shards SET not_before = ?`, Date.now() + 60_000);
    });
    expect((await lease(account)).status).toBe(204);
  });

  it('a job with some shards failed still completes with what was found', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1'] });
    const a = await lease(account);
    const b = await lease(account);
    await api('POST', `/api/v1/shards/${a.body.shard_id}/fail`, {
      lease_id: a.body.lease_id,
      reason: 'denied',
      retryable: false,
    });
    await api('POST', `/api/v1/shards/${b.body.shard_id}/complete`, { lease_id: b.body.lease_id, resource_count: 0 });
    const finished = await waitForJob(job.job_id, ['completed', 'failed']);
    expect(finished.status).toBe('completed');
    expect(finished.counts).toMatchObject({ shards_succeeded: 1, shards_failed: 1 });
  });
});

describe('splitting big shards', () => {
  it('work handed back as remaining becomes a new shard another agent can take', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], sharding: { type: 'region', shard_size: 2 } });
    const held = await lease(account);
    const chunk = [1, 2].map((n) => resource(account, 'us-east-1', 'AWS::EC2::Instance', `i-${n}`));
    await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
      lease_id: held.body.lease_id,
      sequence: 0,
      resources: chunk,
    });
    const done = await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 2,
      remaining: [{ type: 'AWS::EC2::Instance', region: 'us-east-1', cursor: 'page-2' }],
    });
    expect(done.body.continuation_shard_id).toBeDefined();

    const next = await lease(account, { agent_id: 'agent-b' });
    expect(next.body.shard_id).toBe(done.body.continuation_shard_id);
    expect(next.body.work).toEqual([{ type: 'AWS::EC2::Instance', region: 'us-east-1', cursor: 'page-2' }]);
    const more = [3].map((n) => resource(account, 'us-east-1', 'AWS::EC2::Instance', `i-${n}`));
    await api('POST', `/api/v1/shards/${next.body.shard_id}/results`, {
      lease_id: next.body.lease_id,
      sequence: 0,
      resources: more,
    });
    await api('POST', `/api/v1/shards/${next.body.shard_id}/complete`, {
      lease_id: next.body.lease_id,
      resource_count: 1,
    });

    const finished = await waitForJob(job.job_id, ['completed']);
    expect(finished.counts).toMatchObject({ shards_total: 2, resources_discovered: 3 });
    expect(finished.shards[1].parent_shard_id).toBe(held.body.shard_id);
  });

  it('the listing in progress and the listings not begun become two shards, taken by two agents at once', async () => {
    const account = freshAccount();
    await startJob({
      accounts: [account],
      resource_types: ['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::EC2::VPC'],
      sharding: { type: 'region', shard_size: 2 },
    });
    const held = (await lease(account)).body;
    await api('POST', `/api/v1/shards/${held.shard_id}/results`, {
      lease_id: held.lease_id,
      sequence: 0,
      resources: [resource(account, 'us-east-1', 'AWS::EC2::Instance', 'i-1')],
    });
    const inProgress = { type: 'AWS::EC2::Instance', region: 'us-east-1', cursor: 'page-2' };
    const notBegun = [
      { type: 'AWS::EC2::Volume', region: 'us-east-1' },
      { type: 'AWS::EC2::VPC', region: 'us-east-1' },
    ];
    const done = await api('POST', `/api/v1/shards/${held.shard_id}/complete`, {
      lease_id: held.lease_id,
      resource_count: 1,
      remaining: [inProgress, ...notBegun],
    });
    const first = (await lease(account, { agent_id: 'agent-b' })).body;
    const second = (await lease(account, { agent_id: 'agent-c' })).body;
    expect(first).toMatchObject({ shard_id: done.body.continuation_shard_id, work: [inProgress] });
    expect(second.work).toEqual(notBegun);
  });

  it('refuses remaining work that was never part of the shard', async () => {
    const account = freshAccount();
    await startJob({ accounts: [account] });
    const held = await lease(account);
    const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 0,
      remaining: [{ type: 'AWS::EC2::VPC', region: 'eu-west-1' }],
    });
    expect(res.status).toBe(422);
  });
});

describe('agent filters', () => {
  it('only hands an agent shards whose every listing is in its regions and types', async () => {
    const account = freshAccount();
    await startJob({
      accounts: [account],
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: ['AWS::EC2::Instance', 'AWS::EC2::VPC'],
      sharding: { type: 'resource-type', shard_size: 100 },
    });
    // Both types of a region share its shard: an agent of one of them serves neither shard.
    expect((await lease(account, { resource_types: ['AWS::EC2::VPC'] })).status).toBe(204);
    const eu = await lease(account, {
      regions: ['eu-west-1'],
      resource_types: ['AWS::EC2::VPC', 'AWS::EC2::Instance'],
    });
    expect(eu.body.work).toEqual([
      { type: 'AWS::EC2::Instance', region: 'eu-west-1' },
      { type: 'AWS::EC2::VPC', region: 'eu-west-1' },
    ]);
    expect((await lease(account, { regions: ['eu-west-1'] })).status).toBe(204);
    expect((await lease(account, { regions: ['ap-south-1'] })).status).toBe(204);
  });
});

describe('durability', () => {
  it('sends the analyze message again when no analysis came back in time', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    // The discovery finished, but its analyze message was lost long ago.
    await runInDurableObject(coordinator(job.job_id), async (_: JobCoordinator, state) => {
      state.storage.sql.exec(
        `UPDATE shards SET status = 'succeeded', lease_id = NULL WHERE shard_id = ?`,
        held.body.shard_id,
      );
      state.storage.sql.exec(`UPDATE job SET status = 'analyzing'`);
      state.storage.sql.exec(`INSERT INTO analysis_parts (account, part, sent_at) VALUES (?, 0, 1)`, account);
    });
    expect(await runDurableObjectAlarm(coordinator(job.job_id))).toBe(true);
    expect((await waitForJob(job.job_id, ['completed'])).status).toBe('completed');
  });

  it('a job survives its object being evicted mid-run', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    await evictDurableObject(coordinator(job.job_id));
    const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/heartbeat`, { lease_id: held.body.lease_id });
    expect(res.status).toBe(200);
    const detail = await api('GET', `/api/v1/jobs/${job.job_id}`);
    expect(detail.body).toMatchObject({ status: 'running' });
  });
});

describe('analysis parts', () => {
  const context = { default_vpc_ids: ['vpc-1'], provider_scopes: { 'main.tfstate|aws': { account: 'a' } } };
  const range = (from: number, to: number) => ({ from, to });
  /** A fresh object's analysis_parts, as the coordinator keeps them. */
  const withParts = <T>(name: string, fn: (parts: AnalysisParts) => T) =>
    runInDurableObject(coordinator(name), (_: JobCoordinator, state) => fn(new AnalysisParts(state.storage.sql)));
  const dueOf = (parts: AnalysisParts) =>
    parts.due(Date.now()).map((p) => `${p.account}:${parts.find(p.account, p.id)!.stage}`);

  it('plans each account once, sends its data parts after its plan and its close after them, and merges every part once into the job', async () => {
    await withParts('parts-merge', (parts) => {
      parts.plan(['b', 'a']);
      parts.plan(['a', 'b']);
      expect(dueOf(parts)).toEqual(['a:plan', 'b:plan']);
      const planA = parts.find('a', undefined)!;
      const planB = parts.find('b', undefined)!;
      parts.recordPlan(planA.id, { ranges: [range(0, 99), range(100, SLOT_COUNT - 1)], context });
      // A plan recorded again (its message redelivered) adds nothing.
      parts.recordPlan(planA.id, { ranges: [range(0, SLOT_COUNT - 1)], context });
      parts.markSent([planB.id], Date.now());
      expect(dueOf(parts)).toEqual(['a:data', 'a:data']);
      expect(parts.context('a')).toEqual(context);
      const [a1, a2] = parts.due(Date.now()).map((p) => parts.find('a', p.id)!);
      expect([a1!.slots, a2!.slots]).toEqual([range(0, 99), range(100, SLOT_COUNT - 1)]);
      expect([a1!.firstSeq, a2!.firstSeq]).toEqual([0, DRIFT_PART_SPAN]);

      const duplicate = { tf_type: 'aws_vpc', id: 'vpc-9', addresses: [{ source: 's', address: 'x' }] };
      parts.record(a1!.id, summary(1, 2, 3), [duplicate]);
      // A result sent again is not counted twice.
      parts.record(a1!.id, summary(1, 2, 3), [duplicate]);
      expect(dueOf(parts)).toEqual(['a:data']);
      parts.record(a2!.id, summary(4, 0, 1), []);
      // The close goes out once every data part of its account is in.
      expect(dueOf(parts)).toEqual(['a:close']);
      const closeA = parts.due(Date.now())[0]!;
      parts.record(closeA.id, { ...summary(0, 0, 0), resolved: 5 }, []);
      expect(parts.merged()).toBeNull();

      parts.recordPlan(planB.id, { ranges: [range(0, SLOT_COUNT - 1)], context });
      const [b1] = parts.due(Date.now());
      expect(parts.find('b', b1!.id)!.firstSeq).toBe(2 * DRIFT_PART_SPAN);
      parts.record(b1!.id, summary(10, 0, 0), []);
      expect(parts.merged()).toBeNull();
      expect(parts.outstanding()).toBe(1);
      const closeB = parts.due(Date.now())[0]!;
      parts.record(closeB.id, { ...summary(0, 0, 0), resolved: 1 }, []);
      const merged = parts.merged()!;
      expect(merged.summary).toMatchObject({ changed: 15, missing: 2, unmanaged: 4, resolved: 6, state_resources: 50 });
      expect(merged.duplicates).toEqual([duplicate]);
      expect(parts.outstanding()).toBe(0);
    });
  });

  it('leaves the job unanalysed while a data part is missing, however often the others come back', async () => {
    await withParts('parts-missing', (parts) => {
      parts.plan(['a']);
      const plan = parts.find('a', undefined)!;
      parts.recordPlan(plan.id, { ranges: [range(0, 9), range(10, SLOT_COUNT - 1)], context });
      const [first] = parts.due(Date.now());
      for (let i = 0; i < 3; i++) parts.record(first!.id, summary(1, 0, 0), []);
      expect(dueOf(parts)).toEqual(['a:data']);
      expect(parts.merged()).toBeNull();
      expect(parts.nextWakeAt(Date.now())).not.toBeNull();
    });
  });
});
