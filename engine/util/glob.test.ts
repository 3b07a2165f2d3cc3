import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, type GlobSteps } from './glob.js';

/** The glob as a regular expression, for checking answers on inputs too small to blow up. */
function reference(pattern: string, ignoreCase = false): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, ignoreCase ? 'i' : '');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

describe('compileGlob', () => {
  it('matches stars, question marks, escapes and literals', () => {
    const cases: [string, string, boolean][] = [
      ['aws_instance.*', 'aws_instance.i-1', true],
      ['aws_instance.*', 'aws_vpc.vpc-1', false],
      ['*', '', true],
      ['', '', true],
      ['', 'x', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['logs\\.example', 'logs.example', true],
      ['a\\*b', 'a*b', true],
      ['a\\*b', 'axb', false],
      ['*/global/networks/default', 'projects/p/global/networks/default', true],
      ['ab*ba', 'aba', false],
      ['ab*ba', 'abba', true],
      ['*a*b*', 'xxbxxaxx', false],
      ['trailing\\', 'trailing\\', true],
      ['multi*line', 'multi\nline', true],
    ];
    for (const [pattern, subject, expected] of cases)
      expect(compileGlob(pattern).test(subject), `${pattern} ~ ${JSON.stringify(subject)}`).toBe(expected);
  });

  it('ignores case when asked', () => {
    expect(compileGlob('NetworkWatcherRG').test('networkwatcherrg')).toBe(false);
    expect(compileGlob('NetworkWatcherRG', { ignoreCase: true }).test('networkwatcherrg')).toBe(true);
    expect(compileGlob('DEFAULT-allow-*', { ignoreCase: true }).test('default-ALLOW-ssh')).toBe(true);
  });

  it('answers a pattern that makes a backtracking regex explode in a handful of steps', () => {
    // As a regular expression, `^.*a.*a.*a.*b$` on 400 a's took seconds.
    const subject = 'a'.repeat(400);
    const counter: GlobSteps = { steps: 0 };
    expect(compileGlob('*a*a*a*b').test(subject, counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual(10);
    const many = { steps: 0 };
    expect(compileGlob(`${'*a'.repeat(50)}*c*`).test(subject, many)).toBe(false);
    // Fifty one-character segments found at once, then one scan of the rest for `c`.
    expect(many.steps).toBeLessThanOrEqual(subject.length + 50);
  });

  it('stays within |subject| × |pattern| comparisons on its own worst case', () => {
    const subject = 'a'.repeat(400);
    const pattern = `*${'a'.repeat(20)}b*`;
    const counter = { steps: 0 };
    expect(compileGlob(pattern).test(subject, counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual(subject.length * pattern.length);
  });

  it('agrees with the regular expression on arbitrary small patterns and subjects', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '.', 'A');
    const text = fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, fc.boolean(), (pattern, subject, ignoreCase) => {
        const counter = { steps: 0 };
        expect(compileGlob(pattern, { ignoreCase }).test(subject, counter)).toBe(
          reference(pattern, ignoreCase).test(subject),
        );
        expect(counter.steps).toBeLessThanOrEqual((subject.length + 1) * (pattern.length + 1));
      }),
      { numRuns: 2000 },
    );
  });
});
