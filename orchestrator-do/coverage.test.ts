import { describe, expect, it } from 'vitest';
import { coveredScopes, type ShardOutcome } from './coverage.js';

const shard = (status: ShardOutcome['status'], ...work: [string, string][]): ShardOutcome => ({
  account: '1',
  status,
  work: work.map(([type, region]) => ({ type, region })),
});

describe('coveredScopes', () => {
  it('covers the listings of succeeded shards, regions grouped per type', () => {
    const scopes = coveredScopes('aws', ['us-east-1', 'eu-west-1'], [
      shard('succeeded', ['AWS::EC2::VPC', 'us-east-1'], ['AWS::EC2::Subnet', 'us-east-1']),
      shard('succeeded', ['AWS::EC2::VPC', 'eu-west-1']),
    ]);
    expect(scopes).toEqual([
      { provider: 'aws', account: '1', type: 'AWS::EC2::VPC', regions: ['us-east-1', 'eu-west-1'] },
      { provider: 'aws', account: '1', type: 'AWS::EC2::Subnet', regions: ['us-east-1'] },
    ]);
  });

  it('leaves out a listing any failed shard held, even when a split part of it succeeded', () => {
    const scopes = coveredScopes('aws', ['us-east-1'], [
      shard('succeeded', ['AWS::EC2::Instance', 'us-east-1']),
      shard('failed', ['AWS::EC2::Instance', 'us-east-1']),
      shard('cancelled', ['AWS::EC2::Volume', 'us-east-1']),
    ]);
    expect(scopes).toEqual([]);
  });

  it('gives account-wide listings the job regions and global', () => {
    const scopes = coveredScopes('gcp', ['us-central1'], [shard('succeeded', ['compute.googleapis.com/Network', '*'])]);
    expect(scopes[0]!.regions).toEqual(['us-central1', 'global']);
  });
});
