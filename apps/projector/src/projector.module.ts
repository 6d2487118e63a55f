import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  CLOCK,
  createEventStore,
  EVENT_STORE,
  formatPosition,
  systemClock,
  type EventStore,
} from '@wasteflow/event-store';
import { IntegrationModule, WebhookDeliverer } from '@wasteflow/integration';
import { eventStoreConfigFor } from '@wasteflow/ledger';
import {
  ProjectionRunner,
  ProjectionsModule,
  readModelConfigFor,
  wasteflowProjections,
  type RunnerStatus,
} from '@wasteflow/projections';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ProjectorConfig } from './projector-config';

export const PROJECTOR_CONFIG = Symbol.for('wasteflow.ProjectorConfig');
export const PROJECTOR_METRICS = Symbol.for('wasteflow.ProjectorMetrics');

/** The event store of the configuration, opened once, closed last; the clock of the deliveries. */
@Global()
@Module({})
class ProjectorStorageModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forConfig(config: ProjectorConfig): DynamicModule {
    return {
      module: ProjectorStorageModule,
      providers: [
        { provide: PROJECTOR_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        { provide: EVENT_STORE, useFactory: () => createEventStore(eventStoreConfigFor(config)) },
        {
          provide: PROJECTOR_METRICS,
          useFactory: () => {
            const registry = new Registry();
            collectDefaultMetrics({ register: registry, prefix: 'wasteflow_' });
            return registry;
          },
        },
      ],
      exports: [PROJECTOR_CONFIG, CLOCK, EVENT_STORE, PROJECTOR_METRICS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log(`closed the ${this.store.kind} event store`);
  }
}

export interface ProjectorHealth {
  /**
   * ok: projecting, caught up or catching up; degraded: projecting, but a projection stopped alone on an
   * event it cannot apply (`projections[].failure`); standby: another instance holds the lease (a hot spare).
   */
  readonly status: 'ok' | 'degraded' | 'standby' | 'down';
  readonly state: RunnerStatus['state'];
  readonly owner: string;
  readonly leader: boolean;
  readonly lease: string;
  readonly checkpoint: string;
  readonly head: string;
  readonly lag: string;
  readonly eventsBehind: number;
  readonly projections: readonly {
    readonly name: string;
    readonly checkpoint: string;
    readonly lag: string;
    readonly state: 'live' | 'failed';
    readonly failure?: { readonly position: string; readonly eventType: string; readonly eventId: string; readonly error: string };
  }[];
  readonly error?: string;
  /** The webhook deliverer of this process: `delivering` while it holds the delivery lease. */
  readonly webhooks: { readonly delivery: WebhookDeliverer['state']; readonly owner: string };
}

export function projectorHealth(
  status: RunnerStatus,
  deliverer: Pick<WebhookDeliverer, 'state' | 'owner'>,
): ProjectorHealth {
  const failed = status.projections.some((p) => p.state === 'failed');
  return {
    status:
      status.state === 'running' || status.state === 'rebuilding'
        ? failed
          ? 'degraded'
          : 'ok'
        : status.state === 'standby'
          ? 'standby'
          : 'down',
    state: status.state,
    owner: status.owner,
    leader: status.leader,
    lease: status.lease,
    checkpoint: formatPosition(status.checkpoint),
    head: formatPosition(status.head),
    lag: status.lag.toString(),
    eventsBehind: status.eventsBehind,
    projections: status.projections.map((p) => ({
      name: p.name,
      checkpoint: formatPosition(p.checkpoint),
      lag: p.lag.toString(),
      state: p.state,
      ...(p.failure
        ? {
            failure: {
              position: formatPosition(p.failure.position),
              eventType: p.failure.eventType,
              eventId: p.failure.eventId,
              error: p.failure.message,
            },
          }
        : {}),
    })),
    ...(status.error ? { error: status.error.message } : {}),
    webhooks: { delivery: deliverer.state, owner: deliverer.owner },
  };
}

/**
 * The projector's own tiny HTTP server (node:http, no framework): `GET /health` (200 while it projects
 * or stands by, 503 when stopped by an error or when the store does not answer) and `GET /metrics`
 * (Prometheus text: the runner's checkpoint, lag, leader, batch durations, the webhook deliveries of the
 * database, and the process). Not started
 * with PROJECTOR_PORT=off.
 */
@Injectable()
export class ProjectorHttpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProjectorHttp');
  private server: Server | undefined;

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    @Inject(PROJECTOR_METRICS) private readonly registry: Registry,
    private readonly runner: ProjectionRunner,
    private readonly deliverer: WebhookDeliverer,
  ) {}

  /** The bound port, once listening (PROJECTOR_PORT=0 picks one). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.port === 'off') {
      this.logger.log('PROJECTOR_PORT=off: no /health or /metrics');
      return;
    }
    const server = createServer((request, response) => void this.handle(request, response));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port as number, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`health and metrics on http://${this.config.host}:${this.port}/health, /metrics`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    // (GET /health answers 200 for ok, degraded and standby: the process works; 503 only when down.)
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return send(response, 405, 'application/json', JSON.stringify({ status: 405, detail: 'GET only' }));
      }
      if (path === '/health') {
        let health: ProjectorHealth;
        try {
          health = projectorHealth(await this.runner.status(), this.deliverer);
        } catch (error) {
          return send(
            response,
            503,
            'application/json',
            JSON.stringify({ status: 'down', error: (error as Error).message }),
          );
        }
        return send(
          response,
          health.status === 'down' ? 503 : 200,
          'application/json',
          JSON.stringify(health),
        );
      }
      if (path === '/metrics') {
        return send(response, 200, this.registry.contentType, await this.registry.metrics());
      }
      return send(
        response,
        404,
        'application/json',
        JSON.stringify({ status: 404, detail: `no route ${path}` }),
      );
    } catch (error) {
      this.logger.error((error as Error).stack ?? String(error));
      return send(response, 500, 'application/json', JSON.stringify({ status: 500 }));
    }
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * apps/projector: the read models' writer for scale-out (DESIGN.md §5). Runs every projection of
 * WASTEFLOW_PROJECTIONS with the runner on the api's store and read-model database; the lease makes one
 * instance the writer, the others stand by and take over when it stops or dies. It also delivers the
 * webhooks (libs/integration) for an api with WASTEFLOW_PROJECTIONS=off, which does not: one deliverer at
 * a time by a second lease of the same table (`webhook-delivery`), taken over when its holder dies.
 */
@Module({})
export class ProjectorModule {
  static forConfig(config: ProjectorConfig): DynamicModule {
    const projections = ProjectionsModule.forRootAsync({
      inject: [PROJECTOR_METRICS],
      useFactory: (metrics: Registry) => ({
        database: readModelConfigFor(config),
        projections: wasteflowProjections(config.reference),
        run: true,
        metrics,
      }),
    });
    return {
      module: ProjectorModule,
      imports: [
        ProjectorStorageModule.forConfig(config),
        projections,
        // The same module object: the feed waits on this runner, the deliverer reads this DataSource.
        IntegrationModule.forRootAsync({
          imports: [projections],
          inject: [PROJECTOR_METRICS],
          useFactory: (metrics: Registry) => ({ webhooks: config.webhooks, metrics }),
        }),
      ],
      providers: [ProjectorHttpServer],
    };
  }
}
