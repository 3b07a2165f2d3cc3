import { type Column, fillPlaceholders, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { ROWS_JSON_BYTES } from '../../contract/limits.js';
import { jsonGroups } from '../json-rows.js';
import type { JsonMembers } from '../queries.js';

export type D1Db = DrizzleD1Database & { $client: D1Database };
/** One drizzle statement of a D1 batch. */
export type D1Statement = BatchItem<'sqlite'>;

/** Statements per D1 batch round trip (a batch is one atomic transaction). */
const STATEMENTS_PER_BATCH = 50;

/** Where a bulk statement takes its group of rows (a JSON array read with json_each). */
export const JSON_ROWS = sql.placeholder('rows');

/**
 * One statement per group of rows, the group passed as a single JSON parameter that the SQL
 * expands with json_each — how every multi-row write here stays within D1's 100 bound
 * parameters whatever the row count. Drizzle builds the statement once, with JSON_ROWS for
 * the group; each group binds it natively, as building a query per group would cost the
 * ingest path about 0.5 ms a statement.
 */
export function jsonRowStatements<T>(
  db: D1Db,
  rows: readonly T[],
  describe: (row: T) => string,
  statement: { toSQL(): { sql: string; params: unknown[] } },
): D1PreparedStatement[] {
  const { sql: text, params } = statement.toSQL();
  const prepared = db.$client.prepare(text);
  return jsonGroups(rows, ROWS_JSON_BYTES, describe).map((rows) =>
    prepared.bind(...fillPlaceholders(params, { rows })),
  );
}

/**
 * The member at `path` of each json_each row, selected as `column` (`->>` reads a scalar,
 * `->` keeps JSON text for JSON columns).
 */
export function jsonMember<C extends Column>(
  column: C,
  path: string,
  read: '->>' | '->' = '->>',
): SQL.Aliased<C['_']['data']> {
  return sql<C['_']['data']>`value ${sql.raw(read)} ${sql.raw(`'${path}'`)}`.as(column.name);
}

/** A drizzle statement as a prepared D1 statement, to run in order with bulk statements. */
export function prepared(db: D1Db, statement: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql: text, params } = statement.toSQL();
  return db.$client.prepare(text).bind(...params);
}

/** Runs bulk statements in order, STATEMENTS_PER_BATCH to a batch. */
export async function runInBatches(db: D1Db, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH)
    await db.$client.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
}

/** Runs drizzle statements as one batch: all of them apply or none does. */
export async function runAtomically(db: D1Db, statements: D1Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** A member of a JSON column as SQLite reads it (`->>` gives text, or a number for a JSON number). */
export const D1_JSON: JsonMembers = {
  text: (column, key) => sql`${column} ->> ${sql.raw(`'$.${key}'`)}`,
  number: (column, key) => sql`${column} ->> ${sql.raw(`'$.${key}'`)}`,
};
