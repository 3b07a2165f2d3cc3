import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { instanceSlot, type ParsedState, type SeqInstance, type StateInstance } from '../../engine/index.js';
import { stateInstances as instances, states } from '../../schema/d1.js';
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
  D1_IN_INTEGERS,
  type InstanceCursor,
  instanceAfter,
  instanceCursorColumns,
  instanceCursorOf,
  SCAN_PAGE,
  slotGroups,
  slotTest,
  slotWhere,
  unslotted,
} from '../slots.js';
import type { ActiveInstance, StateFilter, StoredState } from '../store.js';
import {
  type D1Db,
  JSON_ROWS,
  jsonMember,
  jsonRowStatements,
  prepared,
  runAtomically,
  runInBatches,
} from './batching.js';

/**
 * Stores parsed states of a workspace. Instances are written first under states that are
 * still `importing`; one final atomic batch makes them active and supersedes the previous
 * versions, so a failed import leaves the old states exactly as they were.
 */
export async function saveStates(
  db: D1Db,
  tenant: string,
  workspace: string,
  parsed: ParsedState[],
): Promise<StoredState[]> {
  const stored = newStoredStates(workspace, parsed, new Date().toISOString());
  await runAtomically(
    db,
    stored.map((s) => db.insert(states).values(importingStateRow(tenant, s))),
  );
  await runInBatches(
    db,
    stored.flatMap((s, i) => instanceInserts(db, s.state_id, stateInstanceRows(parsed[i]!))),
  );
  await activateStates(db, tenant, stored);
  return stored;
}

/** A state a streamed import writes a batch at a time; its header comes with its activation. */
export async function beginState(
  db: D1Db,
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
  db: D1Db,
  stateId: string,
  firstSeq: number,
  batch: readonly StateInstance[],
  accounts: readonly (string | null)[],
  at: string,
): Promise<void> {
  await runInBatches(db, [
    ...instanceInserts(db, stateId, instanceRows(batch, firstSeq, accounts)),
    prepared(
      db,
      db
        .update(states)
        .set({ importedAt: at })
        .where(and(eq(states.stateId, stateId), eq(states.status, 'importing'))),
    ),
  ]);
}

export async function setInstanceAccount(
  db: D1Db,
  stateId: string,
  account: string,
  seqs: readonly number[],
): Promise<void> {
  const statements = chunked(seqs, VALUES_PER_STATEMENT).map((group) =>
    prepared(
      db,
      db
        .update(instances)
        .set({ account })
        .where(
          and(
            eq(instances.stateId, stateId),
            sql`${instances.seq} IN (SELECT value FROM json_each(${JSON.stringify(group)}))`,
          ),
        ),
    ),
  );
  await runInBatches(db, statements);
}

export async function instancesInSlots(db: D1Db, stateId: string, slots: readonly number[]): Promise<SeqInstance[]> {
  const found: SeqInstance[] = [];
  for (const group of chunked(slots, VALUES_PER_STATEMENT)) {
    const rows = await db
      .select({ seq: instances.seq, instance: instances.body })
      .from(instances)
      .where(
        and(
          eq(instances.stateId, stateId),
          sql`${instances.slot} IN (SELECT value FROM json_each(${JSON.stringify(group)}))`,
        ),
      );
    found.push(...rows);
  }
  return found;
}

/** One atomic batch makes the states active with their headers and supersedes the versions they replace. */
export async function activateStates(db: D1Db, tenant: string, stored: readonly StoredState[]): Promise<void> {
  await runAtomically(
    db,
    stored.flatMap((s) => [
      db
        .update(states)
        .set({ status: 'superseded' })
        .where(activeVersionWhere(states, tenant, s.workspace, s.name)),
      db
        .update(states)
        .set({ ...stateHeaderColumns(s), status: 'active' })
        .where(eq(states.stateId, s.state_id)),
    ]),
  );
  await pruneSuperseded(db);
}

export async function dropImportingStates(db: D1Db, stateIds: readonly string[]): Promise<void> {
  const doomed = and(inArray(states.stateId, [...stateIds]), eq(states.status, 'importing'));
  await runAtomically(db, [
    db
      .delete(instances)
      .where(inArray(instances.stateId, db.select({ stateId: states.stateId }).from(states).where(doomed))),
    db.delete(states).where(doomed),
  ]);
}

/** A state's instance rows as JSON groups read with json_each: a state holds far more rows than D1's 100 bound parameters allow. */
function instanceInserts(db: D1Db, stateId: string, rows: StateInstanceRow[]) {
  const insert = db.insert(instances).select((qb) =>
    qb
      .select({
        stateId: valueAs(instances.stateId, stateId),
        seq: jsonMember(instances.seq, '$.seq'),
        tfType: jsonMember(instances.tfType, '$.t'),
        address: jsonMember(instances.address, '$.a'),
        account: jsonMember(instances.account, '$.acct'),
        body: jsonMember(instances.body, '$.b', '->'),
        slot: jsonMember(instances.slot, '$.sl'),
      })
      .from(sql`json_each(${JSON_ROWS})`),
  );
  return jsonRowStatements(db, rows, (row) => `resource ${row.a}`, insert);
}

/** Old versions and abandoned imports are dropped; their instances are never read again. */
async function pruneSuperseded(db: D1Db): Promise<void> {
  const doomed = doomedStatesWhere(states, new Date(Date.now() - STALE_IMPORT_MS).toISOString());
  await runAtomically(db, [
    db
      .delete(instances)
      .where(inArray(instances.stateId, db.select({ stateId: states.stateId }).from(states).where(doomed))),
    db.delete(states).where(doomed),
  ]);
}

export async function listActiveStates(db: D1Db, tenant: string): Promise<StoredState[]> {
  return db
    .select(stateColumns(states))
    .from(states)
    .where(and(eq(states.tenantId, tenant), eq(states.status, 'active')))
    .orderBy(asc(states.workspace), asc(states.name));
}

/**
 * The instances of the active states the filter lets through, a page at a time in state
 * (workspace, name) then instance order: one query a page however many states there are. With
 * `filter.slots`, one pass per group of slots; rows written before slots are read in each and
 * kept in the group their content's slot is in.
 */
export async function scanActiveInstances(
  db: D1Db,
  filter: StateFilter,
  visit: (page: ActiveInstance[]) => void,
  pageSize = SCAN_PAGE,
): Promise<void> {
  // The wanted types as one JSON parameter: a filter may name more types than D1's 100 bound parameters.
  const ofTypes = ifSet(
    filter.tfTypes,
    (types) => sql`${instances.tfType} IN (SELECT value FROM json_each(${JSON.stringify([...types])}))`,
  );
  const scope = and(
    eq(states.tenantId, filter.tenant),
    eq(states.status, 'active'),
    ofTypes,
    instanceAccountWhere(instances, filter.account),
  );
  for (const group of filter.slots ? slotGroups(filter.slots) : [undefined]) {
    const holds = group && slotTest(group);
    const inGroup = group && or(slotWhere(instances.slot, group, D1_IN_INTEGERS), unslotted(instances.slot));
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

export async function loadActiveStates(db: D1Db, filter: StateFilter): Promise<ParsedState[]> {
  return activeStatesOf(await listActiveStates(db, filter.tenant), (visit) => scanActiveInstances(db, filter, visit));
}
