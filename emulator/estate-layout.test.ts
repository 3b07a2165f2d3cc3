import { describe, expect, it } from 'vitest';
import { generateEstate } from './estate.js';

describe('generateEstate layout', () => {
  it('gives the one cloud the accounts and regions asked for, its usual accounts first', () => {
    const usual = generateEstate({ seed: 5, resources: 2000, only: 'aws' });
    const regions = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
    const wide = generateEstate({ seed: 5, resources: 2000, only: 'aws', layout: { accounts: 4, regions } });
    expect(wide.accounts.aws).toHaveLength(4);
    expect(new Set(wide.accounts.aws).size).toBe(4);
    expect(wide.accounts.aws.slice(0, 2)).toEqual(usual.accounts.aws);
    expect(wide.regions.aws).toEqual(regions);
    const placed = new Set(
      wide.resources.filter((r) => r.type === 'AWS::EC2::VPC').map((r) => `${r.account}|${r.region}`),
    );
    expect(placed.size).toBe(16);
  });

  it('ignores a layout without `only`', () => {
    const estate = generateEstate({ seed: 5, resources: 2000, layout: { accounts: 4 } });
    expect(estate.accounts.aws).toHaveLength(2);
  });
});
