import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@wasteflow/event-store';
import { AppModule } from './app.module';
import {
  assertDataDirectoryWritable,
  assertStaticToken,
  ensureAdminToken,
  loadApiConfig,
  loadConfiguredCatalogue,
  type ApiConfig,
} from './config/api-config';
import { traceCodeKey } from '@wasteflow/ledger';
import { installTraceCodeKey } from './common/write-request';
import { installEdge } from './edge/install-edge';
import { EdgeFastifyAdapter } from './edge/http-server';
import { setUpOpenApi } from './openapi/openapi';

export interface CreateAppOptions {
  readonly config?: ApiConfig;
  readonly clock?: Clock;
  readonly logger?: false;
}

/** Builds the HTTP app exactly as production runs it; the e2e tests use this too. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? loadApiConfig();
  // A configured catalogue that cannot be read or parsed stops the start here (ConfigurationError).
  const catalogues = loadConfiguredCatalogue(config);
  if (catalogues && options.logger !== false) {
    const editions = catalogues.editions.map(
      (e) => `${e.edition} from ${e.inForceFrom} (${e.catalogue.entries.size} codes)`,
    );
    Logger.log(`hazardous waste catalogue: ${editions.join(', ')} (${config.hwCataloguePath})`, 'Bootstrap');
  }
  await assertDataDirectoryWritable(config);
  const admin = ensureAdminToken(config);
  // a bootstrap admin token that could be guessed stops the start (DESIGN.md §10)
  assertStaticToken(admin.source, admin.token);
  if (admin.source !== 'WASTEFLOW_ADMIN_TOKEN' && options.logger !== false) {
    Logger.log(`admin token: see ${admin.source} (mode 0600)`, 'Bootstrap');
  }
  const adapter = new EdgeFastifyAdapter(config.http);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      adminToken: admin.token,
      clock: options.clock,
      decideOptions: catalogues ? { catalogues } : {},
    }),
    adapter,
    { logger: options.logger, bodyParser: false },
  );
  // the random parts of trace codes are keyed with a secret only the ledger has (issue 10 row 11)
  installTraceCodeKey(app.getHttpAdapter().getInstance(), traceCodeKey(admin.token));
  await installEdge(app, adapter, config.http);
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
