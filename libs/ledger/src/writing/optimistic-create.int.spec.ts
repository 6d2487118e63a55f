import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, sealEvents, type EventStore, type RecordedEvent } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { LedgerWriter, type Decision, type WriteContext } from './ledger-writer';
import type { StreamModel } from './stream-model';
import type { UnitOfWork } from './unit-of-work';

/** A stream's state: how many events it holds. */
const model: StreamModel<number, RecordedEvent> = {
  initial: 0,
  decode: (event) => event,
  evolve: (count) => count + 1,
};

class AlreadyExists extends Error {}

const principal: Principal = { kind: 'party', tokenId: 't1', partyUscc: '91330106MA27Y5XK06' };
const context = (key: string, recordedAt = '2026-11-29T01:00:00Z'): WriteContext => ({
  principal,
  idempotencyKey: key,
  requestHash: `hash-${key}`,
  correlationId: 'c',
  recordedAt: new Date(recordedAt),
});

/** A plan that creates `stream`, refused (like the domain's BatchAlreadyExists) when it holds events. */
const create =
  (stream: string) =>
  async (unitOfWork: UnitOfWork): Promise<Decision<{ created: string }>> => {
    const loaded = await unitOfWork.loadCreated(stream, model);
    if (loaded.state > 0) throw new AlreadyExists(stream);
    return {
      writes: [{ stream, events: [{ type: 'Created', schemaVersion: 1, data: { stream } }] }],
      result: { created: stream },
    };
  };

describe('streams a command creates are taken as absent on its first attempt (SQLite)', () => {
  let directory: string;
  let store: EventStore;
  let revisionsAsked: string[];
  let writer: LedgerWriter;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-optimistic-create-'));
    store = await createEventStore({ kind: 'sqlite', file: join(directory, 'events.sqlite') });
    revisionsAsked = [];
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'streamRevision') {
          return (stream: string) => {
            revisionsAsked.push(stream);
            return target.streamRevision(stream);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    writer = new LedgerWriter(counted);
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a new stream is written without asking the store for it first', async () => {
    const outcome = await writer.execute(context('k1'), create('batch-NEW'));
    expect(outcome).toMatchObject({ result: { created: 'batch-NEW' }, replayed: false });
    expect(revisionsAsked).not.toContain('batch-NEW');
    expect(await store.readStream('batch-NEW')).toHaveLength(1);
  });

  it('an existing one (a collision) is refused by the commit, read on the next attempt, refused by the plan', async () => {
    await store.append(
      'batch-TAKEN',
      sealEvents(
        [
          {
            id: '00000000-0000-4000-8000-000000000001',
            type: 'Created',
            schemaVersion: 1,
            data: {},
            metadata: {},
          },
        ],
        null,
      ),
      'no_stream',
    );
    await expect(writer.execute(context('k2'), create('batch-TAKEN'))).rejects.toBeInstanceOf(AlreadyExists);
    expect(revisionsAsked).toContain('batch-TAKEN');
    // nothing of the refused command was written: neither its event nor its idempotency record
    expect(await store.readStream('batch-TAKEN')).toHaveLength(1);
    expect(await store.headPosition()).toBe(1n);
    expect(await store.bookkeeping.readIdempotencyRecord('party:91330106MA27Y5XK06', 'k2')).toBeUndefined();
  });

  it('a retried request still gets the first answer, and nothing is appended again', async () => {
    const first = await writer.execute(context('k3'), create('batch-R'));
    // a retry comes later: its events (same ids, another recordedAt) are refused, its record found
    const again = await writer.execute(context('k3', '2026-11-29T01:00:05Z'), create('batch-R'));
    expect(again).toMatchObject({ result: first.result, replayed: true, position: first.position });
    expect(await store.readStream('batch-R')).toHaveLength(1);
  });
});
