import { type DiscoveredResource, resourceKey } from '../../contract/resource.js';
import { codifyName } from '../items.js';
import { iamMemberFamily } from '../mappings/gcp-iam.js';
import { assessRisk } from '../risk/assess.js';
import type { AttributeChange, DriftItem } from '../types.js';
import { bindingPairs, type IamPiece } from './iam-parts.js';

/**
 * A GCP IAM policy (mappings/gcp-iam.ts) is the union of what a state declares of it: a whole
 * policy, a binding authoritative for its role, single (role, member) pairs. Each part is
 * compared as Terraform would apply it, so no mix of them drifts falsely:
 * - a pair the cloud lost is reported on the part that declares it (a member is missing, a
 *   binding or policy changed);
 * - a pair added by hand is reported on the part authoritative for its role (the binding, else
 *   the whole policy), or, when none is, as an unmanaged member;
 * - a pair one part declares is never another's difference (a refreshed policy repeats members).
 * A policy no state declares any part of is its holder's default and is not reported.
 * Conditional bindings are not compared (the listing reads none).
 */

const roleOf = (p: string) => p.slice(0, p.indexOf(' '));

/** What comparing the policies found of their parts counts, as the summary's counts. */
export interface IamCounts {
  managed: number;
  in_sync: number;
  changed: number;
  missing: number;
  unmanaged: number;
  not_covered: number;
  ignored: number;
  default_resources_skipped: number;
}

export interface IamComparison {
  items: DriftItem[];
  counts: IamCounts;
}

/** What the analysis tells of a part whose policy was not found, and of what it ignores. */
export interface IamContext {
  /** Whether discovery listed where the part's policy lives (else it is not covered, not missing). */
  covered(piece: IamPiece): { covered: boolean; account?: string };
  ignores(tfType: string, id: string): boolean;
}

const sorted = (values: Iterable<string>) => [...values].sort();
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && sorted(a).every((v, i) => v === sorted(b)[i]);

function item(
  piece: IamPiece,
  kind: 'changed' | 'missing',
  place: { account?: string },
  change?: AttributeChange,
): DriftItem {
  const { instance, family } = piece;
  const changes = change ? [change] : [];
  return {
    kind,
    address: instance.address,
    state_source: instance.source,
    tf_type: family.tfType,
    cloud_type: family.cloudType,
    provider: 'gcp',
    account: place.account,
    region: 'global',
    id: String(instance.attributes.id ?? piece.short),
    ...(instance.tainted ? { tainted: true } : {}),
    changes,
    ...assessRisk({ kind, tfType: family.tfType, values: changes }),
    cost: null,
  };
}

/** A pair no part declares nor governs: an unmanaged member, importable by `<holder> <role> <member>`. */
function unmanagedMember(policy: DiscoveredResource, short: string, p: string): DriftItem | undefined {
  const family = iamMemberFamily(policy.type);
  if (!family) return undefined;
  const id = `${short} ${p}`;
  const values = [{ path: 'member', expected: [], actual: [p] }];
  return {
    kind: 'unmanaged',
    address: `${family.tfType}.${codifyName({ ...policy, name: `${short}_${p}` })}`,
    tf_type: family.tfType,
    cloud_type: policy.type,
    provider: 'gcp',
    account: policy.account,
    region: policy.region,
    id,
    resource_key: resourceKey({ ...policy, id: `${policy.id} ${p}` }),
    changes: [],
    ...assessRisk({ kind: 'unmanaged', tfType: family.tfType, values }),
    cost: null,
  };
}

function emptyCounts(): IamCounts {
  return {
    managed: 0,
    in_sync: 0,
    changed: 0,
    missing: 0,
    unmanaged: 0,
    not_covered: 0,
    ignored: 0,
    default_resources_skipped: 0,
  };
}

/** One policy against the parts declaring it. */
function comparePolicy(policy: DiscoveredResource, pieces: readonly IamPiece[], out: IamComparison, ctx: IamContext) {
  const { counts } = out;
  const cloud = new Set(bindingPairs(policy.attributes.bindings));
  const byScope = (scope: IamPiece['family']['scope']) => pieces.filter((p) => p.family.scope === scope);
  const members = byScope('member');
  const bindings = byScope('binding');
  const memberDeclared = new Set(members.flatMap((m) => m.pairs));
  const governed = new Set(bindings.map((b) => b.role!));
  const verdict = (piece: IamPiece, expected: string[], actual: string[], path: string) => {
    counts.managed++;
    if (sameSet(expected, actual)) counts.in_sync++;
    else {
      counts.changed++;
      out.items.push(item(piece, 'changed', policy, { path, expected: sorted(expected), actual: sorted(actual) }));
    }
  };
  for (const m of members) {
    counts.managed++;
    if (cloud.has(m.pairs[0]!)) counts.in_sync++;
    else {
      counts.missing++;
      out.items.push(item(m, 'missing', policy));
    }
  }
  for (const b of bindings) {
    // Another part's pairs of the role are theirs to report.
    const others = new Set([
      ...memberDeclared,
      ...bindings.filter((o) => o !== b && o.role === b.role).flatMap((o) => o.pairs),
    ]);
    const inRole = [...cloud].filter((p) => roleOf(p) === b.role);
    if (b.pairs.length > 0 && inRole.length === 0) {
      counts.managed++;
      counts.missing++;
      out.items.push(item(b, 'missing', policy));
      continue;
    }
    verdict(
      b,
      b.pairs.filter((p) => !others.has(p)),
      inRole.filter((p) => !others.has(p)),
      'members',
    );
  }
  const own = (p: string) => !governed.has(roleOf(p)) && !memberDeclared.has(p);
  const policies = byScope('policy');
  for (const whole of policies) verdict(whole, whole.pairs.filter(own), [...cloud].filter(own), 'policy_data');
  if (policies.length > 0) return;
  for (const p of [...cloud].filter(own)) {
    const unmanaged = unmanagedMember(policy, pieces[0]!.short, p);
    if (!unmanaged) continue;
    if (ctx.ignores(unmanaged.tf_type, unmanaged.id)) counts.ignored++;
    else {
      counts.unmanaged++;
      out.items.push(unmanaged);
    }
  }
}

/**
 * Compares every discovered IAM policy with the parts the states declare of it. `policies`
 * are the discovered policies by id; each is judged here, never as a resource of its own.
 */
export function compareIamPolicies(
  pieces: readonly IamPiece[],
  policies: ReadonlyMap<string, DiscoveredResource>,
  ctx: IamContext,
): IamComparison {
  const out: IamComparison = { items: [], counts: emptyCounts() };
  const byTarget = new Map<string, IamPiece[]>();
  for (const p of pieces) {
    if (ctx.ignores(p.family.tfType, String(p.instance.attributes.id ?? ''))) {
      out.counts.ignored++;
      continue;
    }
    const key = `${p.family.cloudType}|${p.targetId}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), p]);
  }
  for (const [key, policy] of policies) {
    const declared = byTarget.get(key);
    if (declared) comparePolicy(policy, declared, out, ctx);
    else out.counts.default_resources_skipped++;
    byTarget.delete(key);
  }
  // Parts of a policy not found: gone with its holder, unless discovery did not look there.
  for (const declared of byTarget.values()) {
    for (const piece of declared) {
      const place = ctx.covered(piece);
      if (!place.covered) out.counts.not_covered++;
      else {
        out.counts.missing++;
        out.items.push(item(piece, 'missing', place));
      }
    }
  }
  return out;
}
