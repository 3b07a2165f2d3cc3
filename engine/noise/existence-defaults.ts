import type { DefaultResourceRule } from './default-rule.js';

/**
 * Existence-level resources the cloud creates by itself, told by their identifier (an
 * inventory listing often carries little else): engine defaults, service-linked roles, the
 * default event bus. Globs are case-insensitive and `*` spans `/` and `:`.
 */
const byId = (cloudType: string, idMatches: string, reason: string): DefaultResourceRule => ({
  cloudType,
  idMatches,
  reason,
});

export const EXISTENCE_DEFAULT_RULES: readonly DefaultResourceRule[] = [
  byId('AWS::IAM::Role', 'AWSServiceRoleFor*', 'service-linked role an AWS service creates'),
  byId('AWS::IAM::Role', 'AWSReservedSSO_*', 'role IAM Identity Center provisions'),
  byId('AWS::KMS::Alias', 'alias/aws/*', 'alias of an AWS managed key'),
  byId('AWS::RDS::DBParameterGroup', 'default.*', 'default parameter group of a database engine'),
  byId('AWS::RDS::DBClusterParameterGroup', 'default.*', 'default cluster parameter group of a database engine'),
  byId('AWS::RDS::OptionGroup', 'default:*', 'default option group of a database engine'),
  byId('AWS::ElastiCache::ParameterGroup', 'default.*', 'default ElastiCache parameter group'),
  byId('AWS::ElastiCache::User', 'default', 'default ElastiCache user'),
  byId('AWS::MemoryDB::ParameterGroup', 'default.*', 'default MemoryDB parameter group'),
  byId('AWS::MemoryDB::User', 'default', 'default MemoryDB user'),
  byId('AWS::MemoryDB::ACL', 'open-access', 'open-access ACL every MemoryDB account has'),
  byId('AWS::Redshift::ClusterParameterGroup', 'default.*', 'default Redshift parameter group'),
  byId('AWS::Events::EventBus', 'default', 'default event bus of a region'),
  byId('AWS::Scheduler::ScheduleGroup', 'default', 'default EventBridge Scheduler group'),
  byId('AWS::Athena::WorkGroup', 'primary', 'primary Athena workgroup'),
  byId('AWS::Athena::DataCatalog', 'AwsDataCatalog', 'AWS Glue catalog Athena registers'),
  byId('AWS::XRay::Group', 'arn:*:group/Default', 'default X-Ray group'),
  byId('AWS::XRay::SamplingRule', 'arn:*:sampling-rule/Default', 'default X-Ray sampling rule'),
  byId('AWS::ECS::CapacityProvider', 'FARGATE*', 'Fargate capacity provider ECS manages'),
  byId('AWS::Route53Resolver::ResolverRule', 'rslvr-autodefined-*', 'resolver rule Route 53 defines itself'),
  byId(
    'Microsoft.Network/networkWatchers',
    '*/networkWatchers/NetworkWatcher_*',
    'Network Watcher Azure creates per region',
  ),
  byId('Microsoft.Sql/servers/databases', '*/databases/master', 'master database of a SQL server'),
  {
    cloudType: 'iam.googleapis.com/ServiceAccount',
    when: { path: 'email', matches: '*-compute@developer.gserviceaccount.com' },
    reason: 'Compute Engine default service account',
  },
  {
    cloudType: 'iam.googleapis.com/ServiceAccount',
    when: { path: 'email', matches: '*@appspot.gserviceaccount.com' },
    reason: 'App Engine default service account',
  },
  byId('compute.googleapis.com/Route', '*/global/routes/default-route-*', 'default route of a network'),
  byId('logging.googleapis.com/LogSink', '*/sinks/_*', 'logging sink every project has (_Default, _Required)'),
  byId('logging.googleapis.com/LogBucket', '*/buckets/_*', 'log bucket every project has (_Default, _Required)'),
];
