import { compileGlob, type Glob } from '../util/glob.js';
import { deepEqual } from '../util/json.js';
import { getPath } from '../util/path.js';

/** A test on one attribute of a resource; list-valued paths (`a[].b`) hold when any element does. */
export interface Condition {
  path: string;
  equals?: unknown;
  /** Case-insensitive glob. */
  matches?: string;
}

const globCache = new Map<string, Glob>();
function glob(pattern: string): Glob {
  let compiled = globCache.get(pattern);
  if (!compiled) globCache.set(pattern, (compiled = compileGlob(pattern, { ignoreCase: true })));
  return compiled;
}

function holdsFor(cond: Condition, value: unknown): boolean {
  if (cond.equals !== undefined && !deepEqual(value, cond.equals)) return false;
  if (cond.matches !== undefined && !(typeof value === 'string' && glob(cond.matches).test(value))) return false;
  return value !== undefined && value !== null;
}

export function conditionHolds(cond: Condition, attributes: Record<string, unknown>): boolean {
  const value = getPath(attributes, cond.path);
  if (Array.isArray(value) && cond.path.includes('[]')) return value.some((v) => holdsFor(cond, v));
  return holdsFor(cond, value);
}
