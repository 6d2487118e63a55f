import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import { verifyStreamIntegrity, type JsonObject, type RecordedEvent } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { eventId } from './event-ids';
import { ConcurrencyExhausted, IdempotencyKeyReused, IdempotencyRecordExpired } from './ledger-errors';
import { CORE_ONLY, LedgerWriter } from './ledger-writer';
import type { StreamModel } from './stream-model';
import type { UnitOfWork } from './unit-of-work';
import type { Decision, WriteContext } from './write-types';

/**
 * The write path's core alone (every optimisation off) over the in-memory store: load → decide → commit
 * → retry on conflict → replay an earlier answer.
 */

/** A counter stream: its state is the sum of the amounts added. */
const counter: StreamModel<number, number> = {
  initial: 0,
  decode: (event: RecordedEvent) => (event.data as { amount: number }).amount,
  evolve: (sum, amount) => sum + amount,
};

class LimitExceeded extends Error {}

const principal: Principal = { kind: 'party', tokenId: 't1', partyUscc: '91330106MA27Y5XK06' };
const context = (
  key: string,
  request = `request-${key}`,
  recordedAt = '2026-11-29T01:00:00Z',
): WriteContext => ({
  principal,
  idempotencyKey: key,
  requestHash: request,
  correlationId: `c-${key}`,
  recordedAt: new Date(recordedAt),
});

/** Adds `amount` to `stream` unless the sum would pass `limit` (the domain's refusal). */
const add =
  (stream: string, amount: number, limit = 100) =>
  async (unitOfWork: UnitOfWork): Promise<Decision<{ sum: number }>> => {
    const { state } = await unitOfWork.load(stream, counter);
    if (state + amount > limit) throw new LimitExceeded(`${stream} would hold ${state + amount}`);
    return {
      writes: [{ stream, events: [{ type: 'Added', schemaVersion: 1, data: { amount } }] }],
      result: { sum: state + amount },
    };
  };

/** Another writer's append, sealed into the chain like the ledger's own. */
async function appendElsewhere(store: InMemoryEventStore, stream: string, amount: number, key: string) {
  await new LedgerWriter(store, CORE_ONLY).execute(context(key), add(stream, amount, Infinity));
}

describe('the write path core, alone, over the in-memory store', () => {
  let store: InMemoryEventStore;
  let writer: LedgerWriter;

  beforeEach(() => {
    store = new InMemoryEventStore();
    writer = new LedgerWriter(store, { ...CORE_ONLY, maxAttempts: 4 });
  });
  afterEach(() => store.close());

  it('loads, decides and commits the events with their record; the ids derive from the key', async () => {
    const outcome = await writer.execute(context('k1'), add('s', 5));
    expect(outcome).toMatchObject({ result: { sum: 5 }, replayed: false, position: 1n });
    const [event] = await store.readStream('s');
    expect(event.id).toBe(eventId({ principal, idempotencyKey: 'k1' }, 's', 0));
    expect(event.metadata).toMatchObject({
      idempotencyKey: 'k1',
      actor: 'party:91330106MA27Y5XK06',
      prevHash: null,
    });
    expect(verifyStreamIntegrity([event]).verified).toBe(true);
    const kept = await store.bookkeeping.readIdempotencyRecord('party:91330106MA27Y5XK06', 'k1');
    expect(kept?.record).toEqual({
      requestHash: 'request-k1',
      result: { sum: 5 },
      writes: [{ stream: 's', revision: '0', eventIds: [event.id] }],
    });
    expect(await store.headPosition()).toBe(1n);
  });

  it('shows a secret in the first answer only: neither the record nor a replay holds it', async () => {
    const withSecret = async (unitOfWork: UnitOfWork): Promise<Decision<{ sum: number }>> => ({
      ...(await add('s', 1)(unitOfWork)),
      secret: { token: 'wf_secret' },
    });
    const first = await writer.execute(context('k-secret'), withSecret);
    expect(first.secret).toEqual({ token: 'wf_secret' });
    const kept = await store.bookkeeping.readIdempotencyRecord('party:91330106MA27Y5XK06', 'k-secret');
    expect(JSON.stringify(kept)).not.toContain('wf_secret');
    const replay = await writer.execute(context('k-secret'), withSecret);
    expect(replay).toMatchObject({ replayed: true, result: first.result });
    expect(replay.secret).toBeUndefined();
  });

  it('the same key and request: the first answer again, nothing appended; another request: 422', async () => {
    const first = await writer.execute(context('k2'), add('s', 5));
    await writer.execute(context('k3'), add('s', 1));
    const commits = store.commits;
    // the state has moved on (a fresh decision would answer sum 11): the answer is the first one
    const again = await writer.execute(context('k2', 'request-k2', '2026-11-30T00:00:00Z'), add('s', 5));
    expect(again).toEqual({ ...first, replayed: true });
    await expect(writer.execute(context('k2', 'another request'), add('s', 5))).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
    expect(store.commits).toBe(commits);
  });

  it('concurrent duplicates under one key: one commit, the same answer for all', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => writer.execute(context('k4'), add('s', 2))),
    );
    const first = outcomes.find((outcome) => !outcome.replayed);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    for (const outcome of outcomes) expect({ ...outcome, replayed: false }).toEqual(first);
    expect((await store.readStream('s')).map((event) => event.data.amount)).toEqual([2]);
  });

  it('a conflict makes it load and decide again on the new state, then commit once', async () => {
    let interfered = false;
    store.beforeCommit = async (writes) => {
      if (interfered || writes[0].stream !== 's') return;
      interfered = true;
      await appendElsewhere(store, 's', 90, 'other');
    };
    // decided on 0 (sum 5), refused by the commit (revision moved), decided again on 90: sum 95
    const outcome = await writer.execute(context('k5'), add('s', 5));
    expect(outcome.result).toEqual({ sum: 95 });
    expect((await store.readStream('s')).map((event) => event.data.amount)).toEqual([90, 5]);
  });

  it('a refusal decided on reads a concurrent write overtook is decided again; a current one stands', async () => {
    await writer.execute(context('k6'), add('s', 95));
    let calls = 0;
    const refusedOnceThenMoved = async (unitOfWork: UnitOfWork): Promise<Decision<JsonObject>> => {
      calls += 1;
      const { state } = await unitOfWork.load('s', counter);
      // another writer corrects the stream right after this read
      if (calls === 1) await appendElsewhere(store, 's', -50, 'correction');
      if (state + 10 > 100) throw new LimitExceeded('full');
      return {
        writes: [{ stream: 's', events: [{ type: 'Added', schemaVersion: 1, data: { amount: 10 } }] }],
        result: {},
      };
    };
    await writer.execute(context('k7'), refusedOnceThenMoved);
    expect(calls).toBe(2);
    expect((await store.readStream('s')).map((event) => event.data.amount)).toEqual([95, -50, 10]);
    // nothing moved under this one: the refusal stands and records nothing
    await expect(writer.execute(context('k8'), add('s', 60))).rejects.toBeInstanceOf(LimitExceeded);
    expect(await store.bookkeeping.readIdempotencyRecord('party:91330106MA27Y5XK06', 'k8')).toBeUndefined();
  });

  it('gives up after maxAttempts conflicts: 409, nothing of it written', async () => {
    let n = 0;
    store.beforeCommit = async (writes, options) => {
      if (options?.idempotency?.[0].key === 'k9')
        await appendElsewhere(store, writes[0].stream, 1, `noise-${++n}`);
    };
    const error = await writer.execute(context('k9'), add('s', 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyExhausted);
    expect(n).toBe(4);
    expect((await store.readStream('s')).every((event) => event.metadata.idempotencyKey !== 'k9')).toBe(true);
  });

  it('once its record is purged, a retry is refused by the ids derived from its key, never applied twice', async () => {
    // a decision that creates its stream: after the purge the domain sees the stream and refuses on its own
    const create = async (unitOfWork: UnitOfWork): Promise<Decision<JsonObject>> => {
      const loaded = await unitOfWork.loadCreated('new', counter);
      if (loaded.revision !== 'no_stream') throw new LimitExceeded('exists');
      return {
        writes: [{ stream: 'new', events: [{ type: 'Added', schemaVersion: 1, data: { amount: 1 } }] }],
        result: {},
      };
    };
    await writer.execute(context('k10'), create);
    await writer.execute(context('k11'), add('s', 5));
    expect(await store.bookkeeping.purgeIdempotencyRecords(new Date(Date.now() + 1000))).toBe(2);
    const head = await store.headPosition();
    const later = '2026-12-29T01:00:00Z';
    await expect(writer.execute(context('k10', 'request-k10', later), create)).rejects.toBeInstanceOf(
      LimitExceeded,
    );
    // a decision the domain takes again (there is room to add 5): its events' ids are stored already
    await expect(writer.execute(context('k11', 'request-k11', later), add('s', 5))).rejects.toBeInstanceOf(
      IdempotencyRecordExpired,
    );
    expect(await store.headPosition()).toBe(head);
    expect((await store.readStream('s')).map((event) => event.data.amount)).toEqual([5]);
  });
});
