import type { ExistingBatch } from '../batch/batch.state';
import { decideConsolidateBatches } from '../batch/consolidate-batches.decide';
import { decideSplitBatch } from '../batch/split-batch.decide';
import { decideTreatWaste } from '../batch/treat-waste.decide';
import { cstYymmdd } from '../values/time';
import { composeTraceCode } from '../values/trace-code';
import {
  CARRIER,
  COLLECTOR,
  RECEIVER,
  childRandomPartsFor,
  issueManifestCommand,
  pickUpCommand,
  randomPart,
  receiveCommand,
} from './fixtures';
import { anApprovedCorrection } from './given-events';
import { DEFAULT_OPTIONS, cancel, issue, pickUp, receive } from './scenario';
import type { World } from './world';

/**
 * The movements of mass that random histories are made of (the property tests' and the read models'
 * generated histories), each through the real decide functions: the caller draws the numbers, these
 * apply them at `now` (epoch ms; occurred then, recorded a minute later).
 */

/** Epoch ms as a China Standard Time timestamp (+08:00). */
export const cst = (ms: number): string => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
/** A command's times: occurred at `ms`, recorded a minute later. */
export const timesAt = (ms: number) => ({
  occurredAt: cst(ms),
  recordedAt: new Date(ms + 60_000).toISOString(),
});

/** The batches holding mass, by trace code: what a movement can pick. */
export function heldBatches(world: World): ExistingBatch[] {
  return [...world.batches.values()]
    .filter((b): b is ExistingBatch => b.status === 'held' && b.heldGrams > 0)
    .sort((a, b) => (a.traceCode < b.traceCode ? -1 : 1));
}

/** Its custodian splits `b` into children of `partsGrams`. */
export function splitAt(world: World, b: ExistingBatch, partsGrams: number[], now: number): World {
  const command = {
    traceCode: b.traceCode,
    actorUscc: b.custodianUscc,
    partsGrams,
    childRandomParts: childRandomPartsFor(b.traceCode, partsGrams.length, timesAt(now).occurredAt),
    ...timesAt(now),
  };
  return world.applyBatches(decideSplitBatch(command, b));
}

/** Their custodian consolidates the share `fractions[i]` (at least a gram) of `b` and of `m` into a new batch. */
export function consolidateAt(
  world: World,
  [b, m]: [ExistingBatch, ExistingBatch],
  fractions: readonly [number, number],
  random: number,
  now: number,
): World {
  const lines = [b, m].map((x, i) => ({
    traceCode: x.traceCode,
    massGrams: Math.max(1, Math.floor(x.heldGrams * fractions[i])),
  }));
  const party = world.party(b.custodianUscc);
  if (party.status !== 'registered') throw new Error('custodian not registered');
  const traceCode = composeTraceCode({
    districtCode: party.districtCode,
    category: b.category,
    date: cstYymmdd(now),
    randomPart: randomPart(random),
  });
  return world.applyBatches(
    decideConsolidateBatches(
      { traceCode, actorUscc: b.custodianUscc, lines, ...timesAt(now) },
      { consolidator: party, inputs: world.batches, target: world.batch(traceCode) },
    ),
  );
}

/** Who a shipment of `b`'s custodian goes to (the collector when the receiver ships) and who carries it. */
export function shipmentParties(b: ExistingBatch): { receiver: string; carrier: string } {
  return {
    receiver: b.custodianUscc === RECEIVER ? COLLECTOR : RECEIVER,
    carrier: b.custodianUscc === COLLECTOR ? COLLECTOR : CARRIER,
  };
}

/** `b`'s custodian issues manifest `no` for the whole batches `lines` (its own), at `now`. */
export function issueAt(
  world: World,
  b: ExistingBatch,
  lines: readonly ExistingBatch[],
  no: string,
  now: number,
): World {
  const { receiver, carrier } = shipmentParties(b);
  return issue(
    world,
    issueManifestCommand(
      lines.map((c) => ({ traceCode: c.traceCode })),
      {
        manifestNo: no,
        actorUscc: b.custodianUscc,
        carrierUscc: carrier,
        receiverUscc: receiver,
        plannedAt: cst(now),
        ...timesAt(now),
      },
    ),
  );
}

/** The shipper cancels manifest `no` (改期) five minutes after `now`. */
export function cancelAt(world: World, b: ExistingBatch, no: string, now: number): World {
  return cancel(world, {
    manifestNo: no,
    actorUscc: b.custodianUscc,
    reason: '改期',
    ...timesAt(now + 300_000),
  });
}

/** The carrier picks manifest `no` up ten minutes after `now`. */
export function pickUpAt(world: World, b: ExistingBatch, no: string, now: number): World {
  const { carrier } = shipmentParties(b);
  return pickUp(world, pickUpCommand({ manifestNo: no, actorUscc: carrier, ...timesAt(now + 600_000) }));
}

/**
 * The receiver receives manifest `no` twenty minutes after `now`: of each line the share `received` of its
 * held mass, of that the share `accepted` (a rejection says 抽检不合格).
 */
export function receiveAt(
  world: World,
  b: ExistingBatch,
  lines: readonly ExistingBatch[],
  no: string,
  shares: { received: number; accepted: number },
  now: number,
): World {
  const { receiver } = shipmentParties(b);
  const receiptLines = lines.map((c) => {
    const receivedGrams = Math.floor(c.heldGrams * shares.received);
    const acceptedGrams = Math.floor(receivedGrams * shares.accepted);
    return {
      traceCode: c.traceCode,
      receivedGrams,
      acceptedGrams,
      ...(acceptedGrams < receivedGrams ? { reason: '抽检不合格' } : {}),
    };
  });
  return receive(
    world,
    receiveCommand(receiptLines, { manifestNo: no, actorUscc: receiver, ...timesAt(now + 1_200_000) }),
  );
}

/** RECEIVER (the custodian of `b`) utilises (R9) or disposes of (D10) `massGrams` of it. */
export function treatAt(
  world: World,
  b: ExistingBatch,
  massGrams: number,
  utilise: boolean,
  now: number,
): World {
  return world.apply(
    decideTreatWaste(
      {
        traceCode: b.traceCode,
        actorUscc: RECEIVER,
        operation: utilise ? 'R9' : 'D10',
        massGrams,
        ...timesAt(now),
      },
      { batch: b, custodian: world.party(RECEIVER) },
      DEFAULT_OPTIONS,
    ),
  );
}

/** The custodian corrects `b` by `deltaGrams` after a re-weighing (复磅), approved. */
export function correctAt(world: World, b: ExistingBatch, deltaGrams: number, now: number): World {
  return world.apply(
    anApprovedCorrection(b, {
      traceCode: b.traceCode,
      actorUscc: b.custodianUscc,
      deltaGrams,
      reason: '复磅',
      ...timesAt(now),
    }),
  );
}
