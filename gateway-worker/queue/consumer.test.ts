import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../index.js';
import { resource } from '../../test/support/worker/api.js';
import { splitIntoMessages, type ResourcesMessage } from '../../contract/queue.js';

async function deliver(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${queue}-${i}-${Math.random()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
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
    await deliver('driftmgr-results-dlq', [{ reason: 'not a DriftMgr queue message', message_id: 'x', body: { kind: 'mystery' } }]);
    const row = await env.DB.prepare(`SELECT reason, queue FROM dead_letters`).first<{ reason: string; queue: string }>();
    expect(row).toEqual({ reason: 'not a DriftMgr queue message', queue: 'driftmgr-results-dlq' });
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
