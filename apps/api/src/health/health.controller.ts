import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, formatPosition, type EventStore } from '@wasteflow/event-store';
import { ProjectionRunner } from '@wasteflow/projections';
import { Public } from '../access/access.decorators';
import { STORAGE_RETRY_AFTER_SECONDS } from '../problems/storage-unavailable';

interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly store: {
    readonly kind: string;
    readonly up: boolean;
    /** Whether a write can succeed now (disk space, a writable data directory, a primary). */
    readonly writable: boolean;
    readonly head?: string;
    readonly error?: string;
  };
  readonly projections: {
    readonly state: string;
    readonly leader: boolean;
    readonly checkpoint?: string;
    readonly lag?: string;
    readonly eventsBehind?: number;
    readonly error?: string;
    /** Each read model: a `failed` one stopped alone on the event `failure` names; the others go on. */
    readonly models?: readonly {
      readonly name: string;
      readonly state: 'live' | 'failed';
      readonly checkpoint: string;
      readonly failure?: {
        readonly position: string;
        readonly eventType: string;
        readonly eventId: string;
        readonly phase: string;
        readonly error: string;
        readonly at: string;
      };
    }[];
  };
}

/** Longest one probe may take: a hung database must not hang the health check that should report it. */
export const HEALTH_PROBE_TIMEOUT_MS = 3_000;

class ProbeTimedOut extends Error {}

async function bounded<T>(probe: () => Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProbeTimedOut(`${what} did not answer within ${HEALTH_PROBE_TIMEOUT_MS} ms`)),
      HEALTH_PROBE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness and readiness in one answer. 200 while a write can succeed: the store answers and says it can
 * take writes (a stopped runner, or one read model stopped alone on an event it cannot apply, is
 * `degraded`, still 200: writes and the other read models work). 503 with
 * Retry-After when it cannot — down, hung past the probe's bound, out of disk space, read-only, a standby
 * — so a load balancer sends writes elsewhere. Never a 500: every probe's failure is part of the report.
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
    const [store, projections] = await Promise.all([this.storeReport(), this.projectionReport()]);
    const failed = projections.models?.some((model) => model.state === 'failed') ?? false;
    const overall: HealthReport['status'] =
      !store.up || !store.writable ? 'down' : projections.error || failed ? 'degraded' : 'ok';
    if (overall === 'down') {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
    }
    return { status: overall, store, projections };
  }

  private async storeReport(): Promise<HealthReport['store']> {
    const kind = this.store.kind;
    let head: string;
    try {
      head = formatPosition(await bounded(() => this.store.headPosition(), 'the event store'));
    } catch (error) {
      return { kind, up: false, writable: false, error: messageOf(error) };
    }
    const checkWritable = this.store.checkWritable?.bind(this.store);
    if (!checkWritable) return { kind, up: true, writable: true, head };
    try {
      const readiness = await bounded(checkWritable, 'the event store');
      return readiness.writable
        ? { kind, up: true, writable: true, head }
        : { kind, up: true, writable: false, head, error: readiness.reason };
    } catch (error) {
      return { kind, up: true, writable: false, head, error: messageOf(error) };
    }
  }

  private async projectionReport(): Promise<HealthReport['projections']> {
    try {
      const status = await bounded(() => this.runner.status(), 'the read-model database');
      return {
        state: status.state,
        leader: status.leader,
        checkpoint: formatPosition(status.checkpoint),
        lag: status.lag.toString(),
        eventsBehind: status.eventsBehind,
        ...(status.error ? { error: status.error.message } : {}),
        models: status.projections.map((p) => ({
          name: p.name,
          state: p.state,
          checkpoint: formatPosition(p.checkpoint),
          ...(p.failure
            ? {
                failure: {
                  position: formatPosition(p.failure.position),
                  eventType: p.failure.eventType,
                  eventId: p.failure.eventId,
                  phase: p.failure.phase,
                  error: p.failure.message,
                  at: p.failure.at.toISOString(),
                },
              }
            : {}),
        })),
      };
    } catch (error) {
      return { state: this.runner.currentState, leader: false, error: messageOf(error) };
    }
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
