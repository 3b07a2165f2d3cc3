import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';
import type { ExpectedDrift } from './score.js';

/**
 * GCP IAM, hand-written: two projects and three buckets whose policies the states declare in
 * every form Terraform has: whole (`_iam_policy`), per role (`_iam_binding`), per member
 * (`_iam_member`), and mixed, one refreshed policy repeating the binding and member declared
 * beside it. Drift: a member removed in the cloud from each form, Owner and allUsers granted
 * by hand under a binding and under a whole policy, and a member added where only members are
 * declared. A bucket no state declares any IAM of is left alone, whatever its policy holds.
 */

const PROVIDER = 'provider["registry.terraform.io/hashicorp/google"]';
type Bindings = Record<string, string[]>;

const resource = (type: string, name: string, attributes: Record<string, unknown>) =>
  stateResource(PROVIDER, type, name, { etag: 'BwYk3Jx1nQ8=', ...attributes });

/** google_project_iam_policy as the provider stores it: policy_data is the policy's JSON, sorted. */
const policyData = (b: Bindings) =>
  JSON.stringify({ bindings: Object.entries(b).map(([role, members]) => ({ members: [...members].sort(), role })) });

const projectMember = (name: string, project: string, role: string, member: string) =>
  resource('google_project_iam_member', name, {
    id: `${project}/${role}/${member}`,
    project,
    role,
    member,
    condition: [],
  });
const projectBinding = (name: string, project: string, role: string, members: string[]) =>
  resource('google_project_iam_binding', name, { id: `${project}/${role}`, project, role, members, condition: [] });
const projectPolicy = (name: string, project: string, b: Bindings) =>
  resource('google_project_iam_policy', name, { id: project, project, policy_data: policyData(b) });
/** Bucket IAM resources store their bucket as `b/<name>`. */
const bucketMember = (name: string, bucket: string, role: string, member: string) =>
  resource('google_storage_bucket_iam_member', name, {
    id: `b/${bucket}/${role}/${member}`,
    bucket: `b/${bucket}`,
    role,
    member,
    condition: [],
  });
const bucketBinding = (name: string, bucket: string, role: string, members: string[]) =>
  resource('google_storage_bucket_iam_binding', name, {
    id: `b/${bucket}/${role}`,
    bucket: `b/${bucket}`,
    role,
    members,
    condition: [],
  });
const bucketPolicy = (name: string, bucket: string, b: Bindings) =>
  resource('google_storage_bucket_iam_policy', name, {
    id: `b/${bucket}`,
    bucket: `b/${bucket}`,
    policy_data: policyData(b),
  });

/** A policy as Cloud Asset's IAM_POLICY listing gives it, as the agent reports it. */
const listed = (type: string, project: string, id: string, b: Bindings): DiscoveredResource => ({
  provider: 'gcp',
  account: project,
  region: 'global',
  type,
  id,
  attributes: { bindings: Object.entries(b).map(([role, members]) => ({ role, members })) },
  tags: {},
});
const projectListed = (project: string, b: Bindings) =>
  listed(
    'cloudresourcemanager.googleapis.com/ProjectIamPolicy',
    project,
    `//cloudresourcemanager.googleapis.com/projects/${project}`,
    b,
  );
const bucketListed = (project: string, bucket: string, b: Bindings) =>
  listed('storage.googleapis.com/BucketIamPolicy', project, `//storage.googleapis.com/${bucket}`, b);

const SHOP = 'shop-prod-4711';
const DATA = 'data-dev-0815';
const ADMINS = 'group:platform-admins@example.com';
const CI = `serviceAccount:ci@${SHOP}.iam.gserviceaccount.com`;
const DATA_TEAM = 'group:data@example.com';
const SEARCH = 'group:search@example.com';

export function gcpIamCase(): EvalCase {
  const shop = [
    // Per role, and one role per member.
    projectBinding('owners', SHOP, 'roles/owner', [ADMINS]),
    projectBinding('editors', SHOP, 'roles/editor', [CI]),
    projectMember('viewer_data', SHOP, 'roles/viewer', DATA_TEAM),
    projectMember('viewer_search', SHOP, 'roles/viewer', SEARCH),
    // The assets bucket: whole; the logs bucket: per member; the exports bucket: refreshed mix.
    bucketPolicy('assets', 'shop-assets', {
      'roles/storage.objectViewer': [DATA_TEAM],
      'roles/storage.objectAdmin': [CI],
    }),
    bucketMember('logs_admin', 'shop-logs', 'roles/storage.objectAdmin', CI),
    bucketMember('logs_reader', 'shop-logs', 'roles/storage.objectViewer', SEARCH),
    bucketPolicy('exports', 'shop-exports', {
      'roles/storage.objectViewer': [DATA_TEAM, SEARCH],
      'roles/storage.objectAdmin': [CI],
    }),
    bucketBinding('exports_admin', 'shop-exports', 'roles/storage.objectAdmin', [CI]),
    bucketMember('exports_reader', 'shop-exports', 'roles/storage.objectViewer', DATA_TEAM),
  ];
  const data = [
    projectPolicy('all', DATA, {
      'roles/owner': [ADMINS],
      'roles/viewer': [DATA_TEAM, SEARCH],
    }),
  ];
  const inventory = [
    // Owner granted by hand under the owner binding; search's viewer member removed.
    projectListed(SHOP, {
      'roles/owner': [ADMINS, 'user:mallory@example.com'],
      'roles/editor': [CI],
      'roles/viewer': [DATA_TEAM],
    }),
    // allUsers granted by hand on a bucket declared whole.
    bucketListed(SHOP, 'shop-assets', {
      'roles/storage.objectViewer': [DATA_TEAM, 'allUsers'],
      'roles/storage.objectAdmin': [CI],
    }),
    // A reader added by hand where only members are declared; the admin member removed.
    bucketListed(SHOP, 'shop-logs', {
      'roles/storage.objectViewer': [SEARCH, 'user:intern@example.com'],
    }),
    // The refreshed mix, in sync: the policy repeats the binding and the member.
    bucketListed(SHOP, 'shop-exports', {
      'roles/storage.objectAdmin': [CI],
      'roles/storage.objectViewer': [SEARCH, DATA_TEAM],
    }),
    // Nobody declares this bucket's IAM: its default is no drift.
    bucketListed(SHOP, 'shop-tmp', { 'roles/storage.objectViewer': ['allAuthenticatedUsers'] }),
    // search removed from a whole project policy.
    projectListed(DATA, { 'roles/owner': [ADMINS], 'roles/viewer': [DATA_TEAM] }),
  ];
  const drift: ExpectedDrift[] = [
    { kind: 'changed', address: 'google_project_iam_binding.owners', id: `${SHOP}/roles/owner`, paths: ['members'] },
    { kind: 'missing', address: 'google_project_iam_member.viewer_search', id: `${SHOP}/roles/viewer/${SEARCH}` },
    {
      kind: 'changed',
      address: 'google_storage_bucket_iam_policy.assets',
      id: 'b/shop-assets',
      paths: ['policy_data'],
    },
    {
      kind: 'missing',
      address: 'google_storage_bucket_iam_member.logs_admin',
      id: `b/shop-logs/roles/storage.objectAdmin/${CI}`,
    },
    { kind: 'unmanaged', id: 'b/shop-logs roles/storage.objectViewer user:intern@example.com' },
    { kind: 'changed', address: 'google_project_iam_policy.all', id: DATA, paths: ['policy_data'] },
  ];
  const state = (name: string, resources: unknown[]) =>
    parseTerraformState(
      JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 3, lineage: name, outputs: {}, resources }),
      `${name}.tfstate`,
    );
  return {
    name: 'GCP IAM: policies, bindings and members in every mix, Owner and allUsers granted by hand',
    states: [state('shop-iam', shop), state('data-iam', data)],
    inventory,
    expected: { drift, noise: [] },
  };
}
