import type { Test } from 'supertest';
import { expect201, expectProblem, Keys, send, type PrincipalName } from './fixtures';
import { driveHistory, type History } from './read-side-history';
import { seededApp, type SeededApp } from './seeded-app';
import type { TestAppOptions, TestStore } from './test-app';

/** Regulators beside the seeded one (all Hangzhou, hazardous): narrower in district or other in category. */
export interface ExtraRegulators {
  /** Xihu (330106), hazardous: the district of the history's generator. */
  readonly xihu: string;
  /** Qiantang (330114), hazardous: the district of the history's receiver. */
  readonly qiantang: string;
  /** All Hangzhou (3301), industrial waste only. */
  readonly industrial: string;
}

export interface ReadSideSuite {
  readonly app: SeededApp;
  /** The history of read-side-history, driven once the app is seeded (filled before all). */
  readonly h: History;
  readonly regulators: ExtraRegulators;
  /** GET, with a bearer token when one is given. */
  get(path: string, token?: string): Test;
  tokenOf(name: PrincipalName): string;
  /**
   * The seeded generator, carrier and receiver (the chain of the history's batch a and manifest m1), the
   * Hangzhou regulator and the auditor read `path`; the other generator, carrier and receiver, the Ningbo
   * regulator and the admin are refused with 403 forbidden.
   */
  expectChainReadsOnly(path: string): Promise<void>;
}

/**
 * For the body of a read-side suite's `describe.each(storesFor(SUITE))` (trace, manifests): the seeded app
 * of `seededApp`, then the history of `driveHistory` and three more regulators, before all.
 */
export function readSideSuite(
  kind: TestStore,
  suite: string,
  suiteFile: string,
  label: string,
  options: Pick<TestAppOptions, 'clock' | 'env'> = {},
): ReadSideSuite {
  const app = seededApp(kind, suite, suiteFile, label, options);
  const h = {} as History;
  const regulators = { xihu: '', qiantang: '', industrial: '' };
  beforeAll(async () => {
    Object.assign(h, await driveHistory(app.t, app.world, new Keys(`${label}-${kind}`)));
    const keys = new Keys(`${label}-regulators-${kind}`);
    const regulator = async (districts: string[], categories: string[]) =>
      (
        await expect201(
          send(
            app.t,
            '/v1/tokens',
            app.t.adminToken,
            { kind: 'regulator', districts, categories },
            keys.next(),
          ),
        )
      ).body.token as string;
    regulators.xihu = await regulator(['330106'], ['hazardous']);
    regulators.qiantang = await regulator(['330114'], ['hazardous']);
    regulators.industrial = await regulator(['3301'], ['industrial']);
  });
  const get = (path: string, token?: string) => {
    const request = app.t.http.get(path);
    return token === undefined ? request : request.set('Authorization', `Bearer ${token}`);
  };
  const tokenOf = (name: PrincipalName) => app.world.tokens[name] as string;
  return {
    app,
    h,
    regulators,
    get,
    tokenOf,
    async expectChainReadsOnly(path) {
      for (const name of ['generator', 'carrier', 'receiver', 'regulator', 'auditor'] as const) {
        expect([name, (await get(path, tokenOf(name))).status]).toEqual([name, 200]);
      }
      for (const name of [
        'otherGenerator',
        'otherCarrier',
        'otherReceiver',
        'outsideRegulator',
        'admin',
      ] as const) {
        expectProblem(await get(path, tokenOf(name)), 403, { rule: 'forbidden' });
      }
    },
  };
}

/** The steps of the history's batch a, in order: generated, split, shipped on m1, received and treated. */
export const STEPS_OF_A = [
  'WasteGenerated',
  'BatchSplit',
  'BatchConsigned',
  'BatchShipped',
  'BatchReceived',
  'WasteDisposed',
  'WasteUtilised',
] as const;
