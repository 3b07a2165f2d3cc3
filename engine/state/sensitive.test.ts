import { describe, expect, it } from 'vitest';
import { hashSensitive, redactSensitive, sensitiveKeyFrom } from './sensitive.js';

const KEY = sensitiveKeyFrom('test deployment secret');
const hash = (value: unknown) => hashSensitive(value, KEY);

const attr = (value: string) => ({ type: 'get_attr', value });
const index = (value: unknown) => ({ type: 'index', value: { value, type: typeof value } });

/** The attributes after redaction of these paths; the input is a fresh copy every time. */
function redacted(paths: unknown, attributes: Record<string, unknown> = secrets()): Record<string, unknown> {
  redactSensitive(attributes, paths, KEY);
  return attributes;
}

const secrets = () => ({
  password: 'hunter2',
  name: 'db',
  nested: [{ token: 'tok-0' }, { token: 'tok-1' }],
  labels: { api_key: 'k-1', team: 'core' },
  absent_value: null,
});

describe('hashSensitive', () => {
  it('gives equal values equal hashes whatever their key order, and different values different ones', () => {
    expect(hash({ a: 1, b: [2] })).toEqual(hash({ b: [2], a: 1 }));
    expect(hash('x').$sensitive).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(hash('x')).not.toEqual(hash('y'));
  });
});

describe('redactSensitive', () => {
  it('hashes an attribute, a list element and a map value, and nothing else', () => {
    const out = redacted([
      [attr('password')],
      [attr('nested'), index(1), attr('token')],
      [attr('labels'), index('api_key')],
    ]);
    expect(out).toEqual({
      password: hash('hunter2'),
      name: 'db',
      nested: [{ token: 'tok-0' }, { token: hash('tok-1') }],
      labels: { api_key: hash('k-1'), team: 'core' },
      absent_value: null,
    });
  });

  it('hashes a whole nested value when the path stops at it', () => {
    expect(redacted([[attr('labels')]]).labels).toEqual(hash({ api_key: 'k-1', team: 'core' }));
  });

  it('reads paths wrapped in an object with a path list', () => {
    expect(redacted([{ path: [attr('password')] }]).password).toEqual(hash('hunter2'));
  });

  it('leaves everything alone when there are no paths or they are not a list', () => {
    for (const paths of [undefined, null, {}, 'password', []]) expect(redacted(paths)).toEqual(secrets());
  });

  it('skips a path with a step it cannot read, without failing', () => {
    const unreadable = [
      [null],
      ['password'],
      [{ type: 'get_attr', value: 7 }],
      [{ type: 'index', value: 'password' }],
      [{ type: 'index', value: null }],
      [attr('nested'), index(true), attr('token')],
      [{ type: 'splat', value: 'password' }],
    ];
    for (const path of unreadable) expect(redacted([path]), JSON.stringify(path)).toEqual(secrets());
  });

  it('skips a path that runs through a plain value or a missing key', () => {
    expect(
      redacted([
        [attr('name'), index(0)],
        [attr('missing'), attr('deeper')],
        [attr('nested'), index(5), attr('token')],
      ]),
    ).toEqual(secrets());
  });

  it('leaves null and missing values as they are instead of hashing them', () => {
    const out = redacted([[attr('absent_value')], [attr('not_there')]]);
    expect(out.absent_value).toBeNull();
    expect(out).not.toHaveProperty('not_there');
  });

  it('still redacts the readable paths next to an unreadable one', () => {
    const out = redacted([[null], [attr('password')]]);
    expect(out.password).toEqual(hash('hunter2'));
  });
});
