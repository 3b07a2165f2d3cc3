import { describe, expect, it } from 'vitest';
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
