import {
  sealEvents,
  type AppendResult,
  type EventToAppend,
  type JsonObject,
  type StreamWrite,
} from '@wasteflow/event-store';
import { recordedBy } from '../access/principal';
import { derivedEventId, eventId } from './event-ids';
import { recordOf } from './idempotency-records';
import type { UnitOfWork } from './unit-of-work';
import {
  maxPosition,
  type Decision,
  type PreparedCommit,
  type StreamEvents,
  type WriteContext,
  type WriteOutcome,
  type WrittenStream,
} from './write-types';

/**
 * Seals a decision: ids from (actor, key, stream, index), metadata, hash chains continued from the
 * versions the unit of work read (docs/adr/0004), and the idempotency record. Contended streams go first
 * in the commit, so that a conflict on one is the conflict reported.
 */
export function sealDecision<R extends JsonObject>(
  context: WriteContext,
  unitOfWork: UnitOfWork,
  decision: Decision<R>,
): PreparedCommit<R> {
  const kept = decision.writes.filter((write) => write.events.length > 0);
  const writes = kept.map((write) => sealedWrite(unitOfWork, context, write));
  const commit = [
    ...writes.filter((_, i) => kept[i].contended),
    ...writes.filter((_, i) => !kept[i].contended),
  ];
  return {
    record: recordOf(context, decision.result, writes),
    writes,
    result: decision.result,
    ...(decision.secret ? { secret: decision.secret } : {}),
    commit,
  };
}

/** The outcome of a prepared commit from the store's results for its `commit`. */
export function outcomeOf<R extends JsonObject>(
  prepared: PreparedCommit<R>,
  results: readonly AppendResult[],
): WriteOutcome<R> {
  // in the decision's order (its own stream first), whatever the commit order was
  const byStream = new Map(results.map((result) => [result.stream, result]));
  const written = prepared.writes.map((write): WrittenStream => {
    const result = byStream.get(write.stream) as AppendResult;
    return {
      stream: result.stream,
      revision: result.revision,
      position: result.position,
      eventIds: result.eventIds,
    };
  });
  return {
    result: prepared.result,
    ...(prepared.secret ? { secret: prepared.secret } : {}),
    streams: written,
    position: maxPosition(written),
    replayed: false,
  };
}

/** Metadata of events derived from another event (the process manager): the cause's times, its ids. */
export interface DerivedMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly recordedAt: string;
}

/**
 * Events derived from another event, sealed: ids from the cause (its id, the stream, the index) and the
 * cause's times, so that two runs seal byte-identical events (the second is an idempotent retry).
 */
export function sealDerived(
  unitOfWork: UnitOfWork,
  writes: readonly StreamEvents[],
  metadata: DerivedMetadata,
): StreamWrite[] {
  return writes
    .filter((write) => write.events.length > 0)
    .map((write): StreamWrite => {
      const version = unitOfWork.versionOf(write.stream);
      const events = write.events.map((event, index): EventToAppend => ({
        id: derivedEventId(metadata.causationId, write.stream, index),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: {
          actor: metadata.actor,
          correlationId: metadata.correlationId,
          causationId: metadata.causationId,
          occurredAt: write.occurredAt ?? metadata.recordedAt,
          recordedAt: metadata.recordedAt,
          schemaVersion: event.schemaVersion,
        },
      }));
      return {
        stream: write.stream,
        expected: version.revision,
        events: sealEvents(events, version.lastHash),
      };
    });
}

function sealedWrite(unitOfWork: UnitOfWork, context: WriteContext, write: StreamEvents): StreamWrite {
  const version = unitOfWork.versionOf(write.stream);
  const recordedAt = context.recordedAt.toISOString();
  const by = recordedBy(context.principal);
  const events = write.events.map((event, index): EventToAppend => ({
    id: eventId(context, write.stream, index),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      actor: by.actor,
      ...(by.onBehalfOf ? { onBehalfOf: by.onBehalfOf } : {}),
      tokenId: context.principal.tokenId,
      correlationId: context.correlationId,
      causationId: context.causationId ?? context.correlationId,
      idempotencyKey: context.idempotencyKey,
      occurredAt: write.occurredAt ?? recordedAt,
      recordedAt,
      schemaVersion: event.schemaVersion,
    },
  }));
  return { stream: write.stream, expected: version.revision, events: sealEvents(events, version.lastHash) };
}
