import type { FastifyReply } from 'fastify';
import { formatPosition, type JsonObject } from '@wasteflow/event-store';
import type { WriteOutcome, WrittenStream } from '@wasteflow/ledger';

export const LEDGER_POSITION_HEADER = 'X-Ledger-Position';
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotency-Replayed';

export interface WrittenStreamBody {
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly eventIds: readonly string[];
}

function streamBody(stream: WrittenStream): WrittenStreamBody {
  return {
    stream: stream.stream,
    revision: stream.revision.toString(),
    position: formatPosition(stream.position),
    eventIds: stream.eventIds,
  };
}

/**
 * The 201 body of every write: the command's answer, then its own stream (the first written), that
 * stream's new revision and event ids, the global position of the whole commit (the highest, also in
 * X-Ledger-Position: give it as `minPosition` to read your write), and every stream written. Revisions and
 * positions are decimal strings. A replay builds the same body from the idempotency record.
 */
export function writeBody(outcome: WriteOutcome): JsonObject {
  const [own] = outcome.streams;
  return {
    ...(outcome.secret ?? {}),
    ...outcome.result,
    stream: own?.stream ?? null,
    revision: own ? own.revision.toString() : null,
    position: formatPosition(outcome.position),
    eventIds: own ? [...own.eventIds] : [],
    streams: outcome.streams.map(streamBody) as unknown as JsonObject[],
  };
}

/** Sets the write headers (X-Ledger-Position; Idempotency-Replayed on a replay) and returns the body. */
export function respond(reply: FastifyReply, outcome: WriteOutcome): JsonObject {
  void reply.header(LEDGER_POSITION_HEADER, formatPosition(outcome.position));
  if (outcome.replayed) void reply.header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
  return writeBody(outcome);
}
