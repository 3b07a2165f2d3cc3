import { type Column, type SQL, sql } from 'drizzle-orm';
import { jsonGroups } from '../json-rows.js';
import type { JsonMembers } from '../queries.js';

/**
 * Rows per statement, passed as one JSON parameter that the SQL expands with json_to_recordset:
 * Postgres has no 100 KB statement limit, so a whole consumer delivery is one or two statements;
 * the cap only bounds the memory of one statement.
 */
export const PG_STATEMENT_JSON_BYTES = 8_000_000;

/** Splits rows into JSON parameters of at most PG_STATEMENT_JSON_BYTES each. */
export function jsonChunks<T>(rows: readonly T[], describe: (row: T) => string): string[] {
  return jsonGroups(rows, PG_STATEMENT_JSON_BYTES, describe);
}

/** A field of the record a json_to_recordset row defines, selected as `column`. */
export function recordField<C extends Column>(column: C, field: string): SQL.Aliased<C['_']['data']> {
  return sql<C['_']['data']>`${sql.identifier(field)}`.as(column.name);
}

/**
 * One row per key, sorted by key. Postgres refuses to update a row twice in one upsert, and
 * writers that lock keys in the same order cannot deadlock each other. `merge` folds a later
 * row for a key into the earlier one, as applying them one after another would.
 */
export function uniqueByKey<T>(rows: readonly T[], key: (row: T) => string, merge: (earlier: T, later: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const earlier = byKey.get(k);
    byKey.set(k, earlier === undefined ? row : merge(earlier, row));
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** A member of a jsonb column as Postgres reads it (`->>` gives text, cast for numbers). */
export const PG_JSON: JsonMembers = {
  text: (column, key) => sql`${column} ->> ${sql.raw(`'${key}'`)}`,
  number: (column, key) => sql`(${column} ->> ${sql.raw(`'${key}'`)})::float8`,
};
