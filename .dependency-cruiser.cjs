/**
 * `npm run deps`: the dependency rules of the code (dependency-cruiser 17).
 *
 * The layers of api/src, inside out (a layer may import the ones above it in this list, never below):
 *   kernel       core/context.ts (the request context, db(ctx); imports types only), core/errors.ts (typed
 *                errors), logger.ts, config.ts, paths.ts, observability/ (metrics, the request outcome, tracing:
 *                prom-client, Apollo types and, when configured, OpenTelemetry only)
 *   pure         scoring-engine/ (CEL, code generation, the engine: node built-ins, cel-js and re2-wasm only),
 *                sql-export/ (a scoring model compiled to SQL: the scoring engine's checker and node built-ins only),
 *                csv/ (the one CSV reader/writer, shared with the console)
 *   data         db/ (connection, session, transaction), cache/ (process caches and their NOTIFY invalidation),
 *                auth/'s request side (principal, roles, policy, quotas, session cookie, sign-in limiter)
 *   core         core/ (CrudService, inputs, fields, loaders, the revision writer and the hash chain)
 *   services     auth/auth.service.ts and bootstrap.ts (sign-in: they use the user module), modules/ (entities,
 *                inputs, services), versioning/, fit-score/, demo/
 *   adapters     graphql/ and every *.resolver.ts, http/, cli/, admin/ (the console)
 *   wiring       server.ts, main.ts, app.ts, modules.ts, each folder's index.ts (its entities and
 *                resolvers), scripts/: the only places that import adapters
 * Tests, benches and bin/ sit outside and may import anything but must not make cycles either.
 */
const ADAPTERS = ['^api/src/(graphql|http|cli)/', '\\.resolver\\.ts$', '^admin/'];
const WIRING = ['^api/src/(server|main|app|modules)\\.ts$', '^api/src/.+/index\\.ts$', '^api/src/scripts/'];
const SPECS = '\\.spec\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles, type-only imports included: a type import still couples the two files, and a cycle ' +
        'through types is the first step of one at run time (issue 13).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'scoring-engine-is-pure',
      severity: 'error',
      comment:
        'The scoring engine imports nothing of the app: only node built-ins, @marcbachmann/cel-js and re2-wasm ' +
        '(its unit tests may read the demo data).',
      from: { path: '^api/src/scoring-engine/', pathNot: SPECS },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^api/src/scoring-engine/', '(^|/)node_modules/(@marcbachmann/cel-js|re2-wasm)/'],
      },
    },
    {
      name: 'sql-export-is-pure',
      severity: 'error',
      comment:
        "The SQL export reads a snapshot and the scoring engine's checked trees, and imports nothing else of the app " +
        '(its unit tests may read the demo data).',
      from: { path: '^api/src/sql-export/', pathNot: SPECS },
      to: { dependencyTypesNot: ['core'], pathNot: ['^api/src/(sql-export|scoring-engine)/'] },
    },
    {
      name: 'core-is-below-modules',
      severity: 'error',
      comment: 'core/ (the kernel and the generic CRUD service) imports no module, service or wiring above it.',
      // A unit test beside the code may build the real modules around what it tests.
      from: { path: '^api/src/core/', pathNot: SPECS },
      to: {
        path: [
          '^api/src/(modules|versioning|fit-score|demo|scripts)/',
          '^api/src/auth/(auth\\.service|bootstrap)\\.ts$',
          ...WIRING,
        ],
      },
    },
    {
      name: 'adapters-are-outside',
      severity: 'error',
      comment:
        'GraphQL (graphql/, resolvers), HTTP, the CLI and the console are on the outside: nothing inside imports ' +
        'them; only the wiring (server.ts, registries, scripts) does.',
      from: { path: '^api/src/', pathNot: [...ADAPTERS, ...WIRING, SPECS] },
      to: { path: ADAPTERS },
    },
    {
      name: 'console-shares-only-csv',
      severity: 'error',
      comment: 'The console is a separate bundle: of the API it shares only the pure CSV code.',
      from: { path: '^admin/' },
      to: { path: '^api/', pathNot: '^api/src/csv/' },
    },
    {
      name: 'cli-is-standalone',
      severity: 'error',
      comment:
        'The icp command line talks to a server over HTTP: of the API it uses only the pure CSV code and the ' +
        "history's pure verifier (hash chain, keys, checkpoints, chain reader), so an auditor checks locally.",
      from: { path: '^api/src/cli/', pathNot: SPECS },
      to: {
        path: '^api/src/',
        pathNot: ['^api/src/(cli|csv)/', '^api/src/core/(hash-chain|history-(keys|checkpoint|verifier|rows))\\.ts$'],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo or a moved file fails here, not at run time).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too (see no-circular).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^admin/dist/'] },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
