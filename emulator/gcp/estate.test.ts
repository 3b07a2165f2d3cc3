import { describe, expect, it } from 'vitest';
import { iamPolicyAssetType } from '../../contract/gcp-iam-types.js';
import { DiscoveredResource, resourceKey } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { forkRng } from '../rng.js';
import { generateGcpEstate } from './estate.js';

const PROJECTS = ['driftmgr-alpha', 'driftmgr-beta'];
const REGIONS = ['us-central1', 'europe-west1'];
// IAM policies are not resources of the estate: the emulator derives them (iam-policies.ts).
const GCP_TYPES = resourceTypesOf('gcp')
  .filter((t) => t.level === 'attributes' && !t.inventory && !iamPolicyAssetType(t.type))
  .map((t) => t.type);

type Json = Record<string, unknown>;

function estate(count: number, seed = 7) {
  return generateGcpEstate({ rng: forkRng(seed, 'gcp/estate'), count, accounts: PROJECTS, regions: REGIONS });
}

function bySelfLink(resources: DiscoveredResource[], type: string): Map<string, Json> {
  return new Map(
    resources
      .filter((r) => r.type === `compute.googleapis.com/${type}`)
      .map((r) => [r.attributes.selfLink as string, r.attributes]),
  );
}

const regionOfZone = (zone: string) => zone.replace(/-[a-z]$/, '');
const lastSegment = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe('generateGcpEstate', () => {
  const resources = estate(3000);

  it('is deterministic for a seed and differs across seeds', () => {
    expect(estate(3000)).toEqual(resources);
    expect(estate(3000, 8)).not.toEqual(resources);
  });

  it('makes about the requested count, valid and with unique keys', () => {
    expect(resources.length).toBeGreaterThan(2700);
    expect(resources.length).toBeLessThan(3300);
    for (const r of resources) expect(DiscoveredResource.parse(r)).toEqual(r);
    expect(new Set(resources.map(resourceKey)).size).toBe(resources.length);
  });

  it('puts every type in every project, and zonal/regional types in every region', () => {
    for (const project of PROJECTS) {
      for (const type of GCP_TYPES)
        expect(
          resources.some((r) => r.account === project && r.type === type),
          `${type} in ${project}`,
        ).toBe(true);
      for (const region of REGIONS) {
        for (const type of ['Instance', 'Disk', 'Subnetwork']) {
          const found = resources.some(
            (r) =>
              r.account === project && r.type === `compute.googleapis.com/${type}` && regionOfZone(r.region) === region,
          );
          expect(found, `${type} in ${project}/${region}`).toBe(true);
        }
        expect(
          resources.some(
            (r) => r.account === project && r.type === 'storage.googleapis.com/Bucket' && r.region === region,
          ),
        ).toBe(true);
      }
    }
  });

  it('names assets as Cloud Asset does and keeps labels as tags', () => {
    for (const r of resources) {
      const data = r.attributes;
      expect(r.name).toBe(data.name);
      expect(r.tags).toEqual(data.labels ?? {});
      if (r.type === 'storage.googleapis.com/Bucket') {
        expect(r.id).toBe(`//storage.googleapis.com/${data.name as string}`);
        expect(data.location).toBe(r.region.toUpperCase());
      } else {
        expect(r.id).toBe(`//compute.googleapis.com/${(data.selfLink as string).split('/compute/v1/')[1]}`);
        expect(r.id).toContain(`/projects/${r.account}/`);
        const scope = (data.zone ?? data.region) as string | undefined;
        expect(r.region).toBe(scope ? lastSegment(scope) : 'global');
      }
    }
  });

  it('creates the default network with a subnet per region and the four default firewall rules', () => {
    for (const project of PROJECTS) {
      const inProject = resources.filter((r) => r.account === project);
      const network = inProject.find((r) => r.type === 'compute.googleapis.com/Network' && r.name === 'default')!;
      expect(network.attributes.autoCreateSubnetworks).toBe(true);
      const subnets = inProject.filter((r) => r.type === 'compute.googleapis.com/Subnetwork' && r.name === 'default');
      expect(subnets.map((s) => s.region).sort()).toEqual([...REGIONS].sort());
      expect(subnets.find((s) => s.region === 'us-central1')!.attributes.ipCidrRange).toBe('10.128.0.0/20');
      const rules = inProject.filter(
        (r) => r.type === 'compute.googleapis.com/Firewall' && r.attributes.network === network.attributes.selfLink,
      );
      expect(rules.map((r) => r.name).sort()).toEqual([
        'default-allow-icmp',
        'default-allow-internal',
        'default-allow-rdp',
        'default-allow-ssh',
      ]);
      const ssh = rules.find((r) => r.name === 'default-allow-ssh')!.attributes;
      expect(ssh).toMatchObject({
        priority: 65534,
        direction: 'INGRESS',
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
      });
    }
  });

  it('keeps references consistent: disks, subnetworks, networks and firewalls point at what exists', () => {
    const instances = bySelfLink(resources, 'Instance');
    const disks = bySelfLink(resources, 'Disk');
    const subnets = bySelfLink(resources, 'Subnetwork');
    const networks = bySelfLink(resources, 'Network');

    for (const [link, vm] of instances) {
      const attached = vm.disks as Json[];
      expect(attached.filter((d) => d.boot)).toHaveLength(1);
      for (const entry of attached) {
        const disk = disks.get(entry.source as string)!;
        expect(disk, `disk ${entry.source as string}`).toBeDefined();
        expect(disk.users).toEqual([link]);
        expect(disk.zone).toBe(vm.zone);
        expect(entry.diskSizeGb).toBe(disk.sizeGb);
      }
      for (const nic of vm.networkInterfaces as Json[]) {
        const subnet = subnets.get(nic.subnetwork as string)!;
        expect(subnet, `subnet ${nic.subnetwork as string}`).toBeDefined();
        expect(nic.network).toBe(subnet.network);
        expect(lastSegment(subnet.region as string)).toBe(regionOfZone(lastSegment(vm.zone as string)));
      }
    }
    for (const [link, disk] of disks) {
      for (const user of (disk.users as string[] | undefined) ?? []) {
        expect((instances.get(user)!.disks as Json[]).some((d) => d.source === link)).toBe(true);
      }
    }
    expect([...disks.values()].some((d) => d.users === undefined)).toBe(true);
    for (const [link, subnet] of subnets) expect(networks.get(subnet.network as string)!.subnetworks).toContain(link);
    for (const network of networks.values())
      for (const s of network.subnetworks as string[]) expect(subnets.has(s)).toBe(true);
    for (const r of resources.filter((x) => x.type === 'compute.googleapis.com/Firewall')) {
      expect(networks.has(r.attributes.network as string)).toBe(true);
    }
  });

  // Generation speed is a benchmark figure (npm run bench), not a test assertion.
  it('hits the requested size at 100,000 resources', () => {
    const big = generateGcpEstate({
      rng: forkRng(1, 'gcp/estate'),
      count: 100_000,
      accounts: PROJECTS,
      regions: REGIONS,
    });
    expect(big.length).toBeGreaterThan(95_000);
    expect(big.length).toBeLessThan(105_000);
  });
});
