/**
 * The layering of DESIGN.md section 5, checked on every `npm test`:
 * apps → integration → ledger, projections → domain, event-store. No exceptions.
 * libs/config (the settings table) sits under all of them: everyone may import it, it imports nothing of ours.
 */
/**
 * Which layer may not import which: one row a boundary ({ name, from, to, comment? }: files under `from`
 * import nothing under `to`).
 */
const boundaries = [
  {
    name: 'config-is-the-bottom',
    comment: 'libs/config (every setting, parsed once) imports no other lib and no app: all of them may import it.',
    from: '^libs/config/',
    to: '^(libs/(domain|event-store|integration|ledger|projections)|apps)/',
  },
  { name: 'event-store-knows-no-domain', from: '^libs/event-store/src', to: '^(libs/(domain|integration|ledger|projections)|apps)/' },
  { name: 'ledger-and-projections-meet-only-through-events', from: '^libs/ledger/src', to: '^libs/projections/' },
  { name: 'projections-never-import-ledger', from: '^libs/projections/src', to: '^libs/ledger/' },
  {
    name: 'integration-sits-above-ledger-and-projections',
    comment: 'libs/integration (scope rule, feed, webhooks) reads both sides; neither side imports it.',
    from: '^libs/(domain|event-store|ledger|projections)/',
    to: '^libs/integration/',
  },
  { name: 'no-lib-imports-an-app', from: '^libs/', to: '^apps/' },
];

module.exports = {
  forbidden: [
    ...boundaries.map(({ name, comment, from, to }) => ({
      name,
      ...(comment ? { comment } : {}),
      severity: 'error',
      from: { path: from },
      to: { path: to },
    })),
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
