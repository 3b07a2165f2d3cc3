import { z } from 'zod';

/**
 * A TEXT column holding JSON, parsed and checked against `schema`: a row written by an
 * older release, or by hand, fails loudly here instead of flowing on as a wrong type.
 */
export function jsonColumn<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text): unknown => JSON.parse(text))
    .pipe(schema);
}

/** Every row of a query's result, decoded by the table's row schema. */
export function decodeRows<T extends z.ZodType>(
  cursor: SqlStorageCursor<Record<string, SqlStorageValue>>,
  schema: T,
): z.output<T>[] {
  return cursor.toArray().map((row) => schema.parse(row));
}
