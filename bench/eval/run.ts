import { boxedTable } from '../../cli/output.js';
import { evaluateCorpus } from './evaluate.js';
import { GENERATED_SPECS, LARGE_SPECS } from './generated.js';

/**
 * `npm run eval`: accuracy of the drift engine over the labelled corpus, as a table and as JSON,
 * 100,000-resource estates of each cloud included (about 20 s each; the unit tests leave them out).
 */
const run = evaluateCorpus([...GENERATED_SPECS, ...LARGE_SPECS]);
const { summary } = run;

const kinds = boxedTable(['drift kind', 'TP', 'FP', 'FN', 'precision', 'recall']);
for (const [kind, k] of Object.entries(summary.per_kind))
  kinds.push([kind, k.tp, k.fp, k.fn, k.precision.toFixed(4), k.recall.toFixed(4)]);
kinds.push([
  'all',
  summary.overall.tp,
  summary.overall.fp,
  summary.overall.fn,
  summary.overall.precision.toFixed(4),
  summary.overall.recall.toFixed(4),
]);

const cases = boxedTable(['case', 'resources', 'errors', 'noise filtered', 'ms']);
for (const c of run.cases)
  cases.push([c.name, c.resources, c.errors.length, `${c.noise.filtered}/${c.noise.injected}`, c.analyze_ms]);

console.log(cases.toString());
console.log(kinds.toString());
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
console.log(
  `noise filtered: ${summary.noise.filtered}/${summary.noise.injected} = ${pct(summary.noise.share_filtered)}`,
);
console.log(
  `injected noise that a raw comparison flags: ${pct(summary.noise.share_raw_visible)}; explained by the injected rule: ${pct(summary.noise.share_labelled_as_injected)}`,
);
for (const c of run.cases) for (const e of c.errors.slice(0, 10)) console.log(`  ${c.name}: ${e}`);
console.log(
  JSON.stringify({ summary, cases: run.cases.map(({ errors, ...rest }) => ({ ...rest, errors: errors.length })) }),
);

const ok = summary.overall.precision >= 0.99 && summary.overall.recall >= 0.99 && summary.noise.share_filtered >= 0.95;
process.exitCode = ok ? 0 : 1;
