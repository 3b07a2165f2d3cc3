import { describe, expect, it } from 'vitest';
import { ReportFormat } from '../../contract/drift.js';
import { generateEstate } from '../../emulator/estate.js';
import { withIamPolicies } from '../../emulator/gcp/iam-policies.js';
import { buildTerraformState } from '../../emulator/terraform-state.js';
import { analyze, parseTerraformState, renderReport } from '../../engine/index.js';
import { handWrittenCases, SENSITIVE_CLEAR_VALUES } from './cases.js';
import { evaluateCorpus, runCase } from './evaluate.js';

describe('accuracy over the labelled corpus (npm run eval)', () => {
  const run = evaluateCorpus();

  it('finds real drift with precision and recall >= 0.99 for every kind', () => {
    for (const [kind, k] of Object.entries(run.summary.per_kind)) {
      expect(k.precision, `${kind} precision`).toBeGreaterThanOrEqual(0.99);
      expect(k.recall, `${kind} recall`).toBeGreaterThanOrEqual(0.99);
      expect(k.tp, `${kind} has labelled examples`).toBeGreaterThan(20);
    }
  });

  it('filters at least 95% of injected pure noise', () => {
    expect(run.summary.noise.injected).toBeGreaterThan(1000);
    expect(run.summary.noise.share_filtered).toBeGreaterThanOrEqual(0.95);
    // The injected noise is real: a raw comparison flags it, and the engine names the injected rule.
    expect(run.summary.noise.share_raw_visible).toBeGreaterThanOrEqual(0.95);
    expect(run.summary.noise.share_labelled_as_injected).toBeGreaterThanOrEqual(0.95);
  });

  it('finds exactly the drift injected into every generated estate, within the scopes its discovery covered', () => {
    for (const c of run.cases.filter((x) => x.name.startsWith('generated'))) expect(c.errors, c.name).toEqual([]);
  });

  it('passes every hand-written case exactly', () => {
    for (const c of run.cases.filter((x) => !x.name.startsWith('generated'))) expect(c.errors, c.name).toEqual([]);
  });
});

describe('labelled cases', () => {
  it('never put a sensitive value in clear into any report', () => {
    const c = handWrittenCases().find((x) => x.name.startsWith('sensitive'))!;
    const { report } = runCase(c);
    for (const format of ReportFormat.options) {
      const text = renderReport(report, format);
      for (const secret of SENSITIVE_CLEAR_VALUES) expect(text, format).not.toContain(secret.split(' ')[1]!);
    }
  });
});

describe('buildTerraformState', () => {
  const estate = generateEstate({ seed: 7, resources: 300 });

  it('writes a state that matches its estate exactly when no drift is injected', () => {
    const { state, truth } = buildTerraformState(estate.resources, { seed: 7, driftRate: 0, noiseRate: 0 });
    const inventory = withIamPolicies(estate.resources);
    const report = analyze({ states: [parseTerraformState(JSON.stringify(state))], inventory });
    expect(truth.drift).toEqual([]);
    expect(report.summary).toMatchObject({ changed: 0, missing: 0, unmanaged: 0, coverage: 1 });
    expect(report.summary.managed).toBeGreaterThan(100);
  });

  it('uses modules, count and for_each, and marks some instances tainted', () => {
    const { state, truth } = buildTerraformState(estate.resources, { seed: 7, driftRate: 0.1 });
    expect(state.version).toBe(4);
    expect(state.resources.some((r) => r.module?.includes('.module.'))).toBe(true);
    expect(state.resources.some((r) => r.each === 'list')).toBe(true);
    expect(state.resources.some((r) => r.each === 'map')).toBe(true);
    expect(state.resources.some((r) => r.mode === 'data')).toBe(true);
    expect(truth.counts.tainted).toBeGreaterThan(0);
    const addresses = parseTerraformState(JSON.stringify(state))
      .instances.filter((i) => !i.deposed)
      .map((i) => i.address);
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('never changes where a resource lives: a location, zone or project cannot change in place', () => {
    const { truth } = buildTerraformState(estate.resources, { seed: 7, driftRate: 1 });
    const changed = truth.drift.filter((d) => d.kind === 'changed');
    expect(changed.length).toBeGreaterThan(50);
    for (const d of changed)
      expect(d.paths, d.address).not.toContainEqual(expect.stringMatching(/^(location|availability_zone|project)$/));
  });

  it('is deterministic for a seed', () => {
    const a = buildTerraformState(estate.resources, { seed: 3, driftRate: 0.2 });
    const b = buildTerraformState(estate.resources, { seed: 3, driftRate: 0.2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.truth.counts.changed + a.truth.counts.missing + a.truth.counts.unmanaged).toBeGreaterThan(0);
  });
});
