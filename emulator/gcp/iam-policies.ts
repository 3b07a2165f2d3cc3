import { createHash } from 'node:crypto';
import { GCP_IAM_POLICY_TYPES, iamPolicyId } from '../../contract/gcp-iam-types.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { projectNumber } from './asset-types.js';

/**
 * The IAM policies of the sample estate: one per project and one per bucket, derived from the
 * estate itself (names and a hash of them), so the estate's generator and its Terraform state
 * stay unchanged and every process derives the same policies.
 */

export const PROJECT_ASSET_TYPE = 'cloudresourcemanager.googleapis.com/Project';
export const BUCKET_ASSET_TYPE = 'storage.googleapis.com/Bucket';

/** Asset types that carry an IAM policy, in the order ListAssets returns them. */
export const IAM_POLICY_ASSET_TYPES: readonly string[] = [BUCKET_ASSET_TYPE, PROJECT_ASSET_TYPE];

export interface IamBinding {
  role: string;
  members: string[];
}

export interface IamPolicy {
  version: number;
  /** Base64 of the policy's etag bytes, as the JSON wire format spells a `bytes` field. */
  etag: string;
  bindings: IamBinding[];
}

/** One asset's policy: the asset's name and type as ListAssets reports them. */
export interface PolicyAsset {
  name: string;
  assetType: string;
  policy: IamPolicy;
}

const TEAM_GROUPS = ['platform', 'data', 'payments', 'search'] as const;

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function policyOf(bindings: IamBinding[]): IamPolicy {
  const etag = createHash('sha256').update(JSON.stringify(bindings)).digest().subarray(0, 8).toString('base64');
  return { version: 1, etag, bindings: bindings.filter((b) => b.members.length > 0) };
}

/** A project's policy: its owners, the CI service account as editor, the teams as viewers. */
export function projectPolicy(projectId: string): IamPolicy {
  const number = projectNumber(projectId);
  const team = TEAM_GROUPS[seedOf(projectId) % TEAM_GROUPS.length]!;
  return policyOf([
    { role: 'roles/owner', members: [`group:${team}-admins@example.com`] },
    {
      role: 'roles/editor',
      members: [
        `serviceAccount:${number}@cloudservices.gserviceaccount.com`,
        `serviceAccount:ci@${projectId}.iam.gserviceaccount.com`,
      ],
    },
    { role: 'roles/viewer', members: TEAM_GROUPS.map((g) => `group:${g}@example.com`) },
  ]);
}

/** A bucket's policy: the project's own convenience bindings, and for some an app's reader. */
export function bucketPolicy(bucket: DiscoveredResource): IamPolicy {
  const readers = [`projectViewer:${bucket.account}`];
  if (seedOf(bucket.name ?? bucket.id) % 3 === 0)
    readers.push(`serviceAccount:app@${bucket.account}.iam.gserviceaccount.com`);
  return policyOf([
    {
      role: 'roles/storage.legacyBucketOwner',
      members: [`projectEditor:${bucket.account}`, `projectOwner:${bucket.account}`],
    },
    { role: 'roles/storage.objectViewer', members: readers },
    { role: 'roles/storage.objectAdmin', members: [`serviceAccount:ci@${bucket.account}.iam.gserviceaccount.com`] },
  ]);
}

/** projectId → the policy assets of that project, in IAM_POLICY_ASSET_TYPES order. */
export function estatePolicies(resources: readonly DiscoveredResource[]): Map<string, PolicyAsset[]> {
  const byProject = new Map<string, PolicyAsset[]>();
  const add = (projectId: string, asset: PolicyAsset) => {
    const assets = byProject.get(projectId);
    if (assets) assets.push(asset);
    else byProject.set(projectId, [asset]);
  };
  const projects = new Set<string>();
  for (const r of resources) {
    if (r.provider !== 'gcp') continue;
    projects.add(r.account);
    if (r.type === BUCKET_ASSET_TYPE)
      add(r.account, { name: r.id, assetType: BUCKET_ASSET_TYPE, policy: bucketPolicy(r) });
  }
  for (const projectId of projects) {
    const name = `//cloudresourcemanager.googleapis.com/projects/${projectNumber(projectId)}`;
    add(projectId, { name, assetType: PROJECT_ASSET_TYPE, policy: projectPolicy(projectId) });
  }
  return byProject;
}

const POLICY_TYPE_OF = new Map(Object.entries(GCP_IAM_POLICY_TYPES).map(([type, asset]) => [asset, type]));

/** The estate's policies as discovery reports them (contract/gcp-iam-types.ts): what they add to its GCP inventory. */
export function discoveredPolicies(resources: readonly DiscoveredResource[]): DiscoveredResource[] {
  return [...estatePolicies(resources)].flatMap(([project, assets]) =>
    assets.map((a) => ({
      provider: 'gcp' as const,
      account: project,
      region: 'global',
      type: POLICY_TYPE_OF.get(a.assetType)!,
      id: iamPolicyId(a.assetType, a.name, project),
      attributes: { bindings: a.policy.bindings },
      tags: {},
    })),
  );
}

/** An estate's resources with the policies the emulator serves for them: everything discovery lists of it. */
export const withIamPolicies = (resources: readonly DiscoveredResource[]): DiscoveredResource[] => [
  ...resources,
  ...discoveredPolicies(resources),
];
