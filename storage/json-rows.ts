import { chunkByJsonSize } from '../contract/json-chunks.js';

/** A single row larger than one statement may carry; the import route answers 413 with it. */
export class RowTooLargeError extends Error {}

/**
 * Rows in groups of at most `maxBytes` of JSON, each group as one JSON array: the one
 * parameter a bulk statement of either store expands into rows.
 */
export function jsonGroups<T>(rows: readonly T[], maxBytes: number, describe: (row: T) => string): string[] {
  return chunkByJsonSize(rows, maxBytes, (row, bytes) => {
    throw new RowTooLargeError(`${describe(row)} is ${bytes} bytes as JSON; at most ${maxBytes}`);
  }).map((group) => JSON.stringify(group));
}
