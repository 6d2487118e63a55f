import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@wasteflow/event-store';
import { AppModule } from './app.module';
import {
  ensureAdminToken,
  loadApiConfig,
  loadConfiguredCatalogue,
  type ApiConfig,
} from './config/api-config';
import { setUpOpenApi } from './openapi/openapi';
import { installJsonBodyParser } from './problems/json-body-parser';

const BODY_LIMIT = 8 * 1024 * 1024;

export interface CreateAppOptions {
  readonly config?: ApiConfig;
  readonly clock?: Clock;
  readonly logger?: false;
}

/** Builds the HTTP app exactly as production runs it; the e2e tests use this too. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? loadApiConfig();
  // A configured catalogue that cannot be read or parsed stops the start here (ConfigurationError).
  const catalogue = loadConfiguredCatalogue(config);
  if (catalogue && options.logger !== false) {
    Logger.log(
      `hazardous waste catalogue: edition ${catalogue.edition}, ${catalogue.entries.size} codes (${config.hwCataloguePath})`,
      'Bootstrap',
    );
  }
  const admin = ensureAdminToken(config);
  if (admin.source !== 'WASTEFLOW_ADMIN_TOKEN' && options.logger !== false) {
    Logger.log(`admin token: see ${admin.source} (mode 0600)`, 'Bootstrap');
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      adminToken: admin.token,
      clock: options.clock,
      decideOptions: catalogue ? { catalogue } : {},
    }),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT }),
    { logger: options.logger, bodyParser: false },
  );
  installJsonBodyParser(app.getHttpAdapter().getInstance(), BODY_LIMIT);
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
