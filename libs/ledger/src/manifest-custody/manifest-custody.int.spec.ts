import {
  batchStream,
  childTraceCode,
  composeUscc,
  decidePickUpManifest,
  decideReceiveManifest,
  manifestStream,
  partyStream,
} from '@wasteflow/domain';
import {
  ManualClock,
  StreamNotFound,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { generateWaste } from '../generate-waste/generate-waste.command';
import { grantPermit } from '../grant-permit/grant-permit.command';
import { issueManifest } from '../issue-manifest/issue-manifest.command';
import { registerParty } from '../register-party/register-party.command';
import { manifestModel, partyModel } from '../streams/stream-models';
import { failingAppends, openSpecStore, STORE_KINDS, type SpecStore } from '../testing/spec-store';
import { admin, party, regulator } from '../testing/spec-principals';
import { requestHash } from '../use-case/request-hash';
import type { UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';
import { derivedEventId, LedgerWriter } from '../writing/ledger-writer';
import { writeOf } from '../use-case/plan-helpers';
import {
  LEGACY_CHECKPOINT_STREAM,
  MANIFEST_CUSTODY_ACTOR,
  MANIFEST_CUSTODY_CHECKPOINT,
  ManifestCustodyProcessManager,
  type ManifestCustodyOptions,
} from './manifest-custody.process-manager';

const GENERATOR = composeUscc('91330106MA27Y5XK0');
const CARRIER = composeUscc('91330109MA2H3KT71');
const RECEIVER = composeUscc('91330114MA2CJ8RL5');
/** A store whose appends to the stream fail, as a process dying half-way would leave it. */
function crashingOn(store: EventStore, stream: string): EventStore {
  return failingAppends(
    store,
    (writes) => writes.some((w) => w.stream === stream),
    'simulated crash before this commit',
  );
}

async function eventsOf(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

async function until(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(STORE_KINDS)('manifest custody process manager (%s)', (kind) => {
  let opened: SpecStore | undefined;
  let store: EventStore;
  let writer: LedgerWriter;
  let runner: UseCaseRunner;
  let skip = false;
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  const managers: ManifestCustodyProcessManager[] = [];
  let key = 0;

  function run<I, R extends JsonObject>(useCase: UseCase<I, R>, principal: Principal, input: I) {
    key += 1;
    return runner.run(
      useCase,
      {
        principal,
        idempotencyKey: `k-${key}`,
        correlationId: `c-${key}`,
        requestHash: requestHash({ route: useCase.action, params: {}, body: { key } }),
      },
      input,
    );
  }

  function manager(
    on: EventStore = store,
    options: ManifestCustodyOptions = {},
  ): ManifestCustodyProcessManager {
    const pm = new ManifestCustodyProcessManager(on, new LedgerWriter(on), {
      idleCheckpointMs: 50,
      restartDelayMs: 60_000,
      ...options,
    });
    managers.push(pm);
    return pm;
  }

  /** The manifest event appended alone, as a non-atomic store can leave it (or an import writes it). */
  async function appendManifestEventOnly(
    decide: (manifest: never, receiver: never) => ReturnType<typeof decidePickUpManifest>,
    manifestNo: string,
    actor: string,
  ) {
    key += 1;
    const outcome = await writer.execute(
      {
        principal: party(actor),
        idempotencyKey: `manifest-only-${key}`,
        requestHash: `h-${key}`,
        correlationId: `manifest-only-${key}`,
        recordedAt: clock.now(),
      },
      async (unitOfWork) => {
        const manifest = await unitOfWork.load(manifestStream(manifestNo), manifestModel);
        const receiver = await unitOfWork.load(partyStream(RECEIVER), partyModel);
        const events = decide(manifest.state as never, receiver.state as never);
        return { writes: [writeOf(manifestStream(manifestNo), events)], result: {} };
      },
    );
    const [event] = await store.readStream(manifestStream(manifestNo), {
      fromRevision: outcome.streams[0].revision,
      limit: 1,
    });
    return event;
  }

  /** A run that dies at its commit to `stream`, stopped after its one commit before: batch `a`'s `type`. */
  async function runDyingAt(stream: string, a: string, type: string): Promise<ManifestCustodyProcessManager> {
    const dying = manager(crashingOn(store, stream));
    await dying.start();
    await until(
      async () => (await eventsOf(store, batchStream(a))).some((e) => e.type === type),
      `batch A: ${type}`,
    );
    await until(() => dying.status().written === 1, 'the first commit');
    await dying.stop();
    return dying;
  }

  /** The carrier's ManifestPickedUp appended alone: its batch side is left to the process manager. */
  const pickedUpOnly = (manifestNo: string, occurredAt: string) =>
    appendManifestEventOnly(
      (manifest) =>
        decidePickUpManifest(
          {
            actorUscc: CARRIER,
            manifestNo,
            vehiclePlate: '浙A12345',
            occurredAt,
            recordedAt: clock.now().toISOString(),
          },
          manifest,
        ),
      manifestNo,
      CARRIER,
    );

  beforeAll(async () => {
    opened = await openSpecStore(kind, __filename, 'pm');
    if (opened === undefined) {
      skip = true;
      return;
    }
    store = opened.store;
    writer = new LedgerWriter(store);
    runner = new UseCaseRunner(writer, store, clock, {});
    for (const [uscc, roles, districtCode] of [
      [GENERATOR, ['generator'], '330106'],
      [CARRIER, ['carrier'], '330109'],
      [RECEIVER, ['receiver'], '330114'],
    ] as const) {
      await run(registerParty, admin, { uscc, name: uscc, roles, districtCode });
    }
    await run(grantPermit, regulator, {
      uscc: RECEIVER,
      permitNo: '3301000012',
      hwCategories: ['HW08'],
      operations: ['D10'],
      annualCapacityKg: 1000000,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
    });
  });

  afterEach(async () => {
    await Promise.all(managers.splice(0).map((pm) => pm.stop()));
  });

  afterAll(() => opened?.close());

  const test = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      if (skip) return;
      await fn();
    });

  async function twoBatchManifest(): Promise<{ a: string; b: string; manifestNo: string }> {
    const generated = async (massKg: number) =>
      (
        await run(generateWaste, party(GENERATOR), {
          category: 'hazardous',
          wasteCode: '900-249-08',
          massKg,
          occurredAt: '2026-03-02T09:00:00+08:00',
        })
      ).result.traceCode;
    const a = await generated(100);
    const b = await generated(50);
    const { manifestNo } = (
      await run(issueManifest, party(GENERATOR), {
        lines: [{ traceCode: a }, { traceCode: b }],
        carrierUscc: CARRIER,
        receiverUscc: RECEIVER,
        plannedAt: '2026-03-02T13:00:00+08:00',
      })
    ).result;
    const [first, second] = [a, b].sort();
    return { a: first, b: second, manifestNo };
  }

  test('killed half-way (custody written for one batch of two), restarted: the rest is written once, nothing twice', async () => {
    const { a, b, manifestNo } = await twoBatchManifest();
    const pickup = await pickedUpOnly(manifestNo, '2026-03-02T10:02:00+08:00');
    expect(pickup.type).toBe('ManifestPickedUp');

    // the first run dies before the commit of the second batch (the batches are handled in code order)
    const dying = await runDyingAt(batchStream(b), a, 'BatchShipped');
    expect((await eventsOf(store, batchStream(b))).map((e) => e.type)).toEqual([
      'WasteGenerated',
      'BatchConsigned',
    ]);
    expect(dying.status().position < pickup.position).toBe(true);

    // restarted: resumes from its checkpoint (before the pickup), A is already in step, B gets its custody
    const restarted = manager();
    await restarted.start();
    await restarted.waitFor(pickup.position);
    expect(restarted.status()).toMatchObject({ written: 1, skipped: 0 });
    for (const traceCode of [a, b]) {
      const events = await eventsOf(store, batchStream(traceCode));
      expect(events.map((e) => e.type)).toEqual(['WasteGenerated', 'BatchConsigned', 'BatchShipped']);
      const shipped = events[2];
      expect(shipped.id).toBe(derivedEventId(pickup.id, batchStream(traceCode), 0));
      expect(shipped.metadata).toMatchObject({
        actor: MANIFEST_CUSTODY_ACTOR,
        causationId: pickup.id,
        correlationId: pickup.metadata.correlationId,
        recordedAt: pickup.metadata.recordedAt,
        occurredAt: '2026-03-02T10:02:00+08:00',
        prevHash: events[1].metadata.hash,
      });
    }

    // run again, and twice at once (two instances, as a lease holder fenced out and its successor may):
    // nothing more is written
    const head = await store.readAll({ filter: { streamPrefixes: ['batch-'] } });
    await restarted.handle(pickup);
    const twins = [manager(), manager()];
    await Promise.all(twins.map((pm) => pm.handle(pickup)));
    expect(await store.readAll({ filter: { streamPrefixes: ['batch-'] } })).toEqual(head);
  });

  test('a receipt with a loss and a partial rejection, crashed before the rejection child: completed once on restart', async () => {
    clock.set('2026-03-02T03:00:00Z');
    const { a, b, manifestNo } = await twoBatchManifest();
    const pickup = await pickedUpOnly(manifestNo, '2026-03-02T11:01:00+08:00');
    const warm = manager();
    await warm.start();
    await warm.waitFor(pickup.position);
    await warm.stop();
    const massOf = async (code: string) =>
      (await eventsOf(store, batchStream(code)))[0].data.massGrams as number;
    const [gramsA, gramsB] = [await massOf(a), await massOf(b)];
    const receipt = await appendManifestEventOnly(
      (manifest, receiver) =>
        decideReceiveManifest(
          {
            actorUscc: RECEIVER,
            manifestNo,
            lines: [
              { traceCode: a, receivedGrams: gramsA - 1000, acceptedGrams: gramsA - 1000 },
              {
                traceCode: b,
                receivedGrams: gramsB,
                acceptedGrams: gramsB - 20000,
                reason: '包装破损',
                returnRandomPart: 'RET0RN00',
              },
            ],
            occurredAt: '2026-03-02T11:03:00+08:00',
            recordedAt: clock.now().toISOString(),
          },
          { manifest, receiver },
        ),
      manifestNo,
      RECEIVER,
    );
    const child = childTraceCode(b, 'RET0RN00');

    // dies before the commit of B's side (B's own events and the new child stream: one commit)
    await runDyingAt(batchStream(child), a, 'BatchReceived');
    expect(await eventsOf(store, batchStream(child))).toEqual([]);
    expect((await eventsOf(store, batchStream(b))).at(-1)?.type).toBe('BatchShipped');

    const restarted = manager();
    await restarted.start();
    await restarted.waitFor(receipt.position);
    expect((await eventsOf(store, batchStream(a))).map((e) => e.type)).toEqual([
      'WasteGenerated',
      'BatchConsigned',
      'BatchShipped',
      'BatchLostInTransit',
      'BatchReceived',
    ]);
    expect((await eventsOf(store, batchStream(b))).map((e) => e.type)).toEqual([
      'WasteGenerated',
      'BatchConsigned',
      'BatchShipped',
      'BatchRejectionSplitOff',
      'BatchReceived',
    ]);
    const [returned, ...none] = await eventsOf(store, batchStream(child));
    expect(none).toEqual([]);
    expect(returned.type).toBe('BatchReturnedFromRejection');
    expect(returned.data).toMatchObject({ custodianUscc: GENERATOR, massGrams: 20000, parentTraceCode: b });
    expect(returned.id).toBe(derivedEventId(receipt.id, batchStream(child), 0));
  });

  test('keeps its checkpoint beside the log, under a lease, and resumes strictly after it', async () => {
    const pm = manager();
    await pm.start();
    expect(pm.status().leader).toBe(true);
    const head = await store.headPosition();
    await until(
      async () => pm.status().checkpoint > 0n && pm.status().checkpoint === pm.status().position,
      'an idle checkpoint',
    );
    await pm.stop();
    const saved = await store.bookkeeping.readCheckpoint(MANIFEST_CUSTODY_CHECKPOINT);
    expect(saved?.position).toBe(pm.status().position);
    expect((saved?.position ?? head + 1n) <= head).toBe(true);
    // bookkeeping, not history: checkpointing appended nothing, and no checkpoint stream exists
    expect(await store.headPosition()).toBe(head);
    expect((await store.readAll()).some((e) => e.stream === LEGACY_CHECKPOINT_STREAM)).toBe(false);
    // stopping released the lease: the next instance leads at once
    expect(saved?.expiresAt).toBe(0);

    const again = manager();
    await again.start();
    expect(again.status()).toMatchObject({ leader: true, checkpoint: pm.status().position });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.status()).toMatchObject({ handled: 0, written: 0 });
  });

  test('one instance leads, the others stand by; a dead leader is replaced and fenced out', async () => {
    let now = Date.now();
    const clock = () => now;
    const ttl = 300;
    // the leader's connection dies: it can no longer renew (or save) its lease
    let alive = true;
    const dying = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'bookkeeping') {
          return new Proxy(target.bookkeeping, {
            get(bookkeeping, name, inner) {
              const value = Reflect.get(bookkeeping, name, inner);
              if (name !== 'saveCheckpoint' || typeof value !== 'function') {
                return typeof value === 'function' ? value.bind(bookkeeping) : value;
              }
              return (...args: Parameters<typeof bookkeeping.saveCheckpoint>) =>
                alive ? bookkeeping.saveCheckpoint(...args) : Promise.reject(new Error('connection lost'));
            },
          });
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const leader = manager(dying, { leaseTtlMs: ttl, clock, owner: 'leader' });
    const standby = manager(store, { leaseTtlMs: ttl, clock, owner: 'standby' });
    await leader.start();
    await standby.start();
    expect([leader.status().leader, standby.status().leader]).toEqual([true, false]);
    const { token } = (await store.bookkeeping.readCheckpoint(MANIFEST_CUSTODY_CHECKPOINT)) ?? { token: 0n };

    alive = false;
    now += ttl + 1;
    await until(() => standby.status().leader, 'the standby taking over');
    const lease = await store.bookkeeping.readCheckpoint(MANIFEST_CUSTODY_CHECKPOINT);
    expect(lease).toMatchObject({ owner: 'standby', token: token + 1n });
    // the old leader comes back: its next save carries the old token and is refused; it stands by
    alive = true;
    await until(() => !leader.status().leader, 'the old leader fenced out');
    expect(await store.bookkeeping.readCheckpoint(MANIFEST_CUSTODY_CHECKPOINT)).toMatchObject({
      owner: 'standby',
      token: token + 1n,
    });
  });
});
