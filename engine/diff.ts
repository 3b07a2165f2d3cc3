import { CONVERTERS, type ConverterName, convert } from './mappings/converters.js';
import type { AttributeMap, TypeMapping } from './mappings/types.js';
import { NORMALISERS, type NormaliserName } from './noise/normalisers.js';
import { reportable } from './state/digest.js';
import { hashSensitive, keyedDigest, processSensitiveKey, type SensitiveKey } from './state/sensitive.js';
import { type DigestedValue, isDigestedValue, isSensitiveValue } from './state/types.js';
import type { AttributeChange } from './types.js';
import { deepEqual, isEmpty } from './util/json.js';
import { type Getter, pathGetter } from './util/path.js';

type Side = 'tf' | 'cloud';
type Fn = (value: unknown, attributes: Record<string, unknown>) => unknown;

/** An attribute map with its paths, converters and normalisers resolved once (the diff is the hot loop). */
interface CompiledAttribute {
  m: AttributeMap;
  tfGet: Getter;
  cloudGet: Getter;
  effectiveGet?: Getter;
  tfConvert: Fn;
  cloudConvert: Fn;
  steps: { name: NormaliserName; fn: (v: unknown) => unknown }[];
  byDefault?: unknown;
}

const identity: Fn = (v) => v;
const converter = (name: ConverterName | undefined): Fn => (name ? (CONVERTERS[name] as Fn) : identity);

function compileAttribute(m: AttributeMap): CompiledAttribute {
  const steps = (m.steps ?? []).map((name) => ({ name, fn: NORMALISERS[name] as (v: unknown) => unknown }));
  const c: CompiledAttribute = {
    m,
    tfGet: pathGetter(m.tf),
    cloudGet: pathGetter(m.cloud),
    effectiveGet: m.tfEffective ? pathGetter(m.tfEffective) : undefined,
    tfConvert: converter(m.tfConvert),
    cloudConvert: converter(m.cloudConvert),
    steps,
  };
  if (m.default !== undefined) c.byDefault = applySteps(c, m.default);
  return c;
}

const compiledByAttribute = new WeakMap<AttributeMap, CompiledAttribute>();
function compiledAttribute(m: AttributeMap): CompiledAttribute {
  let c = compiledByAttribute.get(m);
  if (!c) compiledByAttribute.set(m, (c = compileAttribute(m)));
  return c;
}

const compiledByMapping = new WeakMap<TypeMapping, CompiledAttribute[]>();
function compiledAttributes(mapping: TypeMapping): CompiledAttribute[] {
  let list = compiledByMapping.get(mapping);
  if (!list) compiledByMapping.set(mapping, (list = mapping.attributes.map(compiledAttribute)));
  return list;
}

function applySteps(c: CompiledAttribute, value: unknown): unknown {
  let v = value;
  for (const step of c.steps) v = step.fn(v);
  return v;
}

/** The form a report shows a stored digest in: the canonical value's digest and the size. */
const digestReported = (d: DigestedValue): DigestedValue => ({ $digest: d.$digest.slice(-1), bytes: d.bytes });

/**
 * One side's value of a mapped attribute in its fully normalised (canonical) form; a state
 * value stored as a digest stays one.
 */
export function canonicalValue(m: AttributeMap, side: Side, attributes: Record<string, unknown>): unknown {
  const c = compiledAttribute(m);
  if (side === 'cloud') return applySteps(c, c.cloudConvert(c.cloudGet(attributes), attributes));
  const raw = c.tfGet(attributes);
  return isDigestedValue(raw) ? digestReported(raw) : applySteps(c, c.tfConvert(raw, attributes));
}

/**
 * The keyed digests of a state value at each stage the diff compares it in: shaped by the
 * mapping's converter, then after each normaliser in turn (see {@link DigestedValue}).
 */
export function tfDigests(
  m: AttributeMap,
  value: unknown,
  attributes: Record<string, unknown>,
  key: SensitiveKey,
): string[] {
  const c = compiledAttribute(m);
  let v = c.tfConvert(value, attributes);
  const digests = [keyedDigest(v, key)];
  for (const step of c.steps) {
    v = step.fn(v);
    digests.push(keyedDigest(v, key));
  }
  return digests;
}

const asReported = (v: unknown): unknown => (v === undefined ? null : v);

/** Sensitive state values are compared by keyed hash: the clear cloud value never leaves this function. */
function compareSensitive(
  m: AttributeMap,
  stored: { $sensitive: string },
  cloudValue: unknown,
  key: SensitiveKey,
): AttributeChange | undefined {
  const candidates = [cloudValue, convert(m.toTf, cloudValue, {})];
  if (candidates.some((v) => hashSensitive(v, key).$sensitive === stored.$sensitive)) return undefined;
  return { path: m.tf, expected: stored, actual: hashSensitive(cloudValue, key) };
}

/**
 * For an `undeclared-elements` list: the rule when every declared element is in the cloud's
 * list (what differs is only elements no state declares), else undefined.
 */
export function undeclaredElementsNoise(m: AttributeMap, expected: unknown, actual: unknown): string | undefined {
  if (m.noise !== 'undeclared-elements' || !Array.isArray(expected) || !Array.isArray(actual)) return undefined;
  return expected.every((e) => actual.some((a) => deepEqual(a, e))) ? m.noise : undefined;
}

/** Which noise rule, if any, explains a difference the format normalisers did not remove. */
function attributeNoise(
  c: CompiledAttribute,
  tfRaw: unknown,
  cloudRaw: unknown,
  expected: unknown,
  actual: unknown,
): string | undefined {
  if (c.byDefault !== undefined) {
    // Either side may leave the default out: configuration by not setting it, APIs by omitting it.
    if ((isEmpty(tfRaw) && deepEqual(actual, c.byDefault)) || (isEmpty(cloudRaw) && deepEqual(expected, c.byDefault)))
      return 'cloud-default';
  }
  const noise = c.m.noise;
  if (noise === 'volatile-when-present') return isEmpty(expected) || isEmpty(actual) ? undefined : noise;
  if (noise === 'undeclared-elements') return undeclaredElementsNoise(c.m, expected, actual);
  return noise;
}

/**
 * The state's effective value (tags_all) when it is set, canonical, and whether it equals the
 * canonical cloud value; a digested one is compared by its last digest.
 */
function effectiveValue(
  c: CompiledAttribute,
  tf: Record<string, unknown>,
  cloudCanonical: unknown,
  key: SensitiveKey,
): { value: unknown; equal: boolean } | undefined {
  const raw = c.effectiveGet?.(tf);
  if (raw === undefined || raw === null) return undefined;
  if (isDigestedValue(raw))
    return { value: digestReported(raw), equal: raw.$digest.at(-1) === keyedDigest(cloudCanonical, key) };
  const value = applySteps(c, c.tfConvert(raw, tf));
  return { value, equal: deepEqual(value, cloudCanonical) };
}

/**
 * A state value stored as digests (too large to keep) against the cloud's: the same stages
 * as {@link diffOne}, each compared by digest, and the cloud value reported only when small.
 */
function compareDigested(
  c: CompiledAttribute,
  stored: DigestedValue,
  tf: Record<string, unknown>,
  cloud: Record<string, unknown>,
  cloudRaw: unknown,
  key: SensitiveKey,
): AttributeChange | undefined {
  const { m } = c;
  const shaped = c.cloudConvert(cloudRaw, cloud);
  if (keyedDigest(shaped, key) === stored.$digest[0]) return undefined;
  const expected = digestReported(stored);
  let b = shaped;
  for (const [i, step] of c.steps.entries()) {
    b = step.fn(b);
    if (keyedDigest(b, key) === stored.$digest[i + 1])
      return { path: m.tf, expected, actual: reportable(asReported(shaped), key), noise_rule: step.name };
  }
  const effective = effectiveValue(c, tf, b, key);
  const actual = reportable(asReported(b), key);
  if (effective?.equal) return { path: m.tf, expected, actual, noise_rule: 'tags-all' };
  const a = effective?.value ?? expected;
  return { path: m.tf, expected: a, actual, noise_rule: attributeNoise(c, stored, cloudRaw, a, b) };
}

function diffOne(
  c: CompiledAttribute,
  tf: Record<string, unknown>,
  cloud: Record<string, unknown>,
  key: SensitiveKey,
): AttributeChange | undefined {
  const m = c.m;
  const tfRaw = c.tfGet(tf);
  const cloudRaw = c.cloudGet(cloud);
  if (tfRaw === cloudRaw && (tfRaw === undefined || typeof tfRaw !== 'object')) return undefined;
  if (cloudRaw === undefined && m.cloudMayOmit) {
    return isEmpty(tfRaw) ? undefined : { path: m.tf, expected: null, actual: null, noise_rule: 'not-listed-by-api' };
  }
  if (isSensitiveValue(tfRaw)) return compareSensitive(m, tfRaw, applySteps(c, c.cloudConvert(cloudRaw, cloud)), key);
  if (isDigestedValue(tfRaw)) return compareDigested(c, tfRaw, tf, cloud, cloudRaw, key);
  const tfShaped = c.tfConvert(tfRaw, tf);
  const cloudShaped = c.cloudConvert(cloudRaw, cloud);
  if (deepEqual(tfShaped, cloudShaped)) return undefined;
  let a = tfShaped;
  let b = cloudShaped;
  for (const step of c.steps) {
    a = step.fn(a);
    b = step.fn(b);
    if (deepEqual(a, b))
      return { path: m.tf, expected: asReported(tfShaped), actual: asReported(cloudShaped), noise_rule: step.name };
  }
  const effective = effectiveValue(c, tf, b, key);
  if (effective?.equal) return { path: m.tf, expected: asReported(a), actual: asReported(b), noise_rule: 'tags-all' };
  if (effective) a = effective.value;
  return {
    path: m.tf,
    expected: asReported(a),
    actual: asReported(b),
    noise_rule: attributeNoise(c, tfRaw, cloudRaw, a, b),
  };
}

/**
 * Every difference between a state instance and its discovered resource over the mapped
 * attributes; noise differences carry the catalog rule that explains them. `key` is the one
 * the state's sensitive values were hashed with.
 */
export function diffResource(
  mapping: TypeMapping,
  tf: Record<string, unknown>,
  cloud: Record<string, unknown>,
  key: SensitiveKey = processSensitiveKey(),
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const c of compiledAttributes(mapping)) {
    const change = diffOne(c, tf, cloud, key);
    if (change) changes.push(change);
  }
  return changes;
}
