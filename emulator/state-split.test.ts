import { describe, expect, it } from 'vitest';
import type { Provider } from '../contract/resource.js';
import { analyze, parseTerraformState, sensitiveKeyFrom } from '../engine/index.js';
import { generateEstate } from './estate.js';
import { splitState } from './state-split.js';
import { buildTerraformState } from './terraform-state.js';

const { resources } = generateEstate({ seed: 42, resources: 3000 });
const { state } = buildTerraformState(resources, { seed: 42 });
const files = splitState(state);
const key = sensitiveKeyFrom('split');

/** What an analysis of a cloud's estate against these states reports, item by item. */
function verdicts(states: { name: string; text: string }[], provider: Provider): string[] {
  const parsed = states.map((s) => parseTerraformState(s.text, s.name, { sensitiveKey: key }));
  const report = analyze({ states: parsed, inventory: resources.filter((r) => r.provider === provider) });
  return report.items.map((i) => `${i.kind} ${i.kind === 'unmanaged' ? i.id : i.address}`).sort();
}

describe('splitState', () => {
  it('puts every resource block in exactly one file, per cloud account, environment and component', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
    expect(files.flatMap((f) => f.state.resources)).toHaveLength(state.resources.length);
    expect(new Set(files.flatMap((f) => f.state.resources))).toEqual(new Set(state.resources));
    expect(files.map((f) => f.name)).toContain(
      files.find((f) => /^aws-\d{4}-prod-network\.tfstate$/.test(f.name))?.name,
    );
    expect(new Set(files.map((f) => f.state.lineage)).size).toBe(files.length);
  });

  it('changes no verdict of the analysis: the same drift as the one state it came from', () => {
    const whole = [{ name: 'estate.tfstate', text: JSON.stringify(state) }];
    const split = files.map((f) => ({ name: f.name, text: JSON.stringify(f.state) }));
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      const expected = verdicts(whole, provider);
      expect(expected.length).toBeGreaterThan(0);
      expect(verdicts(split, provider)).toEqual(expected);
    }
  });
});
