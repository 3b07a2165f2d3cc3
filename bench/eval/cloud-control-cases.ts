import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';

/**
 * Hand-written cases for the attribute-level Cloud Control types, written from the Terraform AWS
 * provider's state and CloudFormation's property documents (not from DriftMgr's mappings): the
 * riskiest changes made by hand (a database made public, key rotation off, a function's role
 * swapped, a cluster endpoint opened), next to resources in sync whose state and API spell the
 * same settings differently.
 */

const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

type Attrs = Record<string, unknown>;

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function listed(type: string, id: string, properties: Attrs, tags: Record<string, string> = {}): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: REGION,
    type,
    id,
    name: id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1),
    attributes: { ...properties, Tags: tagList(tags) },
    tags,
  };
}

const resource = (type: string, name: string, attributes: Attrs) => stateResource(PROVIDER, type, name, attributes, 1);

function state(resources: unknown[], file: string) {
  const doc = { version: 4, terraform_version: '1.9.8', serial: 12, lineage: 'cc-0001', outputs: {}, resources };
  return parseTerraformState(JSON.stringify(doc), file);
}

const KEY_ID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const KEY_ARN = arn('kms', `key/${KEY_ID}`);
const ownerStatement = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const anyoneStatement = { Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };

/** A database made public, key rotation turned off and a function's role swapped: each a changed attribute. */
function riskiestChanges(): EvalCase {
  const inventory = [
    listed('AWS::RDS::DBInstance', 'orders-db', {
      DBInstanceIdentifier: 'orders-db',
      DBInstanceArn: arn('rds', 'db:orders-db'),
      DBInstanceClass: 'db.m5.large',
      Engine: 'postgres',
      EngineVersion: '15.4',
      AllocatedStorage: '100',
      StorageType: 'gp3',
      StorageEncrypted: true,
      KmsKeyId: KEY_ARN,
      PubliclyAccessible: true,
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
      DBSubnetGroupName: 'orders-db',
      VPCSecurityGroups: ['sg-0a1b2c3d'],
      EnableIAMDatabaseAuthentication: false,
      Endpoint: { Address: 'orders-db.c1.eu-west-1.rds.amazonaws.com', Port: '5432' },
    }),
    listed('AWS::KMS::Key', KEY_ID, {
      KeyId: KEY_ID,
      Arn: KEY_ARN,
      Description: 'orders data',
      Enabled: true,
      EnableKeyRotation: false,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      MultiRegion: false,
      KeyPolicy: { Version: '2012-10-17', Statement: [ownerStatement] },
    }),
    listed('AWS::Lambda::Function', 'orders-api', {
      FunctionName: 'orders-api',
      Arn: arn('lambda', 'function:orders-api'),
      Role: `arn:aws:iam::${ACCOUNT}:role/admin-break-glass`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 512,
      PackageType: 'Zip',
      // What the agent keeps of the environment: names, never values.
      Environment: { Variables: { TABLE_NAME: '', LOG_LEVEL: '' } },
    }),
  ];
  const states = [
    state(
      [
        resource('aws_db_instance', 'orders', {
          id: 'db-ABCDEFGHIJKLMNOP',
          identifier: 'orders-db',
          arn: arn('rds', 'db:orders-db'),
          instance_class: 'db.m5.large',
          engine: 'postgres',
          engine_version: '15.4',
          allocated_storage: 100,
          storage_type: 'gp3',
          storage_encrypted: true,
          kms_key_id: KEY_ARN,
          publicly_accessible: false,
          multi_az: true,
          deletion_protection: true,
          backup_retention_period: 7,
          db_subnet_group_name: 'orders-db',
          vpc_security_group_ids: ['sg-0a1b2c3d'],
          iam_database_authentication_enabled: false,
          address: 'orders-db.c1.eu-west-1.rds.amazonaws.com',
          password: null,
          tags: {},
          tags_all: {},
        }),
        resource('aws_kms_key', 'orders', {
          id: KEY_ID,
          key_id: KEY_ID,
          arn: KEY_ARN,
          description: 'orders data',
          is_enabled: true,
          enable_key_rotation: true,
          key_usage: 'ENCRYPT_DECRYPT',
          customer_master_key_spec: 'SYMMETRIC_DEFAULT',
          multi_region: false,
          // Terraform stores the policy as a JSON string, its single values unwrapped the same way.
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [ownerStatement] }),
          tags: null,
          tags_all: {},
        }),
        resource('aws_lambda_function', 'orders_api', {
          id: 'orders-api',
          function_name: 'orders-api',
          arn: arn('lambda', 'function:orders-api'),
          role: `arn:aws:iam::${ACCOUNT}:role/orders-api-exec`,
          runtime: 'nodejs20.x',
          handler: 'index.handler',
          timeout: 30,
          memory_size: 512,
          package_type: 'Zip',
          environment: [{ variables: { LOG_LEVEL: 'info', TABLE_NAME: 'orders' } }],
          tags: {},
          tags_all: {},
        }),
      ],
      'orders.tfstate',
    ),
  ];
  return {
    name: 'cloud control: database made public, key rotation off, function role swapped',
    states,
    inventory,
    expected: {
      drift: [
        { kind: 'changed', address: 'aws_db_instance.orders', id: 'orders-db', paths: ['publicly_accessible'] },
        { kind: 'changed', address: 'aws_kms_key.orders', id: KEY_ID, paths: ['enable_key_rotation'] },
        { kind: 'changed', address: 'aws_lambda_function.orders_api', id: 'orders-api', paths: ['role'] },
      ],
      noise: [],
    },
  };
}

/**
 * A key policy opened to anyone and a cluster endpoint made public are changes; a queue left on
 * its defaults in state, a secret whose only difference is a provider tag, a load balancer's
 * scheme against Terraform's `internal`, and a deleted topic and a table made by hand.
 */
function exposureAndNoise(): EvalCase {
  const queueUrl = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`;
  const secretArn = arn('secretsmanager', 'secret:orders/db-AbCdEf');
  const lbArn = arn('elasticloadbalancing', 'loadbalancer/app/orders/50dc6c495c0c9188');
  const topicArn = arn('sns', 'orders-events');
  const inventory = [
    listed('AWS::KMS::Key', KEY_ID, {
      KeyId: KEY_ID,
      Arn: KEY_ARN,
      Enabled: true,
      EnableKeyRotation: true,
      KeyPolicy: { Version: '2012-10-17', Statement: [ownerStatement, anyoneStatement] },
    }),
    listed('AWS::EKS::Cluster', 'orders', {
      Name: 'orders',
      Arn: arn('eks', 'cluster/orders'),
      Version: '1.30',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-eks`,
      ResourcesVpcConfig: {
        SubnetIds: ['subnet-1', 'subnet-2'],
        EndpointPublicAccess: true,
        EndpointPrivateAccess: true,
        PublicAccessCidrs: ['0.0.0.0/0'],
      },
      Endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    }),
    listed('AWS::SQS::Queue', queueUrl, {
      QueueUrl: queueUrl,
      QueueName: 'jobs',
      Arn: arn('sqs', 'jobs'),
      FifoQueue: false,
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      DelaySeconds: 0,
      SqsManagedSseEnabled: true,
    }),
    listed(
      'AWS::SecretsManager::Secret',
      secretArn,
      { Id: secretArn, Name: 'orders/db', Description: 'orders database', KmsKeyId: KEY_ARN },
      { team: 'orders', 'aws:cloudformation:stack-name': 'legacy' },
    ),
    listed('AWS::ElasticLoadBalancingV2::LoadBalancer', lbArn, {
      LoadBalancerArn: lbArn,
      Name: 'orders',
      Scheme: 'internal',
      Type: 'application',
      IpAddressType: 'ipv4',
      SecurityGroups: ['sg-2', 'sg-1'],
      Subnets: ['subnet-1', 'subnet-2'],
      DNSName: 'internal-orders-1.eu-west-1.elb.amazonaws.com',
    }),
    listed('AWS::DynamoDB::Table', 'hand-made', {
      TableName: 'hand-made',
      Arn: arn('dynamodb', 'table/hand-made'),
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  ];
  const states = [
    state(
      [
        resource('aws_kms_key', 'orders', {
          id: KEY_ID,
          arn: KEY_ARN,
          is_enabled: true,
          enable_key_rotation: true,
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [ownerStatement] }),
          tags_all: {},
        }),
        resource('aws_eks_cluster', 'orders', {
          id: 'orders',
          name: 'orders',
          arn: arn('eks', 'cluster/orders'),
          version: '1.30',
          role_arn: `arn:aws:iam::${ACCOUNT}:role/orders-eks`,
          vpc_config: [
            {
              subnet_ids: ['subnet-2', 'subnet-1'],
              endpoint_public_access: false,
              endpoint_private_access: true,
              public_access_cidrs: ['0.0.0.0/0'],
            },
          ],
          endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          tags_all: {},
        }),
        resource('aws_sqs_queue', 'jobs', {
          id: queueUrl,
          url: queueUrl,
          arn: arn('sqs', 'jobs'),
          name: 'jobs',
          fifo_queue: false,
          visibility_timeout_seconds: 30,
          message_retention_seconds: 345600,
          delay_seconds: null,
          sqs_managed_sse_enabled: true,
          tags_all: {},
        }),
        resource('aws_secretsmanager_secret', 'orders_db', {
          id: secretArn,
          arn: secretArn,
          name: 'orders/db',
          description: 'orders database',
          kms_key_id: KEY_ARN,
          tags: { team: 'orders' },
          tags_all: { team: 'orders' },
        }),
        resource('aws_lb', 'orders', {
          id: lbArn,
          arn: lbArn,
          name: 'orders',
          internal: true,
          load_balancer_type: 'application',
          ip_address_type: 'ipv4',
          security_groups: ['sg-1', 'sg-2'],
          subnets: ['subnet-2', 'subnet-1'],
          dns_name: 'internal-orders-1.eu-west-1.elb.amazonaws.com',
          tags_all: {},
        }),
        resource('aws_sns_topic', 'events', {
          id: topicArn,
          arn: topicArn,
          name: 'orders-events',
          tags_all: {},
        }),
      ],
      'platform.tfstate',
    ),
  ];
  return {
    name: 'cloud control: key policy opened, cluster endpoint public, defaults and formats',
    states,
    inventory,
    expected: {
      drift: [
        { kind: 'changed', address: 'aws_kms_key.orders', id: KEY_ID, paths: ['policy'] },
        {
          kind: 'changed',
          address: 'aws_eks_cluster.orders',
          id: 'orders',
          paths: ['vpc_config.0.endpoint_public_access'],
        },
        { kind: 'missing', address: 'aws_sns_topic.events', id: topicArn },
        { kind: 'unmanaged', id: 'hand-made' },
      ],
      noise: [
        { address: 'aws_sqs_queue.jobs', path: 'delay_seconds', rule: 'cloud-default' },
        { address: 'aws_secretsmanager_secret.orders_db', path: 'tags', rule: 'aws-provider-tags' },
        { address: 'aws_eks_cluster.orders', path: 'vpc_config.0.subnet_ids', rule: 'order-insensitive' },
        { address: 'aws_lb.orders', path: 'security_groups', rule: 'order-insensitive' },
        { address: 'aws_lb.orders', path: 'subnets', rule: 'order-insensitive' },
      ],
    },
  };
}

/**
 * ELBv2 listeners: an HTTPS listener switched to plain HTTP (its certificate and policy gone
 * with it), an HTTP listener forwarding where it redirected to HTTPS, one in sync whose state
 * carries tags CloudFormation's listener has no place for, and an HTTP listener made by hand.
 */
function listeners(): EvalCase {
  const lb = 'loadbalancer/app/shop/50dc6c495c0c9188';
  const listenerArn = (n: string) => arn('elasticloadbalancing', `${lb.replace('loadbalancer', 'listener')}/${n}`);
  const lbArn = arn('elasticloadbalancing', lb);
  const tgArn = arn('elasticloadbalancing', 'targetgroup/shop/73e2d6bc24d8a067');
  const cert = arn('acm', 'certificate/0c4f2a8e-7d1b-4f5e-9a3c-2b8d6e1f0a47');
  const public443 = listenerArn('fa17c2e9d41b3a6');
  const public80 = listenerArn('fb27c2e9d41b3a6');
  const admin443 = listenerArn('fc37c2e9d41b3a6');
  const handMade = listenerArn('fd47c2e9d41b3a6');
  const cfn = (id: string, port: number, protocol: string, props: Attrs): DiscoveredResource => ({
    ...listed('AWS::ElasticLoadBalancingV2::Listener', id, {}),
    attributes: { ListenerArn: id, LoadBalancerArn: lbArn, Port: port, Protocol: protocol, ...props },
  });
  const forward = [
    { Type: 'forward', TargetGroupArn: tgArn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }] } },
  ];
  const inventory = [
    cfn(public443, 443, 'HTTP', { DefaultActions: forward }),
    cfn(public80, 80, 'HTTP', { DefaultActions: forward }),
    cfn(admin443, 8443, 'HTTPS', {
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: cert }],
      DefaultActions: forward,
    }),
    cfn(handMade, 8080, 'HTTP', { DefaultActions: forward }),
  ];
  // As the provider stores them: every block present, unset strings empty.
  const tfForward = [
    { type: 'forward', target_group_arn: tgArn, order: 1, redirect: [], fixed_response: [], forward: [] },
  ];
  const tfListener = (id: string, port: number, protocol: string, attrs: Attrs) => ({
    id,
    arn: id,
    load_balancer_arn: lbArn,
    port,
    protocol,
    ssl_policy: '',
    certificate_arn: null,
    alpn_policy: null,
    default_action: tfForward,
    tags: null,
    tags_all: {},
    ...attrs,
  });
  const https = { ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: cert };
  const states = [
    state(
      [
        resource('aws_lb_listener', 'public_https', tfListener(public443, 443, 'HTTPS', https)),
        resource(
          'aws_lb_listener',
          'public_http',
          tfListener(public80, 80, 'HTTP', {
            default_action: [
              {
                type: 'redirect',
                target_group_arn: '',
                order: 1,
                redirect: [
                  {
                    protocol: 'HTTPS',
                    port: '443',
                    status_code: 'HTTP_301',
                    host: '#{host}',
                    path: '/#{path}',
                    query: '#{query}',
                  },
                ],
                fixed_response: [],
                forward: [],
              },
            ],
          }),
        ),
        resource(
          'aws_alb_listener',
          'admin',
          tfListener(admin443, 8443, 'HTTPS', { ...https, tags: { team: 'shop' }, tags_all: { team: 'shop' } }),
        ),
      ],
      'shop.tfstate',
    ),
  ];
  return {
    name: 'cloud control: listener downgraded to HTTP, HTTPS redirect replaced, tags CloudFormation lacks',
    states,
    inventory,
    expected: {
      drift: [
        {
          kind: 'changed',
          address: 'aws_lb_listener.public_https',
          id: public443,
          paths: ['protocol', 'ssl_policy', 'certificate_arn'],
        },
        {
          kind: 'changed',
          address: 'aws_lb_listener.public_http',
          id: public80,
          paths: [
            'default_action.0.type',
            'default_action.0.target_group_arn',
            'default_action.0.redirect.0.protocol',
            'default_action.0.redirect.0.port',
            'default_action.0.redirect.0.status_code',
          ],
        },
        { kind: 'unmanaged', id: handMade },
      ],
      noise: [],
    },
  };
}

/**
 * Route 53 hosted zones (global; their ARN names no account, the caller identity does): a
 * comment changed by hand, a zone whose name Route 53 spells with a capital and a trailing dot,
 * a deleted zone and a zone made by hand.
 */
function hostedZones(): EvalCase {
  const zone = (id: string, name: string, comment: string, tags: Record<string, string> = {}) => ({
    ...listed('AWS::Route53::HostedZone', id, {}, tags),
    region: 'global',
    // Route 53's tags are HostedZoneTags, not Tags.
    attributes: {
      Id: id,
      Name: name,
      HostedZoneConfig: { Comment: comment },
      NameServers: ['ns-1.awsdns-01.net', 'ns-2.awsdns-02.org'],
      HostedZoneTags: tagList(tags),
    },
  });
  const inventory = [
    zone('Z0123456789ABCDEFGHIJ', 'Shop.Example.com.', 'Managed by Terraform', { team: 'shop' }),
    zone('Z0987654321ABCDEFGHIJ', 'internal.example.com.', 'edited in the console'),
    zone('Z05555555555HANDMADE1', 'test.example.com.', ''),
  ];
  const tfZone = (id: string, name: string, comment: string, tags: Record<string, string> | null) => ({
    id,
    zone_id: id,
    arn: `arn:aws:route53:::hostedzone/${id}`,
    name,
    comment,
    force_destroy: false,
    name_servers: ['ns-1.awsdns-01.net', 'ns-2.awsdns-02.org'],
    vpc: [],
    tags,
    tags_all: tags ?? {},
  });
  // What places the zones in their account: their ARNs name none.
  const identity = { id: ACCOUNT, account_id: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci`, user_id: 'AIDA0' };
  const callerIdentity = { ...resource('aws_caller_identity', 'current', identity), mode: 'data' };
  const states = [
    state(
      [
        callerIdentity,
        resource(
          'aws_route53_zone',
          'shop',
          tfZone('Z0123456789ABCDEFGHIJ', 'shop.example.com', 'Managed by Terraform', { team: 'shop' }),
        ),
        resource(
          'aws_route53_zone',
          'internal',
          tfZone('Z0987654321ABCDEFGHIJ', 'internal.example.com', 'Managed by Terraform', null),
        ),
        resource(
          'aws_route53_zone',
          'old',
          tfZone('Z0111111111ABCDEFGHIJ', 'old.example.com', 'Managed by Terraform', null),
        ),
      ],
      'dns.tfstate',
    ),
  ];
  return {
    name: 'cloud control: Route 53 zones, a comment changed, names spelled as Route 53 does',
    states,
    inventory,
    expected: {
      drift: [
        { kind: 'changed', address: 'aws_route53_zone.internal', id: 'Z0987654321ABCDEFGHIJ', paths: ['comment'] },
        { kind: 'missing', address: 'aws_route53_zone.old', id: 'Z0111111111ABCDEFGHIJ' },
        { kind: 'unmanaged', id: 'Z05555555555HANDMADE1' },
      ],
      noise: [],
    },
  };
}

export function cloudControlCases(): EvalCase[] {
  return [riskiestChanges(), exposureAndNoise(), listeners(), hostedZones()];
}
