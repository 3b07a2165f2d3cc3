import { expect, it } from 'vitest';
import type { StateReadSummary } from '../../../contract/state-sources.js';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import type { NewStateSource, StateReadClaim } from '../../../storage/state-sources.js';
import type { Store } from '../../../storage/store.js';
import { at } from './stores.js';

function source(id: string, minute: number, extra: Partial<NewStateSource> = {}): NewStateSource {
  return {
    source_id: id,
    tenant_id: DEFAULT_TENANT,
    type: 's3',
    location: `s3://states-${id}/prod`,
    provider: 'aws',
    account: '111111111111',
    schedule: null,
    replace_other_lineage: false,
    created_at: at(minute),
    next_read_at: at(minute),
    ...extra,
  };
}

const claim = (lease: string, minute: number, extra: Partial<StateReadClaim> = {}): StateReadClaim => ({
  provider: 'aws',
  account: '111111111111',
  tenant: DEFAULT_TENANT,
  agent_id: 'agent-a',
  lease_id: lease,
  now: at(minute),
  expires_at: at(minute + 1),
  ...extra,
});

const summary: StateReadSummary = {
  at: at(12),
  status: 'succeeded',
  error: null,
  counts: { stored: 2, unchanged: 1, queued: 0, refused: 0, invalid: 0 },
  problems: [],
};

/** The storage suite's cases for state sources and their read leases, run on each store by storage/store.test.ts. */
export function stateSourceCases(current: () => Store): void {
  it('keeps state sources, lists them oldest first, and deletes one', async () => {
    const store = current();
    await store.createStateSource(source('src_b', 2, { schedule: '0 * * * *', replace_other_lineage: true }));
    await store.createStateSource(source('src_a', 1));
    const idle = { lease_id: null, lease_expires_at: null, agent_id: null, attempts: 0, last_read: null };
    expect(await store.listStateSources(DEFAULT_TENANT)).toEqual([
      { ...source('src_a', 1), ...idle },
      { ...source('src_b', 2, { schedule: '0 * * * *', replace_other_lineage: true }), ...idle },
    ]);
    expect(await store.getStateSource('src_none')).toBeNull();
    expect(await store.deleteStateSource('src_a')).toBe(true);
    expect(await store.deleteStateSource('src_a')).toBe(false);
    expect((await store.listStateSources(DEFAULT_TENANT)).map((s) => s.source_id)).toEqual(['src_b']);
  });

  it('leases the most overdue read of the account once, lets an expired lease be taken over, and ends it', async () => {
    const store = current();
    await store.createStateSource(source('src_late', 5));
    await store.createStateSource(source('src_early', 3));
    await store.createStateSource(source('src_future', 1, { next_read_at: at(30) }));
    await store.createStateSource(source('src_other', 1, { account: '222222222222' }));
    expect(await store.nextStateReadAt('aws', '111111111111', DEFAULT_TENANT)).toBe(at(3));

    const first = await store.leaseStateRead(claim('lease-1', 10));
    expect(first).toMatchObject({ source_id: 'src_early', lease_id: 'lease-1', attempts: 1, agent_id: 'agent-a' });
    expect((await store.leaseStateRead(claim('lease-2', 10)))?.source_id).toBe('src_late');
    // Both due reads are held: nothing more until a lease runs out or the future one falls due.
    expect(await store.leaseStateRead(claim('lease-3', 10))).toBeNull();
    expect(await store.nextStateReadAt('aws', '111111111111', DEFAULT_TENANT)).toBe(at(11));

    expect(await store.extendStateRead('src_early', 'lease-1', at(20))).toBe(true);
    expect(await store.extendStateRead('src_early', 'lease-x', at(20))).toBe(false);
    // src_late's lease ran out at minute 11: another agent takes it over, a second attempt.
    const takeover = await store.leaseStateRead(claim('lease-4', 12, { agent_id: 'agent-b' }));
    expect(takeover).toMatchObject({ source_id: 'src_late', attempts: 2, agent_id: 'agent-b' });
    expect(await store.finishStateRead('src_late', 'lease-2', { next_read_at: null, reset_attempts: true })).toBe(
      false,
    );

    const end = { next_read_at: at(60), reset_attempts: true, last_read: summary };
    expect(await store.finishStateRead('src_late', 'lease-4', end)).toBe(true);
    expect(await store.getStateSource('src_late')).toMatchObject({
      next_read_at: at(60),
      lease_id: null,
      lease_expires_at: null,
      agent_id: null,
      attempts: 0,
      last_read: summary,
    });
    // A retried read keeps its attempts and its last summary.
    expect(await store.finishStateRead('src_early', 'lease-1', { next_read_at: at(13), reset_attempts: false })).toBe(
      true,
    );
    expect(await store.getStateSource('src_early')).toMatchObject({
      attempts: 1,
      last_read: null,
      next_read_at: at(13),
    });
    expect(await store.nextStateReadAt('aws', '222222222222', DEFAULT_TENANT)).toBe(at(1));
  });

  it("keeps each tenant's sources apart: listed, found, due and leased in their own tenant only", async () => {
    const store = current();
    await store.createStateSource(source('src_default', 1));
    await store.createStateSource(source('src_team', 2, { tenant_id: 'team-t' }));
    expect((await store.listStateSources(DEFAULT_TENANT)).map((s) => s.source_id)).toEqual(['src_default']);
    expect((await store.listStateSources('team-t')).map((s) => s.source_id)).toEqual(['src_team']);
    expect(await store.getStateSource('src_default', 'team-t')).toBeNull();
    expect((await store.getStateSource('src_default', DEFAULT_TENANT))?.tenant_id).toBe(DEFAULT_TENANT);
    expect((await store.getStateSource('src_team'))?.tenant_id).toBe('team-t');
    expect(await store.nextStateReadAt('aws', '111111111111', 'team-t')).toBe(at(2));
    expect(await store.nextStateReadAt('aws', '111111111111', 'team-x')).toBeNull();
    expect(await store.leaseStateRead(claim('lease-x', 10, { tenant: 'team-x' }))).toBeNull();
    expect((await store.leaseStateRead(claim('lease-t', 10, { tenant: 'team-t' })))?.source_id).toBe('src_team');
    expect((await store.leaseStateRead(claim('lease-d', 10)))?.source_id).toBe('src_default');
  });

  it('makes a read due on request, never later than it already was', async () => {
    const store = current();
    await store.createStateSource(source('src_idle', 1, { next_read_at: null }));
    await store.createStateSource(source('src_due', 1));
    expect(await store.nextStateReadAt('aws', '111111111111', DEFAULT_TENANT)).toBe(at(1));
    expect(await store.requestStateRead('src_idle', at(7))).toBe(true);
    expect(await store.requestStateRead('src_due', at(7))).toBe(true);
    expect(await store.requestStateRead('src_none', at(7))).toBe(false);
    expect((await store.getStateSource('src_idle'))?.next_read_at).toBe(at(7));
    expect((await store.getStateSource('src_due'))?.next_read_at).toBe(at(1));
  });
}
