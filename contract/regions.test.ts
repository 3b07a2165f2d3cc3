import { describe, expect, it } from 'vitest';
import { coverageCheck } from '../engine/index.js';
import { regionOfZone } from './regions.js';

describe('regionOfZone', () => {
  it.each([
    ['us-central1-a', 'us-central1'],
    ['europe-west1-c', 'europe-west1'],
    ['us-east-1a', 'us-east-1'],
    ['us-east-1', 'us-east-1'],
    ['eastus2', 'eastus2'],
    ['westeurope', 'westeurope'],
    ['global', 'global'],
    ['US', 'US'],
  ])('%s lies in %s', (zone, region) => expect(regionOfZone(zone)).toBe(region));
});

describe('coverage of zonal resources', () => {
  it('counts a zone as covered when its region was listed, and only then', () => {
    const covered = coverageCheck([{ provider: 'gcp', account: 'p', type: 'compute.googleapis.com/Instance', regions: ['europe-west1', 'global'] }]);
    expect(covered('gcp', 'compute.googleapis.com/Instance', 'p', 'europe-west1-c')).toBe(true);
    expect(covered('gcp', 'compute.googleapis.com/Instance', 'p', 'us-central1-a')).toBe(false);
  });
});
