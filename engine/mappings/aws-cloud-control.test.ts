import { describe, expect, it } from 'vitest';
import { AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES } from '../../contract/aws-cloud-control.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypeInfo } from '../../contract/resource-types.js';
import { generateAwsEstate } from '../../emulator/aws/estate.js';
import { createRng } from '../../emulator/rng.js';
import { buildTerraformState } from '../../emulator/terraform-state.js';
import { analyze } from '../analyze.js';
import { parseTerraformState } from '../state/parse.js';
import { AWS_CLOUD_CONTROL_MAPPINGS } from './aws-cloud-control.js';
import { convert } from './converters.js';
import { MAPPINGS, mappingForResource, mappingForTfType } from './index.js';

const ccTypes = new Set(AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES);

describe('Cloud Control attribute mappings', () => {
  it('map every Cloud Control attribute-level type, and only those, at the attribute level', () => {
    expect(new Set(AWS_CLOUD_CONTROL_MAPPINGS.map((m) => m.cloudType))).toEqual(ccTypes);
    for (const type of ccTypes) expect(resourceTypeInfo('aws', type)).toMatchObject({ level: 'attributes' });
  });

  it('leave none of their Terraform or cloud types to the existence level', () => {
    const existence = MAPPINGS.filter((m) => m.level === 'existence');
    expect(existence.filter((m) => ccTypes.has(m.cloudType))).toEqual([]);
    for (const tfType of ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_alb', 'aws_sqs_queue', 'aws_kms_key'])
      expect(mappingForTfType(tfType)?.level, tfType).toBe('attributes');
  });

  it('never map the attribute holding the id: a change there is another resource', () => {
    for (const m of AWS_CLOUD_CONTROL_MAPPINGS)
      expect(
        m.attributes.map((a) => a.tf),
        m.tfType,
      ).not.toContain(m.id.tf);
  });

  it('codify a DocumentDB instance as one and a Postgres instance as aws_db_instance', () => {
    const instance = (Engine: string): DiscoveredResource => ({
      provider: 'aws',
      account: '111122223333',
      region: 'us-east-1',
      type: 'AWS::RDS::DBInstance',
      id: 'db-1',
      attributes: { DBInstanceIdentifier: 'db-1', Engine },
      tags: {},
    });
    expect(mappingForResource(instance('docdb'))?.tfType).toBe('aws_docdb_cluster_instance');
    expect(mappingForResource(instance('postgres'))?.tfType).toBe('aws_db_instance');
  });

  it('convert CloudFormation shapes to Terraform ones', () => {
    expect(convert('map-keys', { B: 'secret', A: '' }, {})).toEqual(['A', 'B']);
    expect(convert('lb-internal', 'internal', {})).toBe(true);
    expect(convert('lb-internal', 'internet-facing', {})).toBe(false);
    const keySchema = [
      { AttributeName: 'sk', KeyType: 'RANGE' },
      { AttributeName: 'pk', KeyType: 'HASH' },
    ];
    expect(convert('dynamodb-hash-key', keySchema, {})).toBe('pk');
    expect(convert('dynamodb-range-key', keySchema, {})).toBe('sk');
    expect(convert('dynamodb-range-key', keySchema.slice(1), {})).toBeUndefined();
  });

  it('judge a listener downgraded to HTTP or forwarding where it redirected to HTTPS as risky', () => {
    const lbArn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188';
    const id = (n: string) => `${lbArn.replace(':loadbalancer/', ':listener/')}/${n}`;
    const forward = [{ Type: 'forward', TargetGroupArn: `${lbArn}-tg` }];
    const cloud = (n: string, Port: number): DiscoveredResource => ({
      provider: 'aws',
      account: '111122223333',
      region: 'eu-west-1',
      type: 'AWS::ElasticLoadBalancingV2::Listener',
      id: id(n),
      attributes: { ListenerArn: id(n), LoadBalancerArn: lbArn, Port, Protocol: 'HTTP', DefaultActions: forward },
      tags: {},
    });
    const tf = (n: string, port: number, attrs: Record<string, unknown>) => ({
      mode: 'managed',
      type: 'aws_lb_listener',
      name: n,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: { id: id(n), arn: id(n), port, ...attrs } }],
    });
    const doc = {
      version: 4,
      serial: 1,
      lineage: 'l',
      resources: [
        tf('https', 443, {
          protocol: 'HTTPS',
          ssl_policy: 'ELBSecurityPolicy-2016-08',
          certificate_arn: 'arn:aws:acm:eu-west-1:111122223333:certificate/c',
          default_action: [{ type: 'forward', target_group_arn: `${lbArn}-tg` }],
        }),
        tf('http', 80, {
          protocol: 'HTTP',
          default_action: [
            { type: 'redirect', redirect: [{ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }] },
          ],
        }),
      ],
    };
    const report = analyze({
      states: [parseTerraformState(JSON.stringify(doc), 'shop.tfstate')],
      inventory: [cloud('https', 443), cloud('http', 80)],
    });
    const rules = (address: string) => report.items.find((i) => i.address === address)?.rules.map((r) => r.id);
    expect(rules('aws_lb_listener.https')).toContain('listener-https-dropped');
    expect(rules('aws_lb_listener.http')).toEqual(['listener-https-dropped']);
    expect(report.items.find((i) => i.address === 'aws_lb_listener.http')?.severity).toBe('high');
  });

  it('find no drift between the sample estate and the state written from it', () => {
    const estate = generateAwsEstate({
      rng: createRng(3),
      count: 200,
      accounts: ['111122223333'],
      regions: ['us-east-1', 'eu-west-1'],
    }).filter((r) => ccTypes.has(r.type));
    const { state } = buildTerraformState(estate, { seed: 3, driftRate: 0, noiseRate: 0 });
    const report = analyze({ states: [parseTerraformState(JSON.stringify(state), 'cc.tfstate')], inventory: estate });
    expect(estate.length).toBeGreaterThan(50);
    expect(report.items).toEqual([]);
    expect(report.summary.managed).toBe(estate.length);
  });
});
