import { and, type Column, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { ROWS_JSON_BYTES } from '../contract/limits.js';
import { jsonGroups } from './json-rows.js';
import { type EitherTable, ifSet } from './queries.js';
import type { SlotFilter, SlotRange } from './store.js';

/**
 * Reading one part of an account's analysis: the rows whose slot (engine/partition.ts) the
 * part holds. Rows written before slots existed have none; they are read with every part and
 * kept or left by the slot their content gives.
 */

/** Rows a scan reads at a time: a page of resources or state instances is about a megabyte, so a reader holds little beyond what it keeps. */
export const SCAN_PAGE = 1000;

/** The filter as groups a statement can take: a range as it is, a set in groups of one JSON parameter. */
export function slotGroups(filter: SlotFilter): SlotFilter[] {
  if (!('in' in filter)) return [filter];
  return jsonGroups(filter.in, ROWS_JSON_BYTES, (slot) => `slot ${slot}`).map((group) => ({
    in: JSON.parse(group) as number[],
  }));
}

/** How a dialect tests a column against a JSON array of integers. */
export type InJsonIntegers = (column: Column, json: string) => SQL;

export const D1_IN_INTEGERS: InJsonIntegers = (column, json) =>
  sql`${column} IN (SELECT value FROM json_each(${json}))`;
export const PG_IN_INTEGERS: InJsonIntegers = (column, json) =>
  sql`${column} IN (SELECT json_array_elements_text(${json}::json)::int)`;

/** Rows in one group of the filter (see slotGroups). */
export function slotWhere(column: Column, group: SlotFilter, inIntegers: InJsonIntegers): SQL {
  return 'in' in group
    ? inIntegers(column, JSON.stringify(group.in))
    : sql`${column} BETWEEN ${group.from} AND ${group.to}`;
}

/** Rows without a slot, read with every part. */
export const unslotted = (column: Column) => isNull(column);

/** A test of whether the filter holds a slot. */
export function slotTest(filter: SlotFilter): (slot: number) => boolean {
  if (!('in' in filter)) return (slot) => slot >= filter.from && slot <= filter.to;
  const slots = new Set(filter.in);
  return (slot) => slots.has(slot);
}

/** A job's sightings (of one account) in one part's range: what the part merges and drops when it is done. */
export function partSightingsWhere(
  t: EitherTable<'jobResources'>,
  jobId: string,
  account: string | undefined,
  slots: SlotRange,
  inIntegers: InJsonIntegers,
): SQL | undefined {
  return and(
    eq(t.jobId, jobId),
    ifSet(account, (a) => eq(t.account, a)),
    slotWhere(t.slot, slots, inIntegers),
  );
}

/** Where a scan of the active states' instances stopped: the last row's state (workspace, name) and seq. */
export type InstanceCursor = [workspace: string, name: string, seq: number];

/** The columns a scan of instances orders and resumes by. */
export function instanceCursorColumns<S extends EitherTable<'states'>, I extends EitherTable<'stateInstances'>>(
  s: S,
  i: I,
): { workspace: S['workspace']; name: S['name']; seq: I['seq'] } {
  return { workspace: s.workspace, name: s.name, seq: i.seq };
}

/** Instances after the cursor in (workspace, name, seq) order. */
export function instanceAfter(
  s: EitherTable<'states'>,
  i: EitherTable<'stateInstances'>,
  [workspace, name, seq]: InstanceCursor,
): SQL {
  return sql`(${s.workspace}, ${s.name}, ${i.seq}) > (${workspace}, ${name}, ${seq})`;
}

export const instanceCursorOf = (r: { workspace: string; name: string; seq: number }): InstanceCursor => [
  r.workspace,
  r.name,
  r.seq,
];
