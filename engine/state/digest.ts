import { jsonBytes } from '../../contract/json-chunks.js';
import { MAX_RESOURCE_JSON_BYTES } from '../../contract/limits.js';
import { keyedDigest, type SensitiveKey } from './sensitive.js';
import type { DigestedValue } from './types.js';

/**
 * A kept value larger than this as JSON is stored as its digest. Above what AWS's default
 * quota of 60 rules per security group direction takes (about 170 bytes a rule), so rule
 * lists of ordinary size stay readable in reports and risk rules see them.
 */
export const MAX_KEPT_VALUE_BYTES = 16_000;

/**
 * The most an instance's kept attributes may take as JSON: a stored instance row must fit
 * MAX_RESOURCE_JSON_BYTES, and the rest leaves room for its address, source and provider.
 */
export const MAX_KEPT_ATTRIBUTES_BYTES = MAX_RESOURCE_JSON_BYTES - 25_000;

/** Whether `value` surely fits `limit` bytes as JSON, judged without encoding it (UTF-8 takes at most 3 bytes a UTF-16 unit). */
export function surelyFits(value: unknown, limit: number): boolean {
  return (JSON.stringify(value)?.length ?? 0) * 3 <= limit;
}

/** A value as a report shows it: itself when small, else its digest and size (never a huge value). */
export function reportable(value: unknown, key: SensitiveKey): unknown {
  if (surelyFits(value, MAX_KEPT_VALUE_BYTES)) return value;
  const bytes = jsonBytes(value);
  return bytes <= MAX_KEPT_VALUE_BYTES ? value : digestOf(value, bytes, key);
}

/** The one-digest form of a value, as reports show a large one. */
export function digestOf(value: unknown, bytes: number, key: SensitiveKey): DigestedValue {
  return { $digest: [keyedDigest(value, key)], bytes };
}
