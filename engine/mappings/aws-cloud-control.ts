import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

/**
 * Terraform AWS provider resources ↔ CloudFormation property documents, as Cloud Control's
 * GetResource returns them. Identifiers are Cloud Control's (the type's primary identifier) and
 * compared exactly; account and region come from the resource's ARN, else its provider's region.
 * A mapped attribute is never the one holding the id (a change there is a different resource).
 * Longer than most modules on purpose: it is one table.
 */

const ACCOUNT: ScopeSource[] = [{ from: 'arn' }];
const REGION: ScopeSource[] = [{ from: 'arn' }, { from: 'attr', path: 'region', form: 'as-is' }];

const tags = (): AttributeMap => ({
  tf: 'tags',
  tfEffective: 'tags_all',
  cloud: 'Tags',
  tfConvert: 'string-map',
  cloudConvert: 'aws-tags',
  steps: ['aws-provider-tags', 'empty-equivalent'],
});
const idSet = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['order-insensitive', 'empty-equivalent'],
});
const flag = (tf: string, cloud: string, dflt: boolean): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'bool',
  cloudConvert: 'bool',
  default: dflt,
});
const num = (tf: string, cloud: string, dflt?: number): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'number',
  cloudConvert: 'number',
  ...(dflt === undefined ? {} : { default: dflt }),
});
const optional = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, steps: ['empty-equivalent'] });
const computed = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, noise: 'computed' });

function cc(
  tfType: string,
  cloudType: string,
  idAttribute: string,
  attributes: AttributeMap[],
  extra: Partial<TypeMapping> = {},
): TypeMapping {
  return {
    provider: 'aws',
    tfType,
    cloudType,
    level: 'attributes',
    id: { tf: idAttribute, kind: 'exact' },
    account: ACCOUNT,
    region: REGION,
    attributes: [...attributes, tags()],
    ...extra,
  };
}

const DB_INSTANCE: AttributeMap[] = [
  computed('arn', 'DBInstanceArn'),
  { tf: 'instance_class', cloud: 'DBInstanceClass' },
  { tf: 'engine', cloud: 'Engine' },
  { tf: 'engine_version', cloud: 'EngineVersion' },
  num('allocated_storage', 'AllocatedStorage'),
  { tf: 'storage_type', cloud: 'StorageType' },
  flag('storage_encrypted', 'StorageEncrypted', false),
  optional('kms_key_id', 'KmsKeyId'),
  flag('publicly_accessible', 'PubliclyAccessible', false),
  flag('multi_az', 'MultiAZ', false),
  flag('deletion_protection', 'DeletionProtection', false),
  num('backup_retention_period', 'BackupRetentionPeriod', 1),
  optional('db_subnet_group_name', 'DBSubnetGroupName'),
  idSet('vpc_security_group_ids', 'VPCSecurityGroups'),
  flag('iam_database_authentication_enabled', 'EnableIAMDatabaseAuthentication', false),
  computed('address', 'Endpoint.Address'),
];

/** Instances of an Aurora, DocumentDB or Neptune cluster: storage and backups are the cluster's. */
const CLUSTER_INSTANCE: AttributeMap[] = [
  computed('arn', 'DBInstanceArn'),
  { tf: 'instance_class', cloud: 'DBInstanceClass' },
  { tf: 'engine', cloud: 'Engine' },
  { tf: 'cluster_identifier', cloud: 'DBClusterIdentifier' },
  flag('publicly_accessible', 'PubliclyAccessible', false),
];

const DB_CLUSTER: AttributeMap[] = [
  computed('arn', 'DBClusterArn'),
  { tf: 'engine', cloud: 'Engine' },
  { tf: 'engine_version', cloud: 'EngineVersion' },
  flag('storage_encrypted', 'StorageEncrypted', false),
  optional('kms_key_id', 'KmsKeyId'),
  flag('deletion_protection', 'DeletionProtection', false),
  num('backup_retention_period', 'BackupRetentionPeriod', 1),
  optional('db_subnet_group_name', 'DBSubnetGroupName'),
  idSet('vpc_security_group_ids', 'VpcSecurityGroupIds'),
  flag('iam_database_authentication_enabled', 'EnableIAMDatabaseAuthentication', false),
  computed('endpoint', 'Endpoint.Address'),
];

const LOAD_BALANCER: AttributeMap[] = [
  computed('arn', 'LoadBalancerArn'),
  { tf: 'name', cloud: 'Name' },
  { tf: 'internal', cloud: 'Scheme', tfConvert: 'bool', cloudConvert: 'lb-internal', default: false },
  { tf: 'load_balancer_type', cloud: 'Type', default: 'application' },
  idSet('security_groups', 'SecurityGroups'),
  idSet('subnets', 'Subnets'),
  { tf: 'ip_address_type', cloud: 'IpAddressType', default: 'ipv4' },
  computed('dns_name', 'DNSName'),
];

const TARGET_GROUP: AttributeMap[] = [
  computed('arn', 'TargetGroupArn'),
  { tf: 'name', cloud: 'TargetGroupName' },
  num('port', 'Port'),
  { tf: 'protocol', cloud: 'Protocol' },
  { tf: 'vpc_id', cloud: 'VpcId' },
  { tf: 'target_type', cloud: 'TargetType', default: 'instance' },
  optional('health_check.0.path', 'HealthCheckPath'),
];

/** The first default action only: a second one (after an authenticate action) is rare. */
const LISTENER: AttributeMap[] = [
  computed('arn', 'ListenerArn'),
  num('port', 'Port'),
  { tf: 'protocol', cloud: 'Protocol' },
  optional('ssl_policy', 'SslPolicy'),
  optional('certificate_arn', 'Certificates.0.CertificateArn'),
  { tf: 'default_action.0.type', cloud: 'DefaultActions.0.Type' },
  optional('default_action.0.target_group_arn', 'DefaultActions.0.TargetGroupArn'),
  optional('default_action.0.redirect.0.protocol', 'DefaultActions.0.RedirectConfig.Protocol'),
  optional('default_action.0.redirect.0.port', 'DefaultActions.0.RedirectConfig.Port'),
  optional('default_action.0.redirect.0.status_code', 'DefaultActions.0.RedirectConfig.StatusCode'),
];

/** CloudFormation's listener has no Tags: tags a state sets on one cannot be compared. */
const untagged = (m: TypeMapping): TypeMapping => ({ ...m, attributes: m.attributes.filter((a) => a.tf !== 'tags') });

/**
 * A hosted zone is global and its ARN names no account: the provider configuration's account
 * places it, as with S3 and IAM. Its tags are HostedZoneTags; VPC associations are not compared.
 */
const ZONE = cc('aws_route53_zone', 'AWS::Route53::HostedZone', 'zone_id', [
  { tf: 'name', cloud: 'Name', tfConvert: 'dns-name', cloudConvert: 'dns-name' },
  optional('comment', 'HostedZoneConfig.Comment'),
  computed('name_servers', 'NameServers'),
]);
const HOSTED_ZONE: TypeMapping = {
  ...ZONE,
  attributes: ZONE.attributes.map((a) => (a.tf === 'tags' ? { ...a, cloud: 'HostedZoneTags' } : a)),
  region: [{ from: 'fixed', value: 'global' }],
};

/** Terraform AWS provider resources ↔ Cloud Control property documents. */
export const AWS_CLOUD_CONTROL_MAPPINGS: TypeMapping[] = [
  cc('aws_db_instance', 'AWS::RDS::DBInstance', 'identifier', DB_INSTANCE),
  cc('aws_rds_cluster_instance', 'AWS::RDS::DBInstance', 'identifier', CLUSTER_INSTANCE),
  cc('aws_docdb_cluster_instance', 'AWS::RDS::DBInstance', 'identifier', CLUSTER_INSTANCE, {
    codifyWhen: { cloudPath: 'Engine', equals: 'docdb' },
  }),
  cc('aws_neptune_cluster_instance', 'AWS::RDS::DBInstance', 'identifier', CLUSTER_INSTANCE, {
    codifyWhen: { cloudPath: 'Engine', equals: 'neptune' },
  }),
  cc('aws_rds_cluster', 'AWS::RDS::DBCluster', 'cluster_identifier', DB_CLUSTER),
  cc('aws_docdb_cluster', 'AWS::RDS::DBCluster', 'cluster_identifier', DB_CLUSTER, {
    codifyWhen: { cloudPath: 'Engine', equals: 'docdb' },
  }),
  cc('aws_neptune_cluster', 'AWS::RDS::DBCluster', 'cluster_identifier', DB_CLUSTER, {
    codifyWhen: { cloudPath: 'Engine', equals: 'neptune' },
  }),
  cc('aws_lambda_function', 'AWS::Lambda::Function', 'function_name', [
    computed('arn', 'Arn'),
    { tf: 'role', cloud: 'Role' },
    optional('runtime', 'Runtime'),
    optional('handler', 'Handler'),
    num('timeout', 'Timeout', 3),
    num('memory_size', 'MemorySize', 128),
    { tf: 'package_type', cloud: 'PackageType', default: 'Zip' },
    optional('kms_key_arn', 'KmsKeyArn'),
    {
      tf: 'environment.0.variables',
      cloud: 'Environment.Variables',
      tfConvert: 'map-keys',
      cloudConvert: 'map-keys',
      steps: ['order-insensitive', 'empty-equivalent'],
      toTf: 'keys-to-map',
    },
    idSet('vpc_config.0.subnet_ids', 'VpcConfig.SubnetIds'),
    idSet('vpc_config.0.security_group_ids', 'VpcConfig.SecurityGroupIds'),
  ]),
  cc('aws_lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'id', LOAD_BALANCER),
  cc('aws_alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'id', LOAD_BALANCER),
  cc('aws_lb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'id', TARGET_GROUP),
  cc('aws_alb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'id', TARGET_GROUP),
  untagged(cc('aws_lb_listener', 'AWS::ElasticLoadBalancingV2::Listener', 'id', LISTENER)),
  untagged(cc('aws_alb_listener', 'AWS::ElasticLoadBalancingV2::Listener', 'id', LISTENER)),
  HOSTED_ZONE,
  cc('aws_kms_key', 'AWS::KMS::Key', 'id', [
    computed('arn', 'Arn'),
    optional('description', 'Description'),
    flag('enable_key_rotation', 'EnableKeyRotation', false),
    flag('is_enabled', 'Enabled', true),
    flag('multi_region', 'MultiRegion', false),
    { tf: 'key_usage', cloud: 'KeyUsage', default: 'ENCRYPT_DECRYPT' },
    { tf: 'customer_master_key_spec', cloud: 'KeySpec', default: 'SYMMETRIC_DEFAULT' },
    // Statements compared as IAM reads them (engine/mappings/iam-policy.ts), so risk rules can read principals.
    {
      tf: 'policy',
      cloud: 'KeyPolicy',
      tfConvert: 'iam-policy',
      cloudConvert: 'iam-policy',
      steps: ['order-insensitive'],
      toTf: 'iam-policy-to-tf',
    },
  ]),
  cc('aws_dynamodb_table', 'AWS::DynamoDB::Table', 'name', [
    computed('arn', 'Arn'),
    { tf: 'billing_mode', cloud: 'BillingMode', default: 'PROVISIONED' },
    { tf: 'hash_key', cloud: 'KeySchema', cloudConvert: 'dynamodb-hash-key' },
    { tf: 'range_key', cloud: 'KeySchema', cloudConvert: 'dynamodb-range-key', steps: ['empty-equivalent'] },
    flag('point_in_time_recovery.0.enabled', 'PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', false),
    flag('server_side_encryption.0.enabled', 'SSESpecification.SSEEnabled', false),
    optional('server_side_encryption.0.kms_key_arn', 'SSESpecification.KMSMasterKeyId'),
    flag('deletion_protection_enabled', 'DeletionProtectionEnabled', false),
    { ...num('read_capacity', 'ProvisionedThroughput.ReadCapacityUnits'), steps: ['empty-equivalent'] },
    { ...num('write_capacity', 'ProvisionedThroughput.WriteCapacityUnits'), steps: ['empty-equivalent'] },
  ]),
  cc('aws_sqs_queue', 'AWS::SQS::Queue', 'id', [
    computed('arn', 'Arn'),
    { tf: 'name', cloud: 'QueueName' },
    flag('fifo_queue', 'FifoQueue', false),
    num('visibility_timeout_seconds', 'VisibilityTimeout', 30),
    num('message_retention_seconds', 'MessageRetentionPeriod', 345600),
    num('delay_seconds', 'DelaySeconds', 0),
    optional('kms_master_key_id', 'KmsMasterKeyId'),
    flag('sqs_managed_sse_enabled', 'SqsManagedSseEnabled', true),
  ]),
  cc('aws_sns_topic', 'AWS::SNS::Topic', 'id', [
    computed('arn', 'TopicArn'),
    { tf: 'name', cloud: 'TopicName' },
    optional('display_name', 'DisplayName'),
    optional('kms_master_key_id', 'KmsMasterKeyId'),
    flag('fifo_topic', 'FifoTopic', false),
  ]),
  cc('aws_ecs_cluster', 'AWS::ECS::Cluster', 'name', [computed('arn', 'Arn')]),
  cc('aws_eks_cluster', 'AWS::EKS::Cluster', 'name', [
    computed('arn', 'Arn'),
    { tf: 'version', cloud: 'Version' },
    { tf: 'role_arn', cloud: 'RoleArn' },
    flag('vpc_config.0.endpoint_public_access', 'ResourcesVpcConfig.EndpointPublicAccess', true),
    flag('vpc_config.0.endpoint_private_access', 'ResourcesVpcConfig.EndpointPrivateAccess', false),
    idSet('vpc_config.0.public_access_cidrs', 'ResourcesVpcConfig.PublicAccessCidrs'),
    idSet('vpc_config.0.subnet_ids', 'ResourcesVpcConfig.SubnetIds'),
    computed('endpoint', 'Endpoint'),
  ]),
  cc('aws_cloudwatch_log_group', 'AWS::Logs::LogGroup', 'name', [
    computed('arn', 'Arn'),
    num('retention_in_days', 'RetentionInDays', 0),
    optional('kms_key_id', 'KmsKeyId'),
    { tf: 'log_group_class', cloud: 'LogGroupClass', default: 'STANDARD' },
  ]),
  cc('aws_ecr_repository', 'AWS::ECR::Repository', 'name', [
    computed('arn', 'Arn'),
    { tf: 'image_tag_mutability', cloud: 'ImageTagMutability', default: 'MUTABLE' },
    flag('image_scanning_configuration.0.scan_on_push', 'ImageScanningConfiguration.ScanOnPush', false),
    {
      tf: 'encryption_configuration.0.encryption_type',
      cloud: 'EncryptionConfiguration.EncryptionType',
      default: 'AES256',
    },
    optional('encryption_configuration.0.kms_key', 'EncryptionConfiguration.KmsKey'),
    computed('repository_url', 'RepositoryUri'),
  ]),
  // Metadata only: the secret's value is never listed, read or stored.
  cc('aws_secretsmanager_secret', 'AWS::SecretsManager::Secret', 'id', [
    computed('arn', 'Id'),
    { tf: 'name', cloud: 'Name' },
    optional('description', 'Description'),
    optional('kms_key_id', 'KmsKeyId'),
  ]),
];
