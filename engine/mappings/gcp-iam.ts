import type { TypeMapping } from './types.js';

/**
 * GCP IAM at attribute level: a project's or bucket's policy (contract/gcp-iam-types.ts), which
 * a state declares whole (`_iam_policy`), a role at a time (`_iam_binding`, authoritative for
 * its role) or a (role, member) pair at a time (`_iam_member`), in any mix. The policy is the
 * union of what they declare; split/iam-policy.ts compares it.
 */

export type IamScope = 'policy' | 'binding' | 'member';

export interface IamFamily {
  tfType: string;
  /** The policy's cloud type. */
  cloudType: string;
  scope: IamScope;
  /** The attribute naming what holds the policy, and how it becomes the policy's id. */
  target: { attr: string; id: (value: string) => string; short: (value: string) => string };
}

const PROJECT = {
  attr: 'project',
  id: (project: string) => `//cloudresourcemanager.googleapis.com/projects/${project}`,
  short: (project: string) => project,
};
/** Terraform stores a bucket IAM resource's bucket as `b/<name>`, or as the name a configuration gave. */
const bucketName = (bucket: string) => bucket.replace(/^b\//, '');
const BUCKET = {
  attr: 'bucket',
  id: (bucket: string) => `//storage.googleapis.com/${bucketName(bucket)}`,
  short: (bucket: string) => `b/${bucketName(bucket)}`,
};

const TARGETS = [
  { prefix: 'google_project_iam', cloudType: 'cloudresourcemanager.googleapis.com/ProjectIamPolicy', target: PROJECT },
  { prefix: 'google_storage_bucket_iam', cloudType: 'storage.googleapis.com/BucketIamPolicy', target: BUCKET },
] as const;

export const IAM_FAMILIES: readonly IamFamily[] = TARGETS.flatMap(({ prefix, cloudType, target }) =>
  (['policy', 'binding', 'member'] as const).map((scope) => ({
    tfType: `${prefix}_${scope}`,
    cloudType,
    scope,
    target,
  })),
);

const byTfType = new Map(IAM_FAMILIES.map((f) => [f.tfType, f]));

export const iamFamilyOf = (tfType: string): IamFamily | undefined => byTfType.get(tfType);

/** The member type of a policy's cloud type: what a pair nobody declares is reported as. */
export const iamMemberFamily = (cloudType: string): IamFamily | undefined =>
  IAM_FAMILIES.find((f) => f.cloudType === cloudType && f.scope === 'member');

/** What each scope declares: the attributes kept and compared (as `role member` pairs, see split/iam-policy.ts). */
const DECLARED: Record<IamScope, TypeMapping['attributes']> = {
  policy: [{ tf: 'policy_data', cloud: 'bindings' }],
  binding: [
    { tf: 'role', cloud: 'role' },
    { tf: 'members', cloud: 'members' },
  ],
  member: [
    { tf: 'role', cloud: 'role' },
    { tf: 'member', cloud: 'member' },
  ],
};

/** One mapping per type, for the catalog, what a state keeps, scope and slot; the comparison is split/iam-policy.ts's. */
export const GCP_IAM_MAPPINGS: readonly TypeMapping[] = IAM_FAMILIES.map((f) => ({
  provider: 'gcp',
  tfType: f.tfType,
  cloudType: f.cloudType,
  level: 'attributes',
  id: { tf: 'id', kind: 'exact', template: f.target.id(`{${f.target.attr}}`) },
  account: [{ from: 'attr', path: 'project', form: 'as-is' }],
  region: [{ from: 'fixed', value: 'global' }],
  attributes: DECLARED[f.scope],
}));
