// The dependency rule of `npm test` (tooling, not product code), run by scripts/dependency-rule.ts:
// what is deployed never reaches the local stand-in, the CLI or the tests, and shared/ never
// reaches the connectors or the functions that use it. The folder cycles of shared/ are found by
// the script on the same cruise (dependency-cruiser's `circular` works on modules, not folders).
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'product-imports-local-cli-tests',
      comment:
        'Deployed code (shared/, connectors/, functions/) is bundled into Lambda: it never imports the local stack, the CLI or the test helpers. The local target is supplied by the CLI and the tests.',
      severity: 'error',
      from: { path: '^(shared|connectors|functions)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(local|cli|tests)/' },
    },
    {
      name: 'tests-import-no-tests',
      comment:
        'A test beside the code may use the test helpers, the local stand-ins and the CLI context (how the local target is supplied), never another test file.',
      severity: 'error',
      from: { path: '^(shared|connectors|functions)/' },
      to: { path: '(\\.test\\.ts$|^tests/(integration|deploy)/)' },
    },
    {
      name: 'shared-imports-connectors-functions',
      comment:
        'shared/ is the runtime every connector and function uses; it never depends on them (a registry of connectors is handed in by the caller).',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(connectors|functions)/' },
    },
    {
      name: 'no-module-cycles',
      comment:
        'A module cycle makes load order matter. Type-only imports are erased (verbatimModuleSyntax), so a cycle through one is not counted here; folder cycles, which count them, are checked apart.',
      severity: 'error',
      from: { path: '^(shared|connectors|functions)/' },
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the checker cannot resolve would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^(shared|connectors|functions|local|cli|tests)/',
    exclude: { path: '(^|/)(node_modules|fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // package.json `imports` (#shared/*, #local/*, #connectors/*) resolve through
      // enhanced-resolve's default `imports` field; imports name their .ts extension.
      conditionNames: ['import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6'],
  },
};
