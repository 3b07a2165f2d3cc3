import { defineProject } from 'vitest/config';
import node from './vitest.node.config.js';

// `npm run mutate` runs the node project narrowed to the unit suites of the code it mutates:
// the agents', emulator's, CLI's and end-to-end suites start servers and take minutes per run.
export default defineProject({
  ...node,
  test: { ...node.test, include: ['engine/**/*.test.ts', 'contract/**/*.test.ts'] },
});
