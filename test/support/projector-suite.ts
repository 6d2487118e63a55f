import { ProjectorProcess } from './projector-process';
import { freePort } from './source-process';
import { seededApp, type SeededApp } from './seeded-app';
import { storeEnv } from './store-cli';
import type { TestStore } from './test-app';

export interface ProjectorSuite {
  readonly app: SeededApp;
  /** Starts an apps/projector process on the app's store (with the suite's environment), killed after all. */
  start(): Promise<ProjectorProcess>;
}

/**
 * For the body of a suite's `describe.each(storesFor(SUITE))` that runs apps/projector beside an api with
 * WASTEFLOW_PROJECTIONS=off: the seeded app of `seededApp` (with `env` beside the switch) and projectors
 * that share `env`. The projectors are killed (SIGKILL) after all, before the app closes.
 */
export function projectorSuite(
  kind: TestStore,
  suite: string,
  suiteFile: string,
  label: string,
  env: Record<string, string> = {},
): ProjectorSuite {
  const projectors: ProjectorProcess[] = [];
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop('SIGKILL')));
  });
  const app = seededApp(kind, suite, suiteFile, label, { env: { WASTEFLOW_PROJECTIONS: 'off', ...env } });
  return {
    app,
    async start() {
      const projector = new ProjectorProcess(await freePort(), { ...env, ...storeEnv(kind, app.t) });
      projectors.push(projector);
      return projector;
    },
  };
}
