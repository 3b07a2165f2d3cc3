import { describe, expect, it } from 'vitest';
import { affectsCost, monthlyCost } from './estimate.js';
import { COST_MODELS, HOURLY_PRICES, PRICE_SOURCE, STORAGE_PRICES } from './prices.js';

/**
 * Golden list prices, copied by hand from the providers' public on-demand price pages for the
 * regions PRICE_SOURCE names (AWS us-east-1 Linux, Azure East US Linux pay-as-you-go, GCP
 * us-central1), and monthly costs worked out by hand at 730 hours a month.
 */
const HOURLY: [table: string, item: string, usdPerHour: number][] = [
  ['aws-ec2', 't2.micro', 0.0116],
  ['aws-ec2', 't3.micro', 0.0104],
  ['aws-ec2', 't3.large', 0.0832],
  ['aws-ec2', 't4g.micro', 0.0084],
  ['aws-ec2', 'm5.large', 0.096],
  ['aws-ec2', 'm5.xlarge', 0.192],
  ['aws-ec2', 'c5.large', 0.085],
  ['aws-ec2', 'r5.large', 0.126],
  ['azure-vm', 'Standard_B1s', 0.0104],
  ['azure-vm', 'Standard_B2s', 0.0416],
  ['azure-vm', 'Standard_D2s_v3', 0.096],
  ['azure-vm', 'Standard_D4s_v5', 0.192],
  ['azure-vm', 'Standard_E2s_v5', 0.126],
  ['azure-vm', 'Standard_F2s_v2', 0.0846],
  ['gcp-machine', 'e2-micro', 0.0084],
  ['gcp-machine', 'e2-small', 0.0168],
  ['gcp-machine', 'e2-medium', 0.0335],
  ['gcp-machine', 'n1-standard-1', 0.0475],
  ['gcp-machine', 'n2-standard-2', 0.0971],
  ['flat', 'aws-nat-gateway', 0.045],
  ['flat', 'aws-public-ipv4', 0.005],
  ['flat', 'azure-public-ip-standard', 0.005],
  ['flat', 'azure-public-ip-basic', 0.004],
];

const PER_GB_MONTH: [table: string, diskType: string, usdPerGbMonth: number][] = [
  ['aws-ebs', 'gp2', 0.1],
  ['aws-ebs', 'gp3', 0.08],
  ['aws-ebs', 'io2', 0.125],
  ['aws-ebs', 'st1', 0.045],
  ['aws-ebs', 'sc1', 0.015],
  ['azure-disk', 'StandardSSD_LRS', 0.075],
  ['gcp-disk', 'pd-standard', 0.04],
  ['gcp-disk', 'pd-balanced', 0.1],
  ['gcp-disk', 'pd-ssd', 0.17],
];

/** Canonical attribute values as the diff produces them (Azure SKUs lowercased by their case-insensitive step). */
const MONTHLY: [tfType: string, values: Record<string, unknown>, usd: number, basis: string][] = [
  ['aws_instance', { instance_type: 't3.micro' }, 7.59, 't3.micro at $0.0104/h'],
  ['aws_instance', { instance_type: 'm5.xlarge' }, 140.16, 'm5.xlarge at $0.192/h'],
  ['aws_ebs_volume', { size: 100, type: 'gp3' }, 8, '100 GB gp3 at $0.08/GB-month'],
  ['aws_ebs_volume', { size: 50 }, 5, '50 GB gp2 at $0.1/GB-month'],
  ['aws_nat_gateway', {}, 32.85, 'aws-nat-gateway at $0.045/h'],
  ['aws_eip', {}, 3.65, 'aws-public-ipv4 at $0.005/h'],
  ['azurerm_linux_virtual_machine', { size: 'standard_b2s' }, 30.37, 'standard_b2s at $0.0416/h'],
  ['azurerm_windows_virtual_machine', { size: 'Standard_D4s_v5' }, 140.16, 'Standard_D4s_v5 at $0.192/h'],
  ['azurerm_virtual_machine', { vm_size: 'standard_d2s_v3' }, 70.08, 'standard_d2s_v3 at $0.096/h'],
  [
    'azurerm_managed_disk',
    { disk_size_gb: 128, storage_account_type: 'standardssd_lrs' },
    9.6,
    '128 GB standardssd_lrs at $0.075/GB-month',
  ],
  ['azurerm_public_ip', { sku: 'basic' }, 2.92, 'azure-public-ip-basic at $0.004/h'],
  ['azurerm_public_ip', { sku: 'standard' }, 3.65, 'azure-public-ip-standard at $0.005/h'],
  ['azurerm_public_ip', {}, 3.65, 'azure-public-ip-standard at $0.005/h'],
  ['google_compute_instance', { machine_type: 'e2-medium' }, 24.46, 'e2-medium at $0.0335/h'],
  ['google_compute_disk', { size: 10, type: 'pd-ssd' }, 1.7, '10 GB pd-ssd at $0.17/GB-month'],
  ['google_compute_disk', { size: 500 }, 20, '500 GB pd-standard at $0.04/GB-month'],
];

describe('price table', () => {
  it('prices a month as 730 hours', () => {
    expect(PRICE_SOURCE.hours_per_month).toBe(730);
  });

  it.each(HOURLY)('%s %s costs $%s an hour', (table, item, usd) => {
    expect(HOURLY_PRICES[table]?.[item]).toBe(usd);
  });

  it.each(PER_GB_MONTH)('%s %s costs $%s per GB-month', (table, diskType, usd) => {
    expect(STORAGE_PRICES[table]?.[diskType]).toBe(usd);
  });
});

describe('monthly cost of one resource', () => {
  it.each(MONTHLY)('%s %j costs $%s a month', (tfType, values, usd, basis) => {
    const cost = monthlyCost(tfType, (path) => values[path]);
    expect(cost?.usd).toBeCloseTo(usd, 2);
    expect(cost?.basis).toBe(basis);
  });

  it.each([
    ['aws_instance', { instance_type: 'p5.48xlarge' }],
    ['aws_ebs_volume', { type: 'gp3' }],
    ['aws_vpc', { cidr_block: '10.0.0.0/16' }],
  ])('leaves %s %j unpriced rather than guessing', (tfType, values) => {
    expect(monthlyCost(tfType, (path) => (values as Record<string, unknown>)[path])).toBeUndefined();
  });

  it('every priced Terraform type has a golden monthly cost', () => {
    const covered = new Set(MONTHLY.map(([tfType]) => tfType));
    expect(Object.keys(COST_MODELS).filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('which changes can move the price', () => {
  it.each([
    ['aws_instance', 'instance_type', true],
    ['aws_instance', 'tags', false],
    ['aws_ebs_volume', 'size', true],
    ['aws_ebs_volume', 'type', true],
    ['aws_ebs_volume', 'iops', false],
    ['azurerm_public_ip', 'sku', true],
    ['azurerm_public_ip', 'allocation_method', false],
    ['aws_nat_gateway', 'subnet_id', false],
    ['aws_vpc', 'cidr_block', false],
  ])('%s %s: %s', (tfType, path, affects) => {
    expect(affectsCost(tfType, path)).toBe(affects);
  });
});
