import { createExecutionContext, createMessageBatch, getQueueResult, listDurableObjectIds } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { type ResourcesMessage, splitIntoMessages } from '../../contract/queue.js';
import { api, lease, resource, startJob } from '../../test/support/worker/api.js';
import worker from '../index.js';

let accountSeq = 600_000_000_000;

/** Hands the Worker's queue handler one batch; the result says what it acked and retried, by message id. */
async function deliver(queue: string, bodies: unknown[]) {
  const messages = bodies.map((body, i) => ({
    id: `msg-${queue}-${i}-${crypto.randomUUID()}`,
    timestamp: new Date(),
    attempts: 1,
    body,
  }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), ids: messages.map((m) => m.id) };
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

describe('results queue consumer', () => {
  it('writes resources once however often a batch is delivered', async () => {
    const resources = Array.from({ length: 250 }, (_, i) =>
      resource('123456789012', 'us-east-1', 'AWS::EC2::Instance', `i-${i}`),
    );
    const messages: ResourcesMessage[] = splitIntoMessages(
      { job_id: 'job_consumer1', shard_id: 'job_consumer1.0', attempt: 1, sequence: 0 },
      resources,
    );
    const first = await deliver('driftmgr-results', messages);
    expect(first.explicitAcks).toHaveLength(messages.length);
    await deliver('driftmgr-results', messages);
    expect(await count(`SELECT COUNT(*) AS n FROM job_resources WHERE job_id = ?`, 'job_consumer1')).toBe(250);
    const stored = await env.DB.prepare(`SELECT attributes, tags FROM job_resources WHERE resource_id = 'i-7'`).first<{
      attributes: string;
      tags: string;
    }>();
    expect(JSON.parse(stored!.attributes)).toEqual({ id: 'i-7', size: 8 });
    expect(JSON.parse(stored!.tags)).toEqual({ team: 'core' });
  });

  it("records each job's sighting of a resource as its own, leaving the inventory to the analyses", async () => {
    const r = resource('123456789012', 'eu-west-1', 'AWS::EC2::VPC', 'vpc-1');
    await deliver(
      'driftmgr-results',
      splitIntoMessages({ job_id: 'job_a', shard_id: 'job_a.0', attempt: 1, sequence: 0 }, [r]),
    );
    await deliver(
      'driftmgr-results',
      splitIntoMessages({ job_id: 'job_b', shard_id: 'job_b.0', attempt: 1, sequence: 0 }, [
        { ...r, attributes: { id: 'vpc-1', size: 16 } },
      ]),
    );
    const rows = await env.DB.prepare(
      `SELECT job_id, attributes FROM job_resources WHERE resource_id = 'vpc-1' ORDER BY job_id`,
    ).all();
    expect(rows.results).toEqual([
      { job_id: 'job_a', attributes: JSON.stringify(r.attributes) },
      { job_id: 'job_b', attributes: JSON.stringify({ id: 'vpc-1', size: 16 }) },
    ]);
    expect(await count(`SELECT COUNT(*) AS n FROM resources WHERE resource_id = 'vpc-1'`)).toBe(0);
  });

  it('sends a message that is not ours to the dead-letter queue and acks it', async () => {
    const result = await deliver('driftmgr-results', [{ kind: 'mystery' }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });

  it('records dead letters with their reason', async () => {
    const { ids } = await deliver('driftmgr-results-dlq', [
      { reason: 'not a DriftMgr queue message', message_id: 'x', body: { kind: 'mystery' } },
    ]);
    const row = await env.DB.prepare(`SELECT reason, queue FROM dead_letters WHERE message_id = ?`)
      .bind(ids[0])
      .first();
    expect(row).toEqual({ reason: 'not a DriftMgr queue message', queue: 'driftmgr-results-dlq' });
  });

  it('puts a message that is not ours on the dead-letter queue, whose consumer records it', async () => {
    const { ids } = await deliver('driftmgr-results', [{ kind: 'resources', job_id: 'job_bad' }]);
    // The real dead-letter queue delivers to this Worker's own consumer, which keeps the letter in D1.
    const letter = await vi.waitFor(
      async () => {
        const row = await env.DB.prepare(
          `SELECT queue, reason, body FROM dead_letters WHERE body ->> '$.message_id' = ?`,
        )
          .bind(ids[0])
          .first<{ queue: string; reason: string; body: string }>();
        if (!row) throw new Error('no dead letter yet');
        return row;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(letter.queue).toBe('driftmgr-results-dlq');
    expect(letter.reason).toMatch(/^not a DriftMgr queue message: /);
    expect(JSON.parse(letter.body)).toEqual({
      reason: letter.reason,
      message_id: ids[0],
      body: { kind: 'resources', job_id: 'job_bad' },
    });
  });
});

describe('results queue consumer when the database refuses the write', () => {
  const REFUSED_JOB = 'job_refused';
  // A trigger makes D1 itself refuse every sighting of one job, as a failing write would.
  const refuseWrites = () =>
    env.DB.prepare(
      `CREATE TRIGGER refuse_job_refused BEFORE INSERT ON job_resources WHEN NEW.job_id = '${REFUSED_JOB}'
       BEGIN SELECT RAISE(ABORT, 'write refused'); END`,
    ).run();
  const acceptWrites = () => env.DB.prepare(`DROP TRIGGER IF EXISTS refuse_job_refused`).run();
  const messagesOf = (jobId: string, ids: string[]) =>
    splitIntoMessages(
      { job_id: jobId, shard_id: `${jobId}.0`, attempt: 1, sequence: 0 },
      ids.map((id) => resource('123456789012', 'us-east-1', 'AWS::EC2::Instance', id)),
    );

  it('writes and acks the rest of a delivery, retrying only the message storage refuses, which is stored once accepted', async () => {
    const messages = [
      ...messagesOf('job_fine', ['i-fine']),
      ...messagesOf(REFUSED_JOB, ['i-refused']),
      ...messagesOf('job_fine_too', ['i-fine-too']),
    ];
    await refuseWrites();
    try {
      const failed = await deliver('driftmgr-results', messages);
      expect(failed.ackAll).toBe(false);
      expect(failed.explicitAcks.sort()).toEqual([failed.ids[0], failed.ids[2]].sort());
      expect(failed.retryMessages.map((m) => m.msgId)).toEqual([failed.ids[1]]);
      expect(await count(`SELECT COUNT(*) AS n FROM job_resources WHERE resource_id IN ('i-fine', 'i-fine-too')`)).toBe(
        2,
      );
      expect(await count(`SELECT COUNT(*) AS n FROM job_resources WHERE job_id = ?`, REFUSED_JOB)).toBe(0);
    } finally {
      await acceptWrites();
    }
    const redelivered = await deliver('driftmgr-results', [messages[1]]);
    expect(redelivered.explicitAcks).toEqual(redelivered.ids);
    expect(redelivered.retryMessages).toEqual([]);
    expect(await count(`SELECT COUNT(*) AS n FROM job_resources WHERE resource_id = 'i-refused'`)).toBe(1);
  });
});

describe('dead-letter queue consumer', () => {
  /** A running job with one leased shard, as the dead letters below find it. */
  async function runningJob() {
    const account = String(accountSeq++);
    const job = await startJob({ accounts: [account] });
    const held = (await lease(account)).body;
    return { jobId: job.job_id, account, shardId: held.shard_id as string };
  }

  it('fails the job of a results message the queue gave up on, with the reason it was dead-lettered', async () => {
    const { jobId, account, shardId } = await runningJob();
    // Moved here by the queue after its retries: the bare message, no reason attached.
    const [message] = splitIntoMessages({ job_id: jobId, shard_id: shardId, attempt: 1, sequence: 4 }, [
      resource(account, 'us-east-1', 'AWS::EC2::Instance', 'i-poison'),
    ]);
    const { ids } = await deliver('driftmgr-results-dlq', [message]);
    const row = await env.DB.prepare(`SELECT reason FROM dead_letters WHERE message_id = ?`)
      .bind(ids[0])
      .first<{ reason: string }>();
    expect(row?.reason).toBe('retries exhausted on driftmgr-results');
    const job = (await api('GET', `/api/v1/jobs/${jobId}`)).body;
    expect(job.status).toBe('failed');
    expect(job.error).toBe(
      `results of shard ${shardId} (attempt 1, sequence 4, part 0) was dead-lettered: retries exhausted on driftmgr-results`,
    );
  });

  it('fails the job of an analyze message the consumer gave up on with its own reason, and leaves an ended job as it was', async () => {
    const { jobId, account } = await runningJob();
    const letter = (reason: string) => ({
      reason,
      message_id: 'm-1',
      body: { kind: 'analyze', job_id: jobId, account },
    });
    await deliver('driftmgr-results-dlq', [letter('analysis refused')]);
    await deliver('driftmgr-results-dlq', [letter('a later reason')]);
    const job = (await api('GET', `/api/v1/jobs/${jobId}`)).body;
    expect(job.status).toBe('failed');
    expect(job.error).toBe(`the analysis of account ${account} was dead-lettered: analysis refused`);
  });

  it('records a dead letter of a job the index does not list without creating its coordinator', async () => {
    const objects = async () => (await listDurableObjectIds(env.JOB_COORDINATOR)).length;
    const before = await objects();
    const result = await deliver('driftmgr-results-dlq', [
      { kind: 'analyze', job_id: 'job_0000notindexed', account: 'a' },
    ]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(await count(`SELECT COUNT(*) AS n FROM dead_letters WHERE message_id = ?`, result.ids[0])).toBe(1);
    expect(await objects()).toBe(before);
  });
});

describe('splitting chunks into queue messages', () => {
  it('keeps every message under the 128 KB limit and loses nothing', () => {
    const big = Array.from({ length: 400 }, (_, i) => ({
      ...resource('1', 'r', 'AWS::EC2::Instance', `i-${i}`),
      attributes: { blob: 'x'.repeat(2000) },
    }));
    const messages = splitIntoMessages({ job_id: 'j', shard_id: 'j.0', attempt: 1, sequence: 3 }, big);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(new TextEncoder().encode(JSON.stringify(m)).byteLength).toBeLessThan(128 * 1024);
    expect(messages.flatMap((m) => m.resources.map((r) => r.id))).toEqual(big.map((r) => r.id));
    expect(messages.every((m) => m.parts === messages.length)).toBe(true);
  });
});
