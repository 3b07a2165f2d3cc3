import { describe, expect, it } from 'vitest';
import type { DriftKind } from '../types.js';
import { assessRisk, type RiskSubject } from './assess.js';
import { CLOUD_CONTROL_RULE_CASES } from './cloud-control-rule-cases.js';
import { INVENTORY_RULE_CASES } from './inventory-rule-cases.js';
import { RISK_RULES } from './rules.js';

/**
 * Each risk rule on a hand-written golden drift (canonical values as the diff reports them,
 * expected from state, actual from the cloud) and on a near miss it must not fire on.
 */
const subject = (
  kind: DriftKind,
  tfType: string,
  values: [path: string, expected: unknown, actual: unknown][] = [],
): RiskSubject => ({
  kind,
  tfType,
  values: values.map(([path, expected, actual]) => ({ path, expected, actual })),
});
const changed = (tfType: string, path: string, expected: unknown, actual: unknown) =>
  subject('changed', tfType, [[path, expected, actual]]);

const SSH_FROM_OFFICE = 'proto=tcp ports=22-22 source=198.51.100.0/24';
const nsgRule = (fields: string) =>
  `name=ssh direction=inbound access=allow priority=100 proto=tcp ${fields} source_ports=* destination=* destination_ports=22`;
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-0000-0000-0000-000000000001';

/** Canonical policy statements (engine/mappings/iam-policy.ts), one per line. */
const CLOUDFRONT_READ =
  'access=allow source=Service:cloudfront.amazonaws.com action=s3:GetObject resource=arn:aws:s3:::site/*';
const PUBLIC_READ = 'access=allow source=* action=s3:GetObject resource=arn:aws:s3:::site/*';
const DENY_ANYONE_PLAIN_HTTP =
  'access=deny source=* action=s3:* resource=arn:aws:s3:::site/* condition={"Bool":{"aws:SecureTransport":["false"]}}';
const ANYONE_ASSUMES = 'access=allow source=* action=sts:AssumeRole';
const EC2_ASSUMES = 'access=allow source=Service:ec2.amazonaws.com action=sts:AssumeRole';
const READ_LOGS = 'access=allow action=logs:GetLogEvents resource=arn:aws:logs:*:111122223333:*';
const ADMIN = 'access=allow action=* resource=*';

const CASES: [rule: string, name: string, golden: RiskSubject, nearMiss: RiskSubject][] = [
  [
    'ingress-open-to-world',
    'SSH opened to 0.0.0.0/0 on a security group',
    changed(
      'aws_security_group',
      'ingress',
      [SSH_FROM_OFFICE],
      [SSH_FROM_OFFICE, 'proto=tcp ports=22-22 source=0.0.0.0/0'],
    ),
    changed(
      'aws_security_group',
      'ingress',
      [SSH_FROM_OFFICE],
      [SSH_FROM_OFFICE, 'proto=tcp ports=22-22 source=10.0.0.0/8'],
    ),
  ],
  [
    'ingress-open-to-world',
    'an NSG rule from the Internet service tag',
    changed(
      'azurerm_network_security_group',
      'security_rule',
      [nsgRule('source=10.0.0.0/8')],
      [nsgRule('source=internet')],
    ),
    changed(
      'azurerm_network_security_group',
      'security_rule',
      [nsgRule('source=10.0.0.0/8')],
      [nsgRule('source=internet').replace('access=allow', 'access=deny')],
    ),
  ],
  [
    'ingress-open-to-world',
    'an NSG rule whose source list gained the Internet tag',
    changed(
      'azurerm_network_security_group',
      'security_rule',
      [nsgRule('source=10.0.0.0/8')],
      [nsgRule('source=10.0.0.0/8,internet')],
    ),
    changed(
      'azurerm_network_security_group',
      'security_rule',
      [nsgRule('source=10.0.0.0/8')],
      [nsgRule('source=10.0.0.0/8,internet').replace('direction=inbound', 'direction=outbound')],
    ),
  ],
  [
    'ingress-open-to-world',
    'a firewall now taking any IPv6 source',
    changed('google_compute_firewall', 'source_ranges', ['35.235.240.0/20'], ['35.235.240.0/20', '::/0']),
    changed('google_compute_firewall', 'source_ranges', ['0.0.0.0/0'], ['0.0.0.0/0', '35.235.240.0/20']),
  ],
  [
    'ingress-open-to-world',
    'an unmanaged security group open to the world',
    subject('unmanaged', 'aws_security_group', [
      ['ingress', undefined, ['proto=tcp ports=3389-3389 source=0.0.0.0/0']],
    ]),
    subject('unmanaged', 'aws_security_group', [['ingress', undefined, [SSH_FROM_OFFICE]]]),
  ],
  [
    'encryption-disabled',
    'an EBS volume no longer encrypted',
    changed('aws_ebs_volume', 'encrypted', true, false),
    changed('aws_ebs_volume', 'encrypted', false, true),
  ],
  [
    'encryption-disabled',
    'storage infrastructure encryption turned off',
    changed('azurerm_storage_account', 'infrastructure_encryption_enabled', true, false),
    changed('azurerm_storage_account', 'infrastructure_encryption_enabled', false, true),
  ],
  [
    'encryption-key-removed',
    "an EBS volume's KMS key gone",
    changed('aws_ebs_volume', 'kms_key_id', KMS_KEY, undefined),
    changed('aws_ebs_volume', 'kms_key_id', undefined, KMS_KEY),
  ],
  [
    'public-access-enabled',
    'blob public access allowed',
    changed('azurerm_storage_account', 'allow_nested_items_to_be_public', false, true),
    changed('azurerm_storage_account', 'allow_nested_items_to_be_public', true, false),
  ],
  [
    'public-access-prevention-lifted',
    'a bucket no longer enforcing public access prevention',
    changed('google_storage_bucket', 'public_access_prevention', 'enforced', 'inherited'),
    changed('google_storage_bucket', 'public_access_prevention', 'inherited', 'enforced'),
  ],
  [
    'https-only-disabled',
    'plain HTTP allowed on a storage account',
    changed('azurerm_storage_account', 'https_traffic_only_enabled', true, false),
    changed('azurerm_storage_account', 'https_traffic_only_enabled', false, true),
  ],
  [
    'public-ip-added',
    'an instance that got a public IP',
    changed('aws_instance', 'public_ip', undefined, '3.80.1.1'),
    changed('aws_instance', 'public_ip', '3.80.2.2', '3.80.1.1'),
  ],
  [
    'public-ip-added',
    'a GCE instance that got an external IP',
    changed('google_compute_instance', 'network_interface.0.access_config.0.nat_ip', undefined, '34.66.1.1'),
    changed('google_compute_instance', 'network_interface.0.access_config.0.nat_ip', '34.66.1.1', undefined),
  ],
  [
    'public-ip-on-launch',
    'a subnet now assigning public IPs',
    changed('aws_subnet', 'map_public_ip_on_launch', false, true),
    changed('aws_subnet', 'map_public_ip_on_launch', true, false),
  ],
  [
    'deletion-protection-removed',
    'a GCE instance that can be deleted again',
    changed('google_compute_instance', 'deletion_protection', true, false),
    changed('google_compute_instance', 'deletion_protection', false, true),
  ],
  [
    'imdsv1-allowed',
    'IMDSv2 no longer required',
    changed('aws_instance', 'metadata_options.0.http_tokens', 'required', 'optional'),
    changed('aws_instance', 'metadata_options.0.http_tokens', 'optional', 'required'),
  ],
  [
    'uniform-access-disabled',
    'per-object ACLs back on a bucket',
    changed('google_storage_bucket', 'uniform_bucket_level_access', true, false),
    changed('google_storage_bucket', 'uniform_bucket_level_access', false, true),
  ],
  [
    'tls-policy-changed',
    'minimum TLS lowered',
    changed('azurerm_storage_account', 'min_tls_version', 'TLS1_2', 'TLS1_0'),
    changed('azurerm_storage_account', 'account_tier', 'Standard', 'Premium'),
  ],
  [
    'resource-missing',
    'a managed instance deleted',
    subject('missing', 'aws_instance'),
    subject('unmanaged', 'aws_instance'),
  ],
  [
    'network-exposure-changed',
    'another security group on an instance',
    changed('aws_instance', 'vpc_security_group_ids', ['sg-0a1'], ['sg-0a1', 'sg-0b2']),
    changed('aws_instance', 'ami', 'ami-0a1', 'ami-0b2'),
  ],
  [
    'instance-size-changed',
    'an instance resized',
    changed('aws_instance', 'instance_type', 't3.small', 't3.xlarge'),
    changed('aws_ebs_volume', 'size', 100, 200),
  ],
  [
    'instance-size-changed',
    'a VM resized',
    changed('azurerm_linux_virtual_machine', 'size', 'standard_b2s', 'standard_d4s_v5'),
    changed('azurerm_linux_virtual_machine', 'admin_username', 'azureuser', 'admin'),
  ],
  [
    'unmanaged-resource',
    'a resource in no state',
    subject('unmanaged', 'aws_vpc', [['cidr_block', undefined, '10.9.0.0/16']]),
    subject('changed', 'aws_vpc', [['cidr_block', '10.0.0.0/16', '10.9.0.0/16']]),
  ],
  [
    'tags-changed',
    'a tag edited in the console',
    changed('aws_vpc', 'tags', { env: 'prod' }, { env: 'dev' }),
    changed('aws_vpc', 'cidr_block', '10.0.0.0/16', '10.9.0.0/16'),
  ],
  [
    'tags-changed',
    'a GCP label edited',
    changed('google_compute_instance', 'labels', { env: 'prod' }, { env: 'dev' }),
    changed('google_compute_instance', 'description', 'web', 'api'),
  ],
  [
    'policy-public-principal',
    'a bucket policy widened to Principal "*"',
    changed('aws_s3_bucket_policy', 'policy', [CLOUDFRONT_READ], [CLOUDFRONT_READ, PUBLIC_READ]),
    changed('aws_s3_bucket_policy', 'policy', [CLOUDFRONT_READ], [CLOUDFRONT_READ, DENY_ANYONE_PLAIN_HTTP]),
  ],
  [
    'policy-public-principal',
    'an unmanaged role anyone may assume',
    subject('unmanaged', 'aws_iam_role', [['assume_role_policy', undefined, [ANYONE_ASSUMES]]]),
    subject('unmanaged', 'aws_iam_role', [['assume_role_policy', undefined, [EC2_ASSUMES]]]),
  ],
  [
    'policy-grants-admin',
    'a managed policy widened to every action on every resource',
    changed('aws_iam_policy', 'policy', [READ_LOGS], [READ_LOGS, ADMIN]),
    changed('aws_iam_policy', 'policy', [READ_LOGS], [READ_LOGS, ADMIN.replace('access=allow', 'access=deny')]),
  ],
  [
    'admin-policy-attached',
    'AdministratorAccess attached to a role by hand',
    subject('unmanaged', 'aws_iam_role_policy_attachment', [
      ['role', undefined, 'deploy'],
      ['policy_arn', undefined, 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ]),
    subject('unmanaged', 'aws_iam_role_policy_attachment', [
      ['role', undefined, 'deploy'],
      ['policy_arn', undefined, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ]),
  ],
  [
    's3-public-access-block-disabled',
    "a bucket's public policies no longer blocked",
    changed('aws_s3_bucket_public_access_block', 'block_public_policy', true, false),
    changed('aws_s3_bucket_public_access_block', 'block_public_policy', false, true),
  ],
  [
    's3-public-access-block-removed',
    "a bucket's public access block deleted",
    subject('missing', 'aws_s3_bucket_public_access_block', [['block_public_acls', true, undefined]]),
    subject('missing', 'aws_s3_bucket_versioning', [['versioning_configuration.0.status', 'Enabled', undefined]]),
  ],
  [
    'versioning-suspended',
    'bucket versioning suspended',
    changed('aws_s3_bucket_versioning', 'versioning_configuration.0.status', 'Enabled', 'Suspended'),
    changed('aws_s3_bucket_versioning', 'versioning_configuration.0.status', 'Suspended', 'Enabled'),
  ],
  [
    'encryption-key-removed',
    "a bucket's default encryption moved off its KMS key",
    changed(
      'aws_s3_bucket_server_side_encryption_configuration',
      'rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id',
      KMS_KEY,
      undefined,
    ),
    changed(
      'aws_s3_bucket_server_side_encryption_configuration',
      'rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id',
      undefined,
      KMS_KEY,
    ),
  ],
  [
    'attribute-changed',
    'a change no other rule explains',
    changed('aws_vpc', 'instance_tenancy', 'default', 'dedicated'),
    changed('aws_instance', 'instance_type', 't3.small', 't3.large'),
  ],
  ...CLOUD_CONTROL_RULE_CASES,
  ...INVENTORY_RULE_CASES,
];

describe('risk rules', () => {
  const fired = (s: RiskSubject) => assessRisk(s).rules.map((r) => r.id);

  it.each(CASES)('%s fires on %s', (rule, _, golden) => {
    expect(fired(golden)).toContain(rule);
  });

  it.each(CASES)('%s does not fire on a near miss of %s', (rule, _, __, nearMiss) => {
    expect(fired(nearMiss)).not.toContain(rule);
  });

  it('names the attribute that made a rule fire', () => {
    const [, , golden] = CASES[0]!;
    expect(assessRisk(golden).rules.find((r) => r.id === 'ingress-open-to-world')).toMatchObject({
      path: 'ingress',
      severity: 'critical',
      score: 95,
    });
  });

  it('scores the strongest rule plus 5 for each further one, at most 100, at its severity', () => {
    const [, , openAndExposed] = CASES[0]!;
    expect(fired(openAndExposed).sort()).toEqual(['ingress-open-to-world', 'network-exposure-changed']);
    expect(assessRisk(openAndExposed)).toMatchObject({ severity: 'critical', score: 100 });
    const resizedAndRetagged = subject('changed', 'aws_instance', [
      ['instance_type', 't3.small', 't3.large'],
      ['tags', { a: '1' }, { a: '2' }],
    ]);
    expect(assessRisk(resizedAndRetagged)).toMatchObject({ severity: 'medium', score: 50 });
    expect(assessRisk(changed('aws_vpc', 'tags', { a: '1' }, { a: '2' }))).toMatchObject({
      severity: 'low',
      score: 10,
    });
  });

  it('every rule has a golden case', () => {
    const covered = new Set(CASES.map(([rule]) => rule));
    expect(RISK_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
