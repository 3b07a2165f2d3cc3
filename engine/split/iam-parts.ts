import { type IamFamily, iamFamilyOf } from '../mappings/gcp-iam.js';
import type { StateInstance } from '../state/types.js';
import { isRecord } from '../util/json.js';

/** The parts of a GCP IAM policy a state declares, read as `role member` pairs (compared in iam-policy.ts). */
export const iamPair = (role: string, member: string) => `${role} ${member}`;
export const iamStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** One part of a policy a state declares, as `role member` pairs. */
export interface IamPiece {
  instance: StateInstance;
  family: IamFamily;
  /** The policy's id (contract/gcp-iam-types.ts). */
  targetId: string;
  /** The holder as Terraform imports it: a project id, `b/<bucket>`. */
  short: string;
  /** A binding's role. */
  role?: string;
  pairs: string[];
}

const conditional = (v: unknown) => Array.isArray(v) && v.length > 0;

/** The policy an IAM instance belongs to: its family and the policy's id, when it names its holder. */
export function iamTargetOf(instance: StateInstance): { family: IamFamily; targetId: string } | undefined {
  const family = iamFamilyOf(instance.tfType);
  const holder = family && instance.attributes[family.target.attr];
  return family && typeof holder === 'string' && holder !== ''
    ? { family, targetId: family.target.id(holder) }
    : undefined;
}

/** `policy_data`'s unconditional pairs; undefined when it is not readable JSON (stored as a digest). */
function policyPairs(data: unknown): string[] | undefined {
  if (typeof data !== 'string') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(data);
  } catch {
    return undefined;
  }
  return isRecord(doc) ? bindingPairs(doc.bindings) : undefined;
}

/** The unconditional pairs of a policy's `bindings` (`[{ role, members }]`), as a state or the cloud spells them. */
export function bindingPairs(bindings: unknown): string[] {
  return (Array.isArray(bindings) ? bindings : [])
    .filter((b): b is Record<string, unknown> => isRecord(b) && typeof b.role === 'string' && !b.condition)
    .flatMap((b) => iamStrings(b.members).map((m) => iamPair(b.role as string, m)));
}

/**
 * The pairs an IAM instance declares; undefined for other types and for what cannot be
 * compared (a conditional binding or member, a policy stored as a digest).
 */
export function iamPieceOf(instance: StateInstance): IamPiece | undefined {
  const target = iamTargetOf(instance);
  if (!target) return undefined;
  const a = instance.attributes;
  const holder = a[target.family.target.attr] as string;
  const base = { instance, ...target, short: target.family.target.short(holder) };
  if (target.family.scope === 'policy') {
    const pairs = policyPairs(a.policy_data);
    return pairs && { ...base, pairs };
  }
  if (typeof a.role !== 'string' || conditional(a.condition)) return undefined;
  if (target.family.scope === 'binding')
    return { ...base, role: a.role, pairs: iamStrings(a.members).map((m) => iamPair(a.role as string, m)) };
  return typeof a.member === 'string' ? { ...base, pairs: [iamPair(a.role, a.member)] } : undefined;
}
