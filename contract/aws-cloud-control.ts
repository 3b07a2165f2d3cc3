/**
 * AWS types DriftMgr diffs attribute by attribute through Cloud Control API: ListResources per
 * type for the identifiers, then GetResource per resource for its full CloudFormation property
 * document (most list handlers return only the primary identifier).
 */

/** Each type and its primary identifier property, the one its list handler returns. */
export const AWS_CLOUD_CONTROL_PRIMARY_IDENTIFIERS: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'LoadBalancerArn',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'TargetGroupArn',
  'AWS::ElasticLoadBalancingV2::Listener': 'ListenerArn',
  'AWS::Route53::HostedZone': 'Id',
  'AWS::KMS::Key': 'KeyId',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SQS::Queue': 'QueueUrl',
  'AWS::SNS::Topic': 'TopicArn',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::EKS::Cluster': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::SecretsManager::Secret': 'Id',
};

export const AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES: readonly string[] = Object.keys(AWS_CLOUD_CONTROL_PRIMARY_IDENTIFIERS);

/** Whether the agent reads this type's resources one GetResource each after listing them. */
export function isCloudControlAttributeType(type: string): boolean {
  return Object.hasOwn(AWS_CLOUD_CONTROL_PRIMARY_IDENTIFIERS, type);
}

/**
 * Types whose list handler lists one parent's children only: ListResources needs a
 * ResourceModel naming the parent (`{"LoadBalancerArn": …}`) and refuses a call without one, so
 * the parents are listed first and their children then per parent.
 */
export const AWS_CLOUD_CONTROL_PARENTS: Readonly<Record<string, { type: string; property: string }>> = {
  'AWS::ElasticLoadBalancingV2::Listener': {
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    property: 'LoadBalancerArn',
  },
};

/** The parent a type is listed under, if its list handler needs one. */
export function cloudControlParentOf(type: string): { type: string; property: string } | undefined {
  return Object.hasOwn(AWS_CLOUD_CONTROL_PARENTS, type) ? AWS_CLOUD_CONTROL_PARENTS[type] : undefined;
}
