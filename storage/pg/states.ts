import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ParsedState } from '../../engine/index.js';
import { stateInstances as instances, states } from '../../schema/pg.js';
import { activeVersionWhere, doomedStatesWhere, ifSet, instanceAccountWhere, valueAs } from '../queries.js';
import {
  importingStateRow,
  newStoredStates,
  parsedStateOf,
  STALE_IMPORT_MS,
  stateColumns,
  stateInstanceRows,
} from '../rows.js';
import type { StateFilter, StoredState } from '../store.js';
import { jsonChunks, recordField } from './bulk.js';
import type { PgDb } from './connection.js';

/**
 * Stores parsed states of a workspace. Instances are written first under states that are
 * still `importing`; one final transaction makes them active and supersedes the previous
 * versions, so a failed import leaves the old states exactly as they were.
 */
export async function saveStates(db: PgDb, workspace: string, parsed: ParsedState[]): Promise<StoredState[]> {
  const stored = newStoredStates(workspace, parsed, new Date().toISOString());
  if (stored.length > 0) await db.insert(states).values(stored.map(importingStateRow));
  for (const [i, s] of stored.entries()) await insertInstances(db, s.state_id, parsed[i]!);
  await db.transaction(async (tx) => {
    for (const s of stored) {
      await tx
        .update(states)
        .set({ status: 'superseded' })
        .where(activeVersionWhere(states, s.workspace, s.name));
      await tx.update(states).set({ status: 'active' }).where(eq(states.stateId, s.state_id));
    }
  });
  await pruneSuperseded(db);
  return stored;
}

/** A state's instances as JSON read with json_to_recordset: far faster than bound values for a large state. */
async function insertInstances(db: PgDb, stateId: string, state: ParsedState): Promise<void> {
  for (const json of jsonChunks(stateInstanceRows(state), (row) => `resource ${row.a}`)) {
    await db.insert(instances).select((qb) =>
      qb
        .select({
          stateId: valueAs(instances.stateId, stateId),
          seq: recordField(instances.seq, 'seq'),
          tfType: recordField(instances.tfType, 't'),
          address: recordField(instances.address, 'a'),
          account: recordField(instances.account, 'acct'),
          body: recordField(instances.body, 'b'),
        })
        .from(sql`json_to_recordset(${json}::json) AS x(seq int, t text, a text, acct text, b jsonb)`),
    );
  }
}

/** Old versions and abandoned imports are dropped with their instances, in one transaction. */
async function pruneSuperseded(db: PgDb): Promise<void> {
  const doomed = doomedStatesWhere(states, new Date(Date.now() - STALE_IMPORT_MS).toISOString());
  await db.transaction(async (tx) => {
    await tx
      .delete(instances)
      .where(inArray(instances.stateId, tx.select({ stateId: states.stateId }).from(states).where(doomed)));
    await tx.delete(states).where(doomed);
  });
}

export async function listActiveStates(db: PgDb): Promise<StoredState[]> {
  return db
    .select(stateColumns(states))
    .from(states)
    .where(eq(states.status, 'active'))
    .orderBy(asc(states.workspace), asc(states.name));
}

/** The active states and their wanted instances in two queries, however many states there are. */
export async function loadActiveStates(db: PgDb, filter: StateFilter = {}): Promise<ParsedState[]> {
  const active = await listActiveStates(db);
  if (active.length === 0) return [];
  const rows = await db
    .select({ stateId: instances.stateId, body: instances.body })
    .from(instances)
    .where(
      and(
        inArray(
          instances.stateId,
          active.map((s) => s.state_id),
        ),
        ifSet(filter.tfTypes, (types) => inArray(instances.tfType, [...types])),
        instanceAccountWhere(instances, filter.account),
      ),
    )
    .orderBy(asc(instances.stateId), asc(instances.seq));
  const byState = Map.groupBy(rows, (r) => r.stateId);
  return active.map((s) =>
    parsedStateOf(
      s,
      (byState.get(s.state_id) ?? []).map((r) => r.body),
    ),
  );
}
