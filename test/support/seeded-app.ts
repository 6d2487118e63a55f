import { Builders, Keys, requireStore, seedWorld, type World } from './fixtures';
import { startTestApp, type TestApp, type TestStore } from './test-app';

export interface SeededApp {
  readonly t: TestApp;
  readonly world: World;
  readonly build: Builders;
}

/**
 * For the body of a suite's `describe.each(storesFor(SUITE))`: the real app on `kind`, seeded (parties,
 * tokens, permits: `seedWorld`) with builders, started before all and closed after all. The fields are
 * set once `beforeAll` has run.
 */
export function seededApp(kind: TestStore, suite: string, suiteFile: string, label: string): SeededApp {
  const app = {} as { t: TestApp; world: World; build: Builders };
  beforeAll(async () => {
    await requireStore(kind, suite);
    app.t = await startTestApp(kind, { suiteFile });
    app.world = await seedWorld(app.t, new Keys(`${label}-seed-${kind}`));
    app.build = new Builders(app.t, app.world, new Keys(`${label}-build-${kind}`));
  });
  afterAll(async () => app.t?.close());
  return app;
}
