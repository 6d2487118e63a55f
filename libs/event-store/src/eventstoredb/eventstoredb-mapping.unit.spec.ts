import { formatPosition, parsePosition } from '../position';
import { InvalidArgument } from '../errors';
import { normalizeFilter } from '../internal/event-filter';
import {
  EVENT_ID_KEY,
  SCHEMA_VERSION_KEY,
  fromEsdbName,
  isEsdbSystemRecord,
  toEsdbEventId,
  toEsdbExpected,
  toEsdbName,
  toPosition,
  toReadPosition,
  toServerFilter,
  unwrapMetadata,
  wrapMetadata,
} from './eventstoredb-mapping';
import fc from 'fast-check';

describe('EventStoreDB mapping', () => {
  it('escapes our names so none reaches the server starting with $, and back', () => {
    expect(toEsdbName('$checkpoint-projections')).toBe('~$checkpoint-projections');
    expect(toEsdbName('~odd')).toBe('~~odd');
    expect(toEsdbName('batch-ABC')).toBe('batch-ABC');
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(fromEsdbName(toEsdbName(name))).toBe(name);
        expect(toEsdbName(name).startsWith('$')).toBe(false);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('recognises the server’s own records', () => {
    expect(isEsdbSystemRecord('$stats-127.0.0.1:2113', '$statsCollected')).toBe(true);
    expect(isEsdbSystemRecord('$$batch-1', '$metadata')).toBe(true);
    expect(isEsdbSystemRecord('$ce-batch', '$>')).toBe(true);
    expect(isEsdbSystemRecord('~$checkpoint', 'CheckpointStored')).toBe(false);
  });

  it('maps every expected revision', () => {
    expect(toEsdbExpected('no_stream')).toBe('no_stream');
    expect(toEsdbExpected('stream_exists')).toBe('stream_exists');
    expect(toEsdbExpected('any')).toBe('any');
    expect(toEsdbExpected(41n)).toBe(41n);
  });

  it('keeps canonical UUID ids and maps others deterministically, keeping the original', () => {
    expect(toEsdbEventId('4f1f3c2a-9b7e-4d1c-8a2b-0c5d6e7f8091')).toEqual({
      esdbId: '4f1f3c2a-9b7e-4d1c-8a2b-0c5d6e7f8091',
      keepOriginal: false,
    });
    const mapped = toEsdbEventId('cmd-42:event-1');
    expect(mapped.keepOriginal).toBe(true);
    expect(mapped.esdbId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toEsdbEventId('cmd-42:event-1')).toEqual(mapped);
    expect(toEsdbEventId('4F1F3C2A-9B7E-4D1C-8A2B-0C5D6E7F8091').keepOriginal).toBe(true);
  });

  it('carries schemaVersion and a mapped id in the metadata and strips them on read', () => {
    const metadata = { correlationId: 'c-1', nested: { a: [1, null] } };
    const event = { id: 'evt-1', type: 'T', schemaVersion: 4, data: {}, metadata };
    const stored = wrapMetadata(event, true);
    expect(stored).toEqual({ ...metadata, [SCHEMA_VERSION_KEY]: 4, [EVENT_ID_KEY]: 'evt-1' });
    expect(unwrapMetadata(JSON.parse(JSON.stringify(stored)), 'uuid')).toEqual({
      metadata,
      schemaVersion: 4,
      id: 'evt-1',
    });
    expect(unwrapMetadata(wrapMetadata({ ...event, id: 'u' }, false), 'u')).toEqual({
      metadata,
      schemaVersion: 4,
      id: 'u',
    });
    expect(() => wrapMetadata({ ...event, metadata: { [SCHEMA_VERSION_KEY]: 1 } }, false)).toThrow(
      InvalidArgument,
    );
  });

  it('turns commit positions into read positions and decimal strings without loss', () => {
    const commit = 2n ** 62n + 12_345n;
    expect(toPosition({ commit, prepare: commit })).toBe(commit);
    expect(toReadPosition(commit)).toEqual({ commit, prepare: commit });
    expect(parsePosition(formatPosition(commit))).toBe(commit);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (position) => {
        expect(parsePosition(formatPosition(toPosition(toReadPosition(position))))).toBe(position);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('builds server-side filters that exclude system events', () => {
    expect(toServerFilter(normalizeFilter(undefined))).toMatchObject({
      filterOn: 'eventType',
      regex: '^[^$].*',
    });
    expect(toServerFilter(normalizeFilter({ eventTypes: ['A.b', 'C'] }))).toMatchObject({
      filterOn: 'eventType',
      regex: '^(?:A\\.b|C)$',
    });
    expect(toServerFilter(normalizeFilter({ streamPrefixes: ['batch-', '$checkpoint'] }))).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['batch-', '~$checkpoint'],
    });
  });
});
