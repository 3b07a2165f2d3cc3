import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Severity } from '../../contract/drift.js';
import { notificationDeliveries as deliveries, driftItems as items, notifications } from '../../schema/pg.js';
import { newDriftWhere, notificationColumns, notificationRow } from '../notifications.js';
import { ifSet } from '../queries.js';
import { countsByKey } from '../rows.js';
import type { NewDriftDigest, NotificationTarget } from '../store.js';
import { PG_JSON } from './bulk.js';
import type { PgDb } from './connection.js';

export async function createNotification(db: PgDb, target: NotificationTarget): Promise<void> {
  await db.insert(notifications).values(notificationRow(target));
}

export async function listNotifications(db: PgDb, tenant?: string): Promise<NotificationTarget[]> {
  return db
    .select(notificationColumns(notifications))
    .from(notifications)
    .where(ifSet(tenant, (x) => eq(notifications.tenantId, x)))
    .orderBy(asc(notifications.createdAt), asc(notifications.notificationId));
}

export async function getNotification(db: PgDb, id: string): Promise<NotificationTarget | null> {
  const [row] = await db
    .select(notificationColumns(notifications))
    .from(notifications)
    .where(eq(notifications.notificationId, id));
  return row ?? null;
}

/** The target and its deliveries go in one transaction. */
export async function deleteNotification(db: PgDb, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(notifications)
      .where(eq(notifications.notificationId, id))
      .returning({ id: notifications.notificationId });
    await tx.delete(deliveries).where(eq(deliveries.notificationId, id));
    return deleted.length > 0;
  });
}

export async function notificationDelivered(db: PgDb, id: string, jobId: string): Promise<boolean> {
  const [row] = await db
    .select({ jobId: deliveries.jobId })
    .from(deliveries)
    .where(and(eq(deliveries.notificationId, id), eq(deliveries.jobId, jobId)));
  return row !== undefined;
}

export async function recordNotificationDelivery(db: PgDb, id: string, jobId: string, at: string): Promise<void> {
  await db.insert(deliveries).values({ notificationId: id, jobId, deliveredAt: at }).onConflictDoNothing();
}

export async function newDriftDigest(
  db: PgDb,
  jobId: string,
  severities: readonly Severity[],
  limit: number,
): Promise<NewDriftDigest> {
  const where = newDriftWhere(items, jobId, severities, PG_JSON);
  const counts = await db.select({ key: items.severity, n: count() }).from(items).where(where).groupBy(items.severity);
  const top = await db
    .select({ item: items.body })
    .from(items)
    .where(where)
    .orderBy(desc(items.score), asc(items.seq))
    .limit(limit);
  return { by_severity: countsByKey(counts), top: top.map((r) => r.item) };
}
