import type { DomainEvent } from '@wasteflow/domain';
import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import type { RecordedEvent } from '@wasteflow/event-store';
import type { AggregateStream } from '../streams/stream-models';
import { StoreUnitOfWork } from '../writing/unit-of-work';
import { decideOnStream } from './decide-on-stream';

/**
 * A stream whose state is how many events it holds; the "domain" decides two events (named after real
 * ones, their data made up: decideOnStream reads only their types).
 */
const counter: AggregateStream<number> = {
  stream: 'counter-1',
  model: { initial: 0, decode: (event: RecordedEvent) => event, evolve: (count) => count + 1 },
};
const noted = (count: number) =>
  [
    { type: 'PermitGranted', schemaVersion: 1, data: { count } },
    { type: 'PermitRevoked', schemaVersion: 1, data: { count: count + 1 } },
  ] as unknown as DomainEvent[];

async function storeWithOneEvent(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await store.appendToStreams([
    {
      stream: 'counter-1',
      expected: 'no_stream',
      events: [
        {
          id: '7f1c2d3e-0000-4000-8000-000000000001',
          type: 'PermitGranted',
          schemaVersion: 1,
          data: {},
          metadata: {},
        },
      ],
    },
  ]);
  return store;
}

describe('decideOnStream: decide on one aggregate, append to its stream', () => {
  it('decides on the state read, writes every event to that stream and answers with the named event', async () => {
    const unitOfWork = new StoreUnitOfWork(await storeWithOneEvent());
    const decided = await decideOnStream(unitOfWork, counter, 'PermitRevoked', (count) => noted(count));
    expect(decided.state).toBe(1);
    expect(decided.event).toMatchObject({ type: 'PermitRevoked', data: { count: 2 } });
    expect(decided.write.stream).toBe('counter-1');
    expect(decided.write.events.map((e) => e.type)).toEqual(['PermitGranted', 'PermitRevoked']);
    // the commit expects the revision the decision saw
    expect(unitOfWork.versionOf('counter-1').revision).toBe(0n);
  });

  it('takes any of several answering types, and a decision without one is a fault, not a refusal', async () => {
    const unitOfWork = new StoreUnitOfWork(await storeWithOneEvent());
    const either = await decideOnStream(
      unitOfWork,
      counter,
      ['FacilityRegistered', 'PermitGranted'],
      (count) => noted(count),
    );
    expect(either.event.type).toBe('PermitGranted');
    await expect(
      decideOnStream(unitOfWork, counter, 'FacilityRegistered', (count) => noted(count)),
    ).rejects.toThrow('unexpected decision: no FacilityRegistered');
  });

  it('lets the decision read other streams through the same unit of work', async () => {
    const unitOfWork = new StoreUnitOfWork(await storeWithOneEvent());
    const other: AggregateStream<number> = { ...counter, stream: 'counter-2' };
    await decideOnStream(unitOfWork, counter, 'PermitGranted', async (count) => {
      const { state } = await unitOfWork.load(other.stream, other.model);
      return noted(count + state);
    });
    expect(unitOfWork.versionOf('counter-2').revision).toBe('no_stream');
  });
});
