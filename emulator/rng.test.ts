import { describe, expect, it } from 'vitest';
import { chance, createRng, digits, forkRng, hex, int, pick, uuid } from './rng.js';

const draw = (rng: () => number, n: number) => Array.from({ length: n }, rng);

describe('seeded rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(createRng(42), 20)).toEqual(draw(createRng(42), 20));
    expect(draw(createRng(42), 20)).not.toEqual(draw(createRng(43), 20));
  });

  it('forks independent streams per label', () => {
    expect(draw(forkRng(7, 'aws'), 10)).toEqual(draw(forkRng(7, 'aws'), 10));
    expect(draw(forkRng(7, 'aws'), 10)).not.toEqual(draw(forkRng(7, 'azure'), 10));
    expect(draw(forkRng(7, 'aws'), 10)).not.toEqual(draw(forkRng(8, 'aws'), 10));
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = draw(createRng(1), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(1_800);
  });

  it('helpers draw values of the right shape and range', () => {
    const rng = createRng(3);
    const ints = Array.from({ length: 2_000 }, () => int(rng, 2, 5));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4, 5]));
    expect(new Set(Array.from({ length: 200 }, () => pick(rng, ['a', 'b', 'c'] as const)))).toEqual(
      new Set(['a', 'b', 'c']),
    );
    expect(hex(rng, 17)).toMatch(/^[0-9a-f]{17}$/);
    expect(digits(rng, 12)).toMatch(/^[1-9]\d{11}$/);
    expect(uuid(rng)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const hits = Array.from({ length: 4_000 }, () => chance(rng, 0.25)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(850);
    expect(hits).toBeLessThan(1_150);
    expect(() => pick(rng, [])).toThrow();
  });
});
