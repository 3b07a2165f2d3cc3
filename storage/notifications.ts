import { and, inArray, type SQL } from 'drizzle-orm';
import type { Severity } from '../contract/drift.js';
import { columnsAs, driftWhere, type EitherTable, type InsertOf, type JsonMembers } from './queries.js';
import type { NotificationTarget } from './store.js';

/** Notification targets and the drift they announce, as both stores read and write them. */

export function notificationColumns<T extends EitherTable<'notifications'>>(t: T) {
  return columnsAs(t, {
    notification_id: 'notificationId',
    type: 'type',
    url: 'url',
    min_severity: 'minSeverity',
    secret: 'secret',
    created_at: 'createdAt',
    tenant_id: 'tenantId',
  });
}

export function notificationRow(n: NotificationTarget): InsertOf<'notifications'> {
  return {
    notificationId: n.notification_id,
    type: n.type,
    url: n.url,
    minSeverity: n.min_severity,
    secret: n.secret,
    createdAt: n.created_at,
    tenantId: n.tenant_id,
  };
}

/** A job's items first seen in it that nobody acknowledged, of the given severities: what is news to announce. */
export function newDriftWhere(
  t: EitherTable<'driftItems'>,
  jobId: string,
  severities: readonly Severity[],
  member: JsonMembers,
): SQL | undefined {
  // Item seqs start at 0, so -1 takes every item.
  const fresh = driftWhere(t, { job_id: jobId, status: 'new', acknowledged: false }, -1, member);
  return and(fresh, inArray(t.severity, [...severities]));
}
