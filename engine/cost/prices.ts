/**
 * List prices the cost estimates use. An estimate, not a bill: on-demand Linux prices, no
 * discounts, reservations, licences or data transfer. Update `PRICE_SOURCE.as_of` with the table.
 */
export const PRICE_SOURCE = {
  source:
    'Public on-demand list prices: AWS us-east-1 (EC2 Linux, EBS, VPC), Azure East US pay-as-you-go (Linux VMs, managed disks, public IPs), GCP us-central1 (Compute Engine)',
  as_of: '2025-06-01',
  currency: 'USD',
  hours_per_month: 730,
} as const;

/** USD per hour, by machine type. */
export const HOURLY_PRICES: Record<string, Record<string, number>> = {
  'aws-ec2': {
    't2.micro': 0.0116,
    't2.small': 0.023,
    't2.medium': 0.0464,
    't2.large': 0.0928,
    't3.nano': 0.0052,
    't3.micro': 0.0104,
    't3.small': 0.0208,
    't3.medium': 0.0416,
    't3.large': 0.0832,
    't3.xlarge': 0.1664,
    't3.2xlarge': 0.3328,
    't4g.micro': 0.0084,
    't4g.small': 0.0168,
    't4g.medium': 0.0336,
    't4g.large': 0.0672,
    'm5.large': 0.096,
    'm5.xlarge': 0.192,
    'm5.2xlarge': 0.384,
    'm5.4xlarge': 0.768,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'c5.large': 0.085,
    'c5.xlarge': 0.17,
    'c5.2xlarge': 0.34,
    'c6i.large': 0.085,
    'c6i.xlarge': 0.17,
    'r5.large': 0.126,
    'r5.xlarge': 0.252,
    'r6i.large': 0.126,
  },
  'azure-vm': {
    Standard_B1s: 0.0104,
    Standard_B1ms: 0.0207,
    Standard_B2s: 0.0416,
    Standard_B2ms: 0.0832,
    Standard_B4ms: 0.166,
    Standard_A1_v2: 0.043,
    Standard_A2_v2: 0.091,
    Standard_D2s_v3: 0.096,
    Standard_D4s_v3: 0.192,
    Standard_D8s_v3: 0.384,
    Standard_D2_v3: 0.096,
    Standard_D4_v3: 0.192,
    Standard_D2s_v5: 0.096,
    Standard_D4s_v5: 0.192,
    Standard_D8s_v5: 0.384,
    Standard_DS1_v2: 0.057,
    Standard_DS2_v2: 0.114,
    Standard_E2s_v5: 0.126,
    Standard_E4s_v5: 0.252,
    Standard_F2s_v2: 0.0846,
    Standard_F4s_v2: 0.169,
  },
  'gcp-machine': {
    'f1-micro': 0.0076,
    'g1-small': 0.0257,
    'e2-micro': 0.0084,
    'e2-small': 0.0168,
    'e2-medium': 0.0335,
    'e2-standard-2': 0.067,
    'e2-standard-4': 0.134,
    'e2-standard-8': 0.268,
    'n1-standard-1': 0.0475,
    'n1-standard-2': 0.095,
    'n1-standard-4': 0.19,
    'n1-standard-8': 0.38,
    'n2-standard-2': 0.0971,
    'n2-standard-4': 0.1942,
    'n2-standard-8': 0.3885,
    'c2-standard-4': 0.2088,
    'c2-standard-8': 0.4176,
  },
  flat: {
    'aws-nat-gateway': 0.045,
    'aws-public-ipv4': 0.005,
    'azure-public-ip-standard': 0.005,
    'azure-public-ip-basic': 0.004,
  },
};

/** USD per GB-month, by disk type. */
export const STORAGE_PRICES: Record<string, Record<string, number>> = {
  'aws-ebs': { gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 },
  'azure-disk': {
    Standard_LRS: 0.045,
    StandardSSD_LRS: 0.075,
    StandardSSD_ZRS: 0.094,
    Premium_LRS: 0.15,
    Premium_ZRS: 0.19,
    PremiumV2_LRS: 0.12,
    UltraSSD_LRS: 0.12,
  },
  'gcp-disk': {
    'pd-standard': 0.04,
    'pd-balanced': 0.1,
    'pd-ssd': 0.17,
    'pd-extreme': 0.125,
    'hyperdisk-balanced': 0.08,
  },
};

/** How a Terraform type is priced, from its canonical attribute values. */
export type CostModel =
  | { kind: 'hourly'; table: string; attr: string }
  | { kind: 'storage'; table: string; size: string; type: string; defaultType: string }
  | { kind: 'flat'; item: string }
  | { kind: 'flat-by'; attr: string; items: Record<string, string>; defaultItem: string };

export const COST_MODELS: Record<string, CostModel> = {
  aws_instance: { kind: 'hourly', table: 'aws-ec2', attr: 'instance_type' },
  aws_ebs_volume: { kind: 'storage', table: 'aws-ebs', size: 'size', type: 'type', defaultType: 'gp2' },
  aws_nat_gateway: { kind: 'flat', item: 'aws-nat-gateway' },
  aws_eip: { kind: 'flat', item: 'aws-public-ipv4' },
  azurerm_linux_virtual_machine: { kind: 'hourly', table: 'azure-vm', attr: 'size' },
  azurerm_windows_virtual_machine: { kind: 'hourly', table: 'azure-vm', attr: 'size' },
  azurerm_virtual_machine: { kind: 'hourly', table: 'azure-vm', attr: 'vm_size' },
  azurerm_managed_disk: {
    kind: 'storage',
    table: 'azure-disk',
    size: 'disk_size_gb',
    type: 'storage_account_type',
    defaultType: 'Standard_LRS',
  },
  azurerm_public_ip: {
    kind: 'flat-by',
    attr: 'sku',
    items: { standard: 'azure-public-ip-standard', basic: 'azure-public-ip-basic' },
    defaultItem: 'azure-public-ip-standard',
  },
  google_compute_instance: { kind: 'hourly', table: 'gcp-machine', attr: 'machine_type' },
  google_compute_disk: { kind: 'storage', table: 'gcp-disk', size: 'size', type: 'type', defaultType: 'pd-standard' },
};
