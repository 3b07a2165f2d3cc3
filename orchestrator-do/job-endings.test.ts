import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, lease, startJob } from '../test/support/worker/api.js';
import { MAX_ANALYSIS_SENDS } from './analysis-parts.js';
import { Chunks } from './chunks.js';
import type { JobCoordinator } from './job-coordinator.js';
import { DEFAULT_UNCLAIMED_TIMEOUT_SECONDS } from './unclaimed.js';

let accountSeq = 200_000_000_000;
/** Storage is shared within a file, so each test gets an account no other test uses. */
const freshAccount = () => String(accountSeq++);

const coordinator = (jobId: string) => env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));

/** Runs SQL inside a job's object: how these tests move its clocks into the past. */
const inObject = <T>(jobId: string, fn: (sql: SqlStorage, state: DurableObjectState) => T | Promise<T>) =>
  runInDurableObject(coordinator(jobId), (_: JobCoordinator, state) => fn(state.storage.sql, state));

const jobOf = async (jobId: string) => (await api('GET', `/api/v1/jobs/${jobId}`)).body;

describe('shards no agent comes for', () => {
  it('a shard never leased within the timeout fails as unserved, and a job with nothing else ends failed', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    // The alarm is set for the moment the shard's wait runs out (the var's default, 1800 s).
    const [alarm, readyAt] = await inObject(job.job_id, async (sql, state) => [
      await state.storage.getAlarm(),
      sql.exec<{ t: number }>(`SELECT ready_at AS t FROM shards`).one().t,
    ]);
    expect(alarm).toBe(readyAt + DEFAULT_UNCLAIMED_TIMEOUT_SECONDS * 1000);

    expect(await runDurableObjectAlarm(coordinator(job.job_id))).toBe(true);
    expect((await jobOf(job.job_id)).status).toBe('pending');

    await inObject(job.job_id, (sql) => sql.exec(`UPDATE shards SET ready_at = 1`));
    expect(await runDurableObjectAlarm(coordinator(job.job_id))).toBe(true);
    const ended = await jobOf(job.job_id);
    expect(ended.shards[0]).toMatchObject({ status: 'failed', last_error: `no agent serves aws ${account} us-east-1` });
    expect(ended.status).toBe('failed');
    expect(ended.error).toContain(`no agent serves aws ${account} us-east-1`);
    const indexed = (await api('GET', '/api/v1/jobs?status=failed')).body.jobs.map((j: { job_id: string }) => j.job_id);
    expect(indexed).toContain(job.job_id);
  });

  it('waits while the account’s agents are leasing, and fails the shard once they stopped for the timeout', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1'] });
    // An agent of the account serves one region only; the other shard is never leased.
    const held = await lease(account, { regions: ['us-east-1'] });
    expect(held.status).toBe(200);
    await inObject(job.job_id, (sql) => sql.exec(`UPDATE shards SET ready_at = 1 WHERE status = 'pending'`));
    await runDurableObjectAlarm(coordinator(job.job_id));
    expect((await jobOf(job.job_id)).shards.map((s: { status: string }) => s.status)).toEqual(['leased', 'pending']);

    await inObject(job.job_id, (sql) => sql.exec(`UPDATE shards SET ready_at = 1, leased_at = 1`));
    await runDurableObjectAlarm(coordinator(job.job_id));
    const shards = (await jobOf(job.job_id)).shards;
    expect(shards[1]).toMatchObject({
      region: 'eu-west-1',
      status: 'failed',
      last_error: `no agent serves aws ${account} eu-west-1`,
    });
    expect(shards[0].status).toBe('leased');
  });
});

describe('chunks the consumer never writes', () => {
  // vitest.workers.config.ts sets CHUNK_WRITE_TIMEOUT_SECONDS to 90: the messages show the var is read.
  const notWritten = (shardId: string, attempt: number, sequence = 3) =>
    `chunk ${sequence} of shard ${shardId} (attempt ${attempt}) was accepted but not written within 90 seconds`;

  /** Acknowledged to the agent, but its message never reaches storage. */
  const acceptChunk = (jobId: string, shardId: string, leaseId: string, sequence: number) =>
    runInDurableObject(coordinator(jobId), async (instance: JobCoordinator) => {
      expect((await instance.commitChunk(shardId, leaseId, { sequence, resources: 5, parts: 1 })).ok).toBe(true);
    });

  it('waits the configured time for a chunk to be written', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = (await lease(account)).body;
    await acceptChunk(job.job_id, held.shard_id, held.lease_id, 0);
    await runDurableObjectAlarm(coordinator(job.job_id));
    const after = await inObject(job.job_id, (sql) => {
      const committed = sql.exec<{ t: number }>(`SELECT committed_at AS t FROM chunks`).one().t;
      const chunks = new Chunks(sql, 90_000);
      return {
        committed,
        wake: chunks.nextWakeAt(),
        early: chunks.overdue(committed + 89_999),
        due: chunks.overdue(committed + 90_000),
      };
    });
    expect(after.wake).toBe(after.committed + 90_000);
    expect(after.early).toBeUndefined();
    expect(after.due).toEqual({ shard_id: held.shard_id, attempt: 1, sequence: 0, committed_at: after.committed });
    expect((await jobOf(job.job_id)).status).toBe('running');
  });

  it('a shard with a chunk not written in time is discovered again; the agent holding it hears 409', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = (await lease(account)).body;
    await acceptChunk(job.job_id, held.shard_id, held.lease_id, 3);
    await inObject(job.job_id, (sql) => sql.exec(`UPDATE chunks SET committed_at = 1`));
    await runDurableObjectAlarm(coordinator(job.job_id));

    const detail = await jobOf(job.job_id);
    expect(detail.status).toBe('running');
    expect(detail.shards[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: notWritten(held.shard_id, 1),
    });
    const late = await api('POST', `/api/v1/shards/${held.shard_id}/heartbeat`, { lease_id: held.lease_id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('lease_conflict');
    const again = await lease(account);
    expect(again.body).toMatchObject({ shard_id: held.shard_id, attempt: 2 });
  });

  it('a succeeded shard whose chunk was lost is discovered again and keeps the continuation it handed off', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const remaining = [{ type: 'AWS::EC2::Instance', region: 'us-east-1', cursor: 'page-2' }];
    const first = (await lease(account)).body;
    await acceptChunk(job.job_id, first.shard_id, first.lease_id, 0);
    const done = await api('POST', `/api/v1/shards/${first.shard_id}/complete`, {
      lease_id: first.lease_id,
      resource_count: 5,
      remaining,
    });
    expect(done.status).toBe(200);
    // Without a write the job waits in discovery rather than analysing what it lacks.
    expect((await jobOf(job.job_id)).counts).toMatchObject({ shards_succeeded: 1, resources_discovered: 5 });

    await inObject(job.job_id, (sql) => sql.exec(`UPDATE chunks SET committed_at = 1`));
    await runDurableObjectAlarm(coordinator(job.job_id));
    const reopened = await jobOf(job.job_id);
    expect(reopened.status).toBe('running');
    expect(reopened.counts).toMatchObject({
      shards_total: 2,
      shards_succeeded: 0,
      shards_pending: 2,
      resources_discovered: 0,
    });

    const second = (await lease(account)).body;
    expect(second).toMatchObject({ shard_id: first.shard_id, attempt: 2 });
    await acceptChunk(job.job_id, second.shard_id, second.lease_id, 0);
    const redone = await api('POST', `/api/v1/shards/${second.shard_id}/complete`, {
      lease_id: second.lease_id,
      resource_count: 5,
      remaining,
    });
    expect(redone.body.continuation_shard_id).toBe(done.body.continuation_shard_id);
    expect((await jobOf(job.job_id)).counts).toMatchObject({
      shards_total: 2,
      shards_succeeded: 1,
      resources_discovered: 5,
    });
  });

  it('while a succeeded shard’s chunk waits to be written, its agents keep asking the job, and get the shard if it comes back', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const first = (await lease(account)).body;
    await acceptChunk(job.job_id, first.shard_id, first.lease_id, 0);
    expect(
      (await api('POST', `/api/v1/shards/${first.shard_id}/complete`, { lease_id: first.lease_id, resource_count: 5 }))
        .status,
    ).toBe(200);
    const asked = { agent_id: 'agent-a', provider: 'aws' as const, account, wait_seconds: 0 };
    expect(await coordinator(job.job_id).leaseShard(asked)).toEqual({ kind: 'none' });
    // The account's dispatcher asked the job too: had it heard "exhausted", it would never ask again.
    expect((await lease(account)).status).toBe(204);

    await inObject(job.job_id, (sql) => sql.exec(`UPDATE chunks SET committed_at = 1`));
    await runDurableObjectAlarm(coordinator(job.job_id));
    const again = await lease(account);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ shard_id: first.shard_id, attempt: 2 });
  });

  it('a shard out of attempts with a chunk not written in time ends the job, naming shard, attempt and sequence', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = (await lease(account)).body;
    // Two earlier attempts were spent already (MAX_SHARD_ATTEMPTS is 3).
    await inObject(job.job_id, (sql) => sql.exec(`UPDATE shards SET attempt = 3`));
    await acceptChunk(job.job_id, held.shard_id, held.lease_id, 3);
    await inObject(job.job_id, (sql) => sql.exec(`UPDATE chunks SET committed_at = 1`));
    await runDurableObjectAlarm(coordinator(job.job_id));
    const ended = await jobOf(job.job_id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toBe(notWritten(held.shard_id, 3));
    // The agent still holding the shard hears that the job is over.
    const late = await api('POST', `/api/v1/shards/${held.shard_id}/heartbeat`, { lease_id: held.lease_id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('job_finished');
  });
});

describe('analysis parts that never come back', () => {
  /** A job whose discovery finished with one analysis part out, sent `sends` times long ago. */
  async function analyzingJob(sends: number) {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = (await lease(account)).body;
    await inObject(job.job_id, (sql) => {
      sql.exec(
        `UPDATE shards SET status = 'succeeded', lease_id = NULL, lease_expires_at = NULL WHERE shard_id = ?`,
        held.shard_id,
      );
      sql.exec(`UPDATE job SET status = 'analyzing'`);
      sql.exec(`INSERT INTO analysis_parts (account, part, sent_at, sends) VALUES (?, 0, 1, ?)`, account, sends);
    });
    return { job, account };
  }

  it('counts every send of a part', async () => {
    const { job } = await analyzingJob(MAX_ANALYSIS_SENDS - 1);
    await runDurableObjectAlarm(coordinator(job.job_id));
    const sends = await inObject(
      job.job_id,
      (sql) => sql.exec<{ sends: number }>(`SELECT sends FROM analysis_parts`).one().sends,
    );
    expect(sends).toBe(MAX_ANALYSIS_SENDS);
  });

  it('a part sent the most times without a result ends the job instead of being sent again', async () => {
    const { job, account } = await analyzingJob(MAX_ANALYSIS_SENDS);
    await runDurableObjectAlarm(coordinator(job.job_id));
    const ended = await jobOf(job.job_id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toBe(`the analysis of account ${account} got no result after ${MAX_ANALYSIS_SENDS} sends`);
    const after = await inObject(job.job_id, async (sql, state) => ({
      sends: sql.exec<{ sends: number }>(`SELECT sends FROM analysis_parts`).one().sends,
      alarm: await state.storage.getAlarm(),
    }));
    expect(after).toEqual({ sends: MAX_ANALYSIS_SENDS, alarm: null });
  });
});

describe('failJob', () => {
  it('ends an unfinished job with the reason once; a finished job stays as it was', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const stub = coordinator(job.job_id);
    expect(await stub.failJob('first reason')).toMatchObject({
      ok: true,
      value: { status: 'failed', error: 'first reason' },
    });
    expect(await stub.failJob('second reason')).toMatchObject({
      ok: true,
      value: { status: 'failed', error: 'first reason' },
    });
    const detail = await jobOf(job.job_id);
    expect(detail.shards.map((s: { status: string }) => s.status)).toEqual(['cancelled']);
    expect((await lease(account)).status).toBe(204);

    const cancelled = await startJob({ accounts: [freshAccount()] });
    await api('POST', `/api/v1/jobs/${cancelled.job_id}/cancel`);
    expect(await coordinator(cancelled.job_id).failJob('too late')).toMatchObject({
      ok: true,
      value: { status: 'cancelled', error: 'cancelled by request' },
    });
  });
});
