import { jsonBytes } from './json-chunks.js';
import { type DiscoveredResource, resourceKey } from './resource.js';

/**
 * The limits every boundary shares, so the gateway refuses at the door exactly what the queue
 * or storage would refuse later, where one bad resource would take its whole delivery down.
 */

/** Rows per JSON parameter stay well under D1's 100 KB statement and 2 MB value limits. */
export const ROWS_JSON_BYTES = 90_000;

/**
 * Room a stored inventory row needs beside the resource and its key: the jobs and time of its
 * sighting and the row's member names (about 100 bytes today; generous on purpose).
 */
const ROW_SIGHTING_BYTES = 1_000;

/** Most bytes one resource and its key may take as JSON: a stored row must fit one JSON parameter. */
export const MAX_RESOURCE_JSON_BYTES = ROWS_JSON_BYTES - ROW_SIGHTING_BYTES;

/**
 * Deepest nesting of one resource as JSON (the resource object is level 1). SQLite's JSON
 * functions refuse input nested past 1000 levels; real cloud resources stay under 20.
 */
export const MAX_RESOURCE_JSON_DEPTH = 64;

/** Most resources one results chunk may carry. */
export const MAX_CHUNK_RESOURCES = 1000;

/** Queue messages must stay under 128 KB; this leaves room for the envelope. */
export const MAX_MESSAGE_BYTES = 100_000;
/** `sendBatch` takes at most 100 messages and 256 KB. */
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 250_000;

/** One job's shards must fit comfortably in its coordinator object. */
export const MAX_SHARDS = 50_000;

/** Why storage would refuse this resource, naming it and the limit; null when it fits. */
export function resourceLimitViolation(r: DiscoveredResource): string | null {
  if (nestedDeeperThan(r, MAX_RESOURCE_JSON_DEPTH)) {
    return `resource ${r.id} is nested more than ${MAX_RESOURCE_JSON_DEPTH} levels deep as JSON; at most ${MAX_RESOURCE_JSON_DEPTH}`;
  }
  const bytes = jsonBytes(r) + jsonBytes(resourceKey(r));
  if (bytes > MAX_RESOURCE_JSON_BYTES) {
    return `resource ${r.id} is ${bytes} bytes as JSON with its key; at most ${MAX_RESOURCE_JSON_BYTES}`;
  }
  return null;
}

/** Whether `value` nests objects or arrays more than `levels` deep; stops looking past the limit. */
export function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  return Object.values(value).some((member) => nestedDeeperThan(member, levels - 1));
}
