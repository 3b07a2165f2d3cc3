import type { DiscoveredResource } from '../../contract/resource.js';
import { chance, hex, int, pick, uuid } from '../rng.js';
import type { Rng } from '../types.js';

/**
 * The attribute-level Cloud Control types of one account and region: databases, functions,
 * load balancers and their listeners, keys, queues, clusters and registries of a few
 * applications, each the CloudFormation property document GetResource returns, wired to the
 * region's EC2 subnets and security groups. Secrets carry metadata only, as Cloud Control never returns their values.
 *
 * Longer than most modules on purpose: one small builder per type.
 */

type Attrs = Record<string, unknown>;

const APPS = ['checkout', 'search', 'billing', 'catalog', 'auth', 'reporting'] as const;
const ENVIRONMENTS = ['prod', 'staging'] as const;
const TEAMS = ['platform', 'payments', 'data', 'web'] as const;

/** One application's worth of the region: its name, tags and the network it runs in. */
interface AppContext {
  rng: Rng;
  account: string;
  region: string;
  name: string;
  tags: { Key: string; Value: string }[];
  vpcId: string;
  subnets: string[];
  groups: string[];
}

const arn = (c: AppContext, service: string, resource: string) =>
  `arn:aws:${service}:${c.region}:${c.account}:${resource}`;

function resource(c: AppContext, type: string, id: string, attributes: Attrs): DiscoveredResource {
  const tags = Object.fromEntries(c.tags.map((t) => [t.Key, t.Value]));
  const name = id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1) || id;
  return {
    provider: 'aws',
    account: c.account,
    region: c.region,
    type,
    id,
    name,
    attributes: { ...attributes, Tags: c.tags },
    tags,
  };
}

function kmsKey(c: AppContext): DiscoveredResource {
  const keyId = uuid(c.rng);
  return resource(c, 'AWS::KMS::Key', keyId, {
    KeyId: keyId,
    Arn: arn(c, 'kms', `key/${keyId}`),
    Description: `${c.name} data key`,
    Enabled: true,
    EnableKeyRotation: chance(c.rng, 0.8),
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    MultiRegion: false,
    KeyPolicy: {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${c.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
  });
}

function dbInstance(c: AppContext, keyArn: string): DiscoveredResource {
  const id = `${c.name}-db`;
  const engine = pick(c.rng, [
    { Engine: 'postgres', EngineVersion: '15.4', Port: '5432' },
    { Engine: 'mysql', EngineVersion: '8.0.35', Port: '3306' },
  ]);
  return resource(c, 'AWS::RDS::DBInstance', id, {
    DBInstanceIdentifier: id,
    DBInstanceArn: arn(c, 'rds', `db:${id}`),
    DbiResourceId: `db-${hex(c.rng, 26).toUpperCase()}`,
    DBInstanceClass: pick(c.rng, ['db.t3.medium', 'db.m5.large', 'db.r6g.large']),
    ...engine,
    AllocatedStorage: String(pick(c.rng, [20, 100, 200])),
    StorageType: 'gp3',
    StorageEncrypted: true,
    KmsKeyId: keyArn,
    PubliclyAccessible: false,
    MultiAZ: chance(c.rng, 0.5),
    DeletionProtection: chance(c.rng, 0.7),
    BackupRetentionPeriod: pick(c.rng, [7, 14]),
    DBSubnetGroupName: `${c.name}-db`,
    VPCSecurityGroups: c.groups.slice(0, 1),
    EnableIAMDatabaseAuthentication: false,
    AutoMinorVersionUpgrade: true,
    Endpoint: { Address: `${id}.c${hex(c.rng, 12)}.${c.region}.rds.amazonaws.com`, Port: engine.Port },
  });
}

function dbCluster(c: AppContext, keyArn: string): DiscoveredResource {
  const id = `${c.name}-aurora`;
  return resource(c, 'AWS::RDS::DBCluster', id, {
    DBClusterIdentifier: id,
    DBClusterArn: arn(c, 'rds', `cluster:${id}`),
    Engine: 'aurora-postgresql',
    EngineVersion: '15.4',
    Port: 5432,
    StorageEncrypted: true,
    KmsKeyId: keyArn,
    DeletionProtection: true,
    BackupRetentionPeriod: 7,
    DBSubnetGroupName: `${c.name}-db`,
    VpcSecurityGroupIds: c.groups.slice(0, 1),
    EnableIAMDatabaseAuthentication: chance(c.rng, 0.5),
    Endpoint: { Address: `${id}.cluster-c${hex(c.rng, 12)}.${c.region}.rds.amazonaws.com`, Port: '5432' },
  });
}

function lambdaFunction(c: AppContext, suffix: string): DiscoveredResource {
  const name = `${c.name}-${suffix}`;
  return resource(c, 'AWS::Lambda::Function', name, {
    FunctionName: name,
    Arn: arn(c, 'lambda', `function:${name}`),
    Role: `arn:aws:iam::${c.account}:role/${name}-exec`,
    Runtime: pick(c.rng, ['nodejs20.x', 'python3.12']),
    Handler: 'index.handler',
    Timeout: pick(c.rng, [10, 30, 60]),
    MemorySize: pick(c.rng, [256, 512, 1024]),
    PackageType: 'Zip',
    Architectures: ['arm64'],
    Environment: { Variables: { LOG_LEVEL: 'info', TABLE_NAME: `${c.name}-items` } },
    ...(chance(c.rng, 0.5) ? { VpcConfig: { SubnetIds: c.subnets.slice(0, 2), SecurityGroupIds: c.groups } } : {}),
  });
}

function loadBalancer(c: AppContext): DiscoveredResource {
  const name = `${c.name}-alb`;
  const lbArn = arn(c, 'elasticloadbalancing', `loadbalancer/app/${name}/${hex(c.rng, 16)}`);
  const internal = chance(c.rng, 0.3);
  return resource(c, 'AWS::ElasticLoadBalancingV2::LoadBalancer', lbArn, {
    LoadBalancerArn: lbArn,
    Name: name,
    LoadBalancerName: name,
    Scheme: internal ? 'internal' : 'internet-facing',
    Type: 'application',
    IpAddressType: 'ipv4',
    SecurityGroups: c.groups.slice(0, 1),
    Subnets: c.subnets.slice(0, 2),
    DNSName: `${internal ? 'internal-' : ''}${name}-${int(c.rng, 100000000, 999999999)}.${c.region}.elb.amazonaws.com`,
  });
}

function targetGroup(c: AppContext): DiscoveredResource {
  const name = `${c.name}-tg`;
  const tgArn = arn(c, 'elasticloadbalancing', `targetgroup/${name}/${hex(c.rng, 16)}`);
  return resource(c, 'AWS::ElasticLoadBalancingV2::TargetGroup', tgArn, {
    TargetGroupArn: tgArn,
    TargetGroupName: name,
    Port: 8080,
    Protocol: 'HTTP',
    VpcId: c.vpcId,
    TargetType: 'instance',
    HealthCheckPath: '/health',
  });
}

/**
 * A load balancer's two listeners: HTTPS on 443 forwarding to its target group, and HTTP on 80
 * redirecting to HTTPS. CloudFormation's listener has no tags.
 */
function listeners(c: AppContext, lbArn: string, tgArn: string): DiscoveredResource[] {
  const listener = (port: number, attributes: Attrs): DiscoveredResource => {
    const id = `${lbArn.replace(':loadbalancer/', ':listener/')}/${hex(c.rng, 16)}`;
    return {
      provider: 'aws',
      account: c.account,
      region: c.region,
      type: 'AWS::ElasticLoadBalancingV2::Listener',
      id,
      name: id.slice(id.lastIndexOf('/') + 1),
      attributes: { ListenerArn: id, LoadBalancerArn: lbArn, Port: port, ...attributes },
      tags: {},
    };
  };
  return [
    listener(443, {
      Protocol: 'HTTPS',
      SslPolicy: pick(c.rng, ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-2016-08']),
      Certificates: [{ CertificateArn: arn(c, 'acm', `certificate/${uuid(c.rng)}`) }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    }),
    listener(80, {
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    }),
  ];
}

function table(c: AppContext, keyArn: string): DiscoveredResource {
  const name = `${c.name}-items`;
  const provisioned = chance(c.rng, 0.3);
  return resource(c, 'AWS::DynamoDB::Table', name, {
    TableName: name,
    Arn: arn(c, 'dynamodb', `table/${name}`),
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {}),
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    DeletionProtectionEnabled: chance(c.rng, 0.5),
  });
}

function queue(c: AppContext): DiscoveredResource {
  const name = `${c.name}-jobs`;
  const url = `https://sqs.${c.region}.amazonaws.com/${c.account}/${name}`;
  return resource(c, 'AWS::SQS::Queue', url, {
    QueueUrl: url,
    QueueName: name,
    Arn: arn(c, 'sqs', name),
    FifoQueue: false,
    VisibilityTimeout: pick(c.rng, [30, 120]),
    MessageRetentionPeriod: 345600,
    DelaySeconds: 0,
    SqsManagedSseEnabled: true,
  });
}

function topic(c: AppContext): DiscoveredResource {
  const name = `${c.name}-events`;
  const topicArn = arn(c, 'sns', name);
  return resource(c, 'AWS::SNS::Topic', topicArn, {
    TopicArn: topicArn,
    TopicName: name,
    DisplayName: `${c.name} events`,
    KmsMasterKeyId: 'alias/aws/sns',
    FifoTopic: false,
  });
}

function ecsCluster(c: AppContext): DiscoveredResource {
  const name = `${c.name}-ecs`;
  return resource(c, 'AWS::ECS::Cluster', name, {
    ClusterName: name,
    Arn: arn(c, 'ecs', `cluster/${name}`),
    ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
  });
}

function eksCluster(c: AppContext): DiscoveredResource {
  const name = `${c.name}-eks`;
  return resource(c, 'AWS::EKS::Cluster', name, {
    Name: name,
    Arn: arn(c, 'eks', `cluster/${name}`),
    Version: pick(c.rng, ['1.29', '1.30']),
    RoleArn: `arn:aws:iam::${c.account}:role/${name}-cluster`,
    ResourcesVpcConfig: {
      SubnetIds: c.subnets.slice(0, 2),
      SecurityGroupIds: c.groups.slice(0, 1),
      EndpointPublicAccess: false,
      EndpointPrivateAccess: true,
      PublicAccessCidrs: ['0.0.0.0/0'],
    },
    Endpoint: `https://${hex(c.rng, 32).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`,
  });
}

function logGroup(c: AppContext, fn: string): DiscoveredResource {
  const name = `/aws/lambda/${fn}`;
  return resource(c, 'AWS::Logs::LogGroup', name, {
    LogGroupName: name,
    Arn: arn(c, 'logs', `log-group:${name}:*`),
    RetentionInDays: pick(c.rng, [14, 30, 90]),
    LogGroupClass: 'STANDARD',
  });
}

function repository(c: AppContext): DiscoveredResource {
  const name = `${c.name}/api`;
  return resource(c, 'AWS::ECR::Repository', name, {
    RepositoryName: name,
    Arn: arn(c, 'ecr', `repository/${name}`),
    RepositoryUri: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${name}`,
    ImageTagMutability: pick(c.rng, ['MUTABLE', 'IMMUTABLE']),
    ImageScanningConfiguration: { ScanOnPush: true },
    EncryptionConfiguration: { EncryptionType: 'AES256' },
  });
}

function secret(c: AppContext, keyArn: string): DiscoveredResource {
  const name = `${c.name}/db-credentials`;
  const id = arn(c, 'secretsmanager', `secret:${name}-${hex(c.rng, 6)}`);
  return resource(c, 'AWS::SecretsManager::Secret', id, {
    Id: id,
    Name: name,
    Description: `${c.name} database credentials`,
    KmsKeyId: keyArn,
  });
}

/** One application: a key, a database, functions with their log groups, a load balancer, a queue, … */
function application(c: AppContext, withCluster: boolean): DiscoveredResource[] {
  const key = kmsKey(c);
  const keyArn = String(key.attributes.Arn);
  const functions = [lambdaFunction(c, 'api'), lambdaFunction(c, 'worker')];
  const lb = loadBalancer(c);
  const tg = targetGroup(c);
  return [
    key,
    dbInstance(c, keyArn),
    ...(withCluster ? [dbCluster(c, keyArn)] : []),
    ...functions,
    ...functions.map((f) => logGroup(c, f.id)),
    lb,
    tg,
    ...listeners(c, lb.id, tg.id),
    table(c, keyArn),
    queue(c),
    topic(c),
    ecsCluster(c),
    ...(withCluster ? [eksCluster(c)] : []),
    repository(c),
    secret(c, keyArn),
  ];
}

/** Applications per account and region: enough for every type and some drift to land on. */
const APPLICATIONS_PER_REGION = 2;

/** How many resources {@link generateCloudControlRegion} adds per account and region: 18 and 16. */
export const CLOUD_CONTROL_RESOURCES_PER_REGION = 34;

/** The region's Cloud Control resources, using the subnets and security groups of its EC2 `network`. */
export function generateCloudControlRegion(
  rng: Rng,
  account: string,
  region: string,
  network: readonly DiscoveredResource[],
): DiscoveredResource[] {
  const vpcs = network.filter((r) => r.type === 'AWS::EC2::VPC' && !r.attributes.IsDefault);
  const first = int(rng, 0, APPS.length - 1);
  const apps = Array.from({ length: APPLICATIONS_PER_REGION }, (_, i) => APPS[(first + i) % APPS.length]!);
  return apps.flatMap((app, i) => {
    const vpcId = vpcs.length ? pick(rng, vpcs).id : `vpc-${hex(rng, 17)}`;
    const inVpc = (type: string) => network.filter((r) => r.type === type && r.attributes.VpcId === vpcId);
    const env = pick(rng, ENVIRONMENTS);
    const c: AppContext = {
      rng,
      account,
      region,
      // Names are unique per account and region; the suffix keeps them unique across regions too.
      name: `${env}-${app}-${hex(rng, 4)}`,
      tags: [
        { Key: 'Environment', Value: env },
        { Key: 'Application', Value: app },
        { Key: 'Team', Value: pick(rng, TEAMS) },
        { Key: 'ManagedBy', Value: 'terraform' },
      ],
      vpcId,
      subnets: inVpc('AWS::EC2::Subnet').map((r) => r.id),
      groups: inVpc('AWS::EC2::SecurityGroup')
        .filter((r) => r.attributes.GroupName !== 'default')
        .map((r) => r.id),
    };
    // The first application of a region runs on clusters (Aurora, EKS); the others do without.
    return application(c, i === 0);
  });
}

/** Zone ids are 13 to 21 upper-case letters and digits after a `Z`. */
const zoneId = (rng: Rng) => `Z${hex(rng, 12).toUpperCase()}${int(rng, 100, 999)}`;

/**
 * An account's hosted zones (Route 53 is global): a public zone for its domain and a private one
 * for internal names, each as GetResource returns it, the name with Route 53's trailing dot.
 */
export function generateHostedZones(rng: Rng, account: string): DiscoveredResource[] {
  const domain = `${pick(rng, APPS)}-${hex(rng, 4)}.example.com`;
  const zone = (name: string, comment: string): DiscoveredResource => {
    const id = zoneId(rng);
    const tags = { ManagedBy: 'terraform', Team: pick(rng, TEAMS) };
    return {
      provider: 'aws',
      account,
      region: 'global',
      type: 'AWS::Route53::HostedZone',
      id,
      name: id,
      attributes: {
        Id: id,
        Name: `${name}.`,
        HostedZoneConfig: { Comment: comment },
        NameServers: [1, 2, 3, 4].map((n) => `ns-${int(rng, 1, 2047)}.awsdns-${n}${n}.net`),
        HostedZoneTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
      tags,
    };
  };
  return [zone(domain, 'Managed by Terraform'), zone(`internal.${domain}`, 'internal names')];
}
