import { randomBytes } from 'node:crypto';
import { composeUscc } from '@wasteflow/domain';
import { ManualClock, type EventStore, type StreamWrite } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { registerParty } from '../register-party/register-party.command';
import { failingAppends, openSpecStore, STORE_KINDS, type SpecStore } from '../testing/spec-store';
import { requestHash } from '../use-case/request-hash';
import { UseCaseRunner } from '../use-case/use-case-runner';
import { LedgerWriter } from '../writing/ledger-writer';
import { sweepOrphanPeople } from './orphan-sweep';

/**
 * The sweep of person records no event references (ADR 14), on the real stores: a registration whose commit
 * failed after its contact person was stored (the store died mid-commit: the runner cannot know, keeps the
 * record) leaves an orphan; the sweep removes it and only it — a committed registration's contact, a record
 * named deep inside another event's data, an erased record and a record newer than the grace time stay.
 */
const admin: Principal = { kind: 'admin', tokenId: 'test-admin' };
const id = (c: string) => `p-${c.repeat(32)}`;
const record = (personId: string) => ({ personId, key: randomBytes(32), sealed: randomBytes(48) });

/** A store whose commits fail after the people were stored, as a crash between the two would leave it. */
function failingCommits(store: EventStore): EventStore {
  return failingAppends(store, () => true, 'simulated store failure mid-commit (outcome unknown)');
}

describe.each(STORE_KINDS)('sweep of orphan person records (%s)', (kind) => {
  let opened: SpecStore | undefined;
  let store: EventStore;
  let skip = false;
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  let key = 0;

  const register = (on: EventStore, serial: number, contact: string) => {
    key += 1;
    return new UseCaseRunner(new LedgerWriter(on), on, clock, {}).run(
      registerParty,
      {
        principal: admin,
        idempotencyKey: `sweep-${key}`,
        correlationId: `sweep-${key}`,
        requestHash: requestHash({ route: 'register-party', params: {}, body: { key } }),
      },
      {
        uscc: composeUscc(`91330106MA2WP${String(serial).padStart(4, '0')}`),
        name: `单位${serial}`,
        roles: ['generator'],
        districtCode: '330106',
        contactPerson: { name: contact, phone: '13900000000' },
      },
    );
  };

  beforeAll(async () => {
    opened = await openSpecStore(kind, __filename, 'sweep');
    if (opened === undefined) skip = true;
    else store = opened.store;
  });

  afterAll(() => opened?.close());

  it('removes the record a failed commit left and nothing any event names, nor an erased or a recent one', async () => {
    if (skip) return console.warn(`${kind}: PostgreSQL not reachable, not run`);
    // committed: the contact is referenced by PartyRegistered v3
    const committed = await register(store, 1, '张三');
    const [registered] = await store.readAll({ filter: { eventTypes: ['PartyRegistered'] } });
    const kept = String(registered.data.contactPersonId);
    expect(committed.position).toBe(registered.position);
    // the store fails mid-commit after the contact was stored: the record stays (the commit may have happened)
    const before = new Set(await store.personalData.listPresent(new Date(Date.now() + 60_000), 100));
    await expect(register(failingCommits(store), 2, '李四')).rejects.toThrow(/simulated store failure/);
    const orphan = (await store.personalData.listPresent(new Date(Date.now() + 60_000), 100)).find(
      (p) => !before.has(p),
    );
    expect(orphan).toMatch(/^p-[0-9a-f]{32}$/);
    expect((await store.personalData.read([orphan as string])).get(orphan as string)?.status).toBe('present');
    // a person named deep in another event's data, an erased record with no event
    await store.personalData.put([record(id('a')), record(id('e'))]);
    const nested: StreamWrite = {
      stream: 'sweep-test-1',
      expected: 'no_stream',
      events: [
        {
          id: '7f1c2d3e-0000-4000-8000-000000000001',
          type: 'SomeLaterEventNamingPeople',
          schemaVersion: 1,
          data: { legs: [{ crew: { driver: id('a') } }] },
          metadata: {},
        },
      ],
    };
    await store.appendToStreams([nested]);
    expect(await store.personalData.erase(id('e'), 'admin:t', new Date())).toBe('erased');
    const cutoff = new Date(Date.now() + 1000);
    // recorded after the grace time: not a candidate, whatever references it
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await store.personalData.put([record(id('f'))]);

    const result = await sweepOrphanPeople(store, { recordedBefore: cutoff, pageSize: 1 });
    expect(result.discarded).toEqual([orphan]);
    expect(result.candidates).toBe(3); // the committed contact, the orphan, the nested one
    const after = await store.personalData.read([kept, orphan as string, id('a'), id('e'), id('f')]);
    expect([...after.entries()].map(([p, r]) => [p, r.status]).sort()).toEqual(
      [
        [kept, 'present'],
        [id('a'), 'present'],
        [id('e'), 'erased'],
        [id('f'), 'present'],
      ].sort(),
    );
    // a second sweep finds nothing to remove
    expect((await sweepOrphanPeople(store, { recordedBefore: cutoff })).discarded).toEqual([]);
  }, 30_000);
});
