import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import worker from '../index.js';
import { resource } from '../../test/support/worker/api.js';
import { splitIntoMessages, type ResourcesMessage } from '../../contract/queue.js';

/** Hands the Worker's queue handler one batch; the result says what it acked and retried, by message id. */
async function deliver(queue: string, bodies: unknown[]) {
  const messages = bodies.map((body, i) => ({ id: `msg-${queue}-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), ids: messages.map((m) => m.id) };
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;

describe('results queue consumer', () => {
  it('writes resources once however often a batch is delivered', async () => {
    const resources = Array.from({ length: 250 }, (_, i) => resource('123456789012', 'us-east-1', 'AWS::EC2::Instance', `i-${i}`));
    const messages: ResourcesMessage[] = splitIntoMessages(
      { job_id: 'job_consumer1', shard_id: 'job_consumer1.0', attempt: 1, sequence: 0 },
      resources,
    );
    const first = await deliver('driftmgr-results', messages);
    expect(first.explicitAcks).toHaveLength(messages.length);
    await deliver('driftmgr-results', messages);
    expect(await count(`SELECT COUNT(*) AS n FROM resources WHERE last_seen_job = ?`, 'job_consumer1')).toBe(250);
    const stored = await env.DB.prepare(`SELECT attributes, tags FROM resources WHERE resource_id = 'i-7'`).first<{ attributes: string; tags: string }>();
    expect(JSON.parse(stored!.attributes)).toEqual({ id: 'i-7', size: 8 });
    expect(JSON.parse(stored!.tags)).toEqual({ team: 'core' });
  });

  it('a later job updates the sighting, keeping the first one', async () => {
    const r = resource('123456789012', 'eu-west-1', 'AWS::EC2::VPC', 'vpc-1');
    await deliver('driftmgr-results', splitIntoMessages({ job_id: 'job_a', shard_id: 'job_a.0', attempt: 1, sequence: 0 }, [r]));
    await deliver('driftmgr-results', splitIntoMessages({ job_id: 'job_b', shard_id: 'job_b.0', attempt: 1, sequence: 0 }, [r]));
    const row = await env.DB.prepare(`SELECT first_seen_job, last_seen_job FROM resources WHERE resource_id = 'vpc-1'`).first();
    expect(row).toEqual({ first_seen_job: 'job_a', last_seen_job: 'job_b' });
  });

  it('sends a message that is not ours to the dead-letter queue and acks it', async () => {
    const result = await deliver('driftmgr-results', [{ kind: 'mystery' }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });

  it('records dead letters with their reason', async () => {
    const { ids } = await deliver('driftmgr-results-dlq', [{ reason: 'not a DriftMgr queue message', message_id: 'x', body: { kind: 'mystery' } }]);
    const row = await env.DB.prepare(`SELECT reason, queue FROM dead_letters WHERE message_id = ?`).bind(ids[0]).first();
    expect(row).toEqual({ reason: 'not a DriftMgr queue message', queue: 'driftmgr-results-dlq' });
  });

  it('puts a message that is not ours on the dead-letter queue, whose consumer records it', async () => {
    const { ids } = await deliver('driftmgr-results', [{ kind: 'resources', job_id: 'job_bad' }]);
    // The real dead-letter queue delivers to this Worker's own consumer, which keeps the letter in D1.
    const letter = await vi.waitFor(
      async () => {
        const row = await env.DB.prepare(`SELECT queue, reason, body FROM dead_letters WHERE body ->> '$.message_id' = ?`)
          .bind(ids[0])
          .first<{ queue: string; reason: string; body: string }>();
        if (!row) throw new Error('no dead letter yet');
        return row;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(letter.queue).toBe('driftmgr-results-dlq');
    expect(letter.reason).toMatch(/^not a DriftMgr queue message: /);
    expect(JSON.parse(letter.body)).toEqual({ reason: letter.reason, message_id: ids[0], body: { kind: 'resources', job_id: 'job_bad' } });
  });
});

describe('results queue consumer when the database refuses the write', () => {
  const REFUSED_JOB = 'job_refused';
  // A trigger makes D1 itself refuse every inventory row of one job, as a failing write would.
  const refuseWrites = () =>
    env.DB.prepare(
      `CREATE TRIGGER refuse_job_refused BEFORE INSERT ON resources WHEN NEW.last_seen_job = '${REFUSED_JOB}'
       BEGIN SELECT RAISE(ABORT, 'write refused'); END`,
    ).run();
  const acceptWrites = () => env.DB.prepare(`DROP TRIGGER IF EXISTS refuse_job_refused`).run();
  const messagesOf = (jobId: string, ids: string[]) =>
    splitIntoMessages({ job_id: jobId, shard_id: `${jobId}.0`, attempt: 1, sequence: 0 }, ids.map((id) => resource('123456789012', 'us-east-1', 'AWS::EC2::Instance', id)));

  it('retries every message of the delivery and acks none, then stores them once the write succeeds', async () => {
    const messages = [...messagesOf('job_fine', ['i-fine']), ...messagesOf(REFUSED_JOB, ['i-refused'])];
    await refuseWrites();
    try {
      const failed = await deliver('driftmgr-results', messages);
      expect(failed.explicitAcks).toEqual([]);
      expect(failed.ackAll).toBe(false);
      expect(failed.retryMessages.map((m) => m.msgId).sort()).toEqual([...failed.ids].sort());
      expect(await count(`SELECT COUNT(*) AS n FROM resources WHERE last_seen_job = ?`, REFUSED_JOB)).toBe(0);
    } finally {
      await acceptWrites();
    }
    const redelivered = await deliver('driftmgr-results', messages);
    expect(redelivered.explicitAcks.sort()).toEqual([...redelivered.ids].sort());
    expect(redelivered.retryMessages).toEqual([]);
    expect(await count(`SELECT COUNT(*) AS n FROM resources WHERE resource_id IN ('i-fine', 'i-refused')`)).toBe(2);
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
