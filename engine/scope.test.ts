import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { type CoverageScope, coverageCheck } from './scope.js';
import { parseTerraformState } from './state/parse.js';

describe('coverageCheck', () => {
  const instance = 'compute.googleapis.com/Instance';

  it('counts a zone as covered when its region was listed, and only then', () => {
    const covered = coverageCheck([
      { provider: 'gcp', account: 'p', type: instance, regions: ['europe-west1', 'global'] },
    ]);
    expect(covered('gcp', instance, 'p', 'europe-west1-c')).toBe(true);
    expect(covered('gcp', instance, 'p', 'us-central1-a')).toBe(false);
  });

  it('covers every region of an account-wide listing, and no other account or type', () => {
    const covered = coverageCheck([{ provider: 'aws', account: 'A1', type: 'AWS::IAM::Role', regions: ['*'] }]);
    expect(covered('aws', 'AWS::IAM::Role', 'a1', 'global')).toBe(true);
    expect(covered('aws', 'AWS::IAM::Role', 'a2', 'global')).toBe(false);
    expect(covered('aws', 'AWS::EC2::VPC', 'a1', 'us-east-1')).toBe(false);
    expect(covered('aws', 'AWS::IAM::Role', undefined, 'global')).toBe(false);
  });

  it('takes the inventory as complete when no scopes are given', () => {
    expect(coverageCheck(undefined)('azure', 'Microsoft.Network/virtualNetworks', undefined, undefined)).toBe(true);
  });
});

const LISTED = '111122223333';
const UNLISTED = '444455556666';
const VPC = 'AWS::EC2::VPC';
const SUBNET = 'AWS::EC2::Subnet';

// Discovery listed VPCs of one account in one region, and nothing else.
const vpcScopes: CoverageScope[] = [{ provider: 'aws', account: LISTED, type: VPC, regions: ['us-east-1'] }];

describe('coverageCheck of what no scope lists', () => {
  const covered = coverageCheck(vpcScopes);

  it('covers the listed type of the listed account in the listed region', () => {
    expect(covered('aws', VPC, LISTED, 'us-east-1')).toBe(true);
  });

  it('does not cover a type no scope lists, in an account and region that were listed', () => {
    expect(covered('aws', SUBNET, LISTED, 'us-east-1')).toBe(false);
  });

  it('does not cover an account no scope lists, for a type and region that were listed', () => {
    expect(covered('aws', VPC, UNLISTED, 'us-east-1')).toBe(false);
  });

  it('does not cover another provider, another region or a resource of unknown region', () => {
    expect(covered('gcp', VPC, LISTED, 'us-east-1')).toBe(false);
    expect(covered('aws', VPC, LISTED, 'us-west-2')).toBe(false);
    expect(covered('aws', VPC, LISTED, undefined)).toBe(false);
  });

  it('covers nothing when discovery covered nothing', () => {
    expect(coverageCheck([])('aws', VPC, LISTED, 'us-east-1')).toBe(false);
  });
});

describe('analyze within scopes', () => {
  const arn = (account: string, kind: string, id: string) => `arn:aws:ec2:us-east-1:${account}:${kind}/${id}`;
  const vpc = (account: string, id: string) => ({
    type: 'aws_vpc',
    name: id,
    attributes: { id, arn: arn(account, 'vpc', id), cidr_block: '10.0.0.0/16' },
  });
  const subnet = (account: string, id: string) => ({
    type: 'aws_subnet',
    name: id,
    attributes: { id, arn: arn(account, 'subnet', id), vpc_id: 'vpc-a', cidr_block: '10.0.1.0/24' },
  });
  const state = parseTerraformState({
    version: 4,
    resources: [
      vpc(LISTED, 'vpc-a'),
      subnet(LISTED, 'subnet-a'),
      vpc(UNLISTED, 'vpc-b'),
      subnet(UNLISTED, 'subnet-b'),
    ].map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: r.attributes }],
    })),
  });

  it('counts state resources of an uncovered type or account as not covered, not missing', () => {
    // Nothing was discovered: only the listed account's VPC is known to be gone.
    const report = analyze({ states: [state], inventory: [], scopes: vpcScopes });
    expect({ missing: report.summary.missing, not_covered: report.summary.not_covered }).toEqual({
      missing: 1,
      not_covered: 3,
    });
    expect(report.items.map((i) => `${i.kind} ${i.address}`)).toEqual(['missing aws_vpc.vpc-a']);
  });

  it('reports all of them missing when the inventory is taken as complete', () => {
    expect(analyze({ states: [state], inventory: [] }).summary.missing).toBe(4);
  });
});
