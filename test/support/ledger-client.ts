import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { RecordedEvent } from '@wasteflow/event-store';
import { send, streamEvents } from './fixtures';
import type { TestApp } from './test-app';

/** A write as the tests send it: bearer token, Idempotency-Key (a fresh UUID unless given), JSON body. */
export function post(
  t: TestApp,
  path: string,
  token: string | undefined,
  body: unknown,
  idempotencyKey: string | null = randomUUID(),
): Promise<Response> {
  return send(t, path, token, body, idempotencyKey);
}

/** The events of one stream ([] when it has none). */
export const eventsOf = streamEvents;

/** `type` of each event of a stream, in order. */
export async function typesOf(t: TestApp, stream: string): Promise<string[]> {
  return (await eventsOf(t, stream)).map((e) => e.type);
}

/** Everything in the log, every stream (`$manifest-serial-…` counters included). */
export async function everything(t: TestApp): Promise<RecordedEvent[]> {
  return t.store.readAll();
}

/** Runs `act` and checks that it appended nothing at all. */
export async function expectNothingAppended(t: TestApp, act: () => Promise<unknown>): Promise<void> {
  const before = (await everything(t)).length;
  await act();
  const after = await everything(t);
  const added = after.slice(before);
  if (added.length > 0) {
    throw new Error(`expected nothing appended, got ${added.map((e) => `${e.stream}:${e.type}`).join(', ')}`);
  }
}
