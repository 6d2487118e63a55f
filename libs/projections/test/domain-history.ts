import { randomUUID } from 'node:crypto';
import { streamOf, type DomainEvent } from '@wasteflow/domain';
import {
  baseWorld,
  cancelAt,
  consolidateAt,
  correctAt,
  generate,
  GENERATOR,
  heldBatches,
  issueAt,
  manifestNo,
  OTHER_GENERATOR,
  pickUpAt,
  randomPart,
  receiveAt,
  RECEIVER,
  splitAt,
  timesAt,
  treatAt,
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

/** A small linear congruential generator: deterministic, no dependency. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
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
    const candidates = heldBatches(world);
    if (candidates.length === 0) break;
    const b = pick(candidates);
    const roll = random();
    if (roll < 0.2) {
      const parts = [0.1 + random() * 0.3, random() < 0.5 ? 0.1 + random() * 0.2 : 0]
        .map((f) => Math.floor(b.heldGrams * f))
        .filter((g) => g > 0);
      if (parts.length === 0 || parts.reduce((x, y) => x + y, 0) >= b.heldGrams) continue;
      world = splitAt(world, b, parts, now);
    } else if (roll < 0.35) {
      const mates = candidates.filter(
        (c) =>
          c.custodianUscc === b.custodianUscc && c.traceCode !== b.traceCode && c.wasteCode === b.wasteCode,
      );
      if (mates.length === 0) continue;
      const m = pick(mates);
      const fractions = [0.2 + random() * 0.8, 0.2 + random() * 0.8] as const;
      world = consolidateAt(world, [b, m], fractions, randomCounter++, now);
    } else if (roll < 0.75) {
      const same = candidates
        .filter((c) => c.custodianUscc === b.custodianUscc)
        .slice(0, 1 + Math.floor(random() * 3));
      const no = manifestNo((serial += 1), '330106');
      world = issueAt(world, b, same, no, now);
      if (random() < 0.15) {
        world = cancelAt(world, b, no, now);
        continue;
      }
      world = pickUpAt(world, b, no, now);
      if (random() < 0.1) continue; // stays in transit
      const received = pick([1, 1, 0.97, 0.8, 0]);
      const accepted = pick([1, 1, 0.6, 0]);
      world = receiveAt(world, b, same, no, { received, accepted }, now);
    } else if (roll < 0.9) {
      if (b.custodianUscc !== RECEIVER) continue;
      const massGrams = Math.max(1, Math.floor(b.heldGrams * (random() < 0.3 ? 1 : random())));
      world = treatAt(world, b, massGrams, random() < 0.5, now);
    } else {
      const delta = Math.floor((random() - 0.5) * 10_000) || 1;
      if (b.heldGrams + delta < 0) continue;
      world = correctAt(world, b, delta, now);
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
