/** Reference data the Azure estate is drawn from: names, sizes, images and Azure's own defaults. */

export const APPS = [
  'web',
  'api',
  'payments',
  'orders',
  'search',
  'auth',
  'data',
  'ml',
  'batch',
  'reports',
  'crm',
  'billing',
] as const;
export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test'] as const;
export const OWNERS = ['platform-team', 'data-team', 'payments-team', 'web-team', 'sre'] as const;
export const SUBNET_ROLES = ['web', 'app', 'data', 'mgmt'] as const;

export const VM_SIZES = [
  'Standard_B2s',
  'Standard_B2ms',
  'Standard_D2s_v5',
  'Standard_D4s_v5',
  'Standard_D8s_v5',
  'Standard_E4s_v5',
  'Standard_F4s_v2',
] as const;

export interface OsImage {
  publisher: string;
  offer: string;
  sku: string;
  exactVersion: string;
  osType: 'Linux' | 'Windows';
  /** The image's OS disk size, which the managed OS disk inherits. */
  osDiskGb: number;
}

export const OS_IMAGES: readonly OsImage[] = [
  {
    publisher: 'Canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts-gen2',
    exactVersion: '22.04.202404090',
    osType: 'Linux',
    osDiskGb: 30,
  },
  {
    publisher: 'Canonical',
    offer: 'ubuntu-24_04-lts',
    sku: 'server',
    exactVersion: '24.04.202409120',
    osType: 'Linux',
    osDiskGb: 30,
  },
  {
    publisher: 'RedHat',
    offer: 'RHEL',
    sku: '9-lvm-gen2',
    exactVersion: '9.4.2024061212',
    osType: 'Linux',
    osDiskGb: 64,
  },
  {
    publisher: 'MicrosoftWindowsServer',
    offer: 'WindowsServer',
    sku: '2022-datacenter-azure-edition',
    exactVersion: '20348.2527.240606',
    osType: 'Windows',
    osDiskGb: 127,
  },
];

export type DiskSku = 'Premium_LRS' | 'StandardSSD_LRS';

interface DiskTier {
  maxGb: number;
  tier: string;
  iops: number;
  mbps: number;
}

/** Provisioned performance by size, from the managed disk pricing tiers (P = Premium SSD, E = Standard SSD). */
const DISK_TIERS: Record<DiskSku, readonly DiskTier[]> = {
  Premium_LRS: [
    { maxGb: 32, tier: 'P4', iops: 120, mbps: 25 },
    { maxGb: 64, tier: 'P6', iops: 240, mbps: 50 },
    { maxGb: 128, tier: 'P10', iops: 500, mbps: 100 },
    { maxGb: 256, tier: 'P15', iops: 1100, mbps: 125 },
    { maxGb: 512, tier: 'P20', iops: 2300, mbps: 150 },
    { maxGb: 1024, tier: 'P30', iops: 5000, mbps: 200 },
  ],
  StandardSSD_LRS: [
    { maxGb: 32, tier: 'E4', iops: 500, mbps: 100 },
    { maxGb: 64, tier: 'E6', iops: 500, mbps: 100 },
    { maxGb: 128, tier: 'E10', iops: 500, mbps: 100 },
    { maxGb: 256, tier: 'E15', iops: 500, mbps: 100 },
    { maxGb: 512, tier: 'E20', iops: 500, mbps: 100 },
    { maxGb: 1024, tier: 'E30', iops: 500, mbps: 100 },
  ],
};

export function diskPerformance(sku: DiskSku, sizeGb: number): { tier?: string; iops: number; mbps: number } {
  const tiers = DISK_TIERS[sku];
  const tier = tiers.find((t) => sizeGb <= t.maxGb) ?? (tiers[tiers.length - 1] as DiskTier);
  // Only Premium disks report their performance tier.
  return sku === 'Premium_LRS'
    ? { tier: tier.tier, iops: tier.iops, mbps: tier.mbps }
    : { iops: tier.iops, mbps: tier.mbps };
}

export const STORAGE_SKUS = ['Standard_LRS', 'Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS'] as const;

export interface NsgRuleTemplate {
  name: string;
  protocol: 'Tcp' | 'Udp' | '*';
  port: string;
  source: string;
}

/** Inbound rules workloads typically add; priorities are assigned in order. */
export const NSG_RULE_TEMPLATES: readonly NsgRuleTemplate[] = [
  { name: 'AllowHTTPS', protocol: 'Tcp', port: '443', source: 'Internet' },
  { name: 'AllowHTTP', protocol: 'Tcp', port: '80', source: 'Internet' },
  { name: 'AllowSSHFromBastion', protocol: 'Tcp', port: '22', source: '10.0.0.0/24' },
  { name: 'AllowRDPFromBastion', protocol: 'Tcp', port: '3389', source: '10.0.0.0/24' },
  { name: 'AllowAppPort', protocol: 'Tcp', port: '8080', source: 'VirtualNetwork' },
];

export interface DefaultNsgRule {
  name: string;
  description: string;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  priority: number;
  source: string;
  destination: string;
}

/** The six rules Azure puts in every NSG (`defaultSecurityRules`); Terraform never declares them. */
export const DEFAULT_NSG_RULES: readonly DefaultNsgRule[] = [
  {
    name: 'AllowVnetInBound',
    description: 'Allow inbound traffic from all VMs in VNET',
    direction: 'Inbound',
    access: 'Allow',
    priority: 65000,
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
  },
  {
    name: 'AllowAzureLoadBalancerInBound',
    description: 'Allow inbound traffic from azure load balancer',
    direction: 'Inbound',
    access: 'Allow',
    priority: 65001,
    source: 'AzureLoadBalancer',
    destination: '*',
  },
  {
    name: 'DenyAllInBound',
    description: 'Deny all inbound traffic',
    direction: 'Inbound',
    access: 'Deny',
    priority: 65500,
    source: '*',
    destination: '*',
  },
  {
    name: 'AllowVnetOutBound',
    description: 'Allow outbound traffic from all VMs to all VMs in VNET',
    direction: 'Outbound',
    access: 'Allow',
    priority: 65000,
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
  },
  {
    name: 'AllowInternetOutBound',
    description: 'Allow outbound traffic from all VMs to Internet',
    direction: 'Outbound',
    access: 'Allow',
    priority: 65001,
    source: '*',
    destination: 'Internet',
  },
  {
    name: 'DenyAllOutBound',
    description: 'Deny all outbound traffic',
    direction: 'Outbound',
    access: 'Deny',
    priority: 65500,
    source: '*',
    destination: '*',
  },
];

/** Short region codes Azure uses in names it generates (DefaultResourceGroup-EUS). */
const REGION_CODES: Record<string, string> = {
  eastus: 'EUS',
  eastus2: 'EUS2',
  westus: 'WUS',
  westus2: 'WUS2',
  centralus: 'CUS',
  northeurope: 'NEU',
  westeurope: 'WEU',
  uksouth: 'SUK',
  southeastasia: 'SEA',
  japaneast: 'EJP',
  australiaeast: 'EAU',
};

export function regionCode(region: string): string {
  return REGION_CODES[region] ?? region.toUpperCase();
}
