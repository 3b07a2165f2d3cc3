import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { chunkByJsonSize } from '../../contract/json-chunks.js';

export type D1Db = DrizzleD1Database;
/** One statement of a D1 batch. */
export type D1Statement = BatchItem<'sqlite'>;

/** Rows per JSON parameter stay well under D1's 100 KB statement and 2 MB value limits. */
export const ROWS_JSON_BYTES = 90_000;
/** Statements per D1 batch round trip (a batch is one atomic transaction). */
const STATEMENTS_PER_BATCH = 50;

/**
 * One statement per group of rows, the group passed as a single JSON parameter that the SQL
 * expands with json_each — how every multi-row write here stays within D1's 100 bound
 * parameters whatever the row count.
 */
export function jsonRowStatements<T, S>(rows: readonly T[], describe: (row: T) => string, statement: (json: string) => S): S[] {
  return chunkByJsonSize(rows, ROWS_JSON_BYTES, (row, bytes) => {
    throw new RowTooLargeError(`${describe(row)} is ${bytes} bytes as JSON; at most ${ROWS_JSON_BYTES}`);
  }).map((group) => statement(JSON.stringify(group)));
}

/** Runs statements in order, STATEMENTS_PER_BATCH to a batch. */
export async function runInBatches(db: D1Db, statements: D1Statement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) await runAtomically(db, statements.slice(i, i + STATEMENTS_PER_BATCH));
}

/** Runs statements as one batch: all of them apply or none does. */
export async function runAtomically(db: D1Db, statements: D1Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

export class RowTooLargeError extends Error {}

export async function runNativeInBatches(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
}
