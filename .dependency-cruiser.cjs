/**
 * The layering of DESIGN.md section 5, checked on every `npm test`:
 * apps → integration → ledger, projections → domain, event-store. No exceptions.
 * libs/config (the settings table) sits under all of them: everyone may import it, it imports nothing of ours.
 */
module.exports = {
  forbidden: [
    {
      name: 'config-is-the-bottom',
      comment: 'libs/config (every setting, parsed once) imports no other lib and no app: all of them may import it.',
      severity: 'error',
      from: { path: '^libs/config/' },
      to: { path: '^(libs/(domain|event-store|integration|ledger|projections)|apps)/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing outside itself but small pure libraries (no framework, no I/O).',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: ['^libs/domain/src', '^node_modules/(csv-parse)/'],
      },
    },
    {
      name: 'domain-specs-stay-pure',
      comment: 'Domain tests need no framework or storage either.',
      severity: 'error',
      from: { path: '^libs/domain/src/.+\\.spec\\.ts$' },
      to: { pathNot: ['^libs/domain/src', '^node_modules/(csv-parse|fast-check|@jest|jest)', '^(fs|path|node:fs|node:path)$'] },
    },
    {
      name: 'event-store-knows-no-domain',
      severity: 'error',
      from: { path: '^libs/event-store/src' },
      to: { path: '^(libs/(domain|integration|ledger|projections)|apps)/' },
    },
    {
      name: 'ledger-and-projections-meet-only-through-events',
      severity: 'error',
      from: { path: '^libs/ledger/src' },
      to: { path: '^libs/projections/' },
    },
    {
      name: 'projections-never-import-ledger',
      severity: 'error',
      from: { path: '^libs/projections/src' },
      to: { path: '^libs/ledger/' },
    },
    {
      name: 'integration-sits-above-ledger-and-projections',
      comment: 'libs/integration (scope rule, feed, webhooks) reads both sides; neither side imports it.',
      severity: 'error',
      from: { path: '^libs/(domain|event-store|ledger|projections)/' },
      to: { path: '^libs/integration/' },
    },
    {
      name: 'no-lib-imports-an-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^bench/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
