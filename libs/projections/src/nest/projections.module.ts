import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { EventStore } from '@wasteflow/event-store';
import type { Registry } from 'prom-client';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { ReadModelDatabaseConfig } from '../database/read-model-config';
import {
  initializeReadModelDataSource,
  readModelDataSourceOptions,
  type ReadModelDataSourceExtras,
} from '../database/read-model-database';
import { EVENT_STORE } from '../event-store.token';
import type { Projection } from '../runner/projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../runner/projection-runner';

export interface ProjectionsModuleOptions {
  readonly database: ReadModelDatabaseConfig;
  readonly projections: readonly Projection[];
  /**
   * Start the runner on bootstrap. Default true; the api passes false when a separate projector process
   * runs them (`WASTEFLOW_PROJECTIONS=off`, parsed once in the api's configuration). The runner is provided either way,
   * for status() and waitForPosition().
   */
  readonly run?: boolean;
  readonly metrics?: Registry;
  readonly entities?: ReadModelDataSourceExtras['entities'];
  readonly logging?: boolean;
  /** Tuning: batch sizes, lease timing, owner id. */
  readonly runner?: Omit<ProjectionRunnerOptions, 'store' | 'dataSource' | 'projections' | 'logger' | 'metrics'>;
}

export interface ProjectionsModuleAsyncOptions {
  /** Modules providing what `inject` names, and EVENT_STORE unless a global module provides it. */
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => ProjectionsModuleOptions | Promise<ProjectionsModuleOptions>;
  /** TypeORM data source name, when the app has another default one. */
  readonly dataSourceName?: string;
}

export const PROJECTIONS_MODULE_OPTIONS = Symbol.for('wasteflow.ProjectionsModuleOptions');

@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PROJECTIONS_MODULE_OPTIONS) private readonly options: ProjectionsModuleOptions,
    private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.run !== false) await this.runner.start();
  }

  // Before TypeOrmModule's onApplicationShutdown destroys the DataSource: the batch in flight commits and
  // the lease is handed back while the database is still there.
  async onModuleDestroy(): Promise<void> {
    await this.runner.close();
  }
}

@Module({})
class ProjectionsOptionsModule {}

/**
 * The read-model database (as a TypeORM root, so query services can `@InjectDataSource()`) and the
 * projection runner. The app provides the EventStore under `EVENT_STORE`.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsModuleOptions & { readonly imports?: ModuleMetadata['imports']; readonly dataSourceName?: string }): DynamicModule {
    return ProjectionsModule.forRootAsync({
      imports: options.imports,
      dataSourceName: options.dataSourceName,
      useFactory: () => options,
    });
  }

  static forRootAsync(options: ProjectionsModuleAsyncOptions): DynamicModule {
    const optionsModule: DynamicModule = {
      module: ProjectionsOptionsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: PROJECTIONS_MODULE_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => ProjectionsModuleOptions,
          inject: options.inject ?? [],
        },
      ],
      exports: [PROJECTIONS_MODULE_OPTIONS],
    };
    const dataSourceToken = getDataSourceToken(options.dataSourceName);
    return {
      module: ProjectionsModule,
      imports: [
        ...(options.imports ?? []),
        optionsModule,
        TypeOrmModule.forRootAsync({
          name: options.dataSourceName,
          imports: [optionsModule],
          inject: [PROJECTIONS_MODULE_OPTIONS],
          useFactory: (moduleOptions: ProjectionsModuleOptions): TypeOrmModuleOptions => ({
            ...readModelDataSourceOptions(moduleOptions.database, {
              migrations: moduleOptions.projections.flatMap((p) => p.migrations ?? []),
              entities: moduleOptions.entities,
              logging: moduleOptions.logging,
            }),
            // Fail fast: a supervisor (compose, systemd) restarts us; Nest's default retries for 30 s.
            retryAttempts: 1,
          }),
          dataSourceFactory: async (typeOrmOptions?: DataSourceOptions) => {
            if (!typeOrmOptions) throw new Error('ProjectionsModule: no read-model DataSource options');
            return initializeReadModelDataSource(new DataSource(typeOrmOptions));
          },
        }),
      ],
      providers: [
        {
          provide: ProjectionRunner,
          useFactory: (moduleOptions: ProjectionsModuleOptions, dataSource: DataSource, store: EventStore) =>
            new ProjectionRunner({
              ...moduleOptions.runner,
              store,
              dataSource,
              projections: moduleOptions.projections,
              metrics: moduleOptions.metrics,
              logger: new Logger(ProjectionRunner.name),
            }),
          inject: [PROJECTIONS_MODULE_OPTIONS, dataSourceToken, EVENT_STORE],
        },
        ProjectionsLifecycle,
      ],
      exports: [ProjectionRunner, TypeOrmModule],
    };
  }
}
