import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Clock } from '@wasteflow/event-store';
import { Builders, bytesOf, Keys, seedWorld, type PrincipalName, type World } from '../../support/fixtures';
import { startTestApp, type TestApp } from '../../support/test-app';
import {
  browserMissing,
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  openPage,
  signIn,
  type Chromium,
} from './browser';

/**
 * The one fixture of the browser suites (test/browser/*.browser-spec.ts): whether the suite can run,
 * and, for the suite's beforeAll/afterAll, the console built from the current sources, the real app
 * listening on a free port of 127.0.0.1 (SQLite), the seeded world (six parties, their permits, a token
 * for every principal) and Debian's Chromium. A suite writes only its own data and its tests.
 *
 *   describeInBrowser('console … in Chromium', () => {
 *     const app = useConsoleApp({ suiteFile: __filename, clock, seed: 'browser-…', given: async ({ build }) => … });
 *     it('…', async () => {
 *       const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/pickups');
 *       …
 *       expect(errors).toEqual([]);
 *       await context.close();
 *     });
 *   });
 */

/**
 * Declares the suite when Chromium is there. Without it: under CI=true a failing test that says why;
 * elsewhere a printed reason and a visibly skipped describe named after it (never a silent pass).
 */
export function describeInBrowser(suite: string, body: () => void): void {
  const missing = browserMissing();
  if (missing && process.env.CI === 'true') {
    describe(suite, () => {
      it('has a browser', () => {
        throw new Error(`${suite} cannot run under CI: ${missing}`);
      });
    });
  } else if (missing) {
    console.warn(`${suite}: not run: ${missing}`);
    describe.skip(`${suite}: not run, ${missing}`, () => {
      it('runs when Chromium is installed', () => undefined);
    });
  } else {
    describe(suite, body);
  }
}

export interface ConsoleAppOptions {
  /** The suite's __filename (names its storage). */
  readonly suiteFile: string;
  readonly clock: Clock;
  readonly env?: Record<string, string>;
  /** The prefix of the seeded world's Idempotency-Keys. */
  readonly seed: string;
  /** Before the world is seeded (e.g. a history appended straight to the store). */
  readonly before?: (t: TestApp) => Promise<void>;
  /** After the world is seeded, before Chromium starts: the suite's own data (`build`: the app's builders). */
  readonly given?: (app: { t: TestApp; world: World; build: Builders }) => Promise<void>;
}

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Page errors and CSP violations seen so far: a test asserts there were none. */
  readonly errors: string[];
}

export interface ConsoleApp {
  readonly t: TestApp;
  readonly world: World;
  /** The builders of batch and manifest states on this app (Idempotency-Keys `<seed>-build-<n>`). */
  readonly build: Builders;
  /** The seeded world's token of `name`. */
  tokenOf(name: PrincipalName): string;
  /** http://127.0.0.1:<port> of the listening app. */
  readonly base: string;
  readonly browser: Browser;
  /** A fresh context and page at a viewport (default DESKTOP), not signed in. */
  open(viewport?: { width: number; height: number }): Promise<OpenedPage>;
  /** A fresh context and page, signed in with `token` on the sign-in page as a user pastes it. */
  openAs(token: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  /** As openAs, then at `path` of the console (`/pickups`, `/manifests/…`). */
  openAt(token: string, path: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  signIn(page: Page, token: string): Promise<void>;
  /** GET answered 200 (throws with the body otherwise); `caughtUp` asks at the current head (minPosition). */
  apiGet<T>(path: string, token: string, options?: { caughtUp?: boolean }): Promise<T>;
  /** GET answered 200, the body's bytes (a file download). */
  apiBytes(path: string, token: string): Promise<Buffer>;
}

/**
 * Starts the app and Chromium in beforeAll (4 minutes: the console may be built first) and stops them in
 * afterAll; the answer's fields are read in the tests (they throw when read before beforeAll ran).
 */
export function useConsoleApp(options: ConsoleAppOptions): ConsoleApp {
  let t: TestApp | undefined;
  let world: World | undefined;
  let build: Builders | undefined;
  let base: string | undefined;
  let chromium: Chromium | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the console app's ${name} is read before its beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp('sqlite', {
      suiteFile: options.suiteFile,
      clock: options.clock,
      env: options.env,
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await options.before?.(t);
    world = await seedWorld(t, new Keys(options.seed));
    build = new Builders(t, world, new Keys(`${options.seed}-build`));
    await options.given?.({ t, world, build });
    chromium = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  const app: ConsoleApp = {
    get t() {
      return ready(t, 'app');
    },
    get world() {
      return ready(world, 'world');
    },
    get build() {
      return ready(build, 'builders');
    },
    tokenOf: (name) => app.world.tokens[name] as string,
    get base() {
      return ready(base, 'base URL');
    },
    get browser() {
      return ready(chromium, 'browser').browser;
    },
    open: (viewport = DESKTOP) => openPage(app.browser, viewport),
    async openAs(token, viewport = DESKTOP) {
      const opened = await openPage(app.browser, viewport);
      await app.signIn(opened.page, token);
      return opened;
    },
    async openAt(token, path, viewport = DESKTOP) {
      const opened = await app.openAs(token, viewport);
      await opened.page.goto(`${app.base}${path}`);
      return opened;
    },
    signIn: (page, token) => signIn(page, app.base, token),
    async apiGet<T>(path: string, token: string, get: { caughtUp?: boolean } = {}): Promise<T> {
      const url = get.caughtUp
        ? `${path}${path.includes('?') ? '&' : '?'}minPosition=${await app.t.headPosition()}`
        : path;
      const response = await app.t.http.get(url).set('Authorization', `Bearer ${token}`);
      if (response.status !== 200)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as T;
    },
    async apiBytes(path, token) {
      const response = await app.t.http
        .get(path)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(bytesOf);
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      return response.body as Buffer;
    },
  };
  return app;
}
