import { configDefaults, defineProject } from 'vitest/config';
import node from './vitest.node.config.js';

// `npm run mutate` runs the node project narrowed to the unit suites of the code it mutates:
// the agents', emulator's, CLI's and end-to-end suites start servers and take minutes per run.
// The reports' hostile-input test feeds thousands of generated strings through every format
// (~20 s a run); rerun for each mutant it reaches, it alone would take hours.
export default defineProject({
  ...node,
  test: {
    ...node.test,
    include: ['engine/**/*.test.ts', 'contract/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'engine/report/hostile.test.ts'],
  },
});
