import { isRecord } from '../util/json.js';
import { isDigestedValue, isSensitiveValue } from './types.js';

/**
 * The attribute paths kept of an instance, as a tree of steps: an object key, a list index
 * (`0`), or `*` for every key or element. A node a path ends at is kept whole.
 */
export interface PathTree {
  whole: boolean;
  children: Map<string, PathTree>;
}

const ANY = '*';

export function pathTree(paths: Iterable<readonly string[]>): PathTree {
  const root: PathTree = { whole: false, children: new Map() };
  for (const steps of paths) {
    let node = root;
    for (const step of steps) {
      let child = node.children.get(step);
      if (!child) node.children.set(step, (child = { whole: false, children: new Map() }));
      node = child;
    }
    node.whole = true;
  }
  return root;
}

/** What pruning kept, and how many members it left out. */
export interface Pruned<T> {
  value: T | undefined;
  dropped: number;
}

/** Hashed values are leaves: a path into one reads nothing either way. */
const isMarker = (v: unknown) => isSensitiveValue(v) || isDigestedValue(v);

function pruneList(list: unknown[], tree: PathTree): Pruned<unknown[]> {
  const any = tree.children.get(ANY);
  const out: unknown[] = [];
  let dropped = 0;
  let end = 0;
  list.forEach((item, i) => {
    const child = tree.children.get(String(i)) ?? any;
    const kept = child ? pruneNode(item, child) : undefined;
    dropped += kept ? kept.dropped : 1;
    // A kept element stays at its index; a hole before one is null, as JSON writes it.
    out.push(kept?.value ?? null);
    if (kept?.value !== undefined) end = i + 1;
  });
  return { value: out.slice(0, end), dropped };
}

function pruneRecord(
  record: Record<string, unknown>,
  tree: PathTree,
  keepKey: (key: string) => boolean = () => false,
): { value: Record<string, unknown>; dropped: number } {
  const any = tree.children.get(ANY);
  const out: Record<string, unknown> = {};
  let dropped = 0;
  for (const [key, member] of Object.entries(record)) {
    const child = tree.children.get(key) ?? any;
    const kept = child ? pruneNode(member, child) : keepKey(key) ? { value: member, dropped: 0 } : undefined;
    if (kept?.value !== undefined) out[key] = kept.value;
    dropped += kept ? kept.dropped : 1;
  }
  return { value: out, dropped };
}

function pruneNode(value: unknown, tree: PathTree): Pruned<unknown> {
  if (tree.whole || isMarker(value)) return { value, dropped: 0 };
  if (Array.isArray(value)) return pruneList(value, tree);
  if (isRecord(value)) return pruneRecord(value, tree);
  // A path that goes on through a scalar reads nothing from it.
  return { value: undefined, dropped: value === null ? 0 : 1 };
}

/**
 * The members of `attributes` some path of `tree` reaches, and those whose top-level key
 * `keepKey` accepts; containers on the way are copied, kept values shared, the input untouched.
 */
export function pruneAttributes(
  attributes: Record<string, unknown>,
  tree: PathTree,
  keepKey?: (key: string) => boolean,
): { value: Record<string, unknown>; dropped: number } {
  return pruneRecord(attributes, tree, keepKey);
}

/** A copy of `root` with the value at `steps` replaced, copying only the containers on the way. */
export function replaceAt(root: unknown, steps: readonly string[], value: unknown): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps as [string, ...string[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(step)] = replaceAt(root[Number(step)], rest, value);
    return copy;
  }
  const record = isRecord(root) ? root : {};
  return { ...record, [step]: replaceAt(record[step], rest, value) };
}

/** The value at `steps` (keys and list indexes), or undefined when a step is missing. */
export function valueAt(root: unknown, steps: readonly string[]): unknown {
  let current = root;
  for (const step of steps) {
    if (Array.isArray(current)) current = current[Number(step)];
    else if (isRecord(current)) current = current[step];
    else return undefined;
  }
  return current;
}
