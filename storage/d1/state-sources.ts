import { asc, eq } from 'drizzle-orm';
import type { Provider } from '../../contract/resource.js';
import { stateSources as sources } from '../../schema/d1.js';
import {
  accountSourcesWhere,
  finishUpdate,
  heldWhere,
  leasableWhere,
  leaseOrder,
  leaseUpdate,
  nextReadExpression,
  requestUpdate,
  sourceOfTenantWhere,
  stateSourceColumns,
  stateSourceRow,
} from '../state-source-rows.js';
import type { NewStateSource, StateReadClaim, StateReadEnd, StoredStateSource } from '../state-sources.js';
import type { D1Db } from './batching.js';

export async function createStateSource(db: D1Db, source: NewStateSource): Promise<void> {
  await db.insert(sources).values(stateSourceRow(source));
}

export async function listStateSources(db: D1Db, tenant: string): Promise<StoredStateSource[]> {
  return db
    .select(stateSourceColumns(sources))
    .from(sources)
    .where(eq(sources.tenantId, tenant))
    .orderBy(asc(sources.createdAt), asc(sources.sourceId));
}

export async function getStateSource(db: D1Db, sourceId: string, tenant?: string): Promise<StoredStateSource | null> {
  const row = await db
    .select(stateSourceColumns(sources))
    .from(sources)
    .where(sourceOfTenantWhere(sources, sourceId, tenant))
    .get();
  return row ?? null;
}

export async function deleteStateSource(db: D1Db, sourceId: string): Promise<boolean> {
  const deleted = await db.delete(sources).where(eq(sources.sourceId, sourceId)).returning({ id: sources.sourceId });
  return deleted.length > 0;
}

export async function nextStateReadAt(
  db: D1Db,
  provider: Provider,
  account: string,
  tenant: string,
): Promise<string | null> {
  const row = await db
    .select({ at: nextReadExpression(sources) })
    .from(sources)
    .where(accountSourcesWhere(sources, provider, account, tenant))
    .get();
  return row?.at ?? null;
}

export async function leaseStateRead(db: D1Db, claim: StateReadClaim): Promise<StoredStateSource | null> {
  const pick = db
    .select({ id: sources.sourceId })
    .from(sources)
    .where(leasableWhere(sources, claim))
    .orderBy(leaseOrder(sources))
    .limit(1);
  const update = leaseUpdate(sources, claim, pick);
  const [row] = await db.update(sources).set(update.set).where(update.where).returning(stateSourceColumns(sources));
  return row ?? null;
}

export async function extendStateRead(db: D1Db, sourceId: string, leaseId: string, expiresAt: string) {
  const rows = await db
    .update(sources)
    .set({ leaseExpiresAt: expiresAt })
    .where(heldWhere(sources, sourceId, leaseId))
    .returning({ id: sources.sourceId });
  return rows.length > 0;
}

export async function finishStateRead(db: D1Db, sourceId: string, leaseId: string, end: StateReadEnd) {
  const rows = await db
    .update(sources)
    .set(finishUpdate(end))
    .where(heldWhere(sources, sourceId, leaseId))
    .returning({ id: sources.sourceId });
  return rows.length > 0;
}

export async function requestStateRead(db: D1Db, sourceId: string, at: string): Promise<boolean> {
  const rows = await db
    .update(sources)
    .set({ nextReadAt: requestUpdate(sources, at) })
    .where(eq(sources.sourceId, sourceId))
    .returning({ id: sources.sourceId });
  return rows.length > 0;
}
