import {
  batchStream,
  custodyEventsFor,
  type BatchStreamEvents,
  traceCodesOf,
  type ManifestEvent,
} from '@wasteflow/domain';
import { batchModel } from '../streams/stream-models';
import type { DecidedOnStream } from '../use-case/decide-on-stream';
import { batchWrites } from '../use-case/plan-helpers';
import type { StreamEvents } from '../writing/ledger-writer';
import type { UnitOfWork } from '../writing/unit-of-work';

/** Manifest events whose batch side the process manager keeps in step (issue's lock is written with it). */
export const CUSTODY_EVENT_TYPES = [
  'ManifestPickedUp',
  'ManifestHandedOver',
  'ManifestReceived',
  'ManifestCancelled',
] as const;

/**
 * The custody step for one batch: loads it and asks the domain what the manifest event means for it
 * (`custodyEventsFor`: pure, deterministic, `[]` when the batch already reflects the event). The batch's
 * own stream comes first, then a new rejection child (appended with `no_stream`).
 */
export async function custodyWritesFor(
  unitOfWork: UnitOfWork,
  event: ManifestEvent,
  traceCode: string,
): Promise<{ writes: StreamEvents[]; streams: BatchStreamEvents[] }> {
  const batch = await unitOfWork.load(batchStream(traceCode), batchModel);
  const streams = custodyEventsFor(event, batch.state, traceCode).filter((s) => s.events.length > 0);
  return { writes: batchWrites(unitOfWork, streams), streams };
}

/** The custody step for every batch of the event, in one unit of work (the pickup and receipt commands). */
export async function custodyWrites(
  unitOfWork: UnitOfWork,
  event: ManifestEvent,
): Promise<{ writes: StreamEvents[]; streams: BatchStreamEvents[] }> {
  const writes: StreamEvents[] = [];
  const streams: BatchStreamEvents[] = [];
  for (const traceCode of traceCodesOf(event)) {
    const step = await custodyWritesFor(unitOfWork, event, traceCode);
    writes.push(...step.writes);
    streams.push(...step.streams);
  }
  return { writes, streams };
}

/**
 * A manifest command's writes: the manifest's events on its stream and, in the same commit, the batch side
 * the process manager would derive (`custodyWrites`), so the answer and its positions are consistent at
 * once and the process manager then finds nothing left to do.
 */
export async function withCustody(
  unitOfWork: UnitOfWork,
  decided: DecidedOnStream<unknown, ManifestEvent, ManifestEvent>,
): Promise<{ writes: StreamEvents[]; streams: BatchStreamEvents[] }> {
  const custody = await custodyWrites(unitOfWork, decided.event);
  return { writes: [decided.write, ...custody.writes], streams: custody.streams };
}
