import { describe, expect, it } from 'vitest';
import { listedTogether, RESOURCE_TYPES, resourceTypeInfo, resourceTypesOf } from '../contract/resource-types.js';
import { countShards, LISTINGS_PER_SHARD, planShards, resolveTypes, shardRegion } from './shard-plan.js';

const types = ['AWS::EC2::Instance', 'AWS::EC2::VPC'].map((t) => resourceTypeInfo('aws', t)!);
const gcpTypes = ['compute.googleapis.com/Instance', 'compute.googleapis.com/Disk'].map(
  (t) => resourceTypeInfo('gcp', t)!,
);

describe('planShards', () => {
  const regions = ['us-east-1', 'eu-west-1'];

  it('region: one shard per account and region', () => {
    const seeds = planShards({ accounts: ['a', 'b'], regions, types, strategy: 'region' });
    expect(seeds).toHaveLength(4);
    expect(seeds[0]).toEqual({
      account: 'a',
      work: [
        { type: 'AWS::EC2::Instance', region: 'us-east-1' },
        { type: 'AWS::EC2::VPC', region: 'us-east-1' },
      ],
    });
  });

  it('resource-type: listings walked one by one share a shard per region', () => {
    const seeds = planShards({ accounts: ['a'], regions, types, strategy: 'resource-type' });
    expect(seeds.map((s) => s.work)).toEqual([
      [
        { type: 'AWS::EC2::Instance', region: 'us-east-1' },
        { type: 'AWS::EC2::VPC', region: 'us-east-1' },
      ],
      [
        { type: 'AWS::EC2::Instance', region: 'eu-west-1' },
        { type: 'AWS::EC2::VPC', region: 'eu-west-1' },
      ],
    ]);
  });

  it('resource-type: plans every listing of every catalog type exactly once, at most LISTINGS_PER_SHARD a shard', () => {
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      const all = resourceTypesOf(provider);
      const seeds = planShards({ accounts: ['a', 'b'], regions, types: all, strategy: 'resource-type' });
      const planned = seeds.flatMap((s) => s.work.map((w) => `${s.account} ${w.type} ${w.region}`));
      const expected = ['a', 'b'].flatMap((account) =>
        all.flatMap((t) =>
          (t.listing === 'regional' ? regions : ['*']).map((region) => `${account} ${t.type} ${region}`),
        ),
      );
      expect(planned.toSorted()).toEqual(expected.toSorted());
      for (const seed of seeds.filter(
        (s) => !s.work.some((w) => listedTogether(resourceTypeInfo(provider, w.type)!)),
      )) {
        expect(seed.work.length).toBeLessThanOrEqual(LISTINGS_PER_SHARD);
        expect(new Set(seed.work.map((w) => w.region)).size).toBe(1);
      }
    }
  });

  it("resource-type: deals a region's listings out in turn, so neighbouring catalog types land in different shards", () => {
    const aws = resourceTypesOf('aws').filter((t) => t.listing === 'regional');
    const seeds = planShards({ accounts: ['a'], regions: ['us-east-1'], types: aws, strategy: 'resource-type' });
    expect(seeds).toHaveLength(Math.ceil(aws.length / LISTINGS_PER_SHARD));
    const shardOf = (type: string) => seeds.findIndex((s) => s.work.some((w) => w.type === type));
    expect(shardOf('AWS::EC2::Instance')).not.toBe(shardOf('AWS::EC2::Volume'));
  });

  it('account: one shard per account holding every listing', () => {
    const seeds = planShards({ accounts: ['a', 'b'], regions, types, strategy: 'account' });
    expect(seeds.map((s) => [s.account, s.work.length])).toEqual([
      ['a', 4],
      ['b', 4],
    ]);
    expect(shardRegion(seeds[0]!.work)).toBe('*');
  });

  it('lists account-wide types once per account, whatever the regions', () => {
    const seeds = planShards({
      accounts: ['p'],
      regions: ['us-central1', 'europe-west1'],
      types: gcpTypes,
      strategy: 'region',
    });
    expect(seeds).toEqual([
      {
        account: 'p',
        work: [
          { type: 'compute.googleapis.com/Instance', region: '*' },
          { type: 'compute.googleapis.com/Disk', region: '*' },
        ],
      },
    ]);
  });
});

describe('countShards', () => {
  const regional = types;
  const accountWide = gcpTypes;
  const mixed = [...types, ...gcpTypes];
  const regionSets = [['us-east-1'], ['us-east-1', 'eu-west-1', 'ap-south-1'], ['us-east-1', '*']];

  it('counts what planShards plans, for every strategy and mix of regional and account-wide types', () => {
    for (const strategy of ['region', 'resource-type', 'account'] as const) {
      for (const typeSet of [regional, accountWide, mixed]) {
        for (const regions of regionSets) {
          const spec = { accounts: ['a', 'b', 'c'], regions, types: typeSet, strategy };
          expect(countShards(spec), JSON.stringify({ strategy, regions, types: typeSet.map((t) => t.type) })).toBe(
            planShards(spec).length,
          );
        }
      }
    }
  });

  it('counts a request too big to plan without planning it', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => `a-${i}`);
    const regions = Array.from({ length: 100 }, (_, i) => `r-${i}`);
    expect(countShards({ accounts, regions, types: regional, strategy: 'resource-type' })).toBe(1000 * 100);
  });
});

describe('resolveTypes', () => {
  it('splits known from unknown type names of a provider', () => {
    const { types: known, unknown } = resolveTypes('aws', [
      'AWS::EC2::VPC',
      'compute.googleapis.com/Disk',
      'AWS::EC2::Teapot',
    ]);
    expect(known.map((t) => t.type)).toEqual(['AWS::EC2::VPC']);
    expect(unknown).toEqual(['compute.googleapis.com/Disk', 'AWS::EC2::Teapot']);
  });
});

describe('existence-level inventories', () => {
  const regions = ['us-east-1', 'eu-west-1'];
  const existence = (provider: 'aws' | 'azure' | 'gcp') =>
    RESOURCE_TYPES.filter((t) => t.provider === provider && t.level === 'existence');

  it('batches Cloud Control types per region, global types once per account', () => {
    const aws = existence('aws');
    const seeds = planShards({ accounts: ['a'], regions, types: aws, strategy: 'resource-type' });
    const regional = aws.filter((t) => t.listing === 'regional').length;
    const global = aws.length - regional;
    expect(seeds).toHaveLength(Math.ceil(regional / LISTINGS_PER_SHARD) * 2 + Math.ceil(global / LISTINGS_PER_SHARD));
    for (const seed of seeds) {
      expect(seed.work.length).toBeLessThanOrEqual(LISTINGS_PER_SHARD);
      expect(new Set(seed.work.map((w) => w.region)).size).toBe(1);
    }
    const iam = seeds.find((s) => s.work.some((w) => w.type === 'AWS::IAM::InstanceProfile'))!;
    expect(iam.work.every((w) => w.region === '*')).toBe(true);
  });

  it('lists every Resource Graph or Cloud Asset type of a subscription or project in one shard', () => {
    for (const provider of ['azure', 'gcp'] as const) {
      const types = [...existence(provider), ...gcpTypes.filter((t) => t.provider === provider)];
      const seeds = planShards({ accounts: ['s1', 's2'], regions, types, strategy: 'resource-type' });
      const inventory = seeds.filter((s) => s.work.some((w) => resourceTypeInfo(provider, w.type)?.inventory));
      expect(inventory.map((s) => [s.account, s.work.length])).toEqual([
        ['s1', existence(provider).length],
        ['s2', existence(provider).length],
      ]);
    }
  });

  it('counts what planShards plans with every catalog type of every cloud', () => {
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      for (const strategy of ['region', 'resource-type', 'account'] as const) {
        const spec = { accounts: ['a', 'b'], regions: [...regions, '*'], types: resourceTypesOf(provider), strategy };
        expect(countShards(spec), `${provider} ${strategy}`).toBe(planShards(spec).length);
      }
    }
  });
});
