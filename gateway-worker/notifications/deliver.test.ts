import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { MAX_NOTIFIED_ITEMS, WebhookPayload } from '../../contract/notifications.js';
import type { NotificationMessage } from '../../contract/queue.js';
import type { DriftItem, Severity } from '../../engine/index.js';
import { storeFor } from '../../storage/index.js';
import { api } from '../../test/support/worker/api.js';
import { hookUrl, received, signatureVerifies, waitForReceived } from '../../test/support/worker/receiver.js';
import { driftItem } from '../../test/support/worker/stores.js';
import worker from '../index.js';
import { NOTIFICATION_ATTEMPTS, NOTIFICATIONS_QUEUE, notificationRetryDelay } from '../queue/notifications.js';

const SECRET = 'receiver-secret-0123456789abcdef';
let seq = 0;

/** An item first seen in its job, of a severity and score. */
function newItem(n: number, severity: Severity, score: number, extra: Partial<DriftItem> = {}): DriftItem {
  return { ...driftItem(n), severity, score, status: 'new', ...extra };
}

/** A job whose analysis saved these items, under a fresh id. */
async function jobWith(items: DriftItem[]): Promise<string> {
  const jobId = `job_notify${seq++}`;
  await storeFor(env).saveDriftItems(jobId, 0, items);
  return jobId;
}

/** A target registered through the API, delivering to the test receiver under a fresh name. */
async function target(body: Record<string, unknown> = {}, query = '') {
  const name = `deliver-${seq++}`;
  const res = await api('POST', '/api/v1/notifications', {
    type: 'webhook',
    url: hookUrl(name, query),
    min_severity: 'high',
    secret: SECRET,
    ...body,
  });
  expect(res.status).toBe(201);
  return { name, id: res.body.notification_id as string };
}

/** Hands the Worker's queue handler one notification message; the result says what it acked and retried. */
async function deliver(jobId: string, notificationId: string, attempts = 1) {
  const body: NotificationMessage = {
    kind: 'notification',
    job_id: jobId,
    provider: 'aws',
    notification_id: notificationId,
  };
  const id = `msg-${seq++}`;
  const batch = createMessageBatch(NOTIFICATIONS_QUEUE, [{ id, timestamp: new Date(), attempts, body }]);
  // The test batch records that a message was retried, not the delay asked: the spy keeps that.
  const retry = vi.spyOn(batch.messages[0]!, 'retry');
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages.length).toBe(retry.mock.calls.length);
  return {
    acked: result.explicitAcks.includes(id),
    retries: retry.mock.calls.map(([options]) => options?.delaySeconds),
  };
}

const deadLetterFor = async (notificationId: string) =>
  env.DB.prepare(`SELECT queue, reason FROM dead_letters WHERE body ->> '$.body.notification_id' = ?`)
    .bind(notificationId)
    .first<{ queue: string; reason: string }>();

async function waitForDeadLetter(notificationId: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const letter = await deadLetterFor(notificationId);
    if (letter || Date.now() > deadline) return letter;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('notification sender', () => {
  it('posts signed JSON: the counts by severity at or above the threshold and the riskiest items, at most 20', async () => {
    const items = [
      ...Array.from({ length: 24 }, (_, i) => newItem(i, 'high', 50 + i)),
      newItem(30, 'critical', 95),
      newItem(31, 'medium', 99),
      newItem(32, 'critical', 99, { status: 'ongoing' }),
    ];
    const jobId = await jobWith(items);
    const { name, id } = await target();

    expect(await deliver(jobId, id)).toEqual({ acked: true, retries: [] });
    const [request, ...more] = await received(name);
    expect(more).toEqual([]);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-driftmgr-delivery': `${jobId}.${id}`,
      'x-driftmgr-timestamp': expect.stringMatching(/^\d{10}$/),
      'x-driftmgr-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(Math.abs(Number(request!.headers['x-driftmgr-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
    expect(await signatureVerifies(SECRET, request!)).toBe(true);
    expect(await signatureVerifies('another-secret-0123456789', request!)).toBe(false);
    expect(await signatureVerifies(SECRET, { ...request!, body: request!.body.replace('"high"', '"low"') })).toBe(
      false,
    );

    const payload = WebhookPayload.parse(JSON.parse(request!.body));
    expect(payload).toMatchObject({
      event: 'drift.new',
      delivery_id: `${jobId}.${id}`,
      job_id: jobId,
      provider: 'aws',
      min_severity: 'high',
      summary: { new: 25, by_severity: { critical: 1, high: 24 } },
    });
    expect(payload.items).toHaveLength(MAX_NOTIFIED_ITEMS);
    expect(payload.items.map((i) => i.id)).toEqual(['i-30', ...Array.from({ length: 19 }, (_, i) => `i-${23 - i}`)]);
    const { address, kind, severity, score, cloud_type, account, region } = items[24]!;
    expect(payload.items[0]).toEqual({ address, kind, severity, score, cloud_type, id: 'i-30', account, region });
  });

  it('sends nothing when the job has no new drift at or above the threshold', async () => {
    const jobId = await jobWith([
      newItem(0, 'high', 80),
      newItem(1, 'critical', 99, { status: 'ongoing' }),
      newItem(2, 'critical', 99, { acknowledged: { reason: 'known', until: null, at: '2026-01-01T00:00:00.000Z' } }),
    ]);
    const critical = await target({ min_severity: 'critical' });
    expect(await deliver(jobId, critical.id)).toEqual({ acked: true, retries: [] });
    expect(await received(critical.name)).toEqual([]);

    // The same job does reach a target whose threshold its drift meets.
    const high = await target({ min_severity: 'high' });
    await deliver(jobId, high.id);
    expect(await received(high.name)).toHaveLength(1);
  });

  it('delivers each (job, target) once: the message delivered again sends nothing', async () => {
    const jobId = await jobWith([newItem(0, 'critical', 90)]);
    const { name, id } = await target();
    for (let delivery = 0; delivery < 3; delivery++) {
      expect(await deliver(jobId, id)).toEqual({ acked: true, retries: [] });
    }
    expect(await received(name)).toHaveLength(1);
    // Another job's news still reaches the target.
    await deliver(await jobWith([newItem(1, 'high', 60)]), id);
    expect(await received(name)).toHaveLength(2);
  });

  it('retries a receiver that answers 500 with doubling delays, then delivers once it answers 200', async () => {
    const jobId = await jobWith([newItem(0, 'high', 70)]);
    const { name, id } = await target({}, '?fail=2');
    expect(await deliver(jobId, id, 1)).toEqual({ acked: false, retries: [1] });
    expect(await deliver(jobId, id, 2)).toEqual({ acked: false, retries: [2] });
    expect(await deliver(jobId, id, 3)).toEqual({ acked: true, retries: [] });
    const requests = await received(name);
    expect(requests.map((r) => r.status)).toEqual([500, 500, 200]);
    // Every attempt is the same delivery, each signed with its own timestamp.
    expect(new Set(requests.map((r) => r.headers['x-driftmgr-delivery']))).toEqual(new Set([`${jobId}.${id}`]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const r of requests) expect(await signatureVerifies(SECRET, r)).toBe(true);
    expect(await deliver(jobId, id, 4)).toEqual({ acked: true, retries: [] });
    expect(await received(name)).toHaveLength(3);
  });

  it('retries a receiver it cannot reach', async () => {
    const jobId = await jobWith([newItem(0, 'high', 70)]);
    // Nothing listens on port 1 of this machine.
    const res = await api('POST', '/api/v1/notifications', {
      type: 'webhook',
      url: 'http://127.0.0.1:1/hook',
      min_severity: 'low',
    });
    expect(await deliver(jobId, res.body.notification_id, 2)).toEqual({ acked: false, retries: [2] });
  });

  it('dead-letters a delivery still failing on its last attempt, and one the receiver refuses at once', async () => {
    const jobId = await jobWith([newItem(0, 'high', 70)]);
    const failing = await target({}, '?status=503');
    expect(await deliver(jobId, failing.id, NOTIFICATION_ATTEMPTS)).toEqual({ acked: true, retries: [] });
    const exhausted = await waitForDeadLetter(failing.id);
    expect(exhausted).toEqual({
      queue: 'driftmgr-notifications-dlq',
      reason: expect.stringMatching(
        new RegExp(
          `^webhook 127\\.0\\.0\\.1:\\d+ answered 503 \\(attempt ${NOTIFICATION_ATTEMPTS} of ${NOTIFICATION_ATTEMPTS}\\)$`,
        ),
      ),
    });

    const refusing = await target({}, '?status=410');
    expect(await deliver(jobId, refusing.id, 1)).toEqual({ acked: true, retries: [] });
    expect((await waitForDeadLetter(refusing.id))?.reason).toMatch(/answered 410 \(attempt 1 of \d+\)$/);
    expect(await received(refusing.name)).toHaveLength(1);
    // The job the notification was about stays as it was.
    expect(await storeFor(env).notificationDelivered(refusing.id, jobId)).toBe(false);
  });

  it('drops the message of a target deleted meanwhile', async () => {
    const jobId = await jobWith([newItem(0, 'critical', 90)]);
    const { name, id } = await target();
    expect((await api('DELETE', `/api/v1/notifications/${id}`)).status).toBe(204);
    expect(await deliver(jobId, id)).toEqual({ acked: true, retries: [] });
    expect(await received(name)).toEqual([]);
  });

  it('waits the base delay after the first attempt, doubling after each further one, at most an hour', () => {
    expect([1, 2, 3, 4].map((attempts) => notificationRetryDelay(attempts, 30))).toEqual([30, 60, 120, 240]);
    expect(notificationRetryDelay(12, 30)).toBe(3600);
  });
});

describe('Slack notifications', () => {
  it('posts Block Kit: a header, the counts, the items as a list and the job in a context line', async () => {
    const jobId = await jobWith([
      newItem(0, 'critical', 95, { address: 'aws_security_group.web<&>' }),
      newItem(1, 'high', 70, { address: 'aws_instance.`api`' }),
      newItem(2, 'low', 10),
    ]);
    const name = `slack-${seq++}`;
    const res = await api('POST', '/api/v1/notifications', { type: 'slack', url: hookUrl(name), min_severity: 'high' });
    await deliver(jobId, res.body.notification_id);
    const [request] = await waitForReceived(name, 1);
    expect(request!.headers['x-driftmgr-signature']).toBeUndefined();
    expect(request!.headers['x-driftmgr-delivery']).toBe(`${jobId}.${res.body.notification_id}`);
    const message = JSON.parse(request!.body);
    expect(message.text).toBe('DriftMgr: 2 new drift items on aws');
    expect(message.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const [header, counts, list, context] = message.blocks;
    expect(header.text).toEqual({ type: 'plain_text', text: 'DriftMgr: 2 new drift items on aws', emoji: false });
    expect(counts.text).toEqual({ type: 'mrkdwn', text: '*critical* 1   *high* 1\n_new drift at or above high_' });
    expect(list.text.type).toBe('mrkdwn');
    expect(list.text.text.split('\n')).toEqual([
      '• *critical* changed `aws_security_group.web&lt;&amp;&gt;` (score 95) acct-2 r-a',
      "• *high* missing `aws_instance.'api'` (score 70) acct-1 r-a",
    ]);
    expect(context.elements).toEqual([
      { type: 'mrkdwn', text: `job \`${jobId}\` · delivery \`${jobId}.${res.body.notification_id}\`` },
    ]);
  });
});
