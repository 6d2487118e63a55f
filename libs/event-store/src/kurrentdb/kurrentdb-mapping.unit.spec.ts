import fc from 'fast-check';
import { InvalidArgument } from '../errors';
import type { EventToAppend, JsonObject } from '../event-store.port';
import { eventHash, sealEvents, verifyStreamIntegrity } from '../integrity/event-integrity';
import { normalizeFilter } from '../internal/event-filter';
import { formatPosition, parsePosition } from '../position';
import { RICH_METADATA } from '../testing/test-events';
import {
  PROPERTY,
  fromKurrentStream,
  fromKurrentType,
  fromStoredMetadata,
  isSystemRecord,
  toExpectedState,
  toKurrentStream,
  toKurrentType,
  toPosition,
  toProperties,
  toReadPosition,
  toRecordId,
  toServerFilter,
} from './kurrentdb-mapping';

/** What the server hands a v1 reader for properties (row 12 of the stand-in's table): JSON with $schema.*. */
function asServerReturnsIt(properties: Record<string, string>, type: string): unknown {
  return JSON.parse(JSON.stringify({ ...properties, '$schema.name': type, '$schema.format': 'Json' }));
}

describe('KurrentDB mapping', () => {
  it('escapes our stream names so none reaches the server starting with $, and back', () => {
    expect(toKurrentStream('$checkpoint-projections')).toBe('~$checkpoint-projections');
    expect(toKurrentStream('~odd')).toBe('~~odd');
    expect(toKurrentStream('batch-ABC')).toBe('batch-ABC');
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(fromKurrentStream(toKurrentStream(name))).toBe(name);
        expect(toKurrentStream(name).startsWith('$')).toBe(false);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('makes event types schema names the server accepts, and back; refuses what it cannot hold', () => {
    expect(toKurrentType('ManifestIssued')).toBe('ManifestIssued');
    expect(toKurrentType('$internal')).toBe('_$internal');
    expect(toKurrentType('_private')).toBe('__private');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9_.$:-]{1,20}$/), (type) => {
        expect(fromKurrentType(toKurrentType(type))).toBe(type);
        expect(toKurrentType(type).startsWith('$')).toBe(false);
      }),
      { seed: 5, numRuns: 300 },
    );
    expect(() => toKurrentType('with space')).toThrow(InvalidArgument);
    expect(() => toKurrentType('')).toThrow(InvalidArgument);
    // a type the old adapter escaped with ~ reads back
    expect(fromKurrentType('~$old')).toBe('$old');
  });

  it('recognises the server’s own records and our bookkeeping', () => {
    expect(isSystemRecord('$stats-127.0.0.1:2113', '$statsCollected')).toBe(true);
    expect(isSystemRecord('$$batch-1', '$metadata')).toBe(true);
    expect(isSystemRecord('$ce-batch', '$>')).toBe(true);
    expect(isSystemRecord('~wf-idempotency-ab', 'IdempotencyRecorded')).toBe(true);
    expect(isSystemRecord('~$checkpoint', 'CheckpointStored')).toBe(false);
  });

  it('maps every expected revision', () => {
    expect(toExpectedState('no_stream')).toBe('no_stream');
    expect(toExpectedState('stream_exists')).toBe('stream_exists');
    expect(toExpectedState('any')).toBe('any');
    expect(toExpectedState(41n)).toBe(41n);
  });

  it('keeps canonical UUID ids and maps others deterministically, keeping the original', () => {
    expect(toRecordId('4f1f3c2a-9b7e-4d1c-8a2b-0c5d6e7f8091')).toEqual({
      recordId: '4f1f3c2a-9b7e-4d1c-8a2b-0c5d6e7f8091',
      keepOriginal: false,
    });
    const mapped = toRecordId('cmd-42:event-1');
    expect(mapped.keepOriginal).toBe(true);
    expect(mapped.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toRecordId('cmd-42:event-1')).toEqual(mapped);
    expect(toRecordId('4F1F3C2A-9B7E-4D1C-8A2B-0C5D6E7F8091').keepOriginal).toBe(true);
  });

  it('turns metadata into string-valued properties and back exactly, schema version and id included', () => {
    const event: EventToAppend = {
      id: 'evt-1',
      type: 'T',
      schemaVersion: 4,
      data: {},
      metadata: RICH_METADATA,
    };
    const properties = toProperties(event, true, 'commit-1');
    expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
    // strings stay readable as themselves; the rest is JSON text, listed
    expect(properties.correlationId).toBe('corr-0001');
    expect(properties.causationId).toBe('null');
    expect(JSON.parse(properties[PROPERTY.jsonKeys])).toEqual(['actor', 'causationId', 'version']);
    expect(fromStoredMetadata(asServerReturnsIt(properties, 'T'), 'uuid')).toEqual({
      metadata: RICH_METADATA,
      schemaVersion: 4,
      id: 'evt-1',
      commit: 'commit-1',
    });
    const canonical = toProperties({ ...event, id: 'u' }, false, 'c');
    expect(fromStoredMetadata(asServerReturnsIt(canonical, 'T'), 'u').id).toBe('u');
    // a string that looks like JSON stays a string
    const tricky = toProperties(
      { ...event, metadata: { note: '{"a":1}', count: '7', nothing: null } },
      false,
      'c',
    );
    expect(fromStoredMetadata(asServerReturnsIt(tricky, 'T'), 'u').metadata).toEqual({
      note: '{"a":1}',
      count: '7',
      nothing: null,
    });
  });

  it('keeps the hash chain verifiable through the properties (any JSON metadata, property-based)', () => {
    const metadata = fc.dictionary(
      fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}$/),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonObject[string]>,
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(fc.array(metadata, { minLength: 1, maxLength: 4 }), (metadatas) => {
        const sealed = sealEvents(
          metadatas.map((m, index) => ({
            id: `e${index}`,
            type: 'T',
            schemaVersion: 1,
            data: { index },
            metadata: m,
          })),
          null,
        );
        const read = sealed.map((event, index) => {
          const back = fromStoredMetadata(asServerReturnsIt(toProperties(event, true, 'c'), 'T'), 'x');
          expect(eventHash({ ...event, metadata: back.metadata })).toBe(event.metadata.hash);
          return {
            id: back.id,
            stream: 's',
            revision: BigInt(index),
            position: BigInt(index + 1),
            type: event.type,
            schemaVersion: back.schemaVersion,
            data: event.data,
            metadata: back.metadata,
            recordedAt: new Date(0),
          };
        });
        expect(verifyStreamIntegrity(read).verified).toBe(true);
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it('refuses metadata keys the server or the adapter reserves', () => {
    const event = { id: 'e', type: 'T', schemaVersion: 1, data: {} };
    expect(() => toProperties({ ...event, metadata: { $trace: 'x' } }, false, 'c')).toThrow(InvalidArgument);
    expect(() => toProperties({ ...event, metadata: { 'wf.commit': 'x' } }, false, 'c')).toThrow(
      InvalidArgument,
    );
  });

  it('reads the JSON metadata the old EventStoreDB adapter wrote', () => {
    const legacy = { correlationId: 'c-1', nested: { a: [1, null] }, $schemaVersion: 3, $eventId: 'evt-9' };
    expect(fromStoredMetadata(legacy, 'uuid')).toEqual({
      metadata: { correlationId: 'c-1', nested: { a: [1, null] } },
      schemaVersion: 3,
      id: 'evt-9',
    });
  });

  it('turns commit positions into read positions and decimal strings without loss', () => {
    const commit = 2n ** 62n + 12_345n;
    expect(toPosition({ commit, prepare: commit })).toBe(commit);
    expect(toReadPosition(commit)).toEqual({ commit, prepare: commit });
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
    expect(toServerFilter(normalizeFilter({ eventTypes: ['not a schema name'] }))).toMatchObject({
      regex: '^[^$].*',
    });
    expect(toServerFilter(normalizeFilter({ streamPrefixes: ['batch-', '$checkpoint'] }))).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['batch-', '~$checkpoint'],
    });
  });
});
