import { analyze, type DriftReport } from '../../engine/index.js';
import type { EvalCase } from './case.js';
import { handWrittenCases } from './cases.js';
import { GENERATED_SPECS, type GeneratedSpec, generatedCase } from './generated.js';
import { type CaseScore, type EvalSummary, scoreCase, summarise } from './score.js';

export interface EvalRun {
  summary: EvalSummary;
  cases: (CaseScore & { resources: number; analyze_ms: number })[];
}

export function runCase(c: EvalCase): { score: CaseScore; report: DriftReport; ms: number } {
  const input = { states: c.states, inventory: c.inventory, scopes: c.scopes, ignore: c.ignore };
  const started = performance.now();
  const report = analyze({ ...input, mode: 'smart' });
  const ms = performance.now() - started;
  const full = analyze({ ...input, mode: 'full' });
  return { score: scoreCase(c.name, report, c.expected, full), report, ms };
}

/**
 * The whole labelled corpus: generated estates for several seeds and sizes, plus the hand-written
 * cases. Each generated case is built just before it runs, so only one estate is in memory at a time.
 */
export function evaluateCorpus(specs: readonly GeneratedSpec[] = GENERATED_SPECS): EvalRun {
  const cases = [...specs.map((spec) => () => generatedCase(spec)), ...handWrittenCases().map((c) => () => c)];
  const results = cases.map((build) => {
    const c = build();
    const { score, ms } = runCase(c);
    return { ...score, resources: c.inventory.length, analyze_ms: Math.round(ms * 10) / 10 };
  });
  return { summary: summarise(results), cases: results };
}
