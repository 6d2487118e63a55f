import type { EventToAppend } from '@wasteflow/event-store';

/**
 * The benchmark's events: shaped like the ledger's `WasteGenerated` (about 500 bytes of data and 400 of
 * metadata as JSON), deterministic, and different from one another so no store gains from repetition.
 */
export function wasteGeneratedEvent(runId: string, n: number): EventToAppend {
  const hex = (n * 2654435761).toString(16).padStart(12, '0').slice(-12);
  const uuid = (tag: string): string =>
    `${tag}${hex.slice(0, 7)}-${hex.slice(0, 4)}-4${hex.slice(5, 8)}-a${hex.slice(8, 11)}-${hex}`;
  return {
    id: `${runId}-${n}-${uuid('e')}`,
    type: 'WasteGenerated',
    schemaVersion: 1,
    data: {
      batchId: uuid('b'),
      generator: { partyId: uuid('p'), uscc: '91330106MA2B3C4D5E', siteId: `site-${n % 97}` },
      waste: {
        category: 'hazardous',
        code: `HW08 900-${String(200 + (n % 50)).padStart(3, '0')}-08`,
        description: 'Spent mineral oil from hydraulic presses, in sealed drums',
        hazardProperties: ['T', 'I'],
      },
      quantity: { value: Math.round((1000 + (n % 9000)) * 1.37 * 1000) / 1000, unit: 'kg' },
      packaging: { kind: 'drum', count: 1 + (n % 8), capacityLitres: 200 },
      storage: { areaId: `store-${n % 13}`, since: '2025-03-14T08:30:00.000Z' },
      generatedAt: new Date(Date.UTC(2025, 2, 14, 8, 30) + n * 1000).toISOString(),
      note: null,
    },
    metadata: {
      commandId: uuid('c'),
      correlationId: uuid('r'),
      causationId: uuid('k'),
      actor: { userId: `user-${n % 211}`, partyUscc: '91330106MA2B3C4D5E', roles: ['generator', 'operator'] },
      occurredAt: new Date(Date.UTC(2025, 2, 14, 8, 30) + n * 1000).toISOString(),
      source: { app: 'wasteflow-api', version: '0.1.0', ip: '10.0.3.17' },
      traceparent: `00-${hex}${hex}${hex.slice(0, 8)}-${hex.slice(0, 16).padEnd(16, '0')}-01`,
    },
  };
}

/** One append call of a workload: `events` to `stream`, whose current revision is `revisionBefore`. */
export interface AppendCall {
  readonly stream: string;
  /** -1 when the stream is new, else the 0-based revision of its last event. */
  readonly revisionBefore: number;
  readonly events: readonly EventToAppend[];
}

export interface WorkloadShape {
  readonly events: number;
  readonly eventsPerAppend: number;
  /** Appends made to a stream before the appender moves on to a new one. */
  readonly appendsPerStream: number;
  /** Async appenders running at once, each on streams of its own. */
  readonly appenders: number;
}

export interface Workload extends WorkloadShape {
  /** Per appender, its calls in order. */
  readonly plan: readonly (readonly AppendCall[])[];
  /** Every stream with its events in order: what a correct store holds afterwards. */
  readonly expected: ReadonlyMap<string, readonly string[]>;
}

export function buildWorkload(runId: string, shape: WorkloadShape): Workload {
  const { events, eventsPerAppend, appendsPerStream, appenders } = shape;
  if (events % (eventsPerAppend * appenders) !== 0) {
    throw new Error(`events (${events}) must be a multiple of eventsPerAppend × appenders`);
  }
  const callsPerAppender = events / eventsPerAppend / appenders;
  let n = 0;
  const expected = new Map<string, string[]>();
  const plan = Array.from({ length: appenders }, (_, appender) =>
    Array.from({ length: callsPerAppender }, (_, call): AppendCall => {
      const stream = `Batch-${runId}-a${appender}-s${Math.floor(call / appendsPerStream)}`;
      const revisionBefore = (call % appendsPerStream) * eventsPerAppend - 1;
      const batch = Array.from({ length: eventsPerAppend }, () => wasteGeneratedEvent(runId, (n += 1)));
      const ids = expected.get(stream) ?? [];
      ids.push(...batch.map((event) => event.id));
      expected.set(stream, ids);
      return { stream, revisionBefore, events: batch };
    }),
  );
  return { ...shape, plan, expected };
}

/**
 * Runs each appender's calls one after another, all appenders at once; the first error fails the run.
 * With a slice, only that share of every appender's calls (slices cut each appender's plan in order).
 */
export async function drive(
  workload: Workload,
  append: (call: AppendCall, appender: number, index: number) => Promise<unknown>,
  slice: { index: number; count: number } = { index: 0, count: 1 },
): Promise<void> {
  await Promise.all(
    workload.plan.map(async (calls, appender) => {
      const from = Math.floor((calls.length * slice.index) / slice.count);
      const to = Math.floor((calls.length * (slice.index + 1)) / slice.count);
      for (let index = from; index < to; index += 1) await append(calls[index], appender, index);
    }),
  );
}

export function payloadSizes(): { data: number; metadata: number } {
  const event = wasteGeneratedEvent('size', 12345);
  return { data: JSON.stringify(event.data).length, metadata: JSON.stringify(event.metadata).length };
}
