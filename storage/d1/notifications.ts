import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Severity } from '../../contract/drift.js';
import { notificationDeliveries as deliveries, driftItems as items, notifications } from '../../schema/d1.js';
import { newDriftWhere, notificationColumns, notificationRow } from '../notifications.js';
import { ifSet } from '../queries.js';
import { countsByKey } from '../rows.js';
import type { NewDriftDigest, NotificationTarget } from '../store.js';
import { D1_JSON, type D1Db } from './batching.js';

export async function createNotification(db: D1Db, target: NotificationTarget): Promise<void> {
  await db.insert(notifications).values(notificationRow(target));
}

export async function listNotifications(db: D1Db, tenant?: string): Promise<NotificationTarget[]> {
  return db
    .select(notificationColumns(notifications))
    .from(notifications)
    .where(ifSet(tenant, (x) => eq(notifications.tenantId, x)))
    .orderBy(asc(notifications.createdAt), asc(notifications.notificationId));
}

export async function getNotification(db: D1Db, id: string): Promise<NotificationTarget | null> {
  const row = await db
    .select(notificationColumns(notifications))
    .from(notifications)
    .where(eq(notifications.notificationId, id))
    .get();
  return row ?? null;
}

/** The target and its deliveries go in one atomic batch. */
export async function deleteNotification(db: D1Db, id: string): Promise<boolean> {
  const [deleted] = await db.batch([
    db
      .delete(notifications)
      .where(eq(notifications.notificationId, id))
      .returning({ id: notifications.notificationId }),
    db.delete(deliveries).where(eq(deliveries.notificationId, id)),
  ]);
  return deleted.length > 0;
}

export async function notificationDelivered(db: D1Db, id: string, jobId: string): Promise<boolean> {
  const row = await db
    .select({ jobId: deliveries.jobId })
    .from(deliveries)
    .where(and(eq(deliveries.notificationId, id), eq(deliveries.jobId, jobId)))
    .get();
  return row !== undefined;
}

export async function recordNotificationDelivery(db: D1Db, id: string, jobId: string, at: string): Promise<void> {
  await db.insert(deliveries).values({ notificationId: id, jobId, deliveredAt: at }).onConflictDoNothing();
}

/** Counts and the riskiest items in one batch round trip. */
export async function newDriftDigest(
  db: D1Db,
  jobId: string,
  severities: readonly Severity[],
  limit: number,
): Promise<NewDriftDigest> {
  const where = newDriftWhere(items, jobId, severities, D1_JSON);
  const [counts, top] = await db.batch([
    db.select({ key: items.severity, n: count() }).from(items).where(where).groupBy(items.severity),
    db.select({ item: items.body }).from(items).where(where).orderBy(desc(items.score), asc(items.seq)).limit(limit),
  ]);
  return { by_severity: countsByKey(counts), top: top.map((r) => r.item) };
}
