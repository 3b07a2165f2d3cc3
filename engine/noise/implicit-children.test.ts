import { describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { IMPLICIT_CHILD_RULES, implicitChildRules, parentIdsOf } from './implicit-children.js';

/**
 * Resources a parent creates as part of itself, as the cloud API returns them (hand-written):
 * the parent ids each child names, and a near miss (a resource of the same type created on
 * its own) that names none, so it is judged on its own.
 */
const child = (
  provider: Provider,
  type: string,
  id: string,
  attributes: Record<string, unknown>,
): DiscoveredResource => ({
  provider,
  account: 'acct',
  region: 'us-east-1',
  type,
  id,
  attributes,
  tags: {},
});

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers';
const VM = `${SUB}/Microsoft.Compute/virtualMachines/vm-web-1`;
const VNET = `${SUB}/Microsoft.Network/virtualNetworks/vnet-app`;
const INSTANCE = 'https://www.googleapis.com/compute/v1/projects/prod-1/zones/us-central1-a/instances/web-1';
const volumeAttachment = (deleteOnTermination: boolean) => ({
  AttachTime: '2025-05-01T10:00:00.000Z',
  Device: '/dev/xvda',
  InstanceId: 'i-0a1',
  State: 'attached',
  VolumeId: 'vol-0a1',
  DeleteOnTermination: deleteOnTermination,
});
const eniAttachment = (deviceIndex: number) => ({
  AttachmentId: 'eni-attach-0a1',
  DeleteOnTermination: true,
  DeviceIndex: deviceIndex,
  NetworkCardIndex: 0,
  InstanceId: 'i-0a1',
  InstanceOwnerId: '111122223333',
  Status: 'attached',
});

const CASES: [
  name: string,
  parentType: string,
  created: DiscoveredResource,
  parents: string[],
  nearMiss: DiscoveredResource | undefined,
][] = [
  [
    "an instance's root volume (deleted with it)",
    'AWS::EC2::Instance',
    child('aws', 'AWS::EC2::Volume', 'vol-0a1', {
      VolumeId: 'vol-0a1',
      Size: 8,
      VolumeType: 'gp3',
      Attachments: [volumeAttachment(true)],
    }),
    ['i-0a1'],
    child('aws', 'AWS::EC2::Volume', 'vol-0b2', {
      VolumeId: 'vol-0b2',
      Size: 100,
      VolumeType: 'gp3',
      Attachments: [{ ...volumeAttachment(false), Device: '/dev/sdf', VolumeId: 'vol-0b2' }],
    }),
  ],
  [
    "an instance's primary network interface",
    'AWS::EC2::Instance',
    child('aws', 'AWS::EC2::NetworkInterface', 'eni-0a1', {
      NetworkInterfaceId: 'eni-0a1',
      InterfaceType: 'interface',
      Attachment: eniAttachment(0),
    }),
    ['i-0a1'],
    child('aws', 'AWS::EC2::NetworkInterface', 'eni-0b2', {
      NetworkInterfaceId: 'eni-0b2',
      InterfaceType: 'interface',
      Attachment: eniAttachment(1),
    }),
  ],
  [
    "a virtual machine's OS disk",
    'Microsoft.Compute/virtualMachines',
    child('azure', 'Microsoft.Compute/disks', `${SUB}/Microsoft.Compute/disks/vm-web-1_OsDisk_1_0a1`, {
      name: 'vm-web-1_OsDisk_1_0a1',
      managedBy: VM,
      properties: { osType: 'Linux', diskSizeGB: 30, diskState: 'Attached' },
    }),
    [VM],
    child('azure', 'Microsoft.Compute/disks', `${SUB}/Microsoft.Compute/disks/data-1`, {
      name: 'data-1',
      managedBy: VM,
      properties: { diskSizeGB: 256, diskState: 'Attached' },
    }),
  ],
  [
    "an instance's boot disk (named after it)",
    'compute.googleapis.com/Instance',
    child('gcp', 'compute.googleapis.com/Disk', 'projects/prod-1/zones/us-central1-a/disks/web-1', {
      name: 'web-1',
      sizeGb: '10',
      users: [INSTANCE],
    }),
    [INSTANCE],
    child('gcp', 'compute.googleapis.com/Disk', 'projects/prod-1/zones/us-central1-a/disks/web-1-data', {
      name: 'web-1-data',
      sizeGb: '200',
      users: [INSTANCE],
    }),
  ],
  [
    'a subnet written inline in its virtual network',
    'Microsoft.Network/virtualNetworks',
    // Every subnet id names its virtual network: whether the vnet's state holds inline `subnet` blocks decides.
    child('azure', 'Microsoft.Network/virtualNetworks/subnets', `${VNET}/subnets/snet-web`, {
      name: 'snet-web',
      properties: { addressPrefix: '10.1.1.0/24' },
    }),
    [VNET],
    undefined,
  ],
  [
    'a bucket policy written inline in its bucket',
    'AWS::S3::Bucket',
    child('aws', 'AWS::S3::BucketPolicy', 'logs-bucket', { Bucket: 'logs-bucket', Policy: '{"Statement":[]}' }),
    ['logs-bucket'],
    undefined,
  ],
  [
    "a bucket's default encryption written inline in its bucket",
    'AWS::S3::Bucket',
    child('aws', 'AWS::S3::BucketEncryption', 'logs-bucket', {
      Bucket: 'logs-bucket',
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    }),
    ['logs-bucket'],
    undefined,
  ],
];

describe('resources a parent creates with itself', () => {
  const ruleFor = (childType: string, parentType: string) => {
    const rules = implicitChildRules(childType).filter((r) => r.parentType === parentType);
    expect(rules).toHaveLength(1);
    return rules[0]!;
  };

  it.each(CASES)('%s names its parent', (_, parentType, created, parents) => {
    expect(parentIdsOf(ruleFor(created.type, parentType), created)).toEqual(parents);
  });

  it.each(CASES.filter(([, , , , nearMiss]) => nearMiss))(
    'a near miss of %s names none',
    (_, parentType, __, ___, nearMiss) => {
      expect(parentIdsOf(ruleFor(nearMiss!.type, parentType), nearMiss!)).toEqual([]);
    },
  );

  it('an inline subnet counts only when the virtual network state defines subnets inline', () => {
    const [, parentType, created] = CASES[4]!;
    expect(ruleFor(created.type, parentType).parentStateHas).toBe('subnet');
  });

  it('every implicit-child rule has a golden case', () => {
    const covered = new Set(CASES.map(([, parentType, created]) => `${created.type} <- ${parentType}`));
    expect(IMPLICIT_CHILD_RULES.map((r) => `${r.childType} <- ${r.parentType}`).filter((k) => !covered.has(k))).toEqual(
      [],
    );
  });
});
