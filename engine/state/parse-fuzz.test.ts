import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RESOURCE_JSON_DEPTH } from '../../contract/limits.js';
import { StateParseError } from './errors.js';
import { readTerraformState } from './parse.js';
import { sensitiveKeyFrom } from './sensitive.js';
import { isSensitiveValue } from './types.js';

const KEY = sensitiveKeyFrom('fuzz');

/** Reads the input; the only failure allowed is a StateParseError naming the source. */
function readOrRefuse(input: unknown): ReturnType<typeof readTerraformState> | undefined {
  try {
    return readTerraformState(input, 'fuzz.tfstate', { sensitiveKey: KEY });
  } catch (err) {
    expect(err).toBeInstanceOf(StateParseError);
    expect((err as StateParseError).message).toMatch(/^fuzz\.tfstate: /);
    return undefined;
  }
}

/** Anything JSON can hold, and now and then something shaped like what a state field holds. */
const anything = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('managed', 'data', 'aws_db_instance', 'random_password', 'password', null, 4, 3),
);
/** Attribute names with secrets among them, so redaction is exercised, not only parsing. */
const attributes = fc.dictionary(
  fc.constantFrom('id', 'password', 'result', 'token', 'kube_config', 'tags', 'x'),
  anything,
);
/** A non-empty name most of the time, so instances get kept. */
const someName = fc.oneof({ arbitrary: fc.constantFrom('db', 'web', 'a.b'), weight: 3 }, anything);

const path = fc.array(
  fc.oneof(
    fc.record({ type: fc.constantFrom('get_attr', 'index', 'splat'), value: anything }),
    fc.record({ type: fc.constant('index'), value: fc.record({ value: anything, type: anything }) }),
    anything,
  ),
  { maxLength: 4 },
);

const instance = fc.record(
  {
    index_key: anything,
    status: fc.oneof(fc.constant('tainted'), anything),
    deposed: anything,
    attributes: fc.oneof({ arbitrary: attributes, weight: 4 }, anything),
    attributes_flat: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), anything), anything),
    sensitive_attributes: fc.oneof(fc.array(path, { maxLength: 3 }), anything),
  },
  { requiredKeys: [] },
);

const resource = fc.record(
  {
    module: anything,
    mode: fc.oneof(fc.constantFrom('managed', 'data'), anything),
    type: fc.oneof(fc.constantFrom('aws_db_instance', 'random_password', 'azurerm_kubernetes_cluster'), anything),
    name: someName,
    provider: anything,
    instances: fc.oneof(fc.array(fc.oneof(instance, anything), { maxLength: 3 }), anything),
  },
  { requiredKeys: [] },
);

const v4State = fc.record(
  {
    version: fc.oneof(fc.constant(4), anything),
    serial: anything,
    lineage: anything,
    resources: fc.oneof(fc.array(fc.oneof(resource, anything), { maxLength: 4 }), anything),
  },
  { requiredKeys: [] },
);

const v3State = fc.record({
  version: fc.constant(3),
  modules: fc.oneof(
    fc.array(
      fc.record(
        {
          path: anything,
          resources: fc.oneof(
            fc.dictionary(
              fc.string({ maxLength: 20 }),
              fc.oneof(
                fc.record(
                  {
                    type: anything,
                    primary: fc.record(
                      { id: anything, attributes: fc.oneof(attributes, anything) },
                      { requiredKeys: [] },
                    ),
                    deposed: anything,
                  },
                  { requiredKeys: [] },
                ),
                anything,
              ),
            ),
            anything,
          ),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    anything,
  ),
});

/** Top-level `password` attributes are secrets whatever the state says: none may survive in clear. */
function expectNoClearPassword(read: ReturnType<typeof readTerraformState>): void {
  for (const i of read.state.instances) {
    const password = i.attributes.password;
    expect(
      password === null || password === undefined || isSensitiveValue(password),
      JSON.stringify(i.attributes),
    ).toBe(true);
  }
}

describe('readTerraformState on arbitrary input', () => {
  it('refuses arbitrary bytes with a StateParseError or reads them, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void readOrRefuse(bytes)),
      { numRuns: 2000 },
    );
  });

  it('refuses arbitrary text and JSON values the same way, as text and as objects', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        readOrRefuse(value);
        readOrRefuse(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => void readOrRefuse(text)),
      { numRuns: 1000 },
    );
  });

  it('reads anything shaped like a v4 or v3 state, or refuses it, and never keeps a password in clear', () => {
    fc.assert(
      fc.property(fc.oneof(v4State, v3State), (doc) => {
        const fromObject = readOrRefuse(doc);
        const fromText = readOrRefuse(JSON.stringify(doc));
        expect(fromText === undefined).toBe(fromObject === undefined);
        if (fromObject) expectNoClearPassword(fromObject);
        if (fromText) expectNoClearPassword(fromText);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('readTerraformState on deeply nested attributes', () => {
  // Built as text: JSON.stringify itself cannot write what is nested 100,000 deep.
  const nested = (levels: number) => `{"id":"x","password":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  const flatKey = (levels: number) => Array.from({ length: levels }, (_, i) => `k${i}`).join('.');
  const v4 = (instance: string) =>
    `{"version":4,"resources":[{"mode":"managed","type":"aws_db_instance","name":"db","instances":[${instance}]}]}`;
  const v3 = (attributes: string) =>
    `{"version":3,"modules":[{"path":["root"],"resources":{"aws_db_instance.db":{"type":"aws_db_instance","primary":{"id":"x","attributes":${attributes}}}}}]}`;
  /** A state of each form whose attributes nest `levels` deep. */
  const states = (levels: number) => [
    v4(`{"attributes":${nested(levels)}}`),
    v4(`{"attributes_flat":{"${flatKey(levels)}":"v"}}`),
    v3(`{"${flatKey(levels)}":"v"}`),
  ];

  it('reads them up to the depth storage keeps', () => {
    for (const text of states(MAX_RESOURCE_JSON_DEPTH))
      expect(readOrRefuse(text)?.state.instances, text).toHaveLength(1);
  });

  it('refuses deeper ones, however deep, as text or objects, with a StateParseError naming the instance', () => {
    const refusal = new StateParseError(
      'invalid_resource',
      `aws_db_instance.db: its attributes nest more than ${MAX_RESOURCE_JSON_DEPTH} levels deep; at most ${MAX_RESOURCE_JSON_DEPTH}`,
      'deep.tfstate',
    );
    for (const levels of [MAX_RESOURCE_JSON_DEPTH + 1, 100_000]) {
      for (const text of states(levels)) {
        expect(() => readTerraformState(text, 'deep.tfstate'), `${levels} levels`).toThrow(refusal);
        expect(() => readTerraformState(JSON.parse(text), 'deep.tfstate'), `${levels} levels`).toThrow(refusal);
      }
    }
  });
});
