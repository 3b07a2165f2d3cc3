import { sha256Hex } from '../util/hash.js';
import { stableStringify } from '../util/json.js';
import type { SensitiveValue } from './types.js';

/** The hashed stand-in for a sensitive value; equal values give equal hashes. */
export function hashSensitive(value: unknown): SensitiveValue {
  return { $sensitive: `sha256:${sha256Hex(stableStringify(value))}` };
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
export function redactSensitive(attributes: Record<string, unknown>, sensitivePaths: unknown): void {
  if (!Array.isArray(sensitivePaths)) return;
  for (const path of sensitivePaths) {
    const steps = Array.isArray(path) ? path : Array.isArray((path as { path?: unknown })?.path) ? (path as { path: unknown[] }).path : [];
    const keys = steps.map(stepKey);
    if (keys.length === 0 || keys.some((k) => k === undefined)) continue;
    let parent: Record<string | number, unknown> | undefined = attributes as Record<string | number, unknown>;
    for (let i = 0; i < keys.length - 1 && parent; i++) {
      const next: unknown = parent[keys[i]!];
      parent = typeof next === 'object' && next !== null ? (next as Record<string | number, unknown>) : undefined;
    }
    const last = keys[keys.length - 1]!;
    if (parent && parent[last] !== undefined && parent[last] !== null) parent[last] = hashSensitive(parent[last]);
  }
}
