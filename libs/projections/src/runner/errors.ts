import type { RecordedEvent } from '@wasteflow/event-store';

/** A projection threw: the batch was not committed and the runner stopped at the event before it. */
export class ProjectionFailed extends Error {
  readonly eventId: string;
  readonly eventType: string;
  readonly position: bigint;

  constructor(
    readonly projection: string,
    event: RecordedEvent,
    readonly phase: 'prefetch' | 'evolve',
    cause: unknown,
  ) {
    super(
      `Projection ${projection} failed in ${phase} on ${event.type} at position ${event.position} (event ${event.id}): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = 'ProjectionFailed';
    this.eventId = event.id;
    this.eventType = event.type;
    this.position = event.position;
  }
}

/** Rebuild or start refused: another runner holds the lease. */
export class LeaseUnavailable extends Error {
  constructor(
    readonly lease: string,
    readonly holder: string,
  ) {
    super(`Lease ${lease} is ${holder}`);
    this.name = 'LeaseUnavailable';
  }
}
