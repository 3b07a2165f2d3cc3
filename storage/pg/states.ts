import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { instanceSlot, type ParsedState, type SeqInstance, type StateInstance } from '../../engine/index.js';
import { stateInstances as instances, states } from '../../schema/pg.js';
import { chunked, emptyState, stateHeaderColumns, VALUES_PER_STATEMENT } from '../import-rows.js';
import { activeVersionWhere, doomedStatesWhere, ifSet, instanceAccountWhere, valueAs } from '../queries.js';
import {
  activeStatesOf,
  importingStateRow,
  instanceRows,
  newStateId,
  newStoredStates,
  STALE_IMPORT_MS,
  type StateInstanceRow,
  stateColumns,
  stateInstanceRows,
} from '../rows.js';
import {
  type InstanceCursor,
  instanceAfter,
  instanceCursorColumns,
  instanceCursorOf,
  PG_IN_INTEGERS,
  SCAN_PAGE,
  slotGroups,
  slotTest,
  slotWhere,
  unslotted,
} from '../slots.js';
import type { ActiveInstance, StateFilter, StoredState } from '../store.js';
import { jsonChunks, recordField } from './bulk.js';
import type { PgDb } from './connection.js';

/**
 * Stores parsed states of a workspace. Instances are written first under states that are
 * still `importing`; one final transaction makes them active and supersedes the previous
 * versions, so a failed import leaves the old states exactly as they were.
 */
export async function saveStates(
  db: PgDb,
  tenant: string,
  workspace: string,
  parsed: ParsedState[],
): Promise<StoredState[]> {
  const stored = newStoredStates(workspace, parsed, new Date().toISOString());
  if (stored.length > 0) await db.insert(states).values(stored.map((s) => importingStateRow(tenant, s)));
  for (const [i, s] of stored.entries()) await insertInstances(db, s.state_id, stateInstanceRows(parsed[i]!));
  await activateStates(db, tenant, stored);
  return stored;
}

/** A state a streamed import writes a batch at a time; its header comes with its activation. */
export async function beginState(
  db: PgDb,
  tenant: string,
  workspace: string,
  name: string,
  importedAt: string,
): Promise<string> {
  const stateId = newStateId();
  await db.insert(states).values(importingStateRow(tenant, emptyState(stateId, workspace, name, importedAt)));
  return stateId;
}

export async function addStateInstances(
  db: PgDb,
  stateId: string,
  firstSeq: number,
  batch: readonly StateInstance[],
  accounts: readonly (string | null)[],
  at: string,
): Promise<void> {
  await insertInstances(db, stateId, instanceRows(batch, firstSeq, accounts));
  await db
    .update(states)
    .set({ importedAt: at })
    .where(and(eq(states.stateId, stateId), eq(states.status, 'importing')));
}

export async function setInstanceAccount(
  db: PgDb,
  stateId: string,
  account: string,
  seqs: readonly number[],
): Promise<void> {
  for (const group of chunked(seqs, VALUES_PER_STATEMENT)) {
    await db
      .update(instances)
      .set({ account })
      .where(and(eq(instances.stateId, stateId), inArray(instances.seq, group)));
  }
}

export async function instancesInSlots(db: PgDb, stateId: string, slots: readonly number[]): Promise<SeqInstance[]> {
  const found: SeqInstance[] = [];
  for (const group of chunked(slots, VALUES_PER_STATEMENT)) {
    found.push(
      ...(await db
        .select({ seq: instances.seq, instance: instances.body })
        .from(instances)
        .where(and(eq(instances.stateId, stateId), inArray(instances.slot, group)))),
    );
  }
  return found;
}

/** One transaction makes the states active with their headers and supersedes the versions they replace. */
export async function activateStates(db: PgDb, tenant: string, stored: readonly StoredState[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const s of stored) {
      await tx
        .update(states)
        .set({ status: 'superseded' })
        .where(activeVersionWhere(states, tenant, s.workspace, s.name));
      await tx
        .update(states)
        .set({ ...stateHeaderColumns(s), status: 'active' })
        .where(eq(states.stateId, s.state_id));
    }
  });
  await pruneSuperseded(db);
}

export async function dropImportingStates(db: PgDb, stateIds: readonly string[]): Promise<void> {
  const doomed = and(inArray(states.stateId, [...stateIds]), eq(states.status, 'importing'));
  await db.transaction(async (tx) => {
    await tx
      .delete(instances)
      .where(inArray(instances.stateId, tx.select({ stateId: states.stateId }).from(states).where(doomed)));
    await tx.delete(states).where(doomed);
  });
}

/** A state's instance rows as JSON read with json_to_recordset: far faster than bound values for a large state. */
async function insertInstances(db: PgDb, stateId: string, rows: StateInstanceRow[]): Promise<void> {
  for (const json of jsonChunks(rows, (row) => `resource ${row.a}`)) {
    await db.insert(instances).select((qb) =>
      qb
        .select({
          stateId: valueAs(instances.stateId, stateId),
          seq: recordField(instances.seq, 'seq'),
          tfType: recordField(instances.tfType, 't'),
          address: recordField(instances.address, 'a'),
          account: recordField(instances.account, 'acct'),
          body: recordField(instances.body, 'b'),
          slot: recordField(instances.slot, 'sl'),
        })
        .from(sql`json_to_recordset(${json}::json) AS x(seq int, t text, a text, acct text, b jsonb, sl int)`),
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

export async function listActiveStates(db: PgDb, tenant: string): Promise<StoredState[]> {
  return db
    .select(stateColumns(states))
    .from(states)
    .where(and(eq(states.tenantId, tenant), eq(states.status, 'active')))
    .orderBy(asc(states.workspace), asc(states.name));
}

/**
 * The instances of the active states the filter lets through, a page at a time in state
 * (workspace, name) then instance order. With `filter.slots`, one pass per group of slots; rows
 * written before slots are read in each and kept in the group their content's slot is in.
 */
export async function scanActiveInstances(
  db: PgDb,
  filter: StateFilter,
  visit: (page: ActiveInstance[]) => void,
  pageSize = SCAN_PAGE,
): Promise<void> {
  const scope = and(
    eq(states.tenantId, filter.tenant),
    eq(states.status, 'active'),
    ifSet(filter.tfTypes, (types) => inArray(instances.tfType, [...types])),
    instanceAccountWhere(instances, filter.account),
  );
  for (const group of filter.slots ? slotGroups(filter.slots) : [undefined]) {
    const holds = group && slotTest(group);
    const inGroup = group && or(slotWhere(instances.slot, group, PG_IN_INTEGERS), unslotted(instances.slot));
    for (let after: InstanceCursor | undefined; ; ) {
      const page = await db
        .select({
          ...instanceCursorColumns(states, instances),
          stateId: instances.stateId,
          slot: instances.slot,
          body: instances.body,
        })
        .from(instances)
        .innerJoin(states, eq(states.stateId, instances.stateId))
        .where(
          and(
            scope,
            inGroup,
            ifSet(after, (a) => instanceAfter(states, instances, a)),
          ),
        )
        .orderBy(asc(states.workspace), asc(states.name), asc(instances.seq))
        .limit(pageSize);
      visit(
        page
          .filter((r) => !holds || r.slot !== null || holds(instanceSlot(r.body)))
          .map((r) => ({ state_id: r.stateId, instance: r.body })),
      );
      if (page.length < pageSize) break;
      after = instanceCursorOf(page.at(-1)!);
    }
  }
}

export async function loadActiveStates(db: PgDb, filter: StateFilter): Promise<ParsedState[]> {
  return activeStatesOf(await listActiveStates(db, filter.tenant), (visit) => scanActiveInstances(db, filter, visit));
}
