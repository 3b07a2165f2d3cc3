import type { DiscoveredResource } from '../../contract/resource.js';
import { getPath } from '../util/path.js';
import { type Condition, conditionHolds } from './condition.js';

/**
 * Resources a managed parent creates as part of itself (a VM's OS disk, an instance's root
 * volume and primary interface, subnets written inline in a vnet). Terraform manages them
 * through the parent, so they are neither unmanaged nor counted twice.
 */
export interface ImplicitChildRule {
  childType: string;
  parentType: string;
  reason: string;
  /** Cloud path on the child holding the parent's id (a list path when there may be several). */
  parentIdPath?: string;
  /** Or: the parent's id is the child's id with its last `n` path segments removed. */
  parentIdStripSegments?: number;
  when?: Condition;
  /** The child's `name` must equal the parent's name (GCP names boot disks after the instance). */
  sameNameAsParent?: boolean;
  /** The parent's state must define the children inline in this attribute. */
  parentStateHas?: string;
}

export const IMPLICIT_CHILD_RULES: readonly ImplicitChildRule[] = [
  {
    childType: 'AWS::EC2::Volume',
    parentType: 'AWS::EC2::Instance',
    reason: 'root/ephemeral volume created with its instance',
    parentIdPath: 'Attachments[].InstanceId',
    when: { path: 'Attachments[].DeleteOnTermination', equals: true },
  },
  {
    childType: 'AWS::EC2::NetworkInterface',
    parentType: 'AWS::EC2::Instance',
    reason: 'primary network interface created with its instance',
    parentIdPath: 'Attachment.InstanceId',
    when: { path: 'Attachment.DeviceIndex', equals: 0 },
  },
  {
    childType: 'Microsoft.Compute/disks',
    parentType: 'Microsoft.Compute/virtualMachines',
    reason: 'OS disk created with its virtual machine',
    parentIdPath: 'managedBy',
    when: { path: 'properties.osType', matches: '*' },
  },
  {
    childType: 'compute.googleapis.com/Disk',
    parentType: 'compute.googleapis.com/Instance',
    reason: 'boot disk created with its instance',
    parentIdPath: 'users',
    sameNameAsParent: true,
  },
  {
    childType: 'Microsoft.Network/virtualNetworks/subnets',
    parentType: 'Microsoft.Network/virtualNetworks',
    reason: 'subnet defined inline in its virtual network',
    parentIdStripSegments: 2,
    parentStateHas: 'subnet',
  },
  // Buckets written with the provider's inline (pre-4.0) arguments carry their policy and
  // encryption in the bucket's own entry; S3 reports them as the bucket's subresources.
  {
    childType: 'AWS::S3::BucketPolicy',
    parentType: 'AWS::S3::Bucket',
    reason: 'bucket policy defined inline in its bucket',
    parentIdPath: 'Bucket',
    parentStateHas: 'policy',
  },
  {
    childType: 'AWS::S3::BucketEncryption',
    parentType: 'AWS::S3::Bucket',
    reason: 'default encryption defined inline in its bucket',
    parentIdPath: 'Bucket',
    parentStateHas: 'server_side_encryption_configuration',
  },
];

const rulesByChild = new Map<string, ImplicitChildRule[]>();
for (const r of IMPLICIT_CHILD_RULES) rulesByChild.set(r.childType, [...(rulesByChild.get(r.childType) ?? []), r]);

export function implicitChildRules(childType: string): readonly ImplicitChildRule[] {
  return rulesByChild.get(childType) ?? [];
}

/** Candidate parent ids of a child under a rule (before the parent's id normalisation). */
export function parentIdsOf(rule: ImplicitChildRule, child: DiscoveredResource): string[] {
  if (rule.when && !conditionHolds(rule.when, child.attributes)) return [];
  let ids: string[] = [];
  if (rule.parentIdPath) {
    const v = getPath(child.attributes, rule.parentIdPath);
    ids = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
  } else if (rule.parentIdStripSegments) {
    ids = [child.id.split('/').slice(0, -rule.parentIdStripSegments).join('/')];
  }
  if (rule.sameNameAsParent) {
    const name = child.attributes.name ?? child.name;
    ids = ids.filter((id) => id.slice(id.lastIndexOf('/') + 1) === name);
  }
  return ids;
}
