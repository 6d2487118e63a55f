import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError } from '@wasteflow/config';
import { StoreServerRefused } from '@wasteflow/event-store';
import { loadProjectorConfig } from './projector-config';
import { ProjectorModule } from './projector.module';

/**
 * apps/projector: `node dist/apps/projector/src/main.js`. Same environment as the api; see README.md.
 * SIGTERM / SIGINT: the batch in flight commits, the lease is handed back (a standby takes over at once),
 * the HTTP server, the read-model database and the event store close, and the process exits 0.
 */
async function bootstrap(): Promise<void> {
  const config = loadProjectorConfig();
  const app = await NestFactory.createApplicationContext(ProjectorModule.forConfig(config), {
    logger: ['log', 'warn', 'error'],
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      Logger.warn(`${signal} again: exiting without waiting`, 'Bootstrap');
      process.exit(1);
    }
    stopping = true;
    Logger.log(`${signal}: stopping (finishing the batch in flight, handing the lease back)`, 'Bootstrap');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.init();
  Logger.log(
    `wasteflow projector started (${config.store} store${config.store === 'sqlite' ? ` in ${config.dataDir}` : ''})`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof StoreServerRefused) {
    // settings (one line each) or a store server that cannot give the guarantees: no stack trace
    Logger.error(`refusing to start: ${error.message}`, 'Bootstrap');
    process.exit(1);
  }
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  process.exit(1);
});
