import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StateParseError } from './errors.js';
import { readTerraformState } from './parse.js';

/** Hand-written states in the shapes real Terraform releases write (fixtures/). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

function refusal(input: Uint8Array | string, source = 'x.tfstate'): StateParseError {
  try {
    readTerraformState(input, source);
  } catch (err) {
    if (err instanceof StateParseError) return err;
    throw err;
  }
  throw new Error('the state was accepted');
}

describe('Terraform 0.11 (state version 3)', () => {
  const { state, report } = readTerraformState(fixture('tf-0.11-v3.tfstate'), 'legacy.tfstate');

  it('keeps every managed instance, deposed ones included, and says which it could not keep', () => {
    expect(state.instances.map((i) => i.address)).toEqual([
      'aws_vpc.main',
      'github_team.ops',
      'module.web.aws_instance.app[0]',
      'module.web.aws_instance.app[1]',
      'module.web.aws_instance.app[1]',
    ]);
    expect(state.instances[4]!.deposed).toBeDefined();
    expect(state.instances[2]!.tainted).toBe(true);
    expect(report.not_kept).toEqual([
      { address: 'module.web.aws_eip.broken', reason: 'its primary object has no attributes' },
    ]);
    expect(report).toMatchObject({ instances_kept: 5, data_sources_skipped: 1 });
  });

  it('keeps identifiers as text, infers other scalars, and keeps only what analysis reads', () => {
    const [vpc, team, app] = state.instances;
    expect(team!.attributes.id).toBe('1361');
    expect(vpc!.attributes).toEqual({
      id: 'vpc-0a1b2c3d',
      cidr_block: '10.0.0.0/16',
      owner_id: '123456789012',
      tags: { Name: 'main' },
    });
    expect(app!.attributes.vpc_security_group_ids).toEqual(['sg-0123']);
    expect(app!.attributes.ebs_optimized).toBe(false);
  });
});

describe('Terraform 0.12 (state version 4 with attributes_flat)', () => {
  const { state, report } = readTerraformState(fixture('tf-0.12-v4-attributes-flat.tfstate'), 'upgraded.tfstate');

  it('reads attributes_flat instances like attributes ones', () => {
    const sg = state.instances.find((i) => i.tfType === 'aws_security_group')!;
    expect(sg.attributes).toEqual({
      id: 'sg-0123',
      name: 'web',
      owner_id: '123456789012',
      ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }],
      tags: { Team: '007' },
    });
    expect(state.instances.map((i) => i.address)).toEqual([
      'aws_security_group.web',
      'aws_instance.app[0]',
      'aws_instance.app[1]',
    ]);
  });

  it('names the instance it could not read and warns about the legacy form', () => {
    expect(report.not_kept).toEqual([
      { address: 'aws_instance.app[2]', reason: 'the instance has neither "attributes" nor "attributes_flat"' },
    ]);
    expect(report.warnings.join(' ')).toContain('attributes_flat');
  });

  it('counts skipped data sources per instance', () => {
    expect(report.data_sources_skipped).toBe(2);
    expect(state.dataSourcesSkipped).toBe(2);
  });
});

describe('Terraform 1.x (check_results, resource identity)', () => {
  const { state, report } = readTerraformState(fixture('tf-1.x-check-results-identity.tfstate'), 'modern.tfstate');

  it('reads modules, string index keys and lineage, and ignores the blocks analysis does not need', () => {
    expect(state.instances.map((i) => i.address)).toEqual([
      'module.storage.aws_s3_bucket.logs["prod"]',
      'random_password.db',
    ]);
    expect(state).toMatchObject({
      version: 4,
      serial: 41,
      lineage: '5d7a3c2b-0e1f-4a6b-9c8d-2e3f4a5b6c7d',
      terraformVersion: '1.12.2',
    });
    expect(report).toMatchObject({ instances_kept: 2, not_kept: [], warnings: [] });
  });

  it('never keeps a sensitive value in clear', () => {
    expect(JSON.stringify(state)).not.toContain('s3cr3t-Value-123');
  });
});

describe('what Terraform loads as an empty state', () => {
  it('reads a state with outputs only', () => {
    const { state, report } = readTerraformState(fixture('outputs-only.tfstate'), 'outputs.tfstate');
    expect(state.instances).toEqual([]);
    expect(report).toMatchObject({ instances_kept: 0, data_sources_skipped: 0, not_kept: [] });
  });

  it('reads a resource whose instances list is missing as one with no instances', () => {
    const { state } = readTerraformState(
      JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 't', name: 'n' }] }),
    );
    expect(state.instances).toEqual([]);
  });
});

describe('encodings', () => {
  const text = JSON.stringify({
    version: 4,
    resources: [{ mode: 'managed', type: 't', name: 'n', instances: [{ attributes: { id: 'a' } }] }],
  });

  it('accepts a UTF-8 byte-order mark, as bytes or as text', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(readTerraformState(bytes).state.instances).toHaveLength(1);
    expect(readTerraformState(`\uFEFF${text}`).state.instances).toHaveLength(1);
  });

  it('refuses UTF-16 with the encoding named', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])]);
    const err = refusal(utf16, 'windows.tfstate');
    expect(err.code).toBe('encoding');
    expect(err.message).toBe('windows.tfstate: the file is UTF-16 text; save it as UTF-8 and import it again');
    const noMark = new Uint8Array([...text].flatMap((c) => [c.charCodeAt(0), 0]));
    expect(refusal(noMark).code).toBe('encoding');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(refusal(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])).message).toContain('not UTF-8');
  });

  it('says the file is empty instead of a JSON error', () => {
    expect(refusal(new Uint8Array([]), 'empty.tfstate').message).toBe('empty.tfstate: the file is empty');
    expect(refusal('  \n').code).toBe('empty');
  });
});

describe('versions Terraform would not load here', () => {
  it('explains how to upgrade a version 1 or 2 state', () => {
    const err = refusal(JSON.stringify({ version: 2, modules: [] }));
    expect(err.code).toBe('unsupported_version');
    expect(err.message).toContain('terraform state pull');
  });

  it('refuses a newer version as newer', () => {
    expect(refusal(JSON.stringify({ version: 5, resources: [] })).message).toContain('newer than this DriftMgr reads');
  });

  it('refuses a mode Terraform does not know', () => {
    const err = refusal(
      JSON.stringify({ version: 4, resources: [{ mode: 'ephemeral', type: 't', name: 'n', instances: [] }] }),
    );
    expect(err.code).toBe('invalid_resource');
    expect(err.message).toContain('"ephemeral"');
  });
});
