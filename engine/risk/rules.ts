import type { DriftKind, Severity } from '../types.js';
import { INVENTORY_RISK_RULES } from './inventory-rules.js';

/**
 * Risk rules as data. Each names what it looks at (drift kinds, Terraform types, attribute
 * paths) and a test on the attribute's expected → actual values; the report lists every rule
 * that fired, so a score can always be explained.
 */
export type RiskTest =
  | 'any'
  /** The actual value lets in traffic from anywhere (0.0.0.0/0, ::/0, *, Internet) that expected did not. */
  | 'opens-world'
  | 'turned-off'
  | 'turned-on'
  | 'added'
  | 'removed'
  /** The actual policy has an allowing statement over every action and resource that expected did not. */
  | 'grants-admin'
  | { left: unknown }
  /** The actual value is this one and expected was not (the mirror of `left`). */
  | { right: unknown };

export interface RiskRule {
  id: string;
  title: string;
  severity: Severity;
  score: number;
  kinds: DriftKind[];
  /** Terraform type (or `*`) → attribute paths the rule watches; absent means the whole resource. */
  targets?: Record<string, string[]>;
  test: RiskTest;
  /** Fires only when no other rule did (the catch-all). */
  fallback?: boolean;
}

const INGRESS: Record<string, string[]> = {
  aws_security_group: ['ingress'],
  azurerm_network_security_group: ['security_rule'],
  google_compute_firewall: ['source_ranges'],
};

const S3_PUBLIC_ACCESS_BLOCK = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const RISK_RULES: readonly RiskRule[] = [
  {
    id: 'ingress-open-to-world',
    title: 'Ingress opened to the whole internet',
    severity: 'critical',
    score: 95,
    kinds: ['changed', 'unmanaged'],
    targets: INGRESS,
    test: 'opens-world',
  },
  {
    id: 'encryption-disabled',
    title: 'Encryption turned off',
    severity: 'critical',
    score: 85,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { aws_ebs_volume: ['encrypted'], azurerm_storage_account: ['infrastructure_encryption_enabled'] },
  },
  {
    id: 'encryption-key-removed',
    title: 'Customer-managed encryption key removed',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'removed',
    targets: {
      aws_ebs_volume: ['kms_key_id'],
      google_storage_bucket: ['encryption.0.default_kms_key_name'],
      google_compute_disk: ['disk_encryption_key.0.kms_key_self_link'],
      aws_s3_bucket_server_side_encryption_configuration: [
        'rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id',
      ],
    },
  },
  {
    id: 'public-access-enabled',
    title: 'Public access to stored data enabled',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: 'turned-on',
    targets: { azurerm_storage_account: ['allow_nested_items_to_be_public'] },
  },
  {
    id: 'policy-public-principal',
    title: 'Policy lets anyone (Principal "*") in',
    severity: 'critical',
    score: 90,
    kinds: ['changed', 'unmanaged'],
    targets: { aws_s3_bucket_policy: ['policy'], aws_iam_role: ['assume_role_policy'] },
    test: 'opens-world',
  },
  {
    id: 'policy-grants-admin',
    title: 'Policy grants every action on every resource',
    severity: 'critical',
    score: 90,
    kinds: ['changed', 'unmanaged'],
    targets: { aws_iam_policy: ['policy'], aws_iam_role_policy: ['policy'] },
    test: 'grants-admin',
  },
  {
    id: 'admin-policy-attached',
    title: 'AdministratorAccess attached',
    severity: 'critical',
    score: 90,
    kinds: ['changed', 'unmanaged'],
    targets: {
      aws_iam_role_policy_attachment: ['policy_arn'],
      aws_iam_user_policy_attachment: ['policy_arn'],
      aws_iam_group_policy_attachment: ['policy_arn'],
    },
    test: { right: 'arn:aws:iam::aws:policy/AdministratorAccess' },
  },
  {
    id: 's3-public-access-block-disabled',
    title: 'S3 public access block turned off',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { aws_s3_bucket_public_access_block: S3_PUBLIC_ACCESS_BLOCK },
  },
  {
    id: 's3-public-access-block-removed',
    title: 'S3 public access block deleted',
    severity: 'high',
    score: 80,
    kinds: ['missing'],
    test: 'any',
    targets: { aws_s3_bucket_public_access_block: S3_PUBLIC_ACCESS_BLOCK },
  },
  {
    id: 'versioning-suspended',
    title: 'Bucket versioning suspended',
    severity: 'medium',
    score: 50,
    kinds: ['changed'],
    test: { left: 'Enabled' },
    targets: { aws_s3_bucket_versioning: ['versioning_configuration.0.status'] },
  },
  {
    id: 'public-access-prevention-lifted',
    title: 'Public access prevention lifted',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: { left: 'enforced' },
    targets: { google_storage_bucket: ['public_access_prevention'] },
  },
  {
    id: 'https-only-disabled',
    title: 'Plain HTTP allowed',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { azurerm_storage_account: ['https_traffic_only_enabled'] },
  },
  {
    id: 'public-ip-added',
    title: 'Public IP address added',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'added',
    targets: { aws_instance: ['public_ip'], google_compute_instance: ['network_interface.0.access_config.0.nat_ip'] },
  },
  {
    id: 'public-ip-on-launch',
    title: 'Subnet now gives instances public IPs',
    severity: 'high',
    score: 65,
    kinds: ['changed'],
    test: 'turned-on',
    targets: { aws_subnet: ['map_public_ip_on_launch'] },
  },
  {
    id: 'deletion-protection-removed',
    title: 'Deletion protection removed',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { google_compute_instance: ['deletion_protection'] },
  },
  {
    id: 'imdsv1-allowed',
    title: 'Instance metadata v1 (no session tokens) allowed again',
    severity: 'high',
    score: 65,
    kinds: ['changed'],
    test: { left: 'required' },
    targets: { aws_instance: ['metadata_options.0.http_tokens'] },
  },
  {
    id: 'uniform-access-disabled',
    title: 'Uniform bucket-level access turned off',
    severity: 'medium',
    score: 55,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { google_storage_bucket: ['uniform_bucket_level_access'] },
  },
  {
    id: 'tls-policy-changed',
    title: 'Minimum TLS version changed',
    severity: 'medium',
    score: 55,
    kinds: ['changed'],
    test: 'any',
    targets: { azurerm_storage_account: ['min_tls_version'] },
  },
  ...INVENTORY_RISK_RULES,
  {
    id: 'resource-missing',
    title: 'Managed resource deleted outside Terraform',
    severity: 'high',
    score: 60,
    kinds: ['missing'],
    test: 'any',
  },
  {
    id: 'network-exposure-changed',
    title: 'Network rules or membership changed',
    severity: 'medium',
    score: 50,
    kinds: ['changed'],
    test: 'any',
    targets: {
      aws_instance: ['vpc_security_group_ids', 'subnet_id'],
      aws_network_interface: ['security_groups'],
      aws_security_group: ['ingress', 'egress'],
      aws_route_table: ['route'],
      aws_network_acl: ['ingress', 'egress', 'subnet_ids'],
      azurerm_network_security_group: ['security_rule'],
      azurerm_linux_virtual_machine: ['network_interface_ids'],
      azurerm_windows_virtual_machine: ['network_interface_ids'],
      google_compute_firewall: ['allow', 'deny', 'source_ranges', 'target_tags', 'disabled'],
    },
  },
  {
    id: 'instance-size-changed',
    title: 'Instance size changed',
    severity: 'medium',
    score: 45,
    kinds: ['changed'],
    test: 'any',
    targets: {
      aws_instance: ['instance_type'],
      azurerm_linux_virtual_machine: ['size'],
      azurerm_windows_virtual_machine: ['size'],
      azurerm_virtual_machine: ['vm_size'],
      google_compute_instance: ['machine_type'],
    },
  },
  {
    id: 'unmanaged-resource',
    title: 'Resource not managed by Terraform',
    severity: 'medium',
    score: 40,
    kinds: ['unmanaged'],
    test: 'any',
  },
  {
    id: 'tags-changed',
    title: 'Tags or labels changed',
    severity: 'low',
    score: 10,
    kinds: ['changed'],
    test: 'any',
    targets: { '*': ['tags', 'labels'] },
  },
  {
    id: 'attribute-changed',
    title: 'Configuration changed outside Terraform',
    severity: 'low',
    score: 20,
    kinds: ['changed'],
    test: 'any',
    fallback: true,
  },
];
