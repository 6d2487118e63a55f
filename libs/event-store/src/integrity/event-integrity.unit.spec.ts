import type { EventToAppend, JsonObject, RecordedEvent } from '../event-store.port';
import { canonicalEncoding, eventHash, sealEvents, verifyStreamIntegrity } from './event-integrity';

function recorded(events: ReturnType<typeof sealEvents>): RecordedEvent[] {
  return events.map((event, index) => ({
    ...event,
    stream: 'batch-X',
    revision: BigInt(index),
    position: BigInt(index + 1),
    recordedAt: new Date('2026-01-01T00:00:00Z'),
  }));
}

const draft = (n: number, data: JsonObject = { n }): EventToAppend => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  type: 'Thing',
  schemaVersion: 1,
  data,
  metadata: { actor: 'party-1', occurredAt: '2026-01-01T08:00:00+08:00' },
});

describe('event integrity chain', () => {
  it('encodes canonically: sorted keys, no whitespace, UTF-8 text kept, hash field excluded', () => {
    const text = canonicalEncoding({
      type: 'T',
      data: { b: 2, a: '上城区' },
      metadata: { z: 1, hash: 'ignored', prevHash: null },
    });
    expect(text).toBe('{"data":{"a":"上城区","b":2},"metadata":{"prevHash":null,"z":1},"type":"T"}');
  });

  it('gives the documented SHA-256 of that encoding (an auditor can recompute it with sha256sum)', () => {
    // printf '%s' '{"data":{},"metadata":{"prevHash":null},"type":"T"}' | sha256sum
    expect(
      eventHash({ type: 'T', data: {}, metadata: { prevHash: null, hash: 'not part of the hash' } }),
    ).toBe('ce7dd77dec71e01557e4d5c013765984e44aaac47765c2104e75de2343a6d87e');
  });

  it('links each sealed event to the previous one and verifies a whole stream', () => {
    const sealed = sealEvents([draft(1), draft(2), draft(3)], null);
    expect(sealed[0].metadata.prevHash).toBeNull();
    expect(sealed[1].metadata.prevHash).toBe(sealed[0].metadata.hash);
    expect(sealed[2].metadata.prevHash).toBe(sealed[1].metadata.hash);
    const report = verifyStreamIntegrity(recorded(sealed));
    expect(report).toEqual({
      verified: true,
      eventsChecked: 3,
      headHash: sealed[2].metadata.hash,
      firstBreak: null,
    });
  });

  it('continues a chain from the last stored hash', () => {
    const first = sealEvents([draft(1)], null);
    const second = sealEvents([draft(2)], first[0].metadata.hash as string);
    expect(verifyStreamIntegrity(recorded([...first, ...second])).verified).toBe(true);
  });

  it('detects an edited event', () => {
    const events = recorded(sealEvents([draft(1), draft(2), draft(3)], null));
    const edited = events.map((e, i) => (i === 1 ? { ...e, data: { n: 20 } } : e));
    expect(verifyStreamIntegrity(edited).firstBreak).toMatchObject({
      revision: '1',
      reason: 'hash-mismatch',
    });
  });

  it('detects an edited event whose hash was recomputed (the next link breaks)', () => {
    const events = recorded(sealEvents([draft(1), draft(2), draft(3)], null));
    const forged = { ...events[1], data: { n: 20 } };
    const rehashed = { ...forged, metadata: { ...forged.metadata, hash: eventHash(forged) } };
    const report = verifyStreamIntegrity([events[0], rehashed, events[2]]);
    expect(report.firstBreak).toMatchObject({ revision: '2', reason: 'chain-broken' });
  });

  it('detects a removed event', () => {
    const events = recorded(sealEvents([draft(1), draft(2), draft(3)], null));
    const report = verifyStreamIntegrity([events[0], events[2]]);
    expect(report.verified).toBe(false);
    expect(report.firstBreak).toMatchObject({ revision: '2', reason: 'revision-gap', expected: '1' });
  });
});
