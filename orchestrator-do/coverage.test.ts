import { describe, expect, it } from 'vitest';
import { coverageCheck } from '../engine/index.js';
import { coveredScopes, type ShardOutcome } from './coverage.js';

const shard = (status: ShardOutcome['status'], ...work: [string, string][]): ShardOutcome => ({
  account: '1',
  status,
  work: work.map(([type, region]) => ({ type, region })),
});

describe('coveredScopes', () => {
  it('covers the listings of succeeded shards, regions grouped per type', () => {
    const scopes = coveredScopes(
      'aws',
      ['us-east-1', 'eu-west-1'],
      [
        shard('succeeded', ['AWS::EC2::VPC', 'us-east-1'], ['AWS::EC2::Subnet', 'us-east-1']),
        shard('succeeded', ['AWS::EC2::VPC', 'eu-west-1']),
      ],
    );
    expect(scopes).toEqual([
      { provider: 'aws', account: '1', type: 'AWS::EC2::VPC', regions: ['us-east-1', 'eu-west-1'] },
      { provider: 'aws', account: '1', type: 'AWS::EC2::Subnet', regions: ['us-east-1'] },
    ]);
  });

  it('leaves out a listing any failed shard held, even when a split part of it succeeded', () => {
    const scopes = coveredScopes(
      'aws',
      ['us-east-1'],
      [
        shard('succeeded', ['AWS::EC2::Instance', 'us-east-1']),
        shard('failed', ['AWS::EC2::Instance', 'us-east-1']),
        shard('cancelled', ['AWS::EC2::Volume', 'us-east-1']),
      ],
    );
    expect(scopes).toEqual([]);
  });

  it('gives account-wide listings the job regions and global', () => {
    const scopes = coveredScopes('gcp', ['us-central1'], [shard('succeeded', ['compute.googleapis.com/Network', '*'])]);
    expect(scopes[0]!.regions).toEqual(['us-central1', 'global']);
  });
});

describe('coveredScopes of accounts and types no shard finished', () => {
  const VPC = 'AWS::EC2::VPC';
  const SUBNET = 'AWS::EC2::Subnet';
  const shardOf = (account: string, status: ShardOutcome['status'], ...work: [string, string][]): ShardOutcome => ({
    ...shard(status, ...work),
    account,
  });

  it('gives no scope to a type or an account that no succeeded shard listed', () => {
    const scopes = coveredScopes(
      'aws',
      ['us-east-1', 'eu-west-1'],
      [
        shardOf('1', 'succeeded', [VPC, 'us-east-1']),
        shardOf('2', 'failed', [VPC, 'us-east-1'], [SUBNET, 'us-east-1']),
        shardOf('3', 'succeeded', [VPC, 'eu-west-1']),
      ],
    );
    expect(scopes).toEqual([
      { provider: 'aws', account: '1', type: VPC, regions: ['us-east-1'] },
      { provider: 'aws', account: '3', type: VPC, regions: ['eu-west-1'] },
    ]);
    const covered = coverageCheck(scopes);
    expect(covered('aws', VPC, '1', 'us-east-1')).toBe(true);
    expect(covered('aws', SUBNET, '1', 'us-east-1')).toBe(false);
    expect(covered('aws', VPC, '2', 'us-east-1')).toBe(false);
    expect(covered('aws', SUBNET, '2', 'us-east-1')).toBe(false);
    expect(covered('aws', VPC, '4', 'us-east-1')).toBe(false);
    // Each account keeps its own regions: another account's listing covers nothing here.
    expect(covered('aws', VPC, '1', 'eu-west-1')).toBe(false);
    expect(covered('aws', VPC, '3', 'us-east-1')).toBe(false);
  });

  it('keeps an account-wide listing to its own account and type', () => {
    const scopes = coveredScopes('aws', ['us-east-1'], [shardOf('1', 'succeeded', ['AWS::IAM::Role', '*'])]);
    const covered = coverageCheck(scopes);
    expect(covered('aws', 'AWS::IAM::Role', '1', 'global')).toBe(true);
    expect(covered('aws', 'AWS::IAM::Role', '2', 'global')).toBe(false);
    expect(covered('aws', VPC, '1', 'us-east-1')).toBe(false);
  });

  it('covers nothing when no shard succeeded', () => {
    const scopes = coveredScopes(
      'aws',
      ['us-east-1'],
      [shardOf('1', 'leased', [VPC, 'us-east-1']), shardOf('2', 'failed', [VPC, 'us-east-1'])],
    );
    expect(scopes).toEqual([]);
    expect(coverageCheck(scopes)('aws', VPC, '1', 'us-east-1')).toBe(false);
  });
});
