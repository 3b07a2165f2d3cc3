// Mutation testing (`npm run mutate`, not part of `npm test`): the pure code — the drift engine,
// the contract schemas and the storage row mappings — mutated one change at a time against the
// node project's unit suites of that code (vitest.mutate.config.ts). Report: reports/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['engine/**/*.ts', 'contract/**/*.ts', 'storage/rows.ts', '!**/*.test.ts'],
  // Operator flips and boundaries, removed conditions and swapped constants only. String, object,
  // array, regex, method and block mutants would triple the run (past an hour on two cores) and
  // mostly land in data tables and messages. No `testFiles` either: with it Stryker 10.1 activates
  // mutants in module-level code too late and reports them survived though a test kills them.
  mutator: {
    excludedMutations: [
      'StringLiteral',
      'ObjectLiteral',
      'ArrayDeclaration',
      'Regex',
      'MethodExpression',
      'ArrowFunction',
      'OptionalChaining',
      'CallExpression',
      'BlockStatement',
    ],
  },
  coverageAnalysis: 'perTest',
  // Half the mutants sit in code that also runs while modules load (mapping tables, rule catalogs,
  // schemas, lookups built at import). Trying each against every test with a fresh module graph
  // takes ~10 s a mutant, hours in all, so those that no test runs are ignored and the rest are
  // switched on once the test files are loaded. A fixture built in a describe body or at module
  // level therefore never sees a mutant: build it inside the test (or in beforeAll) to count.
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
