import { describe, expect, it } from 'vitest';
import type { BucketUsage } from '../emulator/quotas.js';
import { quotaBoundSeconds } from './realistic.js';

const bucket = (over: Partial<BucketUsage>): BucketUsage => ({
  account: '111111111111',
  region: 'us-east-1',
  bucket: 'CloudControl',
  quotaClass: 'cloudcontrol:read',
  served: 1,
  longestListing: 1,
  ...over,
});

describe('quotaBoundSeconds', () => {
  it('is the slowest bucket: calls past the burst at the refill rate, then one latency', () => {
    // Cloud Control: burst 10, refill 5/s; 60 calls leave 50 to refill, 10 s, and the last takes 0.1 s.
    const slow = bucket({ served: 60 });
    const fast = bucket({ region: 'eu-west-1', served: 12 });
    expect(quotaBoundSeconds([fast, slow], 100)).toBeCloseTo(10.1, 6);
  });

  it('is a listing whose pages, one after another, take longer than its bucket allows', () => {
    const pages = bucket({ bucket: 'DescribeVolumes', quotaClass: 'ec2:describe', served: 30, longestListing: 30 });
    expect(quotaBoundSeconds([pages], 100)).toBeCloseTo(3, 6);
  });

  it('is one latency for calls within every burst, and nothing without calls', () => {
    expect(quotaBoundSeconds([bucket({ served: 10 })], 100)).toBeCloseTo(0.1, 6);
    expect(quotaBoundSeconds([], 100)).toBe(0);
  });
});
