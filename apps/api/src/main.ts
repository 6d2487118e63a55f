import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError } from './config/api-config';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ port, host: process.env.HOST ?? '0.0.0.0' });
  Logger.log(`wasteflow api listening on port ${port} (OpenAPI at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    // a setting that cannot work: say which and why, without a stack trace
    Logger.error(`refusing to start: ${error.message}`, 'Bootstrap');
  } else {
    Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  }
  process.exit(1);
});
