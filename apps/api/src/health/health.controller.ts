import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, formatPosition, type EventStore } from '@wasteflow/event-store';
import { ProjectionRunner } from '@wasteflow/projections';
import { Public } from '../access/access.decorators';

interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly store: { readonly kind: string; readonly up: boolean; readonly head?: string; readonly error?: string };
  readonly projections: {
    readonly state: string;
    readonly leader: boolean;
    readonly checkpoint: string;
    readonly lag: string;
    readonly eventsBehind: number;
    readonly error?: string;
  };
}

/**
 * Liveness and readiness in one answer: 200 while the event store answers (projection lag or a stopped
 * projection is `degraded`, still 200: writes work), 503 when the store does not answer.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    let store: HealthReport['store'];
    try {
      store = { kind: this.store.kind, up: true, head: formatPosition(await this.store.headPosition()) };
    } catch (error) {
      store = { kind: this.store.kind, up: false, error: (error as Error).message };
    }
    const status = await this.runner.status();
    const projections: HealthReport['projections'] = {
      state: status.state,
      leader: status.leader,
      checkpoint: formatPosition(status.checkpoint),
      lag: status.lag.toString(),
      eventsBehind: status.eventsBehind,
      ...(status.error ? { error: status.error.message } : {}),
    };
    const overall: HealthReport['status'] = !store.up ? 'down' : status.error ? 'degraded' : 'ok';
    if (overall === 'down') void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: overall, store, projections };
  }
}
