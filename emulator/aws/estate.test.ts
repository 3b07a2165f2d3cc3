import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { createRng } from '../rng.js';
import { generateAwsEstate } from './estate.js';

const ACCOUNTS = ['123456789012', '999988887777'];
const REGIONS = ['us-east-1', 'eu-central-1'];
const estate = generateAwsEstate({ rng: createRng(11), count: 3000, accounts: ACCOUNTS, regions: REGIONS });

type A = Record<string, any>;
const ofType = (type: string, account?: string, region?: string) =>
  estate.filter((r) => r.type === type && (!account || r.account === account) && (!region || r.region === region));
const ids = (type: string) => new Set(ofType(type).map((r) => r.id));

describe('AWS estate', () => {
  it('is deterministic for a seed and near the requested size', () => {
    const again = generateAwsEstate({ rng: createRng(11), count: 3000, accounts: ACCOUNTS, regions: REGIONS });
    expect(again).toEqual(estate);
    expect(estate.length).toBeGreaterThan(2700);
    expect(estate.length).toBeLessThan(3300);
    // S3 configuration resources share their bucket's name: ids are unique per type.
    expect(new Set(estate.map((r) => `${r.type}|${r.id}`)).size).toBe(estate.length);
  });

  it('has every AWS type in every account and region, and every account-wide one in every account', () => {
    const attributeLevel = resourceTypesOf('aws').filter((t) => t.level === 'attributes');
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        for (const { type } of attributeLevel.filter((t) => t.listing === 'regional'))
          expect(ofType(type, account, region).length, `${account} ${region} ${type}`).toBeGreaterThan(0);
      }
      for (const { type } of attributeLevel.filter((t) => t.listing === 'account'))
        expect(ofType(type, account).length, `${account} ${type}`).toBeGreaterThan(0);
    }
  });

  it('has a default VPC per account and region, and a default security group, main route table and default ACL per VPC', () => {
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        const vpcs = ofType('AWS::EC2::VPC', account, region).map((r) => r.attributes as A);
        expect(vpcs.filter((v) => v.IsDefault).map((v) => v.CidrBlock)).toEqual(['172.31.0.0/16']);
        for (const vpc of vpcs) {
          const inVpc = (type: string) =>
            ofType(type, account, region)
              .map((r) => r.attributes as A)
              .filter((a) => a.VpcId === vpc.VpcId);
          expect(inVpc('AWS::EC2::SecurityGroup').filter((g) => g.GroupName === 'default')).toHaveLength(1);
          expect(inVpc('AWS::EC2::RouteTable').filter((t) => t.Associations.some((x: A) => x.Main))).toHaveLength(1);
          expect(inVpc('AWS::EC2::NetworkAcl').filter((n) => n.IsDefault)).toHaveLength(1);
        }
      }
    }
  });

  it('keeps references consistent', () => {
    const subnets = ids('AWS::EC2::Subnet');
    const vpcs = ids('AWS::EC2::VPC');
    const groups = ids('AWS::EC2::SecurityGroup');
    const volumes = ids('AWS::EC2::Volume');
    const enis = ids('AWS::EC2::NetworkInterface');
    const instances = ids('AWS::EC2::Instance');
    const eips = ids('AWS::EC2::EIP');
    const keyNames = new Set(ofType('AWS::EC2::KeyPair').map((r) => (r.attributes as A).KeyName));
    for (const r of ofType('AWS::EC2::Instance')) {
      const a = r.attributes as A;
      expect(subnets.has(a.SubnetId) && vpcs.has(a.VpcId) && keyNames.has(a.KeyName)).toBe(true);
      expect(a.SecurityGroups.every((g: A) => groups.has(g.GroupId))).toBe(true);
      expect(a.BlockDeviceMappings.every((b: A) => volumes.has(b.Ebs.VolumeId))).toBe(true);
      expect(a.NetworkInterfaces.every((n: A) => enis.has(n.NetworkInterfaceId))).toBe(true);
    }
    for (const r of ofType('AWS::EC2::Volume'))
      for (const at of (r.attributes as A).Attachments) expect(instances.has(at.InstanceId)).toBe(true);
    for (const r of ofType('AWS::EC2::NatGateway')) {
      const a = r.attributes as A;
      expect(subnets.has(a.SubnetId)).toBe(true);
      expect(a.NatGatewayAddresses.every((x: A) => eips.has(x.AllocationId) && enis.has(x.NetworkInterfaceId))).toBe(
        true,
      );
    }
    for (const r of ofType('AWS::EC2::RouteTable')) {
      for (const x of (r.attributes as A).Associations) if (x.SubnetId) expect(subnets.has(x.SubnetId)).toBe(true);
    }
  });

  it('flattens tags and names resources by their Name tag', () => {
    const tagged = estate.filter((r) => r.tags.Name) as DiscoveredResource[];
    expect(tagged.length).toBeGreaterThan(estate.length / 2);
    for (const r of tagged) expect(r.name).toBe(r.tags.Name);
    const eni = ofType('AWS::EC2::NetworkInterface')[0]!;
    expect(eni.attributes.TagSet).toBeDefined();
  });

  // Generation speed is a benchmark figure (npm run bench), not a test assertion.
  it('hits the requested size at 100,000 resources', () => {
    const big = generateAwsEstate({
      rng: createRng(1),
      count: 100_000,
      accounts: ACCOUNTS,
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
    });
    expect(big.length).toBeGreaterThan(98_000);
    expect(big.length).toBeLessThan(102_000);
  });
});
