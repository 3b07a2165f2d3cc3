import { templateAttributes } from '../contract/existence/index.js';
import { jsonBytes } from '../contract/json-chunks.js';
import { COST_MODELS, type CostModel } from './cost/prices.js';
import { tfDigests } from './diff.js';
import { mappingForTfType } from './mappings/index.js';
import type { AttributeMap, ScopeSource, TypeMapping } from './mappings/types.js';
import { IMPLICIT_CHILD_RULES } from './noise/implicit-children.js';
import { RISK_RULES } from './risk/rules.js';
import { SPLIT_CHILD_TYPES } from './split/families.js';
import { MAX_KEPT_ATTRIBUTES_BYTES, MAX_KEPT_VALUE_BYTES, surelyFits } from './state/digest.js';
import { type PathTree, pathTree, pruneAttributes, replaceAt, valueAt } from './state/prune.js';
import { keyedDigest, type SensitiveKey } from './state/sensitive.js';
import { type DigestedValue, isDigestedValue, isSensitiveValue } from './state/types.js';

/**
 * Which attributes of a state instance are stored: those some analysis reads, derived from the
 * tables that read them (mappings, identity and scope, inline children, cost and risk rules), so
 * a type mapped later keeps what its mapping compares without a list here. Every type also keeps
 * the keys that name or place a resource. A kept value too large to store becomes its digests.
 */

/** Top-level keys that name or place a resource, kept on every type, mapped or not. */
export const IDENTITY_KEYS: readonly string[] = [
  'id',
  'arn',
  'name',
  'self_link',
  'location',
  'region',
  'zone',
  'availability_zone',
  'project',
  'account_id',
  'subscription_id',
  'resource_group_name',
];

/** Endings of top-level keys that hold another resource's id or ARN (`vpc_id`, `role_arn`). */
export const IDENTITY_KEY_SUFFIXES: readonly string[] = ['_id', '_arn'];

const isIdentityKey = (key: string) => IDENTITY_KEY_SUFFIXES.some((suffix) => key.endsWith(suffix));

/** The attributes each scope source reads (identity.ts); an `attr` source reads its path, others none. */
const SCOPE_KEYS: Readonly<Record<string, readonly string[]>> = {
  arn: ['arn'],
  'azure-id': ['id'],
  'gcp-id': ['id', 'self_link'],
};

const scopePaths = (sources: readonly ScopeSource[]) =>
  sources.flatMap((s) => (s.from === 'attr' ? [s.path] : (SCOPE_KEYS[s.from] ?? [])));

/** The attributes a mapping's id is read from: its `tf` attribute, and each `{attr}` of an id template. */
const idPaths = (id: TypeMapping['id']) => [id.tf, ...(id.template ? templateAttributes(id.template) : [])];

function costPaths(model: CostModel | undefined): string[] {
  if (!model || model.kind === 'flat') return [];
  return model.kind === 'storage' ? [model.size, model.type] : [model.attr];
}

const riskPaths = (tfType: string) =>
  RISK_RULES.flatMap((r) => [...(r.targets?.[tfType] ?? []), ...(r.targets?.['*'] ?? [])]);

/** Attributes of a parent whose inline children make discovered resources implicitly managed. */
const inlineChildPaths = (m: TypeMapping) =>
  IMPLICIT_CHILD_RULES.flatMap((r) => (r.parentType === m.cloudType && r.parentStateHas ? [r.parentStateHas] : []));

/** A mapping path (util/path.ts: `a.0.b`, `a[].b`, `p|q`) as the step lists it reads. */
const stepsOf = (path: string): string[][] =>
  path
    .split('|')
    .map((alternative) => alternative.split('.').flatMap((p) => (p.endsWith('[]') ? [p.slice(0, -2), '*'] : [p])));

/** One kept path; `map` is the attribute map the diff compares its value under. */
interface KeptPath {
  steps: string[];
  map?: AttributeMap;
}

interface KeptPaths {
  tree: PathTree;
  /** Paths a large value may be stored as digests at: plain, with no kept path below, not the id. */
  digestible: KeptPath[];
}

/** A split family's child (split/families.ts) is one small rule, read whole into its parent's attribute. */
const WHOLE: KeptPath[] = [{ steps: ['*'] }];

function pathsOf(tfType: string): KeptPath[] {
  if (SPLIT_CHILD_TYPES.has(tfType)) return WHOLE;
  const identity = IDENTITY_KEYS.map((k) => ({ steps: [k] }));
  const m = mappingForTfType(tfType);
  if (!m) return identity;
  const compared = m.attributes.flatMap((a) =>
    [a.tf, a.tfEffective].flatMap((p) => (p ? stepsOf(p).map((steps) => ({ steps, map: a })) : [])),
  );
  const read = [
    ...idPaths(m.id),
    ...scopePaths(m.account),
    ...scopePaths(m.region),
    ...inlineChildPaths(m),
    ...costPaths(COST_MODELS[tfType]),
    ...riskPaths(tfType),
  ].flatMap((p) => stepsOf(p).map((steps) => ({ steps })));
  return [...compared, ...read, ...identity];
}

const isPrefix = (a: readonly string[], b: readonly string[]) =>
  a.length < b.length && a.every((step, i) => b[i] === step);

function digestible(paths: readonly KeptPath[], idPath: string | undefined): KeptPath[] {
  const byKey = new Map<string, KeptPath>();
  for (const p of paths) {
    const key = p.steps.join('.');
    if (p.steps.includes('*') || key === idPath || byKey.has(key)) continue;
    if (paths.some((other) => isPrefix(p.steps, other.steps))) continue;
    byKey.set(key, p);
  }
  return [...byKey.values()];
}

const keptByType = new Map<string, KeptPaths>();

/** The kept paths of a Terraform type, derived once. */
export function keptPathsOf(tfType: string): KeptPaths {
  let kept = keptByType.get(tfType);
  if (!kept) {
    const paths = pathsOf(tfType);
    kept = {
      tree: pathTree(paths.map((p) => p.steps)),
      digestible: digestible(paths, mappingForTfType(tfType)?.id.tf),
    };
    keptByType.set(tfType, kept);
  }
  return kept;
}

/** An instance's attributes as stored, and what storing them left out or hashed. */
export interface KeptAttributes {
  attributes: Record<string, unknown>;
  /** Attribute values left out (a dropped object or list counts once). */
  dropped: number;
  /** Values stored as digests. */
  digested: number;
}

/**
 * Large kept values replaced by digests, largest first, until none is over MAX_KEPT_VALUE_BYTES
 * and the whole fits MAX_KEPT_ATTRIBUTES_BYTES.
 */
function digestLargeValues(
  attributes: Record<string, unknown>,
  candidates: readonly KeptPath[],
  key: SensitiveKey,
): { attributes: Record<string, unknown>; digested: number } {
  const sized = candidates
    .map((c) => ({ ...c, value: valueAt(attributes, c.steps) }))
    .filter((c) => c.value !== undefined && !isSensitiveValue(c.value) && !isDigestedValue(c.value))
    .map((c) => ({ ...c, bytes: jsonBytes(c.value) }))
    .sort((a, b) => b.bytes - a.bytes);
  let total = jsonBytes(attributes);
  let out = attributes;
  let digested = 0;
  for (const c of sized) {
    if (c.bytes <= MAX_KEPT_VALUE_BYTES && total <= MAX_KEPT_ATTRIBUTES_BYTES) break;
    const marker: DigestedValue = {
      $digest: c.map ? tfDigests(c.map, c.value, attributes, key) : [keyedDigest(c.value, key)],
      bytes: c.bytes,
    };
    out = replaceAt(out, c.steps, marker) as Record<string, unknown>;
    total -= c.bytes - jsonBytes(marker);
    digested++;
  }
  return { attributes: out, digested };
}

/**
 * The attributes of an instance of `tfType` that analysis reads, large ones as keyed digests
 * (under `key`, the one sensitive values are hashed with). The input is left untouched.
 */
export function keptAttributes(tfType: string, attributes: Record<string, unknown>, key: SensitiveKey): KeptAttributes {
  const kept = keptPathsOf(tfType);
  const { value, dropped } = pruneAttributes(attributes, kept.tree, isIdentityKey);
  if (surelyFits(value, MAX_KEPT_VALUE_BYTES)) return { attributes: value, dropped, digested: 0 };
  // Keys kept for their name alone are plain paths with nothing kept below them.
  const byName = Object.keys(value)
    .filter((k) => !kept.tree.children.has(k))
    .map((k) => ({ steps: [k] }));
  return { ...digestLargeValues(value, [...kept.digestible, ...byName], key), dropped };
}
