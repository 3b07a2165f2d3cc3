import { chunkByJsonSize } from '../../contract/json-chunks.js';

/** Rows per JSON parameter stay well under D1's 100 KB statement and 2 MB value limits. */
export const ROWS_JSON_BYTES = 90_000;
/** Statements per D1 batch round trip (a batch is one atomic transaction). */
const STATEMENTS_PER_BATCH = 50;

/**
 * One statement per group of rows, the group passed as a single JSON parameter that the SQL
 * expands with json_each — how every multi-row write here stays within D1's 100 bound
 * parameters whatever the row count.
 */
export function jsonRowStatements<T>(
  rows: readonly T[],
  describe: (row: T) => string,
  statement: (json: string) => D1PreparedStatement,
): D1PreparedStatement[] {
  return chunkByJsonSize(rows, ROWS_JSON_BYTES, (row, bytes) => {
    throw new RowTooLargeError(`${describe(row)} is ${bytes} bytes as JSON; at most ${ROWS_JSON_BYTES}`);
  }).map((group) => statement(JSON.stringify(group)));
}

export async function runInBatches(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
}

export class RowTooLargeError extends Error {}
