import { EventHashMismatch, EventNotApplicable, UnknownEventType, type DomainEvent } from '@wasteflow/domain';
import { aHazardousBatch, aRegisteredReceiver, thenOf, traceCodeOf } from '@wasteflow/domain/testing';
import { sealEvents, type JsonObject, type RecordedEvent } from '@wasteflow/event-store';
import { batchModel, partyModel } from './stream-models';

/** Events as the ledger stores them: sealed into the stream's hash chain. */
function recorded(
  stream: string,
  events: readonly Pick<DomainEvent, 'type' | 'schemaVersion' | 'data'>[],
): RecordedEvent[] {
  const sealed = sealEvents(
    events.map((e, i) => ({
      id: `id-${i}`,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data as unknown as JsonObject,
      metadata: { actor: 'party:x', recordedAt: '2025-03-03T01:01:00.000Z' },
    })),
    null,
  );
  return sealed.map((e, i) => ({
    ...e,
    stream,
    revision: BigInt(i),
    position: BigInt(i + 1),
    recordedAt: new Date(0),
  }));
}

const batch = aHazardousBatch();
const stream = `batch-${traceCodeOf(batch)}`;

describe('stream models (reading a stream back for a decision)', () => {
  it('given a sealed batch stream, when loaded, then decoded and folded', () => {
    const [event] = recorded(stream, batch);
    const state = batchModel.evolve(batchModel.initial, batchModel.decode(event));
    expect(state).toMatchObject({ status: 'held', heldGrams: 1_000_000 });
  });

  it('given an event edited after it was sealed, when loaded, then EventHashMismatch (a fault), not a decision', () => {
    const [event] = recorded(stream, batch);
    const edited = { ...event, data: { ...event.data, massGrams: 2_000_000 } };
    thenOf(() => batchModel.decode(edited)).thenThrows(EventHashMismatch, {
      stream,
      revision: '0',
      type: 'WasteGenerated',
    });
    const unsealed = { ...event, metadata: { ...event.metadata, hash: undefined } as unknown as JsonObject };
    thenOf(() => batchModel.decode(unsealed)).thenThrows(EventHashMismatch);
  });

  it('given a sealed event of a type the code does not know (written by a newer version), when loaded, then UnknownEventType', () => {
    const [event] = recorded(stream, [{ ...batch[0], type: 'WasteTeleported' } as unknown as DomainEvent]);
    thenOf(() => batchModel.decode(event)).thenThrows(UnknownEventType, { stream, revision: '0' });
  });

  it('given a party event in a batch stream, when loaded, then EventNotApplicable naming the stream', () => {
    const [registered] = recorded(stream, aRegisteredReceiver());
    thenOf(() => batchModel.decode(registered)).thenThrows(EventNotApplicable, { stream, revision: '0' });
    expect(partyModel.decode({ ...registered, stream: 'party-x' })).toMatchObject({
      type: 'PartyRegistered',
    });
  });
});
