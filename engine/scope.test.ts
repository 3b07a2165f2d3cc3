import { describe, expect, it } from 'vitest';
import { coverageCheck } from './scope.js';

describe('coverageCheck', () => {
  const instance = 'compute.googleapis.com/Instance';

  it('counts a zone as covered when its region was listed, and only then', () => {
    const covered = coverageCheck([{ provider: 'gcp', account: 'p', type: instance, regions: ['europe-west1', 'global'] }]);
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
