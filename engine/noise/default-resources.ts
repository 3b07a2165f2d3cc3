import type { DiscoveredResource } from '../../contract/resource.js';
import { compileGlob, type Glob } from '../util/glob.js';
import { getPath } from '../util/path.js';
import { conditionHolds } from './condition.js';
import type { DefaultResourceRule } from './default-rule.js';
import { EXISTENCE_DEFAULT_RULES } from './existence-defaults.js';

export type { DefaultResourceRule } from './default-rule.js';

export const DEFAULT_RESOURCE_RULES: readonly DefaultResourceRule[] = [
  { cloudType: 'AWS::EC2::VPC', reason: 'default VPC', when: { path: 'IsDefault', equals: true } },
  {
    cloudType: 'AWS::EC2::Subnet',
    reason: 'default subnet of an availability zone',
    when: { path: 'DefaultForAz', equals: true },
  },
  {
    cloudType: 'AWS::EC2::SecurityGroup',
    reason: 'default security group every VPC has',
    when: { path: 'GroupName', equals: 'default' },
  },
  {
    cloudType: 'AWS::EC2::RouteTable',
    reason: 'main route table every VPC has',
    when: { path: 'Associations[].Main', equals: true },
  },
  {
    cloudType: 'AWS::EC2::NetworkAcl',
    reason: 'default network ACL every VPC has',
    when: { path: 'IsDefault', equals: true },
  },
  {
    cloudType: 'AWS::EC2::InternetGateway',
    reason: 'internet gateway of the default VPC',
    when: { path: 'Attachments[].VpcId', matches: 'vpc-*' },
    inDefaultVpc: 'Attachments[].VpcId',
  },
  {
    cloudType: 'AWS::EC2::NetworkInterface',
    reason: 'interface an AWS service manages (NAT gateway, load balancer, endpoint)',
    when: { path: 'RequesterManaged', equals: true },
  },
  {
    cloudType: 'AWS::S3::BucketEncryption',
    reason: 'SSE-S3 encryption S3 applies to every bucket',
    when: { path: 'Rules.0.ApplyServerSideEncryptionByDefault.SSEAlgorithm', equals: 'AES256' },
  },
  {
    cloudType: 'Microsoft.Resources/resourceGroups',
    reason: 'NetworkWatcherRG, created by Azure Network Watcher',
    when: { path: 'name', matches: 'NetworkWatcherRG' },
  },
  {
    cloudType: 'compute.googleapis.com/Network',
    reason: 'default network of a project',
    when: { path: 'name', equals: 'default' },
  },
  {
    cloudType: 'compute.googleapis.com/Subnetwork',
    reason: 'auto-mode subnetwork of the default network',
    when: { path: 'network', matches: '*/global/networks/default' },
  },
  {
    cloudType: 'compute.googleapis.com/Firewall',
    reason: 'default-allow-* rule of the default network',
    when: { path: 'name', matches: 'default-allow-*' },
  },
  ...EXISTENCE_DEFAULT_RULES,
];

const idGlobs = new Map<string, Glob>();
function idMatches(pattern: string, id: string): boolean {
  let glob = idGlobs.get(pattern);
  if (!glob) idGlobs.set(pattern, (glob = compileGlob(pattern, { ignoreCase: true })));
  return glob.test(id);
}

const rulesByType = new Map<string, DefaultResourceRule[]>();
for (const r of DEFAULT_RESOURCE_RULES) rulesByType.set(r.cloudType, [...(rulesByType.get(r.cloudType) ?? []), r]);

/** The cloud type defaultVpcIds reads: an analysis in parts reads it across all of them. */
export const VPC_TYPE = 'AWS::EC2::VPC';

/** Ids of the default VPCs in an inventory (resources inside them may be defaults too). */
export function defaultVpcIds(inventory: readonly DiscoveredResource[]): Set<string> {
  const ids = new Set<string>();
  for (const r of inventory) if (r.type === VPC_TYPE && r.attributes.IsDefault === true) ids.add(r.id);
  return ids;
}

/** Why this resource is one the cloud made by itself, or undefined. */
export function defaultResourceReason(
  resource: DiscoveredResource,
  defaultVpcs: ReadonlySet<string>,
): string | undefined {
  for (const rule of rulesByType.get(resource.type) ?? []) {
    if (rule.when && !conditionHolds(rule.when, resource.attributes)) continue;
    if (rule.idMatches && !idMatches(rule.idMatches, resource.id)) continue;
    if (rule.inDefaultVpc) {
      const vpcs = getPath(resource.attributes, rule.inDefaultVpc);
      if (!(Array.isArray(vpcs) ? vpcs : [vpcs]).some((v) => typeof v === 'string' && defaultVpcs.has(v))) continue;
    }
    return rule.reason;
  }
  return undefined;
}
