import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { stableStringify } from '../util/json.js';
import { forEachAtPath, secretPathsOf } from './secret-attributes.js';
import { isSensitiveValue, type SensitiveValue } from './types.js';

/**
 * The key sensitive values are hashed with. A keyed hash (HMAC-SHA-256) cannot be reversed by
 * hashing a dictionary of likely passwords without the key; equal values still hash equal under
 * one key, so drift on a secret is still seen.
 */
export type SensitiveKey = Uint8Array;

const KEY_BYTES = 32;
const KEY_SALT = utf8ToBytes('driftmgr');
const KEY_INFO = utf8ToBytes('driftmgr sensitive values v1');

/** A full-strength key from a deployment secret of any length (HKDF-SHA-256). */
export function sensitiveKeyFrom(secret: string): SensitiveKey {
  if (secret === '') throw new Error('a sensitive-value key needs a non-empty secret');
  return hkdf(sha256, utf8ToBytes(secret), KEY_SALT, KEY_INFO, KEY_BYTES);
}

let perProcessKey: SensitiveKey | undefined;

/**
 * The key used when a caller passes none: random, made once per process, so hashes compare
 * within one run (a benchmark, a test, an offline analysis) and mean nothing outside it.
 */
export function processSensitiveKey(): SensitiveKey {
  perProcessKey ??= randomBytes(KEY_BYTES);
  return perProcessKey;
}

/** The keyed hash of a JSON value: equal data (whatever its key order) gives equal hashes under one key. */
export function keyedDigest(value: unknown, key: SensitiveKey): string {
  return `hmac-sha256:${bytesToHex(hmac(sha256, key, utf8ToBytes(stableStringify(value))))}`;
}

/** The hashed stand-in for a sensitive value; equal values give equal hashes under one key. */
export function hashSensitive(value: unknown, key: SensitiveKey): SensitiveValue {
  return { $sensitive: keyedDigest(value, key) };
}

/** Hashes the value at parent[key] unless it is absent, null or already hashed. */
function hashInPlace(parent: Record<string | number, unknown>, field: string | number, key: SensitiveKey): void {
  const value = parent[field];
  if (value !== undefined && value !== null && !isSensitiveValue(value)) parent[field] = hashSensitive(value, key);
}

type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: unknown; type: unknown } };

function stepKey(step: unknown): string | number | undefined {
  if (typeof step !== 'object' || step === null) return undefined;
  const s = step as PathStep;
  if (s.type === 'get_attr' && typeof s.value === 'string') return s.value;
  if (s.type === 'index' && typeof s.value === 'object' && s.value !== null) {
    const v = (s.value as { value: unknown }).value;
    if (typeof v === 'string' || typeof v === 'number') return v;
  }
  return undefined;
}

/**
 * Replaces, in place, every value that `sensitive_attributes` points at (Terraform writes
 * them as lists of get_attr/index steps) by its hash, so nothing downstream sees it in clear.
 */
export function redactSensitive(attributes: Record<string, unknown>, sensitivePaths: unknown, key: SensitiveKey): void {
  if (!Array.isArray(sensitivePaths)) return;
  for (const path of sensitivePaths) {
    const steps = Array.isArray(path)
      ? path
      : Array.isArray((path as { path?: unknown })?.path)
        ? (path as { path: unknown[] }).path
        : [];
    const keys = steps.map(stepKey);
    if (keys.length === 0 || keys.some((k) => k === undefined)) continue;
    let parent: Record<string | number, unknown> | undefined = attributes as Record<string | number, unknown>;
    for (let i = 0; i < keys.length - 1 && parent; i++) {
      const next: unknown = parent[keys[i]!];
      parent = typeof next === 'object' && next !== null ? (next as Record<string | number, unknown>) : undefined;
    }
    if (parent) hashInPlace(parent, keys[keys.length - 1]!, key);
  }
}

/** Replaces, in place, the values at the secret attributes of this type (secret-attributes.ts) by their hash. */
export function redactKnownSecrets(tfType: string, attributes: Record<string, unknown>, key: SensitiveKey): void {
  for (const steps of secretPathsOf(tfType)) {
    forEachAtPath(attributes, steps, (parent, field) =>
      hashInPlace(parent as Record<string | number, unknown>, field, key),
    );
  }
}
