import { DuplicateEventId } from '../errors';
import type { EventToAppend, StreamWrite } from '../event-store.port';
import { resolveStoredCommit, type StoredEvent } from './idempotent-retry';
import { jsonEqual } from './json-equal';

const event = (id: string, data: EventToAppend['data'] = { id }): EventToAppend => ({
  id,
  type: 'T',
  schemaVersion: 1,
  data,
  metadata: { m: 1 },
});

const stored = (e: EventToAppend, stream: string, revision: bigint, position: bigint): StoredEvent => ({
  ...e,
  stream,
  revision,
  position,
});

function storeOf(...events: StoredEvent[]): Map<string, StoredEvent> {
  return new Map(events.map((e) => [e.id, e]));
}

describe('resolveStoredCommit', () => {
  const a = event('a');
  const b = event('b');
  const original = storeOf(stored(a, 's', 3n, 10n), stored(b, 's', 4n, 11n));

  it('replays an identical retry where its expected revision puts it', () => {
    const writes: StreamWrite[] = [{ stream: 's', expected: 2n, events: [a, b] }];
    expect(resolveStoredCommit(writes, original)).toEqual([
      { stream: 's', revision: 4n, position: 11n, eventIds: ['a', 'b'], replayed: true },
    ]);
    expect(resolveStoredCommit([{ ...writes[0], expected: 'any' }], original)[0].replayed).toBe(true);
    expect(resolveStoredCommit([{ ...writes[0], expected: 'stream_exists' }], original)[0].replayed).toBe(
      true,
    );
  });

  it('treats key order as irrelevant to content', () => {
    const reordered = event('a', { z: 1, a: { y: [1, 2], x: null } });
    const original2 = storeOf(
      stored({ ...reordered, data: { a: { x: null, y: [1, 2] }, z: 1 } }, 's', 0n, 1n),
    );
    expect(
      resolveStoredCommit([{ stream: 's', expected: 'no_stream', events: [reordered] }], original2)[0]
        .replayed,
    ).toBe(true);
  });

  it.each<[string, StreamWrite[], string]>([
    ['other content', [{ stream: 's', expected: 2n, events: [a, event('b', { changed: true })] }], 'b'],
    ['other stream', [{ stream: 't', expected: 2n, events: [a, b] }], 'a'],
    ['other order', [{ stream: 's', expected: 2n, events: [b, a] }], 'a'],
    ['partly new', [{ stream: 's', expected: 2n, events: [a, event('c')] }], 'a'],
    ['new event first', [{ stream: 's', expected: 2n, events: [event('c'), a] }], 'a'],
    ['expected revision elsewhere', [{ stream: 's', expected: 4n, events: [a, b] }], 'a'],
    ['no_stream on a later revision', [{ stream: 's', expected: 'no_stream', events: [a, b] }], 'a'],
  ])('refuses %s with DuplicateEventId', (_, writes, eventId) => {
    expect(() => resolveStoredCommit(writes, original)).toThrow(DuplicateEventId);
    try {
      resolveStoredCommit(writes, original);
    } catch (error) {
      expect((error as DuplicateEventId).eventId).toBe(eventId);
    }
  });

  it('needs every write of a multi-stream commit to be identical', () => {
    const c = event('c');
    const commit = storeOf(stored(a, 's', 0n, 5n), stored(c, 'u', 0n, 6n));
    const writes: StreamWrite[] = [
      { stream: 's', expected: 'no_stream', events: [a] },
      { stream: 'u', expected: 'no_stream', events: [c] },
    ];
    expect(resolveStoredCommit(writes, commit).map((r) => r.position)).toEqual([5n, 6n]);
    expect(() =>
      resolveStoredCommit([writes[0], { stream: 'v', expected: 'no_stream', events: [event('d')] }], commit),
    ).toThrow(DuplicateEventId);
  });
});

describe('jsonEqual', () => {
  it('compares structure, not key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: [] }, { a: {} })).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});
