import { MalformedEvent, UnknownEventType, UnsupportedSchemaVersion } from '../errors';
import { aHazardousBatch, baseWorld, deliver, generate, givenState, thenOf } from '../testing';
import { decodeEvent, type StoredEvent } from './decode-event';
import { DOMAIN_EVENT_TYPES } from './event-catalogue';

/** As the store gives it back: plain JSON, with its place in the log. */
function stored(event: { type: string; schemaVersion: number; data: unknown }, revision = 0n): StoredEvent {
  return { ...(JSON.parse(JSON.stringify(event)) as StoredEvent), stream: 'batch-c', revision };
}

const [generated] = aHazardousBatch();
if (generated.type !== 'WasteGenerated') throw new Error('expected WasteGenerated');

describe('decodeEvent (once per delivery: type, upcast chain, shape)', () => {
  it('given the events the ledger writes, when read back from JSON, then each decodes to itself', () => {
    const g = generate(baseWorld());
    const log = deliver(g.world, [g.traceCode]).log;
    givenState(log)
      .when((events) => events.map((e) => decodeEvent(stored(e))))
      .then([...log]);
  });

  it('given a type the catalogue does not know, when decoded, then UnknownEventType naming where it is stored', () => {
    thenOf(() => decodeEvent(stored({ type: 'WasteTeleported', schemaVersion: 1, data: {} }, 3n))).thenThrows(
      UnknownEventType,
      { type: 'WasteTeleported', stream: 'batch-c', revision: '3' },
    );
    // names of Object.prototype are not event types either
    thenOf(() => decodeEvent(stored({ type: 'constructor', schemaVersion: 1, data: {} }))).thenThrows(
      UnknownEventType,
    );
    expect(DOMAIN_EVENT_TYPES).not.toContain('constructor');
  });

  it('given a version newer than the code, when decoded, then UnsupportedSchemaVersion', () => {
    thenOf(() => decodeEvent(stored({ ...generated, schemaVersion: 4 }))).thenThrows(
      UnsupportedSchemaVersion,
      {
        type: 'WasteGenerated',
        schemaVersion: 4,
        current: 3,
      },
    );
  });

  it.each([1, 2])(
    'given a WasteGenerated of version %i (before the handler), when decoded, then the same facts at version 3, no handler',
    (version) => {
      thenOf(() => decodeEvent(stored({ ...generated, schemaVersion: version }))).thenAssert((event) => {
        expect(event.schemaVersion).toBe(3);
        expect(event.data).toEqual(generated.data);
        expect(event.data).not.toHaveProperty('handlerPersonId');
      });
    },
  );

  it.each([
    ['data that is not an object', [], 'event data must be an object'],
    ['a missing field', { ...generated.data, massGrams: undefined }, 'massGrams: not a whole number ≥ 0'],
    ['a fraction of a gram', { ...generated.data, massGrams: 1.5 }, 'massGrams: not a whole number ≥ 0'],
    ['an unknown category', { ...generated.data, category: 'radioactive' }, 'category: not one of'],
    [
      'a bad share deep in the composition',
      { ...generated.data, composition: [{ ...generated.data.composition[0], grams: -1 }] },
      'composition[0].grams: not a whole number ≥ 0',
    ],
    ['a wrongly typed optional field', { ...generated.data, description: 42 }, 'description: not a string'],
  ])('given %s, when decoded, then MalformedEvent saying where', (_case, data, reason) => {
    const error = thenOf(() =>
      decodeEvent(stored({ type: 'WasteGenerated', schemaVersion: 1, data })),
    ).thenThrows(MalformedEvent, { type: 'WasteGenerated', stream: 'batch-c' });
    expect(error.message).toContain(`WasteGenerated: ${reason}`);
  });

  it('given fields the shape does not name (left by an upcast), when decoded, then they are kept as stored', () => {
    const data = { ...generated.data, note: 'kept' };
    thenOf(() => decodeEvent(stored({ type: 'WasteGenerated', schemaVersion: 1, data }))).thenAssert(
      (event) => expect(event.data).toEqual(data),
    );
  });
});
