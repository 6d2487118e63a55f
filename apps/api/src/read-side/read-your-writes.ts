import { Injectable } from '@nestjs/common';
import { formatPosition, parsePosition } from '@wasteflow/event-store';
import { ProjectionRunner } from '@wasteflow/projections';
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

export const MAX_READ_YOUR_WRITES_WAIT_MS = 5_000;

/**
 * Read-your-writes: a query given `minPosition` (the X-Ledger-Position of a write) waits, bounded, until
 * the projections have applied that position, then answers; otherwise 503 with the current lag.
 */
@Injectable()
export class ReadYourWrites {
  constructor(private readonly runner: ProjectionRunner) {}

  async reach(minPosition: string | undefined, waitMs = MAX_READ_YOUR_WRITES_WAIT_MS): Promise<void> {
    if (minPosition === undefined || minPosition === '') return;
    let wanted: bigint;
    try {
      wanted = parsePosition(minPosition);
    } catch {
      throw InvalidRequest.field('minPosition', 'position', 'minPosition must be a decimal position string');
    }
    if (await this.runner.waitForPosition(wanted, waitMs)) return;
    const status = await this.runner.status();
    throw new ProjectionBehind(wanted, status.checkpoint, status.lag, status.eventsBehind, waitMs);
  }

  /** The position every read model has reached: answers carry it so clients can recompute and compare. */
  async position(): Promise<string> {
    const status = await this.runner.status();
    return formatPosition(status.checkpoint);
  }
}
