import { Builders, Keys, requireStore, seedWorld, type World } from './fixtures';
import { startTestApp, type TestApp, type TestAppOptions, type TestStore } from './test-app';

export interface SeededApp {
  readonly t: TestApp;
  readonly world: World;
  readonly build: Builders;
}

/**
 * The real app on `kind`, seeded (parties, tokens, permits: `seedWorld`, keys `<label>-seed-<kind>`) with
 * builders (keys `<label>-build-<kind>`), for a suite that starts and closes its apps itself (a restart …).
 */
export async function startSeededApp(
  kind: TestStore,
  label: string,
  options: TestAppOptions,
): Promise<SeededApp> {
  const t = await startTestApp(kind, options);
  const world = await seedWorld(t, new Keys(`${label}-seed-${kind}`));
  return { t, world, build: new Builders(t, world, new Keys(`${label}-build-${kind}`)) };
}

/**
 * For the body of a suite's `describe.each(storesFor(SUITE))`: the real app on `kind` (with the clock and
 * environment of `options`), seeded (parties, tokens, permits: `seedWorld`) with builders, started before
 * all and closed after all. The fields are set once `beforeAll` has run; a suite's own `beforeAll`, declared
 * after, adds its own parties and data.
 */
export function seededApp(
  kind: TestStore,
  suite: string,
  suiteFile: string,
  label: string,
  options: Pick<TestAppOptions, 'clock' | 'env'> = {},
): SeededApp {
  const app = {} as { t: TestApp; world: World; build: Builders };
  beforeAll(async () => {
    await requireStore(kind, suite);
    Object.assign(app, await startSeededApp(kind, label, { ...options, suiteFile }));
  });
  afterAll(async () => app.t?.close());
  return app;
}
