import { describe, expect, it } from 'vitest';
import type { JobDetail } from '../../contract/api.js';
import { type DiscoveredResource, resourceKey } from '../../contract/resource.js';
import { compareDrift } from '../drift-check.js';
import { checkInventory, precisionRecall } from './verdict.js';

const estate: DiscoveredResource[] = ['i-1', 'i-2', 'i-3'].map((id) => ({
  provider: 'aws',
  account: '111111111111',
  region: 'us-east-1',
  type: 'AWS::EC2::Instance',
  id,
  attributes: {},
  tags: {},
}));
const keys = estate.map(resourceKey);
const counted = (...discovered: number[]) =>
  discovered.map((n) => ({ counts: { resources_discovered: n } }) as JobDetail);

describe('the stored inventory against the estate', () => {
  it('finds nothing wrong when every resource is stored once and every job counted the estate', () => {
    expect(checkInventory(estate, keys, counted(3, 3))).toEqual({ stored: 3, lost: 0, duplicated: 0, unknown: 0 });
  });

  it('counts resources not stored, and those a job counted short, as lost', () => {
    expect(checkInventory(estate, keys.slice(1), counted(3, 2))).toEqual({
      stored: 2,
      lost: 2,
      duplicated: 0,
      unknown: 0,
    });
  });

  it('counts rows listed twice, and resources a job counted beyond the estate, as duplicated', () => {
    expect(checkInventory(estate, [...keys, keys[0]!], counted(5, 3))).toEqual({
      stored: 3,
      lost: 0,
      duplicated: 3,
      unknown: 0,
    });
  });

  it('counts stored resources the estate does not hold as unknown', () => {
    expect(
      checkInventory(estate, [...keys, 'aws|111111111111|us-east-1|AWS::EC2::Instance|i-9'], counted(3)),
    ).toMatchObject({ stored: 4, unknown: 1 });
  });
});

describe('precision and recall over the jobs', () => {
  const injected = { changed: ['aws_instance.a'], missing: ['aws_instance.b'], unmanaged: ['i-9'] };

  it('are 1 when every job found exactly what was injected', () => {
    expect(precisionRecall([compareDrift('aws', injected, injected), compareDrift('aws', injected, injected)])).toEqual(
      { precision: 1, recall: 1 },
    );
  });

  it('count a missed item against recall and an item found twice or never injected against precision', () => {
    const found = { changed: ['aws_instance.a', 'aws_instance.a'], missing: [], unmanaged: ['i-9', 'i-8'] };
    // Hits: a and i-9 of the 3 injected; 4 found.
    expect(precisionRecall([compareDrift('aws', found, injected)])).toEqual({ precision: 0.5, recall: 0.6667 });
  });
});
