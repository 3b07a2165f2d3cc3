import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../contract/json-chunks.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import { analyze, isDigestedValue, sensitiveKeyFrom } from '../engine/index.js';
import largeLocalFile from '../engine/state/fixtures/tf-1.x-large-local-file.tfstate?raw';
import { storeFor } from '../storage/index.js';
import { api, HASH_KEY, TOKEN } from '../test/support/worker/api.js';

const LINEAGE = 'aa11aa11-0000-4000-8000-000000000001';

const state = (serial: number, lineage = LINEAGE, resources: unknown[] = [volume('vol-1')]) =>
  JSON.stringify({ version: 4, terraform_version: '1.9.5', serial, lineage, outputs: {}, resources });

function volume(id: string) {
  return {
    mode: 'managed',
    type: 'aws_ebs_volume',
    name: id.replace('-', '_'),
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 0, attributes: { id, size: 8 } }],
  };
}

async function uploadFiles(files: { name: string; body: string | Uint8Array }[], query = '') {
  const form = new FormData();
  for (const f of files) form.append('file', new File([f.body], f.name));
  const res = await exports.default.fetch(
    new Request(`http://gateway.test/api/v1/import${query}`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${TOKEN}` },
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

const activeNames = async (workspace: string) =>
  ((await api('GET', '/api/v1/states')).body.states as any[])
    .filter((s) => s.workspace === workspace)
    .map((s) => `${s.name}@${s.serial}`)
    .sort();

describe('the name given is the name kept', () => {
  it('names a multipart upload by ?name=, so two terraform.tfstate files live side by side', async () => {
    const a = await uploadFiles(
      [{ name: 'terraform.tfstate', body: state(1, 'aa000000-0000-4000-8000-00000000000a') }],
      '?workspace=names&name=state-a',
    );
    const b = await uploadFiles(
      [{ name: 'terraform.tfstate', body: state(1, 'bb000000-0000-4000-8000-00000000000b') }],
      '?workspace=names&name=state-b',
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.states[0].name).toBe('state-a');
    expect(await activeNames('names')).toEqual(['state-a@1', 'state-b@1']);
  });

  it('refuses ?name= with several files instead of guessing which one it names', async () => {
    const res = await uploadFiles(
      [
        { name: 'a.tfstate', body: state(1) },
        { name: 'b.tfstate', body: state(1) },
      ],
      '?workspace=names&name=x',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('name:');
  });
});

describe('replacing a state of the same name', () => {
  const other = 'cc000000-0000-4000-8000-00000000000c';

  it('replaces it with a newer serial of the same lineage, and refuses an older one', async () => {
    expect((await uploadFiles([{ name: 's.tfstate', body: state(5) }], '?workspace=lineage')).status).toBe(201);
    expect((await uploadFiles([{ name: 's.tfstate', body: state(6) }], '?workspace=lineage')).status).toBe(201);
    const older = await uploadFiles([{ name: 's.tfstate', body: state(4) }], '?workspace=lineage');
    expect(older.status).toBe(409);
    expect(older.body.error).toMatchObject({
      code: 'state_conflict',
      message: expect.stringContaining('serial 4 is older'),
    });
    expect(await activeNames('lineage')).toEqual(['s.tfstate@6']);
  });

  it('answers 409 naming both lineages for another lineage, unless replace=true', async () => {
    const clash = await uploadFiles([{ name: 's.tfstate', body: state(1, other) }], '?workspace=lineage');
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toContain(LINEAGE);
    expect(clash.body.error.message).toContain(other);
    expect(await activeNames('lineage')).toEqual(['s.tfstate@6']);
    const forced = await uploadFiles([{ name: 's.tfstate', body: state(1, other) }], '?workspace=lineage&replace=true');
    expect(forced.status).toBe(201);
    expect(await activeNames('lineage')).toEqual(['s.tfstate@1']);
  });
});

describe('nothing dropped silently', () => {
  it('lists the instances not kept and warns about legacy attributes_flat', async () => {
    const resources = [
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'app',
        each: 'list',
        provider: 'p',
        instances: [{ index_key: 0, attributes_flat: { id: 'i-1', instance_type: 't3.micro' } }, { index_key: 1 }],
      },
      {
        mode: 'data',
        type: 'aws_ami',
        name: 'a',
        provider: 'p',
        each: 'list',
        instances: [
          { index_key: 0, attributes: { id: '1' } },
          { index_key: 1, attributes: { id: '2' } },
        ],
      },
    ];
    const res = await uploadFiles([{ name: 'flat.tfstate', body: state(1, LINEAGE, resources) }], '?workspace=report');
    expect(res.status).toBe(201);
    expect(res.body.states[0]).toMatchObject({
      instances: 1,
      data_sources_skipped: 2,
      not_kept: [{ address: 'aws_instance.app[1]', reason: expect.stringContaining('attributes_flat') }],
      warnings: [expect.stringContaining('attributes_flat')],
    });
  });

  it('imports a state with outputs only as an empty state', async () => {
    const res = await api('POST', '/api/v1/import?workspace=report&name=outputs', {
      version: 4,
      serial: 1,
      lineage: LINEAGE,
      outputs: { a: { value: 1, type: 'number' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.states[0]).toMatchObject({ instances: 0, not_kept: [], warnings: [] });
  });
});

describe('file encodings', () => {
  it('accepts a UTF-8 byte-order mark in a multipart upload', async () => {
    const res = await uploadFiles([{ name: 'bom.tfstate', body: `\uFEFF${state(1)}` }], '?workspace=encodings');
    expect(res.status).toBe(201);
  });

  it('refuses UTF-16 and empty files with the cause named, importing nothing', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...state(1)].flatMap((c) => [c.charCodeAt(0), 0])]);
    const wide = await uploadFiles([{ name: 'wide.tfstate', body: utf16 }], '?workspace=encodings2');
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toBe('wide.tfstate: the file is UTF-16 text; save it as UTF-8 and import it again');
    const empty = await uploadFiles(
      [
        { name: 'empty.tfstate', body: '' },
        { name: 'ok.tfstate', body: state(1) },
      ],
      '?workspace=encodings2',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('empty.tfstate: the file is empty');
    expect(await activeNames('encodings2')).toEqual([]);
  });

  it('explains how to upgrade a version 2 state', async () => {
    const res = await api('POST', '/api/v1/import?workspace=encodings2', { version: 2, modules: [] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('terraform state pull');
  });
});

describe('states with attributes larger than a stored row', () => {
  const instancesOf = async (workspace: string) =>
    (await storeFor(env).loadActiveStates({ tenant: DEFAULT_TENANT }))
      .filter((s) => s.source.startsWith(`${workspace}/`))
      .flatMap((s) => s.instances);

  it('imports a 142 KB local_file, keeping the instance and only what analysis reads', async () => {
    const res = await uploadFiles([{ name: 'files.tfstate', body: largeLocalFile }], '?workspace=large');
    expect(res.status).toBe(201);
    expect(res.body.states[0]).toMatchObject({ instances: 2, not_kept: [], warnings: [], values_stored_as_digests: 0 });
    expect(res.body.states[0].attributes_not_stored).toBeGreaterThan(15);
    expect(jsonBytes(res.body)).toBeLessThan(1_000);
    const file = (await instancesOf('large')).find((i) => i.tfType === 'local_file')!;
    expect(file.address).toBe('local_file.inventory');
    expect(Object.keys(file.attributes)).toEqual(['id']);
  });

  it('stores a rule list too large for a row as digests, and analysis finds drift on it only when there is some', async () => {
    const rules = Array.from({ length: 500 }, (_, i) => ({
      cidr_blocks: [`10.${Math.floor(i / 200)}.${i % 200}.0/24`],
      description: `office network ${i}`,
      from_port: 1000 + i,
      protocol: 'tcp',
      self: false,
      to_port: 1000 + i,
    }));
    const group = {
      mode: 'managed',
      type: 'aws_security_group',
      name: 'big',
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        { schema_version: 1, attributes: { id: 'sg-big', name: 'big', vpc_id: 'vpc-1', ingress: rules, egress: [] } },
      ],
    };
    const res = await uploadFiles([{ name: 'sg.tfstate', body: state(1, LINEAGE, [group]) }], '?workspace=large-sg');
    expect(res.status).toBe(201);
    expect(res.body.states[0].values_stored_as_digests).toBe(1);
    const stored = (await instancesOf('large-sg'))[0]!;
    expect(isDigestedValue(stored.attributes.ingress)).toBe(true);
    const cloud = (ports: (i: number) => number) => ({
      provider: 'aws' as const,
      account: '111122223333',
      region: 'us-east-1',
      type: 'AWS::EC2::SecurityGroup',
      id: 'sg-big',
      attributes: {
        GroupId: 'sg-big',
        GroupName: 'big',
        VpcId: 'vpc-1',
        IpPermissions: rules.map((r, i) => ({
          IpProtocol: 'tcp',
          FromPort: ports(i),
          ToPort: ports(i),
          IpRanges: [{ CidrIp: r.cidr_blocks[0], Description: r.description }],
        })),
        IpPermissionsEgress: [],
      },
      tags: {},
    });
    // The gateway hashed with its DRIFTMGR_HASH_KEY; an analysis under the same key compares.
    const states = [{ source: 'sg.tfstate', version: 4, instances: [stored], dataSourcesSkipped: 0 }];
    const key = sensitiveKeyFrom(HASH_KEY);
    const same = analyze({ states, inventory: [cloud((i) => 1000 + i)], sensitiveKey: key });
    expect(same.summary).toMatchObject({ managed: 1, in_sync: 1, changed: 0 });
    const drifted = analyze({ states, inventory: [cloud((i) => (i === 7 ? 22 : 1000 + i))], sensitiveKey: key });
    expect(drifted.summary.changed).toBe(1);
    expect(drifted.items[0]!.changes.map((c) => c.path)).toEqual(['ingress']);
  });
});
