import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { StoreServerRefused } from '@wasteflow/event-store';
import { ConfigurationError, loadApiConfig } from './config/api-config';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApp({ config });
  // HOST: 127.0.0.1 unless told otherwise (README "Security": a container sets 0.0.0.0)
  await app.listen({ port: config.port, host: config.host });
  Logger.log(`wasteflow api listening on ${config.host}:${config.port} (OpenAPI at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof StoreServerRefused) {
    // a setting (or a store server) that cannot work: say which and why, without a stack trace
    Logger.error(`refusing to start: ${error.message}`, 'Bootstrap');
  } else {
    Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  }
  process.exit(1);
});
