import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { importIdOf, matchKey, normaliseId, stateIdOf, stateScopeOf } from './identity.js';
import { mappingForTfType } from './index.js';
import type { ScopeSource, TypeMapping } from './types.js';

const mapping = (tfType: string): TypeMapping => {
  const m = mappingForTfType(tfType);
  if (!m) throw new Error(`no mapping for ${tfType}`);
  return m;
};

/** A mapping that reads its scope only from these sources, to test each source alone. */
const scopedBy = (account: ScopeSource[], region: ScopeSource[]): TypeMapping => ({
  ...mapping('aws_instance'),
  account,
  region,
});

const discovered = (type: string, id: string, attributes: Record<string, unknown> = {}): DiscoveredResource => ({
  provider: 'gcp',
  account: 'p',
  region: 'us',
  type,
  id,
  attributes,
  tags: {},
});

describe('normaliseId', () => {
  it('takes the last path segment of an AWS ARN and leaves a plain id alone', () => {
    expect(normaliseId('aws', 'arn:aws:ec2:us-east-1:111122223333:instance/i-0abc')).toBe('i-0abc');
    expect(normaliseId('aws', 'i-0abc')).toBe('i-0abc');
    expect(normaliseId('aws', 'key/with/slashes')).toBe('key/with/slashes');
  });

  it('lower-cases Azure ids and drops trailing slashes', () => {
    expect(normaliseId('azure', '/subscriptions/SUB/resourceGroups/RG/providers/X/y/Name//')).toBe(
      '/subscriptions/sub/resourcegroups/rg/providers/x/y/name',
    );
    expect(normaliseId('azure', '/subscriptions/sub/a')).toBe('/subscriptions/sub/a');
  });

  it('reduces every GCP resource spelling to its projects/ path', () => {
    const path = 'projects/p/zones/us-central1-a/instances/vm-1';
    for (const id of [
      path,
      `//compute.googleapis.com/${path}`,
      `https://www.googleapis.com/compute/v1/${path}`,
      `https://compute.googleapis.com/compute/v1/${path}`,
    ]) {
      expect(normaliseId('gcp-path', id)).toBe(path);
    }
    expect(normaliseId('gcp-path', 'vm-1')).toBe('vm-1');
  });

  it('reduces a bucket asset name or API link to the bucket name', () => {
    expect(normaliseId('gcp-bucket', '//storage.googleapis.com/my-bucket')).toBe('my-bucket');
    expect(normaliseId('gcp-bucket', 'https://www.googleapis.com/storage/v1/b/my-bucket')).toBe('my-bucket');
    expect(normaliseId('gcp-bucket', 'my-bucket')).toBe('my-bucket');
  });

  it('keys a resource by its cloud type and normalised id, so both spellings meet', () => {
    const vm = mapping('google_compute_instance');
    expect(matchKey(vm, '//compute.googleapis.com/projects/p/zones/z/instances/a')).toBe(
      matchKey(vm, 'projects/p/zones/z/instances/a'),
    );
    expect(matchKey(vm, 'projects/p/zones/z/instances/a')).toBe(`${vm.cloudType}|projects/p/zones/z/instances/a`);
  });
});

describe('stateIdOf', () => {
  it('reads the id attribute, and nothing when it is missing, empty or not text', () => {
    const instance = mapping('aws_instance');
    expect(stateIdOf(instance, { id: 'i-1' })).toBe('i-1');
    for (const id of [undefined, '', 7, null]) expect(stateIdOf(instance, { id })).toBeUndefined();
  });
});

describe('importIdOf', () => {
  it('reads the import id from its cloud attribute when the mapping names one, else the id', () => {
    const bucket = mapping('google_storage_bucket');
    expect(importIdOf(bucket, discovered(bucket.cloudType, '//storage.googleapis.com/b-1', { name: 'b-1' }))).toBe(
      'b-1',
    );
    expect(importIdOf(bucket, discovered(bucket.cloudType, 'b-1', { name: '' }))).toBe('b-1');
  });

  it('gives GCP path ids in their projects/ form and other ids as discovered', () => {
    const vm = mapping('google_compute_instance');
    expect(importIdOf(vm, discovered(vm.cloudType, '//compute.googleapis.com/projects/p/zones/z/instances/a'))).toBe(
      'projects/p/zones/z/instances/a',
    );
    const instance = mapping('aws_instance');
    expect(importIdOf(instance, { ...discovered(instance.cloudType, 'i-1'), provider: 'aws' })).toBe('i-1');
  });
});

describe('stateScopeOf', () => {
  it('reads account and region from an ARN, and nothing from a malformed one', () => {
    const byArn = scopedBy([{ from: 'arn' }], [{ from: 'arn' }]);
    expect(stateScopeOf(byArn, { arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1' })).toEqual({
      account: '111122223333',
      region: 'eu-west-1',
    });
    // IAM ARNs have no region.
    expect(stateScopeOf(byArn, { arn: 'arn:aws:iam::111122223333:role/r' })).toEqual({
      account: '111122223333',
      region: undefined,
    });
    for (const arn of ['vpc-1', 7, undefined])
      expect(stateScopeOf(byArn, { arn })).toEqual({ account: undefined, region: undefined });
  });

  it('falls back to the next source, turning a zone into its region', () => {
    const instance = mapping('aws_instance');
    expect(stateScopeOf(instance, { availability_zone: 'us-west-2b' })).toEqual({
      account: undefined,
      region: 'us-west-2',
    });
    expect(
      stateScopeOf(instance, { arn: 'arn:aws:ec2:eu-west-1:1:instance/i-1', availability_zone: 'us-west-2b' }).region,
    ).toBe('eu-west-1');
  });

  it('reads the subscription of an Azure id, lower case, and the location without spaces', () => {
    const vnet = mapping('azurerm_virtual_network');
    const id = '/subscriptions/ABC-123/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v';
    expect(stateScopeOf(vnet, { id, location: 'West Europe' })).toEqual({ account: 'abc-123', region: 'westeurope' });
    expect(stateScopeOf(vnet, { id: '/resourceGroups/rg', location: '' })).toEqual({
      account: undefined,
      region: undefined,
    });
    expect(stateScopeOf(vnet, { id: 7 })).toEqual({ account: undefined, region: undefined });
  });

  it('reads project and location from GCP ids and links, zones and regions alike, global as global', () => {
    const byGcpId = scopedBy([{ from: 'gcp-id' }], [{ from: 'gcp-id' }]);
    expect(stateScopeOf(byGcpId, { id: 'projects/p1/zones/us-central1-a/instances/vm' })).toEqual({
      account: 'p1',
      region: 'us-central1-a',
    });
    expect(stateScopeOf(byGcpId, { id: 'projects/p1/regions/europe-west1/subnetworks/s' })).toEqual({
      account: 'p1',
      region: 'europe-west1',
    });
    expect(
      stateScopeOf(byGcpId, { self_link: 'https://www.googleapis.com/compute/v1/projects/p2/global/networks/n' }),
    ).toEqual({ account: 'p2', region: 'global' });
    expect(stateScopeOf(byGcpId, { id: 'n' })).toEqual({ account: undefined, region: undefined });
    expect(stateScopeOf(byGcpId, { id: 7 })).toEqual({ account: undefined, region: undefined });
  });

  it('prefers the id over the self link', () => {
    const byGcpId = scopedBy([{ from: 'gcp-id' }], []);
    expect(
      stateScopeOf(byGcpId, {
        id: 'projects/from-id/global/networks/n',
        self_link: 'projects/from-link/global/networks/n',
      }).account,
    ).toBe('from-id');
  });

  it('reads plain attributes in each form, skipping empty and non-text values', () => {
    const attr = (form: 'as-is' | 'az-to-region' | 'azure-location' | 'lower') =>
      scopedBy([], [{ from: 'attr', path: 'where.at', form }]);
    const at = (v: unknown) => ({ where: { at: v } });
    expect(stateScopeOf(attr('as-is'), at('US-East1')).region).toBe('US-East1');
    expect(stateScopeOf(attr('lower'), at('US-East1')).region).toBe('us-east1');
    expect(stateScopeOf(attr('az-to-region'), at('eu-west-1c')).region).toBe('eu-west-1');
    expect(stateScopeOf(attr('azure-location'), at('North Central US')).region).toBe('northcentralus');
    for (const v of ['', 3, null]) expect(stateScopeOf(attr('as-is'), at(v)).region).toBeUndefined();
  });

  it('reads a bucket project and location from its attributes', () => {
    expect(stateScopeOf(mapping('google_storage_bucket'), { project: 'p', location: 'EU' })).toEqual({
      account: 'p',
      region: 'eu',
    });
  });
});
