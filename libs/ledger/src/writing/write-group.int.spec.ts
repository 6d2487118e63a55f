import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchStream, composeUscc } from '@wasteflow/domain';
import {
  createEventStore,
  ManualClock,
  type EventStore,
  type AppendOptions,
  type JsonObject,
  type StreamWrite,
} from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { generateWaste } from '../generate-waste/generate-waste.command';
import { registerParty } from '../register-party/register-party.command';
import { splitBatch } from '../split-batch/split-batch.command';
import { commandEntropy, traceCodeKey } from '../use-case/derived-ids';
import { requestHash } from '../use-case/request-hash';
import type { UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';
import { LedgerWriter } from './ledger-writer';
import type { GroupItem, GroupResult } from './write-group';

/** The answer of a successful item. */
function resultOf<T>(result: GroupResult): T {
  if (!result.ok) throw new Error(`item refused: ${String(result.error)}`);
  return result.outcome.result as unknown as T;
}

const GENERATOR = composeUscc('91330106MA27Y5XK0');
const generator: Principal = { kind: 'party', tokenId: 't-g', partyUscc: GENERATOR };

describe('WriteGroup (bulk) on SQLite', () => {
  let directory: string;
  let store: EventStore;
  /** Runs once, right before the next group commit (a commit of more than one item). */
  let beforeGroupCommit: (() => Promise<void>) | undefined;
  let groupCommits = 0;
  /** Stands in for KurrentDB's rule (capabilities.streamsOncePerAppend): each stream once per commit. */
  let streamsOnce = false;
  let repeatedInOneCommit = 0;
  let runner: UseCaseRunner;
  let key = 0;

  // the entropy the edge draws (keyed by the ledger's secret): the twin ledger below shares the key, so the
  // same request composes the same trace code on both
  const ledgerKey = traceCodeKey('write-group test ledger secret, at least 32 characters');
  const envelope = (principal: Principal, idempotencyKey = `k-${++key}`) => ({
    principal,
    idempotencyKey,
    entropy: commandEntropy(ledgerKey, principal, idempotencyKey),
    correlationId: `c-${idempotencyKey}`,
    requestHash: requestHash({ route: 'test', params: {}, body: idempotencyKey }),
  });
  const item = <I, R extends JsonObject>(
    useCase: UseCase<I, R>,
    input: I,
    idempotencyKey?: string,
  ): GroupItem => runner.item(useCase, envelope(generator, idempotencyKey), input) as unknown as GroupItem;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-group-'));
    const real = await createEventStore({ kind: 'sqlite', file: join(directory, 'events.sqlite') });
    store = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'capabilities') {
          return { ...target.capabilities, streamsOncePerAppend: streamsOnce };
        }
        if (property === 'appendToStreams') {
          return async (writes: readonly StreamWrite[], options?: AppendOptions) => {
            const names = writes.map((write) => write.stream.toLowerCase());
            if (new Set(names).size < names.length) repeatedInOneCommit += 1;
            if ((options?.idempotency?.length ?? 0) > 1) {
              groupCommits += 1;
              const hook = beforeGroupCommit;
              beforeGroupCommit = undefined;
              await hook?.();
            }
            return target.appendToStreams(writes, options);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    runner = new UseCaseRunner(
      new LedgerWriter(store),
      store,
      new ManualClock(new Date('2026-03-02T02:00:00Z')),
      {},
    );
    await runner.run(registerParty, envelope({ kind: 'admin', tokenId: 'a' }), {
      uscc: GENERATOR,
      name: '杭州西湖精细化工有限公司',
      roles: ['generator'],
      districtCode: '330106',
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('decides later items against the earlier ones and commits them together', async () => {
    const generated = await runner.runGroup([
      item(
        generateWaste,
        {
          category: 'hazardous',
          wasteCode: '900-249-08',
          massKg: 10,
          occurredAt: '2026-03-02T09:00:00+08:00',
        },
        'g-1',
      ),
    ]);
    expect(generated[0].ok).toBe(true);
    const code = resultOf<{ traceCode: string }>(generated[0]).traceCode;
    const commitsBefore = groupCommits;
    const results = await runner.runGroup([
      item(splitBatch, { traceCode: code, partsKg: [1], occurredAt: '2026-03-02T09:01:00+08:00' }),
      item(splitBatch, { traceCode: code, partsKg: [2], occurredAt: '2026-03-02T09:02:00+08:00' }),
      item(splitBatch, { traceCode: code, partsKg: [100], occurredAt: '2026-03-02T09:03:00+08:00' }),
    ]);
    expect(groupCommits - commitsBefore).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect((results[2] as { error: { rule: string } }).error.rule).toBe('mass-not-conserved');
    const events = await store.readStream(batchStream(code));
    expect(events.map((e) => [e.type, e.data.remainingGrams])).toEqual([
      ['WasteGenerated', undefined],
      ['BatchSplit', 9000],
      ['BatchSplit', 7000],
    ]);
    expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
  });

  it('falls back to one commit per item when the group commit meets a concurrent writer', async () => {
    const [first] = await runner.runGroup([
      item(
        generateWaste,
        {
          category: 'hazardous',
          wasteCode: '900-249-08',
          massKg: 10,
          occurredAt: '2026-03-02T09:00:00+08:00',
        },
        'g-2',
      ),
    ]);
    const code = resultOf<{ traceCode: string }>(first).traceCode;
    // another request splits the batch after the group decided and before it commits
    beforeGroupCommit = async () => {
      await runner.run(splitBatch, envelope(generator, 'concurrent'), {
        traceCode: code,
        partsKg: [5],
        occurredAt: '2026-03-02T09:00:30+08:00',
      });
    };
    const results = await runner.runGroup([
      item(splitBatch, { traceCode: code, partsKg: [1], occurredAt: '2026-03-02T09:01:00+08:00' }),
      item(splitBatch, { traceCode: code, partsKg: [2], occurredAt: '2026-03-02T09:02:00+08:00' }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const children = results.map((r) => resultOf<{ children: string[] }>(r).children[0]);
    const events = await store.readStream(batchStream(code));
    expect(events.map((e) => [e.type, e.data.remainingGrams])).toEqual([
      ['WasteGenerated', undefined],
      ['BatchSplit', 5000],
      ['BatchSplit', 4000],
      ['BatchSplit', 2000],
    ]);
    // decided again on the store as it was: the children follow the concurrent one
    expect(children).toEqual([
      (events[2].data.children as { traceCode: string }[])[0].traceCode,
      (events[3].data.children as { traceCode: string }[])[0].traceCode,
    ]);
  });
  it('a created stream that exists after all (a collision) fails the group, whose items then run alone', async () => {
    const generation = {
      category: 'hazardous',
      wasteCode: '900-249-08',
      massKg: 3,
      occurredAt: '2026-03-02T09:30:00+08:00',
    };
    // The batch key 'collide' will name, written by a twin ledger, without this ledger's idempotency record
    const twinDirectory = mkdtempSync(join(tmpdir(), 'wasteflow-group-twin-'));
    const twin = await createEventStore({ kind: 'sqlite', file: join(twinDirectory, 'events.sqlite') });
    try {
      const twinRunner = new UseCaseRunner(
        new LedgerWriter(twin),
        twin,
        new ManualClock(new Date('2026-03-02T02:00:00Z')),
        {},
      );
      for (const event of await store.readStream(`party-${GENERATOR}`)) {
        await twin.append(event.stream, [event], event.revision === 0n ? 'no_stream' : event.revision - 1n);
      }
      const taken = await twinRunner.run(generateWaste, envelope(generator, 'collide'), generation);
      const [event] = await twin.readStream(taken.streams[0].stream);
      await store.append(event.stream, [event], 'no_stream');
    } finally {
      await twin.close();
      rmSync(twinDirectory, { recursive: true, force: true });
    }
    const commitsBefore = groupCommits;
    const results = await runner.runGroup([
      item(generateWaste, generation, 'before-collide'),
      item(generateWaste, generation, 'collide'),
      item(generateWaste, generation, 'after-collide'),
    ]);
    // the group's commit was refused whole, then each item was committed (or refused) on its own
    expect(groupCommits - commitsBefore).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect((results[1] as { error: { rule: string } }).error.rule).toBe('batch-already-exists');
    for (const index of [0, 2]) {
      const code = resultOf<{ traceCode: string }>(results[index]).traceCode;
      expect(await store.readStream(batchStream(code))).toHaveLength(1);
    }
  });

  it('where a commit names each stream once, an item repeating a stream of the group starts the next commit', async () => {
    const [generated] = await runner.runGroup([
      item(generateWaste, {
        category: 'hazardous',
        wasteCode: '900-249-08',
        massKg: 10,
        occurredAt: '2026-03-02T10:00:00+08:00',
      }),
    ]);
    const code = resultOf<{ traceCode: string }>(generated).traceCode;
    streamsOnce = true;
    repeatedInOneCommit = 0;
    try {
      const commitsBefore = groupCommits;
      const results = await runner.runGroup([
        item(splitBatch, { traceCode: code, partsKg: [1], occurredAt: '2026-03-02T10:01:00+08:00' }),
        item(generateWaste, {
          category: 'hazardous',
          wasteCode: '900-249-08',
          massKg: 3,
          occurredAt: '2026-03-02T10:02:00+08:00',
        }),
        item(splitBatch, { traceCode: code, partsKg: [2], occurredAt: '2026-03-02T10:03:00+08:00' }),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      expect(repeatedInOneCommit).toBe(0);
      // the first two items together, the third (the batch stream again) in a commit of its own
      expect(groupCommits - commitsBefore).toBe(1);
      const events = await store.readStream(batchStream(code));
      expect(events.map((e) => [e.type, e.data.remainingGrams])).toEqual([
        ['WasteGenerated', undefined],
        ['BatchSplit', 9000],
        ['BatchSplit', 7000],
      ]);
      expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
    } finally {
      streamsOnce = false;
    }
  });
});
