import { expect, it } from 'vitest';
import type { DriftItem } from '../../../engine/index.js';
import type { NotificationTarget, Store } from '../../../storage/store.js';
import { at, driftItem } from './stores.js';

function target(id: string, minute: number, extra: Partial<NotificationTarget> = {}): NotificationTarget {
  return {
    notification_id: id,
    type: 'webhook',
    url: `https://hooks.example.com/${id}`,
    min_severity: 'high',
    secret: `secret-of-${id}-0123456789`,
    created_at: at(minute),
    tenant_id: 'default',
    ...extra,
  };
}

/** An item of the lifecycle's making: its status, and an acknowledgement when asked. */
function tracked(n: number, extra: Partial<DriftItem>): DriftItem {
  return { ...driftItem(n), status: 'new', first_seen_job: 'job-n', first_seen_at: at(1), ...extra };
}

/** The storage suite's cases for notification targets, run on each store by storage/store.test.ts. */
export function notificationCases(current: () => Store): void {
  it('keeps notification targets with their secrets, lists them oldest first, and deletes one with its deliveries', async () => {
    const store = current();
    await store.createNotification(target('ntf_b', 2, { type: 'slack', secret: null, min_severity: 'low' }));
    await store.createNotification(target('ntf_a', 1));
    expect(await store.listNotifications()).toEqual([
      target('ntf_a', 1),
      target('ntf_b', 2, { type: 'slack', secret: null, min_severity: 'low' }),
    ]);
    expect(await store.getNotification('ntf_a')).toEqual(target('ntf_a', 1));
    expect(await store.getNotification('ntf_none')).toBeNull();

    await store.recordNotificationDelivery('ntf_a', 'job-1', at(3));
    await store.recordNotificationDelivery('ntf_b', 'job-1', at(3));
    expect(await store.deleteNotification('ntf_a')).toBe(true);
    expect(await store.deleteNotification('ntf_a')).toBe(false);
    expect((await store.listNotifications()).map((t) => t.notification_id)).toEqual(['ntf_b']);
    // A target created again under the same id starts with no deliveries.
    await store.createNotification(target('ntf_a', 4));
    expect(await store.notificationDelivered('ntf_a', 'job-1')).toBe(false);
    expect(await store.notificationDelivered('ntf_b', 'job-1')).toBe(true);
  });

  it("lists a tenant's targets only, and every tenant's without one", async () => {
    const store = current();
    await store.createNotification(target('ntf_a', 1));
    await store.createNotification(target('ntf_t', 2, { tenant_id: 'team-t' }));
    const ids = async (tenant?: string) => (await store.listNotifications(tenant)).map((t) => t.notification_id);
    expect(await ids('default')).toEqual(['ntf_a']);
    expect(await ids('team-t')).toEqual(['ntf_t']);
    expect(await ids()).toEqual(['ntf_a', 'ntf_t']);
    expect((await store.getNotification('ntf_t'))?.tenant_id).toBe('team-t');
  });

  it('records a delivery once per target and job, however often it is recorded', async () => {
    const store = current();
    expect(await store.notificationDelivered('ntf_a', 'job-1')).toBe(false);
    await store.recordNotificationDelivery('ntf_a', 'job-1', at(1));
    await store.recordNotificationDelivery('ntf_a', 'job-1', at(2));
    expect(await store.notificationDelivered('ntf_a', 'job-1')).toBe(true);
    expect(await store.notificationDelivered('ntf_a', 'job-2')).toBe(false);
    expect(await store.notificationDelivered('ntf_b', 'job-1')).toBe(false);
  });

  it("digests a job's new, unacknowledged drift of the severities asked: counts, and the riskiest first", async () => {
    const store = current();
    const ack = { reason: 'known', until: null, at: at(1) };
    const items = [
      tracked(0, { severity: 'critical', score: 90 }),
      tracked(1, { severity: 'high', score: 70 }),
      tracked(2, { severity: 'high', score: 75 }),
      tracked(3, { severity: 'high', score: 70 }),
      tracked(4, { severity: 'medium', score: 40 }),
      tracked(5, { severity: 'critical', score: 99, status: 'ongoing' }),
      tracked(6, { severity: 'critical', score: 98, acknowledged: ack }),
      tracked(7, { severity: 'low', score: 5 }),
    ];
    await store.saveDriftItems('job-1', 0, items);
    await store.saveDriftItems('job-2', 0, [tracked(8, { severity: 'critical', score: 100 })]);

    const digest = await store.newDriftDigest('job-1', ['critical', 'high'], 3);
    expect(digest.by_severity).toEqual({ critical: 1, high: 3 });
    // Equal scores keep report order.
    expect(digest.top.map((i) => i.id)).toEqual(['i-0', 'i-2', 'i-1']);
    expect(digest.top[0]).toEqual(items[0]);

    expect((await store.newDriftDigest('job-1', ['critical', 'high', 'medium', 'low'], 20)).by_severity).toEqual({
      critical: 1,
      high: 3,
      medium: 1,
      low: 1,
    });
    expect(await store.newDriftDigest('job-1', ['medium'], 20)).toEqual({
      by_severity: { medium: 1 },
      top: [items[4]],
    });
    expect(await store.newDriftDigest('job-none', ['critical'], 20)).toEqual({ by_severity: {}, top: [] });
  });
}
