import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import { storeFor } from '../storage/index.js';
import { endedRead, failedRead, nextScheduledRead, StateReadQueue } from './state-reads.js';

const ACCOUNT = '840000000001';

async function source(id: string, extra: { schedule?: string | null } = {}) {
  const now = new Date().toISOString();
  await storeFor(env).createStateSource({
    source_id: id,
    tenant_id: DEFAULT_TENANT,
    type: 's3',
    location: `s3://${id.replace('_', '-')}`,
    provider: 'aws',
    account: ACCOUNT,
    schedule: extra.schedule ?? null,
    replace_other_lineage: false,
    created_at: now,
    next_read_at: now,
  });
}

const settings = { leaseTtlMs: 20, maxAttempts: 2, retryBaseMs: 1000 };

describe('StateReadQueue', () => {
  it('ends a read as failed once its leases ran out the attempts, and moves on', async () => {
    await source('src_abandoned');
    const queue = new StateReadQueue(() => storeFor(env), settings);
    expect(await queue.take('aws', ACCOUNT, DEFAULT_TENANT, 'a', 'lease-1')).toMatchObject({
      source_id: 'src_abandoned',
      attempts: 1,
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(await queue.take('aws', ACCOUNT, DEFAULT_TENANT, 'b', 'lease-2')).toMatchObject({
      attempts: 2,
      agent_id: 'b',
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(await queue.take('aws', ACCOUNT, DEFAULT_TENANT, 'c', 'lease-3')).toBeNull();
    const ended = await storeFor(env).getStateSource('src_abandoned');
    expect(ended).toMatchObject({ attempts: 0, lease_id: null, next_read_at: null });
    expect(ended?.last_read).toMatchObject({ status: 'failed', error: expect.stringContaining('2 leases') });
  });

  it('sees a source added after it last asked, once told', async () => {
    const queue = new StateReadQueue(() => storeFor(env), settings);
    expect(await queue.take('aws', '840000000002', DEFAULT_TENANT, 'a', 'l-1')).toBeNull();
    const now = new Date().toISOString();
    await storeFor(env).createStateSource({
      source_id: 'src_new',
      tenant_id: DEFAULT_TENANT,
      type: 's3',
      location: 's3://src-new',
      provider: 'aws',
      account: '840000000002',
      schedule: null,
      replace_other_lineage: false,
      created_at: now,
      next_read_at: now,
    });
    queue.changed();
    expect(await queue.take('aws', '840000000002', DEFAULT_TENANT, 'a', 'l-2')).toMatchObject({ source_id: 'src_new' });
  });
});

describe('when a read falls due next', () => {
  const at = Date.UTC(2026, 0, 1, 10, 7);
  const stored = { schedule: '0 * * * *', attempts: 1 } as Parameters<typeof endedRead>[0];
  const summary = {
    at: new Date(at).toISOString(),
    status: 'succeeded' as const,
    error: null,
    counts: { stored: 1, unchanged: 0, queued: 0, refused: 0, invalid: 0 },
    problems: [],
  };

  it('follows the schedule after a read ends, and never without one', () => {
    expect(nextScheduledRead('0 * * * *', at)).toBe('2026-01-01T11:00:00.000Z');
    expect(nextScheduledRead(null, at)).toBeNull();
    expect(endedRead(stored, summary, at)).toEqual({
      next_read_at: '2026-01-01T11:00:00.000Z',
      reset_attempts: true,
      last_read: summary,
    });
  });

  it('retries a passing failure after a doubling delay, then ends it at the schedule', () => {
    expect(failedRead({ ...stored, attempts: 1 }, 'SlowDown', true, settings, at)).toEqual({
      next_read_at: new Date(at + 1000).toISOString(),
      reset_attempts: false,
    });
    expect(
      failedRead({ ...stored, attempts: 2 }, 'SlowDown', true, { ...settings, maxAttempts: 3 }, at).next_read_at,
    ).toBe(new Date(at + 2000).toISOString());
    const ended = failedRead({ ...stored, attempts: 2 }, 'SlowDown', true, settings, at);
    expect(ended).toMatchObject({ next_read_at: '2026-01-01T11:00:00.000Z', reset_attempts: true });
    expect(ended.last_read).toMatchObject({ status: 'failed', error: 'SlowDown' });
    expect(failedRead({ ...stored, attempts: 1 }, 'AccessDenied', false, settings, at).reset_attempts).toBe(true);
  });
});
