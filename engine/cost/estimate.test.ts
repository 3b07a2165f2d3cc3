import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { analyze } from '../analyze.js';
import { parseTerraformState } from '../state/parse.js';

/**
 * Cost deltas of drift, end to end through the engine: a resource as Terraform state holds it,
 * the same resource as the cloud API returns it after a change made outside Terraform, and the
 * monthly delta worked out by hand from the list prices.
 */
const AWS_ACCOUNT = '111122223333';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const DISK_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Compute/disks/data-1`;
const GCE_ID = 'projects/prod-1/zones/us-central1-a/instances/web-1';
const arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:${AWS_ACCOUNT}:${kind}/${id}`;

interface DeltaCase {
  name: string;
  provider: 'aws' | 'azure' | 'gcp';
  tfType: string;
  state: Record<string, unknown>;
  cloud: Omit<DiscoveredResource, 'provider' | 'tags'>;
  monthlyUsd: number | null;
  basis?: string;
}

const CASES: DeltaCase[] = [
  {
    name: 'an instance resized from t3.micro to t3.large',
    provider: 'aws',
    tfType: 'aws_instance',
    state: { id: 'i-0a1', arn: arn('instance', 'i-0a1'), instance_type: 't3.micro', availability_zone: 'us-east-1a' },
    cloud: {
      account: AWS_ACCOUNT,
      region: 'us-east-1',
      type: 'AWS::EC2::Instance',
      id: 'i-0a1',
      attributes: {
        InstanceId: 'i-0a1',
        InstanceType: 't3.large',
        Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
      },
    },
    // (0.0832 - 0.0104) × 730
    monthlyUsd: 53.14,
    basis: 't3.micro at $0.0104/h → t3.large at $0.0832/h',
  },
  {
    name: 'a 100 GB volume moved from gp2 to gp3 in the console',
    provider: 'aws',
    tfType: 'aws_ebs_volume',
    state: {
      id: 'vol-0a1',
      arn: arn('volume', 'vol-0a1'),
      size: 100,
      type: 'gp2',
      availability_zone: 'us-east-1a',
      encrypted: true,
    },
    cloud: {
      account: AWS_ACCOUNT,
      region: 'us-east-1',
      type: 'AWS::EC2::Volume',
      id: 'vol-0a1',
      attributes: {
        VolumeId: 'vol-0a1',
        Size: 100,
        VolumeType: 'gp3',
        AvailabilityZone: 'us-east-1a',
        Encrypted: true,
        Iops: 3000,
        Throughput: 125,
      },
    },
    // 100 × (0.08 - 0.10)
    monthlyUsd: -2,
    basis: '100 GB gp2 at $0.1/GB-month → 100 GB gp3 at $0.08/GB-month',
  },
  {
    name: 'a Standard SSD disk grown from 128 to 256 GB',
    provider: 'azure',
    tfType: 'azurerm_managed_disk',
    state: {
      id: DISK_ID,
      name: 'data-1',
      location: 'eastus',
      disk_size_gb: 128,
      storage_account_type: 'StandardSSD_LRS',
      create_option: 'Empty',
    },
    cloud: {
      account: SUBSCRIPTION,
      region: 'eastus',
      type: 'Microsoft.Compute/disks',
      id: DISK_ID,
      attributes: {
        id: DISK_ID,
        name: 'data-1',
        location: 'eastus',
        sku: { name: 'StandardSSD_LRS', tier: 'Standard' },
        properties: { diskSizeGB: 256, creationData: { createOption: 'Empty' }, diskState: 'Unattached' },
      },
    },
    // (256 - 128) × 0.075
    monthlyUsd: 9.6,
    basis: '128 GB standardssd_lrs at $0.075/GB-month → 256 GB standardssd_lrs at $0.075/GB-month',
  },
  {
    name: 'a GCE instance moved from e2-small to e2-medium',
    provider: 'gcp',
    tfType: 'google_compute_instance',
    state: { id: GCE_ID, name: 'web-1', project: 'prod-1', zone: 'us-central1-a', machine_type: 'e2-small' },
    cloud: {
      account: 'prod-1',
      region: 'us-central1-a',
      type: 'compute.googleapis.com/Instance',
      id: GCE_ID,
      attributes: {
        name: 'web-1',
        zone: 'https://www.googleapis.com/compute/v1/projects/prod-1/zones/us-central1-a',
        machineType: 'https://www.googleapis.com/compute/v1/projects/prod-1/zones/us-central1-a/machineTypes/e2-medium',
        status: 'RUNNING',
      },
    },
    // (0.0335 - 0.0168) × 730
    monthlyUsd: 12.19,
    basis: 'e2-small at $0.0168/h → e2-medium at $0.0335/h',
  },
  {
    name: 'a retagged instance (no price change)',
    provider: 'aws',
    tfType: 'aws_instance',
    state: {
      id: 'i-0b2',
      arn: arn('instance', 'i-0b2'),
      instance_type: 't3.micro',
      tags: { env: 'prod' },
      tags_all: { env: 'prod' },
    },
    cloud: {
      account: AWS_ACCOUNT,
      region: 'us-east-1',
      type: 'AWS::EC2::Instance',
      id: 'i-0b2',
      attributes: { InstanceId: 'i-0b2', InstanceType: 't3.micro', Tags: [{ Key: 'env', Value: 'dev' }] },
    },
    monthlyUsd: null,
  },
];

const PROVIDER_SOURCE = { aws: 'hashicorp/aws', azure: 'hashicorp/azurerm', gcp: 'hashicorp/google' };

/** One state file holding the cases' resources, analysed against their cloud side. */
function analyzeCases(cases: DeltaCase[]) {
  const stateText = JSON.stringify({
    version: 4,
    resources: cases.map((c, i) => ({
      mode: 'managed',
      type: c.tfType,
      name: `r${i}`,
      provider: `provider["registry.terraform.io/${PROVIDER_SOURCE[c.provider]}"]`,
      instances: [{ attributes: c.state }],
    })),
  });
  const inventory = cases.map((c): DiscoveredResource => ({ ...c.cloud, provider: c.provider, tags: {} }));
  return analyze({ states: [parseTerraformState(stateText, 'cost.tfstate')], inventory });
}

describe('cost deltas of drift', () => {
  it.each(CASES)('$name: $monthlyUsd USD a month', (c) => {
    const report = analyzeCases([c]);
    expect(report.items).toHaveLength(1);
    expect(report.items[0]!.cost).toEqual(
      c.monthlyUsd === null ? null : { monthly_usd: c.monthlyUsd, basis: c.basis, estimate: true },
    );
    expect(report.summary.cost.monthly_delta_usd).toBe(c.monthlyUsd ?? 0);
  });

  it('adds the deltas of a report up, rounded to cents', () => {
    const report = analyzeCases(CASES);
    expect(report.summary.changed).toBe(CASES.length);
    // 53.14 - 2 + 9.6 + 12.19
    expect(report.summary.cost.monthly_delta_usd).toBe(72.93);
  });
});
