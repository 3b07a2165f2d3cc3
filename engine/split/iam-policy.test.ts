import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { analyze } from '../analyze.js';
import { instanceAccounts, instanceSlot, resourceSlot } from '../partition.js';
import { parseTerraformState } from '../state/parse.js';
import { StreamedAccounts } from '../streamed-accounts.js';

const PROJECT = 'shop-prod';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/google"]';
const PROJECT_POLICY = `//cloudresourcemanager.googleapis.com/projects/${PROJECT}`;

type Bindings = Record<string, string[]>;

const policy = (type: string, id: string, bindings: Bindings): DiscoveredResource => ({
  provider: 'gcp',
  account: PROJECT,
  region: 'global',
  type,
  id,
  attributes: { bindings: Object.entries(bindings).map(([role, members]) => ({ role, members })) },
  tags: {},
});
const projectPolicy = (b: Bindings) =>
  policy('cloudresourcemanager.googleapis.com/ProjectIamPolicy', PROJECT_POLICY, b);
const bucketPolicy = (bucket: string, b: Bindings) =>
  policy('storage.googleapis.com/BucketIamPolicy', `//storage.googleapis.com/${bucket}`, b);

const resource = (type: string, name: string, attributes: Record<string, unknown>) => ({
  mode: 'managed',
  type,
  name,
  provider: PROVIDER,
  instances: [{ attributes }],
});
const member = (name: string, role: string, m: string) =>
  resource('google_project_iam_member', name, { id: `${PROJECT}/${role}/${m}`, project: PROJECT, role, member: m });
const binding = (name: string, role: string, members: string[]) =>
  resource('google_project_iam_binding', name, { id: `${PROJECT}/${role}`, project: PROJECT, role, members });
const projectPolicyData = (name: string, b: Bindings) =>
  resource('google_project_iam_policy', name, {
    id: PROJECT,
    project: PROJECT,
    policy_data: JSON.stringify({ bindings: Object.entries(b).map(([role, members]) => ({ role, members })) }),
  });
const bucketBinding = (name: string, bucket: string, role: string, members: string[]) =>
  resource('google_storage_bucket_iam_binding', name, {
    id: `b/${bucket}/${role}`,
    bucket: `b/${bucket}`,
    role,
    members,
  });

const stateOf = (...resources: ReturnType<typeof resource>[]) => parseTerraformState({ version: 4, resources });

const CLOUD: Bindings = {
  'roles/owner': ['group:platform-admins@example.com'],
  'roles/viewer': ['group:data@example.com', 'group:search@example.com'],
};
const drift = (report: ReturnType<typeof analyze>) =>
  report.items.map(
    (i) => `${i.kind} ${i.address}${i.changes.length ? ` ${JSON.stringify(i.changes[0]!.actual)}` : ''}`,
  );

describe('GCP IAM policies declared whole, per role or per member', () => {
  const asMembers = stateOf(
    member('owner', 'roles/owner', 'group:platform-admins@example.com'),
    member('data', 'roles/viewer', 'group:data@example.com'),
    member('search', 'roles/viewer', 'group:search@example.com'),
  );
  const asBindings = stateOf(
    binding('owner', 'roles/owner', ['group:platform-admins@example.com']),
    binding('viewer', 'roles/viewer', ['group:data@example.com', 'group:search@example.com']),
  );
  const asPolicy = stateOf(projectPolicyData('all', CLOUD));
  // A refreshed mix: the whole policy repeats what a binding and a member declare too.
  const mixed = stateOf(
    projectPolicyData('all', CLOUD),
    binding('owner', 'roles/owner', ['group:platform-admins@example.com']),
    member('data', 'roles/viewer', 'group:data@example.com'),
  );

  it('finds no drift in a policy as declared, whichever mix of parts a state declares it with', () => {
    for (const state of [asMembers, asBindings, asPolicy, mixed]) {
      const report = analyze({ states: [state], inventory: [projectPolicy(CLOUD)] });
      expect(drift(report)).toEqual([]);
      expect(report.summary.in_sync).toBe(state.instances.length);
      expect(report.summary.unsupported_types).toEqual({});
    }
  });

  it("reports a member removed in the cloud on the part that declares it: a member missing, a binding's or policy's members changed", () => {
    const lost = projectPolicy({ ...CLOUD, 'roles/viewer': ['group:data@example.com'] });
    expect(drift(analyze({ states: [asMembers], inventory: [lost] }))).toEqual([
      'missing google_project_iam_member.search',
    ]);
    expect(drift(analyze({ states: [asBindings], inventory: [lost] }))).toEqual([
      'changed google_project_iam_binding.viewer ["roles/viewer group:data@example.com"]',
    ]);
    expect(drift(analyze({ states: [mixed], inventory: [lost] }))).toEqual([
      // Owner is the binding's, data the member's: the policy's own part of it lost search.
      'changed google_project_iam_policy.all []',
    ]);
  });

  it('reports a member added by hand on the authoritative binding or policy, else as an unmanaged member, with its risk', () => {
    const added = projectPolicy({ ...CLOUD, 'roles/owner': [...CLOUD['roles/owner']!, 'user:mallory@example.com'] });
    const onBinding = analyze({ states: [asBindings], inventory: [added] }).items;
    expect(onBinding.map((i) => `${i.kind} ${i.address} ${i.severity}`)).toEqual([
      'changed google_project_iam_binding.owner high',
    ]);
    expect(onBinding[0]!.rules.map((r) => r.id)).toEqual(['gcp-owner-or-editor-granted']);
    expect(drift(analyze({ states: [asPolicy], inventory: [added] }))).toEqual([
      'changed google_project_iam_policy.all ["roles/owner group:platform-admins@example.com","roles/owner user:mallory@example.com","roles/viewer group:data@example.com","roles/viewer group:search@example.com"]',
    ]);
    const unmanaged = analyze({ states: [asMembers], inventory: [added] });
    expect(unmanaged.items.map((i) => [i.kind, i.tf_type, i.id, i.severity])).toEqual([
      ['unmanaged', 'google_project_iam_member', `${PROJECT} roles/owner user:mallory@example.com`, 'high'],
    ]);
    expect(unmanaged.summary.unmanaged).toBe(1);
  });

  it('rates allUsers on a bucket critical, the bucket named as Terraform stores it (b/<name>)', () => {
    const state = stateOf(bucketBinding('read', 'assets', 'roles/storage.objectViewer', ['group:data@example.com']));
    const inSync = bucketPolicy('assets', { 'roles/storage.objectViewer': ['group:data@example.com'] });
    expect(drift(analyze({ states: [state], inventory: [inSync] }))).toEqual([]);
    const opened = bucketPolicy('assets', { 'roles/storage.objectViewer': ['group:data@example.com', 'allUsers'] });
    const [item] = analyze({ states: [state], inventory: [opened] }).items;
    expect([item?.kind, item?.address, item?.severity]).toEqual([
      'changed',
      'google_storage_bucket_iam_binding.read',
      'critical',
    ]);
  });

  it('leaves alone a policy no state declares any part of, and reports the parts of a policy gone as missing', () => {
    const other = bucketPolicy('logs', { 'roles/storage.objectViewer': ['allUsers'] });
    const report = analyze({ states: [asBindings], inventory: [projectPolicy(CLOUD), other] });
    expect(drift(report)).toEqual([]);
    expect(report.summary.default_resources_skipped).toBe(1);
    expect(report.summary.unsupported_types).toEqual({});
    expect(drift(analyze({ states: [asBindings], inventory: [] }))).toEqual([
      'missing google_project_iam_binding.owner',
      'missing google_project_iam_binding.viewer',
    ]);
  });

  it('places every part in its policy’s slot and account, read whole or streamed', () => {
    const state = stateOf(
      member('data', 'roles/viewer', 'group:data@example.com'),
      bucketBinding('read', 'assets', 'roles/storage.objectViewer', ['group:data@example.com']),
    );
    expect(instanceSlot(state.instances[0]!)).toBe(resourceSlot(projectPolicy(CLOUD)));
    expect(instanceSlot(state.instances[1]!)).toBe(resourceSlot(bucketPolicy('assets', {})));
    const streamed = new StreamedAccounts();
    const now = state.instances.map((instance, seq) => streamed.add(instance, seq));
    const inherited = streamed.inherited([]);
    const accounts = now.map((a, seq) => a ?? inherited.find((g) => g.seqs.includes(seq))?.account ?? null);
    expect(accounts).toEqual(instanceAccounts(state));
    expect(accounts).toEqual([PROJECT, PROJECT]);
  });
});
