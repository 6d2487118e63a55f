import { batchStream, gramsToKg, type BatchStreamEvents, type DomainEvent } from '@wasteflow/domain';
import type { JsonObject } from '@wasteflow/event-store';
import type { StreamEvents } from '../writing/ledger-writer';
import type { StoredEventShape } from '../writing/stream-model';
import type { UnitOfWork } from '../writing/unit-of-work';
import { optional, type PlanContext } from './use-case';

/** Domain events as the store keeps them (their data is plain JSON by construction). */
export function stored(events: readonly DomainEvent[]): StoredEventShape[] {
  return events.map((event) => ({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data as unknown as JsonObject,
  }));
}

/** The write of domain events to one stream, their business time copied into the metadata. */
export function writeOf(stream: string, events: readonly DomainEvent[]): StreamEvents {
  const first = events[0] as { data: { occurredAt?: unknown } } | undefined;
  const occurredAt = typeof first?.data.occurredAt === 'string' ? first.data.occurredAt : undefined;
  return { stream, events: stored(events), ...(occurredAt ? { occurredAt } : {}) };
}

/** Writes of a multi-stream batch decision; a new stream (`isNew`) is appended with `no_stream`. */
export function batchWrites(unitOfWork: UnitOfWork, streams: readonly BatchStreamEvents[]): StreamEvents[] {
  return streams.map((s) => {
    const stream = batchStream(s.traceCode);
    if (s.isNew) unitOfWork.expectNew(stream);
    return writeOf(stream, s.events);
  });
}

/**
 * A command's two times: when it happened — as the client says, by default when it is recorded — and when
 * it is recorded (the server's clock, the domain's `recordedAt`).
 */
export function timesOf(
  context: PlanContext,
  occurredAt?: string | null,
): { readonly occurredAt: string; readonly recordedAt: string } {
  return { occurredAt: optional(occurredAt) ?? context.recordedAt, recordedAt: context.recordedAt };
}

export const kg = gramsToKg;
