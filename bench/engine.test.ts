import { describe, expect, it } from 'vitest';
import { benchEngine } from './engine.js';

describe('benchEngine', () => {
  it('measures analyze throughput on a replicated estate with drift and noise', () => {
    const result = benchEngine([6_000], 1_000);
    const [figure] = result.figures;
    expect(figure!.resources).toBeGreaterThanOrEqual(5_000);
    expect(figure!.state_instances).toBeGreaterThan(1_000);
    expect(figure!.resources_per_second).toBeGreaterThan(0);
    expect(figure!.changed + figure!.missing + figure!.unmanaged).toBeGreaterThan(0);
    expect(figure!.noise_filtered).toBeGreaterThan(0);
    expect(result.parse.instances_per_second).toBeGreaterThan(0);
  });
});
