import type { DiscoveredResource } from '../contract/resource.js';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import {
  analyze,
  mappingForTfType,
  type ParsedState,
  parseTerraformState,
  type StateInstance,
} from '../engine/index.js';

/**
 * Engine throughput: state instances matched and diffed per second on one core (the engine is
 * synchronous), at 100k and 1M resources. A realistic seed estate with ~10% drift and ~30% noise
 * is replicated under fresh ids, so every resource goes through the full index, diff, noise,
 * risk and cost path; setup is not timed.
 */
export interface EngineBenchFigure {
  resources: number;
  state_instances: number;
  analyze_ms: number;
  /** CPU time of the analysis: on a shared machine the fairer single-core figure. */
  analyze_cpu_ms: number;
  resources_per_second: number;
  resources_per_cpu_second: number;
  changed: number;
  missing: number;
  unmanaged: number;
  noise_filtered: number;
  heap_used_mb: number;
}

export interface EngineBenchResult {
  target_resources_per_second: number;
  seed_estate: number;
  figures: EngineBenchFigure[];
  parse: { state_instances: number; ms: number; instances_per_second: number };
}

export interface Seed {
  inventory: DiscoveredResource[];
  instances: StateInstance[];
}

function seedData(seedResources: number): { seed: Seed; stateJson: string } {
  const estate = generateEstate({ seed: 42, resources: seedResources });
  const { state } = buildTerraformState(estate.resources, { seed: 42, driftRate: 0.1, noiseRate: 0.3 });
  const stateJson = JSON.stringify(state);
  return {
    seed: { inventory: estate.resources, instances: parseTerraformState(stateJson, 'seed.tfstate').instances },
    stateJson,
  };
}

/** Copy `k` of the seed: every id gets a suffix; nested attribute values are shared (the engine never writes them). */
export function replicate(seed: Seed, copies: number): { inventory: DiscoveredResource[]; state: ParsedState } {
  const inventory: DiscoveredResource[] = [];
  const instances: StateInstance[] = [];
  for (let k = 0; k < copies; k++) {
    const suffix = k === 0 ? '' : `x${k.toString(36)}`;
    for (const r of seed.inventory) inventory.push(k === 0 ? r : { ...r, id: r.id + suffix });
    for (const inst of seed.instances) {
      if (k === 0) {
        instances.push(inst);
        continue;
      }
      const idAttr = mappingForTfType(inst.tfType)?.id.tf ?? 'id';
      const attributes = { ...inst.attributes, [idAttr]: `${String(inst.attributes[idAttr])}${suffix}` };
      instances.push({ ...inst, address: `${inst.address}${suffix}`, attributes });
    }
  }
  return { inventory, state: { source: 'bench.tfstate', version: 4, instances, dataSourcesSkipped: 0 } };
}

function measure(seed: Seed, target: number): EngineBenchFigure {
  const { inventory, state } = replicate(seed, Math.max(1, Math.round(target / seed.inventory.length)));
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const report = analyze({ states: [state], inventory, mode: 'smart' });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const s = report.summary;
  const work = Math.max(inventory.length, state.instances.length);
  return {
    resources: inventory.length,
    state_instances: state.instances.length,
    analyze_ms: Math.round(ms),
    analyze_cpu_ms: Math.round(cpuMs),
    resources_per_second: Math.round((work / ms) * 1000),
    resources_per_cpu_second: Math.round((work / cpuMs) * 1000),
    changed: s.changed,
    missing: s.missing,
    unmanaged: s.unmanaged,
    noise_filtered: s.noise_filtered,
    heap_used_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
}

export function benchEngine(sizes: readonly number[] = [100_000, 1_000_000], seedResources = 5000): EngineBenchResult {
  const { seed, stateJson } = seedData(seedResources);
  const parseStarted = performance.now();
  const parsed = parseTerraformState(stateJson, 'seed.tfstate');
  const parseMs = performance.now() - parseStarted;
  return {
    target_resources_per_second: 100_000,
    seed_estate: seed.inventory.length,
    figures: sizes.map((n) => measure(seed, n)),
    parse: {
      state_instances: parsed.instances.length,
      ms: Math.round(parseMs * 10) / 10,
      instances_per_second: Math.round((parsed.instances.length / parseMs) * 1000),
    },
  };
}
