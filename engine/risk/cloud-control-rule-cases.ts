import type { RiskSubject } from './assess.js';
import type { RuleCase } from './inventory-rule-cases.js';

/**
 * Golden drifts and near misses for the rules in cloud-control-rules.ts, in the canonical values
 * the diff reports (expected from state, actual from the cloud); rules.test.ts runs them.
 */

const changed = (tfType: string, path: string, expected: unknown, actual: unknown): RiskSubject => ({
  kind: 'changed',
  tfType,
  values: [{ path, expected, actual }],
});

const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const OWNER = 'access=allow source=AWS:arn:aws:iam::444455556666:root action=kms:* resource=*';
const ANYONE_DECRYPTS = 'access=allow source=* action=kms:Decrypt resource=*';
const SERVICE_DECRYPTS = 'access=allow source=Service:logs.amazonaws.com action=kms:Decrypt resource=*';
const ROLE = (name: string) => `arn:aws:iam::444455556666:role/${name}`;

export const CLOUD_CONTROL_RULE_CASES: readonly RuleCase[] = [
  [
    'database-made-public',
    'an RDS instance made publicly accessible',
    changed('aws_db_instance', 'publicly_accessible', false, true),
    changed('aws_db_instance', 'multi_az', false, true),
  ],
  [
    'kms-policy-public-principal',
    'a key policy statement letting anyone decrypt',
    changed('aws_kms_key', 'policy', [OWNER], [OWNER, ANYONE_DECRYPTS]),
    changed('aws_kms_key', 'policy', [OWNER], [OWNER, SERVICE_DECRYPTS]),
  ],
  [
    'data-encryption-disabled',
    'a DynamoDB table no longer encrypted with KMS',
    changed('aws_dynamodb_table', 'server_side_encryption.0.enabled', true, false),
    changed('aws_dynamodb_table', 'server_side_encryption.0.enabled', false, true),
  ],
  [
    'eks-public-endpoint',
    'an EKS API endpoint made public',
    changed('aws_eks_cluster', 'vpc_config.0.endpoint_public_access', false, true),
    changed('aws_eks_cluster', 'vpc_config.0.endpoint_private_access', false, true),
  ],
  [
    'load-balancer-made-public',
    'an internal load balancer made internet-facing',
    changed('aws_lb', 'internal', true, false),
    changed('aws_lb', 'internal', false, true),
  ],
  [
    'listener-https-dropped',
    'an HTTPS listener changed to plain HTTP',
    changed('aws_lb_listener', 'protocol', 'HTTPS', 'HTTP'),
    changed('aws_lb_listener', 'protocol', 'HTTP', 'HTTPS'),
  ],
  [
    'listener-https-dropped',
    'an HTTP listener forwarding instead of redirecting to HTTPS',
    changed('aws_alb_listener', 'default_action.0.redirect.0.protocol', 'HTTPS', undefined),
    changed('aws_alb_listener', 'default_action.0.redirect.0.status_code', 'HTTP_301', 'HTTP_302'),
  ],
  [
    'listener-plain-http',
    'an unmanaged HTTP listener forwarding traffic',
    {
      kind: 'unmanaged',
      tfType: 'aws_lb_listener',
      values: [
        { path: 'protocol', expected: undefined, actual: 'HTTP' },
        { path: 'default_action.0.type', expected: undefined, actual: 'forward' },
      ],
    },
    {
      kind: 'unmanaged',
      tfType: 'aws_lb_listener',
      values: [
        { path: 'protocol', expected: undefined, actual: 'HTTPS' },
        { path: 'default_action.0.type', expected: undefined, actual: 'forward' },
      ],
    },
  ],
  [
    'kms-key-rotation-disabled',
    'automatic key rotation turned off',
    changed('aws_kms_key', 'enable_key_rotation', true, false),
    changed('aws_kms_key', 'enable_key_rotation', false, true),
  ],
  [
    'lambda-role-changed',
    "a function's execution role swapped",
    changed('aws_lambda_function', 'role', ROLE('orders-api-exec'), ROLE('admin-break-glass')),
    changed('aws_lambda_function', 'timeout', 30, 60),
  ],
  [
    'customer-key-removed',
    "an SQS queue's customer-managed key removed",
    changed('aws_sqs_queue', 'kms_master_key_id', KEY, null),
    changed('aws_sqs_queue', 'kms_master_key_id', null, KEY),
  ],
  [
    'data-protection-reduced',
    'point-in-time recovery turned off on a table',
    changed('aws_dynamodb_table', 'point_in_time_recovery.0.enabled', true, false),
    changed('aws_dynamodb_table', 'billing_mode', 'PROVISIONED', 'PAY_PER_REQUEST'),
  ],
  [
    'image-scanning-disabled',
    'scan on push turned off on a repository',
    changed('aws_ecr_repository', 'image_scanning_configuration.0.scan_on_push', true, false),
    changed('aws_ecr_repository', 'image_tag_mutability', 'IMMUTABLE', 'MUTABLE'),
  ],
];
