/**
 * Attribute paths shared by the mapping tables: `a.b.0.c` walks objects and list indexes,
 * `a[].b` projects over every element of a list, and `p|q` takes the first path that is set.
 * Paths are compiled once and cached: they run for every attribute of every resource.
 */

type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'each'; key: string };
type Compiled = Segment[][];

const cache = new Map<string, Compiled>();

function compile(path: string): Compiled {
  let compiled = cache.get(path);
  if (compiled) return compiled;
  compiled = path.split('|').map((alternative) =>
    alternative.split('.').map((part): Segment => {
      if (part.endsWith('[]')) return { kind: 'each', key: part.slice(0, -2) };
      if (/^\d+$/.test(part)) return { kind: 'index', index: Number(part) };
      return { kind: 'key', key: part };
    }),
  );
  cache.set(path, compiled);
  return compiled;
}

function walk(value: unknown, segments: Segment[], from: number): unknown {
  let current = value;
  for (let i = from; i < segments.length; i++) {
    if (current === null || current === undefined) return undefined;
    const seg = segments[i]!;
    if (seg.kind === 'index') {
      current = Array.isArray(current) ? current[seg.index] : undefined;
    } else if (seg.kind === 'key') {
      current = typeof current === 'object' ? (current as Record<string, unknown>)[seg.key] : undefined;
    } else {
      const list = typeof current === 'object' ? (current as Record<string, unknown>)[seg.key] : undefined;
      if (!Array.isArray(list)) return undefined;
      const out: unknown[] = [];
      for (const item of list) {
        const v = walk(item, segments, i + 1);
        if (v !== undefined && v !== null) out.push(v);
      }
      return out;
    }
  }
  return current;
}

export type Getter = (value: unknown) => unknown;

const getters = new Map<string, Getter>();

/** A reader specialised for one path; hot loops hold on to it instead of re-resolving the path. */
export function pathGetter(path: string): Getter {
  let getter = getters.get(path);
  if (getter) return getter;
  const alternatives = compile(path);
  const only = alternatives.length === 1 ? alternatives[0]! : undefined;
  if (only && only.length === 1 && only[0]!.kind === 'key') {
    const key = only[0]!.key;
    getter = (value) =>
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  } else if (only) {
    getter = (value) => walk(value, only, 0);
  } else {
    getter = (value) => {
      for (const alternative of alternatives) {
        const v = walk(value, alternative, 0);
        if (v !== undefined) return v;
      }
      return undefined;
    };
  }
  getters.set(path, getter);
  return getter;
}

/** The value at `path`, or undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
  return pathGetter(path)(value);
}

/**
 * Sets `path` (plain keys and indexes only) on a JSON object, creating objects and lists on
 * the way; used to write Terraform attributes such as `metadata_options.0.http_tokens`.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    const slot = (current as Record<string, unknown>)[key];
    if (slot === null || typeof slot !== 'object') {
      const created: Record<string, unknown> | unknown[] = nextIsIndex ? [] : {};
      (current as Record<string, unknown>)[key] = created;
      current = created;
    } else {
      current = slot as Record<string, unknown>;
    }
  }
  (current as Record<string, unknown>)[parts[parts.length - 1]!] = value;
}
