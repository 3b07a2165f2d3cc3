import { describe, expect, it } from 'vitest';
import { EmulatorControls } from './faults.js';
import { createRng } from './rng.js';

describe('EmulatorControls', () => {
  it('never injects a fault at rate 0 and always at rate 1, using every kind', () => {
    const none = new EmulatorControls({ faultRate: 0, random: createRng(1) });
    expect(Array.from({ length: 500 }, () => none.fault()).every((f) => f === null)).toBe(true);

    const all = new EmulatorControls({ faultRate: 1, random: createRng(1) });
    const faults = Array.from({ length: 600 }, () => all.fault());
    expect(faults.includes(null)).toBe(false);
    const { faults: byKind } = all.stats();
    expect(byKind.throttle + byKind['server-error'] + byKind.drop).toBe(600);
    for (const n of Object.values(byKind)) expect(n).toBeGreaterThan(150);
  });

  it('injects faults at about the configured rate', () => {
    const controls = new EmulatorControls({ faultRate: 0.3, random: createRng(9) });
    const failed = Array.from({ length: 5_000 }, () => controls.fault()).filter((f) => f !== null).length;
    expect(failed / 5_000).toBeGreaterThan(0.27);
    expect(failed / 5_000).toBeLessThan(0.33);
  });

  it('injects each kind at its own rate, the others keeping their share of the fault rate', () => {
    const calls = 40_000;
    const rates = (opts: ConstructorParameters<typeof EmulatorControls>[0]) => {
      const controls = new EmulatorControls({ ...opts, random: createRng(5) });
      for (let i = 0; i < calls; i++) controls.fault();
      const { faults } = controls.stats();
      return { throttle: faults.throttle / calls, error: faults['server-error'] / calls, drop: faults.drop / calls };
    };
    const chaos = rates({ faultRates: { throttle: 0.05, 'server-error': 0.01, drop: 0.01 } });
    expect(chaos.throttle).toBeCloseTo(0.05, 2);
    expect(chaos.error).toBeCloseTo(0.01, 2);
    expect(chaos.drop).toBeCloseTo(0.01, 2);

    const mixed = rates({ faultRate: 0.3, faultRates: { drop: 0 } });
    expect(mixed.throttle).toBeCloseTo(0.1, 2);
    expect(mixed.error).toBeCloseTo(0.1, 2);
    expect(mixed.drop).toBe(0);
  });

  it('refuses rates that add up to more than 1', () => {
    expect(() => new EmulatorControls({ faultRates: { throttle: 0.6, drop: 0.6 } })).toThrow(/add up to 1.2/);
    expect(() => new EmulatorControls({ faultRate: 0.9, faultRates: { throttle: 0.9 } })).toThrow(/at most 1/);
  });

  it('keeps one token bucket per key with lazy refill', () => {
    let now = 1_000_000;
    const controls = new EmulatorControls({ now: () => now });
    const take = (key: string) => controls.takeToken(key, 3, 2);
    expect([take('a'), take('a'), take('a'), take('a')]).toEqual([true, true, true, false]);
    expect(take('b')).toBe(true);
    now += 499;
    expect(take('a')).toBe(false);
    now += 1;
    expect(take('a')).toBe(true);
    expect(take('a')).toBe(false);
    now += 60_000;
    // Refill stops at capacity however long the bucket was idle.
    expect([take('a'), take('a'), take('a'), take('a')]).toEqual([true, true, true, false]);
    expect(controls.stats().rateLimited).toBe(4);
  });

  it('delays each call by the configured latency', async () => {
    const controls = new EmulatorControls({ latencyMs: 40 });
    const started = performance.now();
    await controls.delay();
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    const instant = new EmulatorControls();
    const t0 = performance.now();
    await instant.delay();
    expect(performance.now() - t0).toBeLessThan(20);
  });

  it('counts calls per cloud and action, and hands out snapshots', () => {
    const controls = new EmulatorControls();
    controls.record('aws', 'DescribeInstances');
    controls.record('aws', 'DescribeInstances');
    controls.record('gcp', 'ListAssets');
    const before = controls.stats();
    controls.record('aws', 'DescribeVpcs');
    expect(before.calls).toEqual({ aws: { DescribeInstances: 2 }, azure: {}, gcp: { ListAssets: 1 } });
    expect(controls.stats().calls.aws).toEqual({ DescribeInstances: 2, DescribeVpcs: 1 });
  });
});
