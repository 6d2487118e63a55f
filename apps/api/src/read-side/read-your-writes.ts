import { Injectable } from '@nestjs/common';
import { formatPosition, parsePosition } from '@wasteflow/event-store';
import {
  ALERTS_PROJECTION,
  INDICATORS_PROJECTION,
  INVENTORY_PROJECTION,
  MANIFESTS_PROJECTION,
  ProjectionRunner,
  TRACE_PROJECTION,
  TRANSFER_APPROVALS_PROJECTION,
} from '@wasteflow/projections';
import { InvalidRequest } from '../problems/invalid-request.exception';

/** The read models have not reached the position the client asked for within the wait. */
export class ProjectionBehind extends Error {
  readonly status = 503;
  readonly rule = 'projection-behind';
  readonly details: Record<string, unknown>;

  constructor(wanted: bigint, checkpoint: bigint, lag: bigint, eventsBehind: number, waitedMs: number) {
    super(`the read models have not reached position ${wanted} within ${waitedMs} ms; retry later`);
    this.name = 'ProjectionBehind';
    this.details = {
      minPosition: formatPosition(wanted),
      checkpoint: formatPosition(checkpoint),
      lag: lag.toString(),
      eventsBehind,
      waitedMs,
    };
  }
}

/**
 * The read model this route reads has stopped on an event it cannot apply (ADR 0011): waiting would not
 * help, so the answer is at once. The other read models still answer.
 */
export class ProjectionStopped extends Error {
  readonly status = 503;
  readonly rule = 'projection-stopped';
  readonly details: Record<string, unknown>;

  constructor(wanted: bigint, projection: string, checkpoint: bigint, failedAt: bigint | undefined) {
    super(
      `the ${projection} read model stopped at position ${checkpoint} on an event it cannot apply; the operators are alerted`,
    );
    this.name = 'ProjectionStopped';
    this.details = {
      minPosition: formatPosition(wanted),
      projection,
      checkpoint: formatPosition(checkpoint),
      ...(failedAt !== undefined ? { failedAt: formatPosition(failedAt) } : {}),
    };
  }
}

export const MAX_READ_YOUR_WRITES_WAIT_MS = 5_000;

/** The read model each read route answers from: its wait is for that projection alone. */
export const READ_MODELS = {
  trace: TRACE_PROJECTION,
  manifests: MANIFESTS_PROJECTION,
  indicators: INDICATORS_PROJECTION,
  inventory: INVENTORY_PROJECTION,
  alerts: ALERTS_PROJECTION,
  transferApprovals: TRANSFER_APPROVALS_PROJECTION,
} as const;

export type ReadModelName = keyof typeof READ_MODELS;

/**
 * Read-your-writes: a query given `minPosition` (the X-Ledger-Position of a write) waits, bounded, until
 * the projection it reads has applied that position, then answers; otherwise 503 with the current lag, or
 * at once 503 `projection-stopped` when that projection has stopped alone. Without a read model named, it
 * waits for every projection.
 */
@Injectable()
export class ReadYourWrites {
  constructor(private readonly runner: ProjectionRunner) {}

  async reach(
    minPosition: string | undefined,
    readModel?: ReadModelName,
    waitMs = MAX_READ_YOUR_WRITES_WAIT_MS,
  ): Promise<void> {
    if (minPosition === undefined || minPosition === '') return;
    let wanted: bigint;
    try {
      wanted = parsePosition(minPosition);
    } catch {
      throw InvalidRequest.field('minPosition', 'position', 'minPosition must be a decimal position string');
    }
    const projection = readModel ? READ_MODELS[readModel] : undefined;
    const outcome = await this.runner.waitFor(wanted, waitMs, projection);
    if (outcome.reached) return;
    const status = await this.runner.status();
    if (outcome.failed) {
      const stopped = status.projections.find((p) => p.name === outcome.failed);
      throw new ProjectionStopped(
        wanted,
        outcome.failed,
        stopped?.checkpoint ?? 0n,
        stopped?.failure?.position,
      );
    }
    const own = projection ? status.projections.find((p) => p.name === projection) : undefined;
    const checkpoint = own?.checkpoint ?? status.checkpoint;
    const head = status.head;
    throw new ProjectionBehind(
      wanted,
      checkpoint,
      head > checkpoint ? head - checkpoint : 0n,
      status.eventsBehind,
      waitMs,
    );
  }
}
