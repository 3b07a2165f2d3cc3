// Mutation testing (`npm run mutate`, not part of `npm test`): the pure code — the drift engine,
// the contract schemas and the storage row mappings — mutated one change at a time against the
// node project's unit tests of that code. The report goes to reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.node.config.ts' },
  mutate: ['engine/**/*.ts', 'contract/**/*.ts', 'storage/rows.ts', '!**/*.test.ts'],
  // The unit suites of the mutated folders. The agents', emulator's, CLI's and end-to-end suites
  // start servers and take minutes; the accuracy corpus (bench/eval) re-runs the whole engine for
  // every mutant it touches. Both would push a run far past 20 minutes on two cores.
  testFiles: ['engine/**/*.test.ts', 'contract/**/*.test.ts'],
  coverageAnalysis: 'perTest',
  // Mutants in code that runs when a module loads (mapping tables, zod schemas, constants) are
  // two thirds of the total and each needs every test re-run: about 1.5 hours on two cores.
  // They are reported as ignored; the score counts the code that runs inside the tests.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.driftmgr', '.wrangler', '.dev.vars', 'coverage', 'dist', 'reports'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, reportTests: false, skipFull: true },
  thresholds: { high: 80, low: 60, break: null },
};
