/**
 * The import rules `npm test` enforces (npm run deps). Layers import downwards only:
 * gateway-worker → orchestrator-do → storage → engine → contract; the engine and the contract
 * stay free of platform and Node APIs; agents, cli and emulator use the engine and contract,
 * never the control plane; tooling (bench, scripts, test) is never imported by production code.
 */
const LAYERS = ['gateway-worker', 'orchestrator-do', 'storage', 'engine', 'contract'];
const TEST = '\\.test\\.ts$';

const layerRules = LAYERS.slice(1).map((layer, i) => ({
  name: `${layer}-imports-downwards`,
  comment: `${layer}/ may not import the layers above it (${LAYERS.slice(0, i + 1).join(', ')})`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: { path: `^(${LAYERS.slice(0, i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a module may not depend on itself through others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'engine-is-pure',
      comment:
        'engine/ imports only engine/ and contract/ (no platform, Node or npm packages but zod through contract), ' +
        'and @noble/hashes: pure JavaScript, for the keyed hash of sensitive values',
      severity: 'error',
      from: { path: '^engine/', pathNot: TEST },
      to: { pathNot: '^(engine|contract)/|(^|/)node_modules/@noble/hashes/' },
    },
    {
      name: 'contract-is-pure',
      comment: 'contract/ holds zod schemas and limits: it imports only zod',
      severity: 'error',
      from: { path: '^contract/', pathNot: TEST },
      to: { pathNot: '^contract/|(^|/)node_modules/zod/' },
    },
    {
      name: 'clients-skip-the-control-plane',
      comment:
        'agents, cli and emulator talk to the gateway over HTTP; they use only engine/ and contract/ of the layers',
      severity: 'error',
      from: { path: '^(agents|cli|emulator)/' },
      to: { path: '^(gateway-worker|orchestrator-do|storage)/' },
    },
    {
      name: 'tooling-is-not-production',
      comment: 'production code never imports bench/, scripts/, deploy/ or test/',
      severity: 'error',
      from: {
        path: '^(gateway-worker|orchestrator-do|storage|engine|contract|agents|cli|emulator|schema)/',
        pathNot: TEST,
      },
      to: { path: '^(bench|scripts|deploy|test)/' },
    },
    {
      name: 'engine-through-its-entry',
      comment:
        'outside engine/, the engine is imported from engine/index.ts only (its fixtures are data, read by tests)',
      severity: 'error',
      from: { pathNot: '^engine/' },
      to: { path: '^engine/', pathNot: '^engine/index\\.ts$|^engine/.*/fixtures/' },
    },
    {
      name: 'tables-through-cli-output',
      comment:
        'cli-table3 colours tables unless told not to: draw them with cli/output.ts, which leaves colour out ' +
        'under NO_COLOR and when output is not a terminal',
      severity: 'error',
      from: { pathNot: '^cli/output\\.ts$' },
      to: { path: '(^|/)node_modules/cli-table3/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^cloudflare:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.wrangler|dist|coverage)/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'workerd'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
