import type { DiscoveredResource } from '../contract/resource.js';
import { discoveredPolicies, type IamBinding } from './gcp/iam-policies.js';
import { chance, forkRng, pick } from './rng.js';

/**
 * The sample state's GCP IAM: each policy the emulator serves for a project, and for a bucket
 * the state manages, declared whole, per role, per member or per role and member mixed, as
 * configurations do (engine/split/iam-policy.ts compares them). At the drift rate a policy
 * gets one drift: a member the cloud lost (one more in the declaration) or one added by hand
 * (one fewer), found on the part the engine reports it on.
 */

type Form = 'policy' | 'binding' | 'member' | 'mixed';
/** The attribute a changed policy or binding reports its pairs on (engine/split/iam-policy.ts). */
const CHANGED_PATH: Record<string, string> = { policy: 'policy_data', binding: 'members' };
const FORMS: readonly Form[] = ['policy', 'binding', 'member', 'mixed'];

/** Drift injected into a policy, as terraform-state.ts's IamDrift records it. */
export interface IamDrift {
  kind: 'changed' | 'missing' | 'unmanaged';
  tf_type: string;
  address?: string;
  id: string;
  paths?: string[];
  account: string;
  region: string;
}

export interface IamStateResource {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: never[] }[];
}

interface Holder {
  /** `google_project` or `google_storage_bucket`. */
  prefix: string;
  attr: 'project' | 'bucket';
  value: string;
  /** Terraform's id prefix and unmanaged member id prefix. */
  short: string;
  account: string;
}

function holderOf(policy: DiscoveredResource): Holder {
  if (policy.type === 'storage.googleapis.com/BucketIamPolicy') {
    const bucket = policy.id.slice(policy.id.lastIndexOf('/') + 1);
    const value = `b/${bucket}`;
    return { prefix: 'google_storage_bucket', attr: 'bucket', value, short: value, account: policy.account };
  }
  return {
    prefix: 'google_project',
    attr: 'project',
    value: policy.account,
    short: policy.account,
    account: policy.account,
  };
}

export function iamStateResources(
  estate: readonly DiscoveredResource[],
  managedBuckets: ReadonlySet<string>,
  provider: string,
  seed: number,
  driftRate: number,
): { resources: IamStateResource[]; drift: IamDrift[] } {
  const rng = forkRng(seed, 'iam-state');
  const resources: IamStateResource[] = [];
  const drift: IamDrift[] = [];
  const policies = discoveredPolicies(estate).filter(
    (p) => p.type !== 'storage.googleapis.com/BucketIamPolicy' || managedBuckets.has(p.id),
  );
  policies.forEach((policy, t) => {
    const h = holderOf(policy);
    const bindings = structuredClone(policy.attributes.bindings as IamBinding[]);
    const form = pick(rng, FORMS);
    const write = (scope: string, name: string, attributes: Record<string, unknown>) => {
      resources.push({
        mode: 'managed',
        type: `${h.prefix}_iam_${scope}`,
        name: `${name}_${t}`,
        provider,
        instances: [{ schema_version: 0, attributes: { [h.attr]: h.value, ...attributes }, sensitive_attributes: [] }],
      });
      return `${h.prefix}_iam_${scope}.${name}_${t}`;
    };
    const injected = chance(rng, driftRate) ? pick(rng, ['lost', 'added'] as const) : undefined;
    const target = pick(rng, bindings);
    // The member pieces and bindings this policy is declared with; which role goes which way.
    const asMembers = (role: string) => form === 'member' || (form === 'mixed' && role !== bindings[0]!.role);
    const note = (kind: IamDrift['kind'], scope: string, address: string | undefined, id: string) =>
      drift.push({
        kind,
        tf_type: `${h.prefix}_iam_${scope}`,
        address,
        id,
        ...(kind === 'changed' ? { paths: [CHANGED_PATH[scope]!] } : {}),
        account: h.account,
        region: 'global',
      });
    let lostAddress: string | undefined;
    if (injected === 'lost') target.members.push(`user:departed-${t}@example.com`);
    if (injected === 'added') {
      const [dropped] = target.members.splice(target.members.length - 1, 1);
      if (form === 'policy') note('changed', 'policy', `${h.prefix}_iam_policy.policy_${t}`, h.short);
      else if (asMembers(target.role)) note('unmanaged', 'member', undefined, `${h.short} ${target.role} ${dropped}`);
    }
    if (form === 'policy') {
      const address = write('policy', 'policy', {
        id: h.short,
        policy_data: JSON.stringify({ bindings: bindings.filter((b) => b.members.length > 0) }),
        etag: 'BwX',
      });
      if (injected === 'lost') note('changed', 'policy', address, h.short);
      return;
    }
    bindings.forEach((b, r) => {
      if (asMembers(b.role)) {
        b.members.forEach((member, m) => {
          const address = write('member', `member_${r}_${m}`, {
            id: `${h.short}/${b.role}/${member}`,
            role: b.role,
            member,
            condition: [],
            etag: 'BwX',
          });
          if (injected === 'lost' && b === target && m === b.members.length - 1) lostAddress = address;
        });
        return;
      }
      const address = write('binding', `binding_${r}`, {
        id: `${h.short}/${b.role}`,
        role: b.role,
        members: b.members,
        condition: [],
        etag: 'BwX',
      });
      if (b === target && injected) note('changed', 'binding', address, `${h.short}/${b.role}`);
    });
    if (lostAddress) note('missing', 'member', lostAddress, `${h.short}/${target.role}`);
  });
  return { resources, drift };
}
