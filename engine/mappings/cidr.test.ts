import { describe, expect, it } from 'vitest';
import { canonicalCidr } from './cidr.js';

describe('canonicalCidr', () => {
  it('gives IPv4 addresses a /32 and drops leading zeros, keeping a given prefix', () => {
    expect(canonicalCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(canonicalCidr(' 010.000.000.001/8 ')).toBe('10.0.0.1/8');
  });

  it('compresses the longest run of zero groups of an IPv6 address, lower case, with a /128 by default', () => {
    expect(canonicalCidr('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1/128');
    expect(canonicalCidr('2001:db8::/56')).toBe('2001:db8::/56');
    expect(canonicalCidr('::')).toBe('::/128');
    expect(canonicalCidr('::1')).toBe('::1/128');
    expect(canonicalCidr('fe80::')).toBe('fe80::/128');
  });

  it('compresses the first of two equally long runs, and the longer run wherever it is', () => {
    expect(canonicalCidr('1:0:0:2:0:0:3:4')).toBe('1::2:0:0:3:4/128');
    expect(canonicalCidr('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3/128');
  });

  it('leaves a single zero group as it is', () => {
    expect(canonicalCidr('1:2:3:0:5:6:7:8')).toBe('1:2:3:0:5:6:7:8/128');
    expect(canonicalCidr('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8/128');
  });

  it('spells one address one way whichever way it came', () => {
    const spellings = ['2600:1f18:0:0:0:0:0:a', '2600:1f18::a', '2600:1F18:0000::000A', '2600:1f18:0::0:a/128'];
    expect(new Set(spellings.map(canonicalCidr))).toEqual(new Set(['2600:1f18::a/128']));
  });

  it('returns what is not an address unchanged', () => {
    for (const text of [
      'sg-123',
      'pl-1a2b',
      '1:2:3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8:9',
      'gggg::1',
      '1::2::3',
      '12345::1',
      '1g::1',
      '1:2:3:4::5:6:7:8',
      'Internet',
    ]) {
      expect(canonicalCidr(text), text).toBe(/:/.test(text) ? text.toLowerCase() : text);
    }
  });
});
