import { describe, expect, it } from 'vitest';
import { getPath, pathGetter, setPath } from './path.js';

const doc = {
  name: 'web',
  zero: 0,
  empty: null,
  tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }, { Key: 'c', Value: null }, null],
  meta: { options: [{ tokens: 'required' }], '7': 'seven-key' },
  groups: [{ ids: ['sg-1', 'sg-2'] }, { ids: [] }, {}],
};

describe('getPath', () => {
  it('reads plain keys, nested keys and list indexes', () => {
    expect(getPath(doc, 'name')).toBe('web');
    expect(getPath(doc, 'zero')).toBe(0);
    expect(getPath(doc, 'meta.options.0.tokens')).toBe('required');
    expect(getPath(doc, 'groups.0.ids.1')).toBe('sg-2');
  });

  it('is undefined when a step is missing, null, out of range or of the wrong kind', () => {
    for (const path of [
      'missing',
      'missing.deeper',
      'empty.deeper',
      'name.length',
      'meta.options.5.tokens',
      'meta.options.tokens',
      'tags.x.Key',
    ]) {
      expect(getPath(doc, path), path).toBeUndefined();
    }
    expect(getPath(null, 'name')).toBeUndefined();
    expect(getPath('text', 'length')).toBeUndefined();
    expect(getPath(doc, 'empty')).toBeNull();
  });

  it('reads a number-named key of an object only as an index of a list', () => {
    expect(getPath(doc, 'meta.7')).toBeUndefined();
    expect(getPath({ list: ['a', 'b'] }, 'list.1')).toBe('b');
  });

  it('projects over every element of a list, dropping the missing and null ones', () => {
    expect(getPath(doc, 'tags[].Key')).toEqual(['a', 'b', 'c']);
    expect(getPath(doc, 'tags[].Value')).toEqual(['1']);
    expect(getPath(doc, 'groups[].ids.0')).toEqual(['sg-1']);
    expect(getPath(doc, 'name[].x')).toBeUndefined();
    expect(getPath(doc, 'missing[].x')).toBeUndefined();
  });

  it('takes the first alternative that is set, null counting as set', () => {
    expect(getPath(doc, 'missing|name')).toBe('web');
    expect(getPath(doc, 'name|missing')).toBe('web');
    expect(getPath(doc, 'empty|name')).toBeNull();
    expect(getPath(doc, 'missing|other')).toBeUndefined();
  });
});

describe('pathGetter', () => {
  it('gives the same getter for the same path, reading any value', () => {
    const getter = pathGetter('meta.options.0.tokens');
    expect(pathGetter('meta.options.0.tokens')).toBe(getter);
    expect(getter(doc)).toBe('required');
    expect(getter({ meta: { options: [{ tokens: 'optional' }] } })).toBe('optional');
    expect(getter(undefined)).toBeUndefined();
  });

  it('reads a single key of objects only', () => {
    const name = pathGetter('name');
    expect(name({ name: 'x' })).toBe('x');
    for (const value of [null, undefined, 'name', 7]) expect(name(value)).toBeUndefined();
  });
});

describe('setPath', () => {
  it('creates the objects and lists on the way, a list where the next step is an index', () => {
    const target: Record<string, unknown> = {};
    setPath(target, 'metadata_options.0.http_tokens', 'required');
    setPath(target, 'root.name', 'r');
    expect(target).toEqual({ metadata_options: [{ http_tokens: 'required' }], root: { name: 'r' } });
    expect(Array.isArray(target.metadata_options)).toBe(true);
  });

  it('writes into what is already there and replaces plain values and nulls in the way', () => {
    const target: Record<string, unknown> = { a: { keep: 1 }, b: 'text', c: null, top: 1 };
    setPath(target, 'a.added', 2);
    setPath(target, 'b.x', 3);
    setPath(target, 'c.0', 4);
    setPath(target, 'top', 5);
    expect(target).toEqual({ a: { keep: 1, added: 2 }, b: { x: 3 }, c: [4], top: 5 });
  });
});
