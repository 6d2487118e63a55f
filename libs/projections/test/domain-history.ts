import { randomUUID } from 'node:crypto';
import {
  composeTraceCode,
  cstYymmdd,
  decideCancelManifest,
  decideConsolidateBatches,
  decideSplitBatch,
  decideTreatWaste,
  streamOf,
  type DomainEvent,
  type ExistingBatch,
} from '@wasteflow/domain';
import {
  anApprovedCorrection,
  baseWorld,
  CARRIER,
  COLLECTOR,
  DEFAULT_OPTIONS,
  generate,
  GENERATOR,
  issue,
  issueManifestCommand,
  manifestNo,
  OTHER_GENERATOR,
  pickUp,
  pickUpCommand,
  randomPart,
  childRandomPartsFor,
  receive,
  receiveCommand,
  RECEIVER,
  World,
} from '@wasteflow/domain/testing';
import type { EventStore, JsonObject } from '@wasteflow/event-store';

/**
 * Realistic domain histories for the read models' tests and benchmarks: generations, then a seeded
 * pseudo-random sequence of split / consolidate / ship (issue, pickup, receipt with loss and rejection) /
 * cancel / treat / correct, through the real decide functions and the process manager's custody events.
 * Deterministic for a seed; `offset` keeps trace codes and manifest numbers of several rounds apart.
 */
export interface HistoryOptions {
  readonly seed: number;
  readonly generations: number;
  readonly actions: number;
  /** Added to random parts and manifest serials so rounds never collide. */
  readonly offset?: number;
  /** Start from this world (default: the domain fixtures' registered parties). */
  readonly world?: World;
}

const cst = (ms: number): string => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
const timesAt = (ms: number) => ({ occurredAt: cst(ms), recordedAt: new Date(ms + 60_000).toISOString() });

/** A small linear congruential generator: deterministic, no dependency. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function held(world: World): ExistingBatch[] {
  return [...world.batches.values()]
    .filter((b): b is ExistingBatch => b.status === 'held' && b.heldGrams > 0)
    .sort((a, b) => (a.traceCode < b.traceCode ? -1 : 1));
}

export function domainHistory(options: HistoryOptions): World {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const offset = options.offset ?? 0;
  let world = options.world ?? baseWorld();
  const t0 = Date.parse('2025-03-03T09:00:00+08:00') + offset * 60_000;
  for (let i = 0; i < options.generations; i += 1) {
    world = generate(world, {
      actorUscc: random() < 0.3 ? OTHER_GENERATOR : GENERATOR,
      massGrams: 1 + Math.floor(random() * 5_000_000),
      randomPart: randomPart(offset * 10_000 + i + 1),
      ...timesAt(Date.parse(`2025-0${1 + Math.floor(random() * 2)}-01T08:00:00+08:00`) + i * 60_000 + offset),
    }).world;
  }
  let serial = offset * 1000;
  let randomCounter = offset * 10_000 + 5000;
  for (let k = 0; k < options.actions; k += 1) {
    const now = t0 + k * 3_600_000;
    const candidates = held(world);
    if (candidates.length === 0) break;
    const b = pick(candidates);
    const roll = random();
    if (roll < 0.2) {
      const parts = [0.1 + random() * 0.3, random() < 0.5 ? 0.1 + random() * 0.2 : 0]
        .map((f) => Math.floor(b.heldGrams * f))
        .filter((g) => g > 0);
      if (parts.length === 0 || parts.reduce((x, y) => x + y, 0) >= b.heldGrams) continue;
      world = world.applyBatches(
        decideSplitBatch(
          {
            traceCode: b.traceCode,
            actorUscc: b.custodianUscc,
            partsGrams: parts,
            childRandomParts: childRandomPartsFor(b.traceCode, parts.length, timesAt(now).occurredAt),
            ...timesAt(now),
          },
          b,
        ),
      );
    } else if (roll < 0.35) {
      const mates = candidates.filter(
        (c) =>
          c.custodianUscc === b.custodianUscc && c.traceCode !== b.traceCode && c.wasteCode === b.wasteCode,
      );
      if (mates.length === 0) continue;
      const m = pick(mates);
      const lines = [b, m].map((x) => ({
        traceCode: x.traceCode,
        massGrams: Math.max(1, Math.floor(x.heldGrams * (0.2 + random() * 0.8))),
      }));
      const party = world.party(b.custodianUscc);
      if (party.status !== 'registered') throw new Error('custodian not registered');
      const traceCode = composeTraceCode({
        districtCode: party.districtCode,
        category: b.category,
        date: cstYymmdd(now),
        randomPart: randomPart(randomCounter++),
      });
      world = world.applyBatches(
        decideConsolidateBatches(
          { traceCode, actorUscc: b.custodianUscc, lines, ...timesAt(now) },
          { consolidator: party, inputs: world.batches, target: world.batch(traceCode) },
        ),
      );
    } else if (roll < 0.75) {
      const receiver = b.custodianUscc === RECEIVER ? COLLECTOR : RECEIVER;
      const carrier = b.custodianUscc === COLLECTOR ? COLLECTOR : CARRIER;
      const same = candidates
        .filter((c) => c.custodianUscc === b.custodianUscc)
        .slice(0, 1 + Math.floor(random() * 3));
      const no = manifestNo((serial += 1), '330106');
      world = issue(
        world,
        issueManifestCommand(
          same.map((c) => ({ traceCode: c.traceCode })),
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
      if (random() < 0.15) {
        const cancelled = decideCancelManifest(
          { manifestNo: no, actorUscc: b.custodianUscc, reason: '改期', ...timesAt(now + 300_000) },
          { manifest: world.manifest(no) },
          DEFAULT_OPTIONS,
        );
        world = world.apply(cancelled.manifest).applyBatches(cancelled.batches);
        continue;
      }
      world = pickUp(world, pickUpCommand({ manifestNo: no, actorUscc: carrier, ...timesAt(now + 600_000) }));
      if (random() < 0.1) continue; // stays in transit
      const receivedShare = pick([1, 1, 0.97, 0.8, 0]);
      const acceptedShare = pick([1, 1, 0.6, 0]);
      const receiptLines = same.map((c) => {
        const receivedGrams = Math.floor(c.heldGrams * receivedShare);
        const acceptedGrams = Math.floor(receivedGrams * acceptedShare);
        return {
          traceCode: c.traceCode,
          receivedGrams,
          acceptedGrams,
          ...(acceptedGrams < receivedGrams ? { reason: '抽检不合格' } : {}),
        };
      });
      world = receive(
        world,
        receiveCommand(receiptLines, { manifestNo: no, actorUscc: receiver, ...timesAt(now + 1_200_000) }),
      );
    } else if (roll < 0.9) {
      if (b.custodianUscc !== RECEIVER) continue;
      const massGrams = Math.max(1, Math.floor(b.heldGrams * (random() < 0.3 ? 1 : random())));
      world = world.apply(
        decideTreatWaste(
          {
            traceCode: b.traceCode,
            actorUscc: RECEIVER,
            operation: random() < 0.5 ? 'R9' : 'D10',
            massGrams,
            ...timesAt(now),
          },
          { batch: b, custodian: world.party(RECEIVER) },
          DEFAULT_OPTIONS,
        ),
      );
    } else {
      const delta = Math.floor((random() - 0.5) * 10_000) || 1;
      if (b.heldGrams + delta < 0) continue;
      world = world.apply(
        anApprovedCorrection(b, {
          traceCode: b.traceCode,
          actorUscc: b.custodianUscc,
          deltaGrams: delta,
          reason: '复磅',
          ...timesAt(now),
        }),
      );
    }
  }
  return world;
}

/**
 * Appends a world's log to a store in order, `perCommit` events to a commit (one commit may span
 * several streams, like the ledger's multi-stream decisions), each with `metadata.recordedAt` a minute
 * after it occurred.
 */
export async function appendHistory(
  store: EventStore,
  events: readonly DomainEvent[],
  perCommit = 50,
): Promise<void> {
  for (let start = 0; start < events.length; start += perCommit) {
    const byStream = new Map<
      string,
      { id: string; type: string; schemaVersion: number; data: JsonObject; metadata: JsonObject }[]
    >();
    for (const event of events.slice(start, start + perCommit)) {
      const stream = streamOf(event);
      const occurredAt = (event.data as { occurredAt: string }).occurredAt;
      const list = byStream.get(stream) ?? [];
      list.push({
        id: randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data as unknown as JsonObject,
        metadata: { recordedAt: new Date(Date.parse(occurredAt) + 60_000).toISOString() },
      });
      byStream.set(stream, list);
    }
    await store.appendToStreams(
      [...byStream].map(([stream, list]) => ({ stream, expected: 'any' as const, events: list })),
    );
  }
}
