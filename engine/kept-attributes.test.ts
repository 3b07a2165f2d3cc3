import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { templateAttributes } from '../contract/existence/index.js';
import { jsonBytes } from '../contract/json-chunks.js';
import { keptAttributes, keptPathsOf } from './kept-attributes.js';
import { stateIdOf, stateScopeOf } from './mappings/identity.js';
import { MAPPINGS, mappingForTfType } from './mappings/index.js';
import { MAX_KEPT_ATTRIBUTES_BYTES, MAX_KEPT_VALUE_BYTES } from './state/digest.js';
import { readTerraformState } from './state/parse.js';
import { sensitiveKeyFrom } from './state/sensitive.js';
import { type DigestedValue, isDigestedValue } from './state/types.js';
import { getPath, setPath } from './util/path.js';

const KEY = sensitiveKeyFrom('kept attributes');
const fixture = readFileSync(new URL('./state/fixtures/tf-1.x-large-local-file.tfstate', import.meta.url), 'utf8');
const fixtureDoc = JSON.parse(fixture);
const fixtureAttributes = (type: string) =>
  fixtureDoc.resources.find((r: { type: string }) => r.type === type).instances[0].attributes;

/** `n` ingress rules of about 200 bytes each as Terraform writes them. */
const ingressRules = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    cidr_blocks: [`10.${Math.floor(i / 200)}.${i % 200}.0/24`],
    description: `office network ${i} (ticket NET-${1000 + i})`,
    from_port: 1000 + i,
    ipv6_cidr_blocks: [],
    prefix_list_ids: [],
    protocol: 'tcp',
    security_groups: [],
    self: false,
    to_port: 1000 + i,
  }));

describe('attributes no analysis reads are not stored', () => {
  it('keeps only the names and ids of a type no mapping covers (a 142 KB local_file)', () => {
    const source = fixtureAttributes('local_file');
    expect(mappingForTfType('local_file')).toBeUndefined();
    const kept = keptAttributes('local_file', source, KEY);
    expect(kept.attributes).toEqual({ id: source.id });
    expect(kept.dropped).toBe(Object.keys(source).length - 1);
    expect(kept.digested).toBe(0);
  });

  it('keeps every attribute a mapping compares, the id, ARN and ids of others, and drops the rest', () => {
    const source = fixtureAttributes('aws_instance');
    const kept = keptAttributes('aws_instance', source, KEY).attributes;
    for (const a of mappingForTfType('aws_instance')!.attributes)
      expect(getPath(kept, a.tf), a.tf).toEqual(getPath(source, a.tf));
    expect(kept).toMatchObject({ id: source.id, arn: source.arn, subnet_id: source.subnet_id });
    for (const unread of ['user_data', 'root_block_device', 'timeouts', 'cpu_threads_per_core'])
      expect(kept, unread).not.toHaveProperty(unread);
    // Inside a kept block, only the members a mapping reads.
    expect(Object.keys((kept.metadata_options as object[])[0]!).sort()).toEqual(['http_endpoint', 'http_tokens']);
  });

  it('keeps a parent’s inline children, which decide whether discovered children are managed', () => {
    const vnet = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v' };
    const kept = keptAttributes('azurerm_virtual_network', { ...vnet, subnet: [{ name: 'a' }], flow_timeout: 4 }, KEY);
    expect(kept.attributes).toEqual({ ...vnet, subnet: [{ name: 'a' }] });
  });

  it('keeps, for every mapped type, what matching and placing its instances read', () => {
    for (const m of MAPPINGS) {
      const attributes: Record<string, unknown> = {
        id: `/subscriptions/sub-1/resourceGroups/rg/providers/x/${m.tfType}`,
        arn: `arn:aws:ec2:eu-west-1:111122223333:thing/${m.tfType}`,
        self_link: 'https://www.googleapis.com/compute/v1/projects/p-1/zones/europe-west1-b/instances/x',
        unread_blob: 'x'.repeat(1_000),
      };
      for (const name of m.id.template ? templateAttributes(m.id.template) : []) attributes[name] = `v-${name}`;
      for (const s of [...m.account, ...m.region]) if (s.from === 'attr') setPath(attributes, s.path, 'eu-west-1a');
      const kept = keptAttributes(m.tfType, attributes, KEY).attributes;
      expect(stateIdOf(m, kept), m.tfType).toBe(stateIdOf(m, attributes));
      expect(stateScopeOf(m, kept), m.tfType).toEqual(stateScopeOf(m, attributes));
      expect(kept, m.tfType).not.toHaveProperty('unread_blob');
    }
  });

  it('leaves the input untouched', () => {
    const source = structuredClone(fixtureAttributes('aws_instance'));
    const before = JSON.stringify(source);
    keptAttributes('aws_instance', source, KEY);
    expect(JSON.stringify(source)).toBe(before);
  });

  it('are counted in the read report, and are not listed as instances not kept', () => {
    const { state, report } = readTerraformState(fixture, 'large.tfstate', { sensitiveKey: KEY });
    expect(report).toMatchObject({ instances_kept: 2, not_kept: [], warnings: [], values_stored_as_digests: 0 });
    expect(report.attributes_not_stored).toBeGreaterThan(15);
    expect(jsonBytes(state.instances)).toBeLessThan(3_000);
  });
});

describe('a large value analysis reads is stored as its digests', () => {
  const group = (ingress: unknown[], extra: Record<string, unknown> = {}) => ({
    id: 'sg-big',
    arn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-big',
    name: 'big',
    vpc_id: 'vpc-1',
    ingress,
    egress: [],
    ...extra,
  });

  it('one digest per stage the diff compares in, with its size; small values stay as they are', () => {
    const ingress = ingressRules(150);
    const kept = keptAttributes('aws_security_group', group(ingress), KEY);
    expect(kept.digested).toBe(1);
    const stored = kept.attributes.ingress as DigestedValue;
    expect(isDigestedValue(stored)).toBe(true);
    // Shaped by the converter, then after order-insensitive: two stages.
    expect(stored.$digest).toHaveLength(2);
    expect(stored.bytes).toBe(jsonBytes(ingress));
    expect(stored.bytes).toBeGreaterThan(MAX_KEPT_VALUE_BYTES);
    expect(kept.attributes).toMatchObject({ id: 'sg-big', name: 'big', egress: [] });
    expect(jsonBytes(kept.attributes)).toBeLessThan(1_000);
  });

  it('digests the largest values until the whole instance fits, never the id', () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag${i}`, 'x'.repeat(300)]));
    const source = group(ingressRules(70), {
      egress: ingressRules(60),
      description: 'd'.repeat(15_900),
      tags,
      tags_all: tags,
    });
    // Each value is under the per-value limit; together they are over the instance's.
    for (const path of ['ingress', 'egress', 'description', 'tags', 'tags_all'])
      expect(jsonBytes(source[path as keyof typeof source]), path).toBeLessThanOrEqual(MAX_KEPT_VALUE_BYTES);
    expect(jsonBytes(source)).toBeGreaterThan(MAX_KEPT_ATTRIBUTES_BYTES);
    const kept = keptAttributes('aws_security_group', source, KEY);
    expect(jsonBytes(kept.attributes)).toBeLessThanOrEqual(MAX_KEPT_ATTRIBUTES_BYTES);
    // The largest goes first, and only as many as needed.
    expect(kept.digested).toBe(1);
    expect(isDigestedValue(kept.attributes.description)).toBe(true);
    expect(kept.attributes.id).toBe('sg-big');
  });

  it('never digests the attribute a match reads', () => {
    expect(keptPathsOf('aws_security_group').digestible.map((p) => p.steps.join('.'))).not.toContain('id');
    expect(keptPathsOf('aws_key_pair').digestible.map((p) => p.steps.join('.'))).not.toContain('key_pair_id');
  });
});
