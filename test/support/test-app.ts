import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { EVENT_STORE, ManualClock, type Clock, type EventStore } from '@wasteflow/event-store';
import { createApp } from '../../apps/api/src/create-app';
import { loadApiConfig } from '../../apps/api/src/config/api-config';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchemaPrefix } from './postgres';

export type TestStore = 'sqlite' | 'postgres';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly http: TestAgent;
  readonly adminToken: string;
  readonly store: EventStore;
  readonly clock: Clock;
  /** The SQLite data directory of this app. */
  readonly dataDir: string;
  /** The prefix of this app's PostgreSQL schemas (meaningful for 'postgres'). */
  readonly schemaPrefix: string;
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Used to name the PostgreSQL schemas of this suite. */
  readonly suiteFile: string;
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  /**
   * Run on this SQLite data directory instead of a fresh one, and leave it in place on close (the caller
   * owns it): start a second app on the same directory to test what survives a restart.
   */
  readonly dataDir?: string;
  /**
   * PostgreSQL: use these schemas (the `prefix` of an earlier app) instead of fresh ones, and leave them
   * on close (the caller drops them with `dropSchemas`).
   */
  readonly schemaPrefix?: string;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-for-e2e-suites-only';

/**
 * The real app (Fastify, every module, real storage) on a fresh SQLite directory or fresh PostgreSQL
 * schemas, with the bootstrap admin token set. Call close() in afterAll.
 */
export async function startTestApp(kind: TestStore, options: TestAppOptions): Promise<TestApp> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wasteflow-e2e-'));
  const ownsSchemas = options.schemaPrefix === undefined;
  const prefix =
    options.schemaPrefix ??
    `${uniqueSchemaPrefix(options.suiteFile)}_${kind === 'postgres' ? nextSuffix() : 's'}`;
  const config = loadApiConfig({
    WASTEFLOW_STORE: kind,
    WASTEFLOW_DATA_DIR: dataDir,
    WASTEFLOW_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...(kind === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, WASTEFLOW_PG_SCHEMA_PREFIX: prefix } : {}),
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock(new Date('2026-03-02T02:00:00Z'));
  const app = await createApp({ config, clock, logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const store = app.get<EventStore>(EVENT_STORE);
  return {
    app,
    http: request(app.getHttpServer()),
    adminToken: config.adminToken ?? TEST_ADMIN_TOKEN,
    store,
    clock,
    dataDir,
    schemaPrefix: prefix,
    headPosition: () => store.headPosition(),
    async close() {
      await app.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'postgres' && ownsSchemas) await dropSchemas(prefix);
    },
  };
}

let suffix = 0;
function nextSuffix(): string {
  suffix += 1;
  return String(suffix);
}

/**
 * For the body of a describe block: the real app on `kind` (`startTestApp`), started before all and closed
 * after all; `t` is set once `beforeAll` has run.
 */
export function testAppBeforeAll(kind: TestStore, options: TestAppOptions): { readonly t: TestApp } {
  const app = {} as { t: TestApp };
  beforeAll(async () => {
    app.t = await startTestApp(kind, options);
  });
  afterAll(async () => app.t?.close());
  return app;
}
