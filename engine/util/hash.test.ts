import { describe, expect, it } from 'vitest';
import { fnv1a64Hex } from './hash.js';

describe('fnv1a64Hex', () => {
  it('matches the reference FNV-1a 64 values', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });
});
