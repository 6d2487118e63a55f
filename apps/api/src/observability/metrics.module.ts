import { Controller, Get, Global, Header, Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Allow, AllowMetricsScrape } from '../access/access.decorators';
import { faultsTotal } from './faults';

export const METRICS_REGISTRY = Symbol.for('wasteflow.MetricsRegistry');

/**
 * GET /metrics needs a token (DESIGN.md §4): the scrape token WASTEFLOW_METRICS_TOKEN, which opens this
 * route and nothing else (Prometheus: `authorization: { credentials_file: … }`), or an admin token.
 * Latency by route, request counts and projection lag tell an outsider how the ledger is used.
 */
@Allow('admin')
@AllowMetricsScrape()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Prometheus metrics on GET /metrics: process defaults, HTTP latency by route and status, faults by rule
 * (faults.ts), and whatever the ledger and the projections register in the same registry (lag,
 * checkpoints, events applied).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry, prefix: 'wasteflow_' });
        registry.registerMetric(faultsTotal);
        return registry;
      },
    },
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const duration = new Histogram({
      name: 'wasteflow_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      duration.observe(
        {
          method: request.method,
          // The route template, never the raw URL: trace codes in paths would explode the label set.
          route: request.routeOptions?.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
