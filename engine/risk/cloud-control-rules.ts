import type { RiskRule } from './rule-types.js';

/**
 * Risk rules for the attribute-level Cloud Control types (engine/mappings/aws-cloud-control.ts):
 * data exposed, encryption or its key taken away, keys no longer rotated, a function running
 * under another role, a cluster's API opened to the internet, a listener serving plain HTTP.
 */

const DB_INSTANCES = ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_docdb_cluster_instance'];
const on = (types: readonly string[], paths: string[]) => Object.fromEntries(types.map((t) => [t, paths]));
const LISTENERS = (paths: string[]) => on(['aws_lb_listener', 'aws_alb_listener'], paths);

export const CLOUD_CONTROL_RISK_RULES: readonly RiskRule[] = [
  {
    id: 'database-made-public',
    title: 'Database made publicly accessible',
    severity: 'critical',
    score: 90,
    kinds: ['changed'],
    test: 'turned-on',
    targets: { ...on(DB_INSTANCES, ['publicly_accessible']), aws_neptune_cluster_instance: ['publicly_accessible'] },
  },
  {
    id: 'kms-policy-public-principal',
    title: 'Key policy lets anyone (Principal "*") use the key',
    severity: 'critical',
    score: 90,
    kinds: ['changed', 'unmanaged'],
    test: 'opens-world',
    targets: { aws_kms_key: ['policy'] },
  },
  {
    id: 'data-encryption-disabled',
    title: 'Encryption at rest turned off',
    severity: 'critical',
    score: 85,
    kinds: ['changed'],
    test: 'turned-off',
    targets: {
      aws_db_instance: ['storage_encrypted'],
      ...on(['aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster'], ['storage_encrypted']),
      aws_dynamodb_table: ['server_side_encryption.0.enabled'],
      aws_sqs_queue: ['sqs_managed_sse_enabled'],
    },
  },
  {
    id: 'eks-public-endpoint',
    title: 'Kubernetes API endpoint opened to the internet',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: 'turned-on',
    targets: { aws_eks_cluster: ['vpc_config.0.endpoint_public_access'] },
  },
  {
    id: 'load-balancer-made-public',
    title: 'Internal load balancer made internet-facing',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { aws_lb: ['internal'], aws_alb: ['internal'] },
  },
  {
    // Either way plain HTTP is what clients now get: the listener itself, or no redirect off it.
    id: 'listener-https-dropped',
    title: 'Listener no longer uses HTTPS: downgraded to HTTP or its redirect to HTTPS removed',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: { left: 'HTTPS' },
    targets: LISTENERS(['protocol', 'default_action.0.redirect.0.protocol']),
  },
  {
    id: 'listener-plain-http',
    title: 'HTTP listener serving traffic instead of redirecting to HTTPS',
    severity: 'medium',
    score: 50,
    kinds: ['unmanaged'],
    test: { right: 'forward' },
    targets: LISTENERS(['default_action.0.type']),
    where: { path: 'protocol', pattern: /^HTTP$/ },
  },
  {
    id: 'kms-key-rotation-disabled',
    title: 'KMS key rotation turned off',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { aws_kms_key: ['enable_key_rotation'] },
  },
  {
    id: 'lambda-role-changed',
    title: 'Function runs under another execution role',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'any',
    targets: { aws_lambda_function: ['role'] },
  },
  {
    id: 'customer-key-removed',
    title: 'Customer-managed encryption key removed',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'removed',
    targets: {
      aws_db_instance: ['kms_key_id'],
      aws_rds_cluster: ['kms_key_id'],
      aws_sqs_queue: ['kms_master_key_id'],
      aws_sns_topic: ['kms_master_key_id'],
      aws_cloudwatch_log_group: ['kms_key_id'],
      aws_secretsmanager_secret: ['kms_key_id'],
      aws_lambda_function: ['kms_key_arn'],
      aws_dynamodb_table: ['server_side_encryption.0.kms_key_arn'],
      aws_ecr_repository: ['encryption_configuration.0.kms_key'],
    },
  },
  {
    id: 'data-protection-reduced',
    title: 'Deletion protection or point-in-time recovery turned off',
    severity: 'medium',
    score: 60,
    kinds: ['changed'],
    test: 'turned-off',
    targets: {
      aws_db_instance: ['deletion_protection'],
      aws_rds_cluster: ['deletion_protection'],
      aws_dynamodb_table: ['deletion_protection_enabled', 'point_in_time_recovery.0.enabled'],
    },
  },
  {
    id: 'image-scanning-disabled',
    title: 'Image scan on push turned off',
    severity: 'medium',
    score: 45,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { aws_ecr_repository: ['image_scanning_configuration.0.scan_on_push'] },
  },
];
