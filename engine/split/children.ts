import type { Provider } from '../../contract/resource.js';
import { canonicalValue, undeclaredElementsNoise } from '../diff.js';
import { matchKey } from '../mappings/identity.js';
import { mappingForTfType } from '../mappings/index.js';
import { parseRule } from '../mappings/rule-string.js';
import type { AttributeMap, TypeMapping } from '../mappings/types.js';
import { list } from '../mappings/values.js';
import { isDigestedValue, isSensitiveValue, type StateInstance } from '../state/types.js';
import type { AttributeChange } from '../types.js';
import { deepEqual } from '../util/json.js';
import {
  CHILD_BLOCKS,
  parentIdOf,
  SPLIT_FAMILIES,
  type SplitFamily,
  splitFamilyOf,
  splitParentTfType,
} from './families.js';

/**
 * Separate child resources (split/families.ts) folded into their parent's comparison: the
 * parent's expected attribute is its inline declaration plus its children's elements, each
 * once (after `terraform refresh` the inline list repeats the separate rules); differences the
 * children explain are reported on the children, the rest stays on the parent.
 */

/** A separate resource's state instance and the parent it targets. */
export interface SplitChild {
  instance: StateInstance;
  family: SplitFamily;
  /** The parent's cloud type and normalised id (what it is matched and slotted by). */
  parent: { cloudType: string; normalisedId: string };
  /** The parent's match key (mappings/identity.ts matchKey). */
  parentKey: string;
}

/** The child and parent a state instance is, when its type is a split family's child and it names its parent. */
export function splitChildOf(instance: StateInstance): SplitChild | undefined {
  const family = splitFamilyOf(instance.tfType, instance.attributes);
  const mapping = family && mappingForTfType(family.parentTfType);
  const parentId = family && parentIdOf(family, instance.attributes);
  if (!family || !mapping || !parentId) return undefined;
  const parentKey = matchKey(mapping, parentId);
  return {
    instance,
    family,
    parent: { cloudType: mapping.cloudType, normalisedId: parentKey.slice(mapping.cloudType.length + 1) },
    parentKey,
  };
}

/** The mapping a Terraform type's drift is placed by: its own, or a split child's parent's. */
export function placingMappingForTfType(tfType: string): TypeMapping | undefined {
  return mappingForTfType(tfType) ?? mappingForTfType(splitParentTfType(tfType) ?? '');
}

/** The child types of a provider's split families: an analysis of its accounts reads them with their parents. */
export function splitChildTfTypes(provider: Provider): string[] {
  return SPLIT_FAMILIES.filter((f) => mappingForTfType(f.parentTfType)?.provider === provider).map(
    (f) => f.childTfType,
  );
}

/** What a child says about its parent's attribute. */
export interface ChildVerdict {
  child: SplitChild;
  kind: 'changed' | 'missing';
  /** For `changed`: the child's rules against the cloud's that replaced them, in the parent attribute's canonical form. */
  change?: AttributeChange;
}

const attributeOf = (mapping: TypeMapping, tf: string): AttributeMap | undefined =>
  mapping.attributes.find((a) => a.tf === tf);

/** A child's element of the parent's attribute, canonical (one rule may become several strings: one per source). */
function childRules(attribute: AttributeMap, parentAttrs: Record<string, unknown>, child: SplitChild): string[] {
  const block = CHILD_BLOCKS[child.family.block](child.instance.attributes);
  return list(canonicalValue(attribute, 'tf', { ...parentAttrs, [attribute.tf]: [block] })).map(String);
}

function groupBy(children: readonly SplitChild[], keyOf: (c: SplitChild) => string): Map<string, SplitChild[]> {
  const out = new Map<string, SplitChild[]>();
  for (const c of children) {
    const group = out.get(keyOf(c));
    if (group) group.push(c);
    else out.set(keyOf(c), [c]);
  }
  return out;
}

/** Children of one parent, by the parent attribute they add to. */
function byAttribute(children: readonly SplitChild[]): Map<string, SplitChild[]> {
  return groupBy(children, (c) => c.family.attribute);
}

/**
 * The parent's state attributes with each family attribute the union of its inline blocks and
 * its children's, a child already written inline (after a refresh) not added twice. An
 * attribute stored as a digest or sensitive hash is left as stored.
 */
export function expectedWithChildren(
  mapping: TypeMapping,
  attrs: Record<string, unknown>,
  children: readonly SplitChild[],
): Record<string, unknown> {
  const merged = { ...attrs };
  for (const [tf, kids] of byAttribute(children)) {
    const attribute = attributeOf(mapping, tf);
    const inline = attrs[tf];
    if (!attribute || isDigestedValue(inline) || isSensitiveValue(inline)) continue;
    const declared = new Set(list(canonicalValue(attribute, 'tf', attrs)).map(String));
    const blocks = [...list(inline)];
    for (const child of kids) {
      const rules = childRules(attribute, attrs, child);
      if (rules.length > 0 && rules.every((r) => declared.has(r))) continue;
      for (const r of rules) declared.add(r);
      blocks.push(CHILD_BLOCKS[child.family.block](child.instance.attributes));
    }
    merged[tf] = blocks;
  }
  return merged;
}

const identityOf = (family: SplitFamily, rule: string): string => {
  const fields = parseRule(rule);
  return family.identity.map((k) => fields[k] ?? '').join(' ');
};

/**
 * Splits one attribute's difference between the children that explain it and the parent: a
 * child whose rules the cloud lacks is `changed` when a cloud rule nobody declares has its
 * identity (same ports, destination, rule number or name), else `missing`; what no child
 * explains (a rule added by hand, an inline rule changed) stays on the parent.
 */
function splitChange(
  attribute: AttributeMap,
  parentAttrs: Record<string, unknown>,
  children: readonly SplitChild[],
  change: AttributeChange,
): { parent?: AttributeChange; verdicts: ChildVerdict[] } {
  if (!Array.isArray(change.expected) || !Array.isArray(change.actual)) return { parent: change, verdicts: [] };
  const expected = change.expected.map(String);
  const actual = change.actual.map(String);
  const inCloud = new Set(actual);
  const declared = new Set(expected);
  const undeclared = actual.filter((r) => !declared.has(r));
  const claimed = new Set<string>();
  const explained = new Set<string>();
  const verdicts: ChildVerdict[] = [];
  for (const child of children) {
    const rules = childRules(attribute, parentAttrs, child);
    const lost = rules.filter((r) => !inCloud.has(r));
    if (lost.length === 0) continue;
    const identities = new Set(lost.map((r) => identityOf(child.family, r)));
    const replacements = undeclared.filter((r) => !claimed.has(r) && identities.has(identityOf(child.family, r)));
    for (const r of replacements) claimed.add(r);
    for (const r of rules) explained.add(r);
    verdicts.push(
      replacements.length === 0
        ? { child, kind: 'missing' }
        : {
            child,
            kind: 'changed',
            change: {
              path: attribute.tf,
              expected: rules,
              actual: [...rules.filter((r) => inCloud.has(r)), ...replacements],
            },
          },
    );
  }
  const rest = (rules: string[]) => rules.filter((r) => !explained.has(r) && !claimed.has(r));
  const parentExpected = rest(expected);
  const parentActual = rest(actual);
  if (deepEqual([...parentExpected].sort(), [...parentActual].sort())) return { verdicts };
  // What is left may be only elements no state declares (an association made by hand).
  const noise = undeclaredElementsNoise(attribute, parentExpected, parentActual);
  return {
    parent: { ...change, expected: parentExpected, actual: parentActual, ...(noise ? { noise_rule: noise } : {}) },
    verdicts,
  };
}

/** The parent's own changes and the children's verdicts, from the diff of its merged attributes. */
export function attributeToChildren(
  mapping: TypeMapping,
  parentAttrs: Record<string, unknown>,
  children: readonly SplitChild[],
  changes: readonly AttributeChange[],
): { changes: AttributeChange[]; verdicts: ChildVerdict[] } {
  const families = byAttribute(children);
  const own: AttributeChange[] = [];
  const verdicts: ChildVerdict[] = [];
  for (const change of changes) {
    const kids = families.get(change.path);
    const attribute = attributeOf(mapping, change.path);
    if (!kids || !attribute || change.noise_rule) {
      own.push(change);
      continue;
    }
    const split = splitChange(attribute, parentAttrs, kids, change);
    if (split.parent) own.push(split.parent);
    verdicts.push(...split.verdicts);
  }
  return { changes: own, verdicts };
}

/** Children by their parent's match key, in state order. */
export function childrenByParent(children: readonly SplitChild[]): Map<string, SplitChild[]> {
  return groupBy(children, (c) => c.parentKey);
}
