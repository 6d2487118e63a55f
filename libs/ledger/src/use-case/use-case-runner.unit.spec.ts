import { InvalidValue } from '@wasteflow/domain';
import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { PeopleRecords } from '../people/people-records';
import { personIdFrom } from '../people/person-cipher';
import { CORE_ONLY, LedgerWriter } from '../writing/ledger-writer';
import type { StreamModel } from '../writing/stream-model';
import type { CommandEnvelope, UseCase } from './use-case';
import { UseCaseRunner } from './use-case-runner';

/**
 * The runner stores the people a plan names before the commit (ADR 14) and removes the records it stored
 * when the command is then refused for sure — here by the domain, on the retry after a conflict — so no
 * record is left that no event names; a committed command keeps its record.
 */
const counter: StreamModel<number, number> = {
  initial: 0,
  decode: (event: RecordedEvent) => (event.data as { amount: number }).amount,
  evolve: (sum, amount) => sum + amount,
};
const principal: Principal = { kind: 'party', tokenId: 't1', partyUscc: '91330106MA27Y5XK06' };
const envelope = (key: string, entropy: string): CommandEnvelope => ({
  principal,
  idempotencyKey: key,
  requestHash: `hash-${key}`,
  correlationId: `c-${key}`,
  entropy,
});

/** Adds 1 to `s` naming a driver, refused (a domain error) once `s` holds anything. */
const onlyFirst: UseCase<{ readonly name: string }, JsonObject> = {
  action: 'test',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const { state } = await unitOfWork.load('s', counter);
    if (state > 0) throw new InvalidValue('s', state, 'an empty counter');
    const personId = context.personId('driver');
    return {
      writes: [{ stream: 's', events: [{ type: 'Added', schemaVersion: 1, data: { amount: 1 } }] }],
      result: { personId },
      people: [{ personId, name: input.name }],
    };
  },
};

describe('UseCaseRunner and the people records of a plan', () => {
  it('a committed command keeps its record; one refused by the domain after a conflict leaves none', async () => {
    const store = new InMemoryEventStore();
    const runner = new UseCaseRunner(
      new LedgerWriter(store, CORE_ONLY),
      store,
      { now: () => new Date('2026-03-02T02:00:00Z') },
      {},
      new PeopleRecords(store),
    );
    let interfered = false;
    store.beforeCommit = async () => {
      if (interfered) return;
      interfered = true;
      // another command commits first: the first attempt conflicts, the retry is refused by the domain
      const winner = await runner.run(onlyFirst, envelope('winner', 'aa'.repeat(32)), { name: '先到' });
      expect((await store.personalData.read([winner.result.personId as string])).size).toBe(1);
    };
    const loser = runner.run(onlyFirst, envelope('loser', 'bb'.repeat(32)), { name: '后到' });
    await expect(loser).rejects.toBeInstanceOf(InvalidValue);

    // the ids are derived from each command's entropy
    const [winnerId, loserId] = [
      personIdFrom('aa'.repeat(32), 'driver'),
      personIdFrom('bb'.repeat(32), 'driver'),
    ];
    const views = await new PeopleRecords(store).resolve([winnerId, loserId]);
    const [winnerRecord, loserRecord] = [views.get(winnerId), views.get(loserId)];
    expect(winnerRecord).toMatchObject({ status: 'present', name: '先到' });
    expect(loserRecord).toMatchObject({ status: 'unknown' });
    expect((await store.readStream('s')).map((e) => e.data.amount)).toEqual([1]);
  });
});
