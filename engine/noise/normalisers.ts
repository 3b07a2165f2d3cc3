import { canonicalCidr } from '../mappings/cidr.js';
import { isEmpty, isRecord, stableStringify } from '../util/json.js';
import type { NoiseRuleId } from './catalog.js';

/**
 * Format normalisers, one per noise rule: applied to both sides of a comparison in the
 * order the mapping lists them. A difference that disappears after one is noise of that rule.
 */
type Normaliser = (value: unknown) => unknown;

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? f(v) : v));
  return value;
}

function dropKeys(value: unknown, drop: (key: string) => boolean): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!drop(k)) out[k] = v;
  return out;
}

function sortList(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.every((v) => typeof v === 'string')) return [...(value as string[])].sort();
  return value
    .map((v) => [stableStringify(v), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v);
}

/** `projects/p/zones/z/instances/n` out of any self link or asset name. */
function gcpRelative(s: string): string {
  const i = s.indexOf('projects/');
  return i >= 0 ? s.slice(i) : s;
}

const AWS_POLICY_LIST_KEYS = ['Action', 'NotAction', 'Resource', 'NotResource'];

/** Parses a JSON document and puts AWS policy statements in one canonical form. */
function jsonDocument(value: unknown): unknown {
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (!isRecord(doc) || doc.Statement === undefined) return doc;
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).map((st) => {
    if (!isRecord(st)) return st;
    const out: Record<string, unknown> = { ...st };
    for (const key of AWS_POLICY_LIST_KEYS) {
      if (out[key] !== undefined) out[key] = sortList(Array.isArray(out[key]) ? out[key] : [out[key]]);
    }
    return out;
  });
  return { ...doc, Statement: sortList(statements) };
}

function lowerKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = v;
  return out;
}

/** The catch-all deny entries every network ACL has: 32767 for IPv4, 32768 for IPv6. */
const NACL_DEFAULT_RULE = /^rule=3276[78] /;

const lastSegment = (s: string) => s.slice(s.lastIndexOf('/') + 1);

export const NORMALISERS = {
  'order-insensitive': sortList,
  'empty-equivalent': (v: unknown) => (isEmpty(v) ? undefined : v),
  'aws-provider-tags': (v: unknown) => dropKeys(v, (k) => k.startsWith('aws:')),
  'gcp-provider-labels': (v: unknown) => dropKeys(v, (k) => k.startsWith('goog-')),
  'azure-tag-key-case': lowerKeys,
  'cidr-format': (v: unknown) => mapStrings(v, canonicalCidr),
  'azure-id-case': (v: unknown) => mapStrings(v, (s) => s.toLowerCase().replace(/\/+$/, '')),
  'azure-location-format': (v: unknown) => mapStrings(v, (s) => s.toLowerCase().replace(/\s+/g, '')),
  'case-insensitive': (v: unknown) => mapStrings(v, (s) => s.toLowerCase()),
  'gcp-self-link': (v: unknown) => mapStrings(v, gcpRelative),
  'gcp-name-from-link': (v: unknown) => mapStrings(v, lastSegment),
  'arn-to-name': (v: unknown) => mapStrings(v, (s) => (s.startsWith('arn:') ? lastSegment(s) : s)),
  'json-document': jsonDocument,
  'aws-local-route': (v: unknown) =>
    Array.isArray(v) ? v.filter((r) => !(typeof r === 'string' && r.endsWith('target=local'))) : v,
  'aws-nacl-default-rule': (v: unknown) =>
    Array.isArray(v) ? v.filter((r) => !(typeof r === 'string' && NACL_DEFAULT_RULE.test(r))) : v,
} satisfies Partial<Record<NoiseRuleId, Normaliser>>;

export type NormaliserName = keyof typeof NORMALISERS;

export function normalise(name: NormaliserName, value: unknown): unknown {
  return (NORMALISERS[name] as Normaliser)(value);
}
