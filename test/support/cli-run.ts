import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DiscoveredResource } from '../../contract/resource.js';

const BIN = fileURLToPath(new URL('../../bin/driftmgr.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `driftmgr` bin with only the environment given (plus PATH and HOME). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export const ACCOUNT = '777777777777';
export const REGION = 'us-east-1';

/** An EC2 instance as the agent reports it (the SDK's DescribeInstances object). */
export function discoveredInstance(id: string, instanceType: string, account = ACCOUNT): DiscoveredResource {
  return {
    provider: 'aws',
    account,
    region: REGION,
    type: 'AWS::EC2::Instance',
    id,
    name: id,
    attributes: {
      InstanceId: id,
      InstanceType: instanceType,
      ImageId: 'ami-0abc',
      SubnetId: 'subnet-1',
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
      SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }],
      State: { Code: 16, Name: 'running' },
      Tags: [{ Key: 'Name', Value: id }],
    },
    tags: { Name: id },
  };
}

/** A Terraform v4 state managing one aws_instance per entry. */
export function terraformState(
  instances: { name: string; id: string; type: string }[],
  serial = 1,
  account = ACCOUNT,
): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.9.5',
    serial,
    lineage: 'c11c11c1-0000-4000-8000-000000000001',
    outputs: {},
    resources: instances.map((i) => ({
      mode: 'managed',
      type: 'aws_instance',
      name: i.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 1,
          attributes: {
            id: i.id,
            arn: `arn:aws:ec2:${REGION}:${account}:instance/${i.id}`,
            instance_type: i.type,
            ami: 'ami-0abc',
            subnet_id: 'subnet-1',
            availability_zone: 'us-east-1a',
            vpc_security_group_ids: ['sg-1'],
            tags: { Name: i.id },
            tags_all: { Name: i.id },
          },
          sensitive_attributes: [],
        },
      ],
    })),
  });
}
