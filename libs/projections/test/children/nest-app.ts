/**
 * A Nest application context importing ProjectionsModule the way apps/api and apps/projector will:
 * a global module provides EVENT_STORE, ProjectionsModule.forRoot gets the database and projections.
 * Reports status as one JSON line, then closes the app (which must stop the runner and release the lease).
 */
import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createEventStore, type EventStore, type EventStoreConfig } from '@wasteflow/event-store';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, ProjectionRunner, ProjectionsModule, type ReadModelDatabaseConfig } from '../../src';
import { countingProjection, syntheticProjection } from '../synthetic';

interface Input {
  readonly readModels: ReadModelDatabaseConfig;
  readonly store: EventStoreConfig;
  readonly run: boolean;
  readonly waitFor: string;
}

const input = JSON.parse(process.argv[2]) as Input;
const registry = new Registry();

class StoreCloser implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [{ provide: EVENT_STORE, useFactory: () => createEventStore(input.store) }, StoreCloser],
  exports: [EVENT_STORE],
})
class EventStoreModule {}

@Module({
  imports: [
    EventStoreModule,
    ProjectionsModule.forRootAsync({
      useFactory: () => ({
        database: input.readModels,
        projections: [syntheticProjection(), countingProjection()],
        run: input.run,
        metrics: registry,
        runner: { owner: `nest-app-${input.run ? 'run' : 'off'}`, lease: { ttlMs: 2_000 } },
      }),
    }),
  ],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn', 'log'] });
  const runner = app.get(ProjectionRunner);
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const reached = await runner.waitForPosition(BigInt(input.waitFor), 10_000);
  const status = await runner.status();
  const [{ n }] = await dataSource.query('SELECT count(*) AS n FROM synth_stream_stats');
  const [{ m }] = await dataSource.query('SELECT count(*) AS m FROM read_model_migrations');
  const metrics = await registry.metrics();
  await app.close();
  process.stdout.write(
    `${JSON.stringify({
      reached,
      state: status.state,
      leader: status.leader,
      checkpoint: status.checkpoint.toString(),
      rows: Number(n),
      migrations: Number(m),
      metricsNamed: metrics.includes('wasteflow_projection_checkpoint{projection="synthetic"}'),
      stateAfterClose: runner.currentState,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
