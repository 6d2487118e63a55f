import { setTimeout as sleep } from 'node:timers/promises';
import {
  composeUscc,
  partyStream,
  PermitCapacityExceeded,
  type PermitCapacityDrawnData,
} from '@wasteflow/domain';
import { ManualClock, type EventStore, type JsonObject } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import { generateWaste } from '../generate-waste/generate-waste.command';
import { grantPermit } from '../grant-permit/grant-permit.command';
import { issueManifest } from '../issue-manifest/issue-manifest.command';
import { pickUpManifest } from '../pick-up-manifest/pick-up-manifest.command';
import { registerParty } from '../register-party/register-party.command';
import { openSpecStore, STORE_KINDS, type SpecStore } from '../testing/spec-store';
import { admin, party, regulator } from '../testing/spec-principals';
import { requestHash } from '../use-case/request-hash';
import type { UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';
import { LedgerWriter } from '../writing/ledger-writer';
import { receiveManifest } from './receive-manifest.command';

/**
 * A busy treatment plant receiving many trucks at once (the bench `http-commands-mix` at 32 connections
 * answered some receipts 409 concurrency-retries-exhausted): every receipt of hazardous mass draws on the
 * receiver's permit, on its party stream, so concurrent receipts to one receiver all write that one stream.
 * Each must be received or refused for a domain reason (PermitCapacityExceeded), never run out of retries;
 * the drawn capacity is exactly the sum received and never beyond the permit.
 *
 * The receipts' commits are slowed as on the loaded machine where the bench met it (tens of ms from read
 * to commit): the longer a decision's reads take to commit, the likelier another receipt commits in between.
 */

const RECEIPTS = 32;
const COMMIT_DELAY_MS = 30;
const GENERATOR = composeUscc('91330106MA27Y5XK0');
const CARRIER = composeUscc('91330109MA2H3KT71');
const ROOMY = composeUscc('91330114MA2CJ8RL5');
const TIGHT = composeUscc('91330114MA2X00022');
/** The tight receiver's permit has room for this many of the 1 kg receipts. */
const FITS = 10;
/** Api processes on one store (each its own writer: turns do not reach across them). */
const PROCESSES = 2;

/** `store` whose commits take `ms` longer (each on its own: a slow machine, not a queue). */
function slowCommits(store: EventStore, ms: number): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStreams') {
        return async (...args: Parameters<EventStore['appendToStreams']>) => {
          await sleep(ms);
          return target.appendToStreams(...args);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.each(STORE_KINDS)('concurrent receipts to one receiver (%s)', (kind) => {
  let opened: SpecStore | undefined;
  let store: EventStore;
  let runner: UseCaseRunner;
  /**
   * The receipts' runners, as `PROCESSES` api processes (each its own writer, so its own turns): the same
   * store, its commits slowed.
   */
  const receiving: UseCaseRunner[] = [];
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  let key = 0;

  /** Runs `useCase` under `idempotencyKey` (a fresh one by default; the same key and input: a retry) by `by`. */
  function run<I, R extends JsonObject>(
    useCase: UseCase<I, R>,
    principal: Principal,
    input: I,
    idempotencyKey = `k-${++key}`,
    by = runner,
  ) {
    return by.run(
      useCase,
      {
        principal,
        idempotencyKey,
        correlationId: `c-${idempotencyKey}`,
        requestHash: requestHash({ route: useCase.action, params: {}, body: input as JsonObject }),
      },
      input,
    );
  }

  beforeAll(async () => {
    opened = await openSpecStore(kind, __filename, 'receipts');
    if (opened === undefined) return;
    store = opened.store;
    runner = new UseCaseRunner(new LedgerWriter(store), store, clock, {});
    const slow = slowCommits(store, COMMIT_DELAY_MS);
    for (let i = 0; i < PROCESSES; i++)
      receiving.push(new UseCaseRunner(new LedgerWriter(slow), slow, clock, {}));
    for (const [uscc, roles, districtCode] of [
      [GENERATOR, ['generator'], '330106'],
      [CARRIER, ['carrier'], '330109'],
      [ROOMY, ['receiver'], '330114'],
      [TIGHT, ['receiver'], '330114'],
    ] as const) {
      await run(registerParty, admin, { uscc, name: uscc, roles, districtCode });
    }
    for (const [uscc, permitNo, annualCapacityKg] of [
      [ROOMY, '3301002101', 1000],
      [TIGHT, '3301002201', FITS],
    ] as const) {
      await run(grantPermit, regulator, {
        uscc,
        permitNo,
        hwCategories: ['HW08'],
        operations: ['D10'],
        annualCapacityKg,
        validFrom: '2026-01-01',
        validTo: '2030-12-31',
      });
    }
  });

  afterAll(() => opened?.close());

  /** `RECEIPTS` manifests of one 1 kg HW08 batch each to `receiver`, picked up. */
  async function inTransitTo(receiver: string): Promise<{ manifestNo: string; traceCode: string }[]> {
    const manifests: { manifestNo: string; traceCode: string }[] = [];
    for (let i = 0; i < RECEIPTS; i++) {
      const { traceCode } = (
        await run(generateWaste, party(GENERATOR), {
          category: 'hazardous',
          wasteCode: '900-249-08',
          massKg: 1,
          occurredAt: '2026-03-02T09:00:00+08:00',
        })
      ).result;
      const { manifestNo } = (
        await run(issueManifest, party(GENERATOR), {
          lines: [{ traceCode }],
          carrierUscc: CARRIER,
          receiverUscc: receiver,
          plannedAt: '2026-03-02T13:00:00+08:00',
        })
      ).result;
      await run(pickUpManifest, party(CARRIER), {
        manifestNo,
        vehiclePlate: '浙A12345',
        occurredAt: '2026-03-02T10:01:00+08:00',
      });
      manifests.push({ manifestNo, traceCode });
    }
    return manifests;
  }

  /**
   * Every manifest received in full at once, each under the key `label`-i, through the first of the api
   * processes (or spread over all of them): `received` (`replayed` when it answered an earlier receipt under
   * its key) or the refusal's name, per manifest.
   */
  function receiveAll(
    receiver: string,
    manifests: readonly { manifestNo: string; traceCode: string }[],
    label: string,
    processes = 1,
  ): Promise<string[]> {
    return Promise.all(
      manifests.map(({ manifestNo, traceCode }, i) =>
        run(
          receiveManifest,
          party(receiver),
          {
            manifestNo,
            occurredAt: '2026-03-02T10:02:00+08:00',
            lines: [{ traceCode, receivedKg: 1, acceptedKg: 1 }],
          },
          `${label}-${i}`,
          receiving[i % processes],
        ).then(
          (outcome) => (outcome.replayed ? 'replayed' : 'received'),
          (error: Error) => (error instanceof PermitCapacityExceeded ? 'capacity' : error.constructor.name),
        ),
      ),
    );
  }

  async function drawnOn(receiver: string): Promise<PermitCapacityDrawnData[]> {
    return (await store.readStream(partyStream(receiver)))
      .filter((e) => e.type === 'PermitCapacityDrawn')
      .map((e) => e.data as unknown as PermitCapacityDrawnData);
  }

  it(`${RECEIPTS} receipts at once, room for all: every one received, the permit drawn by their sum, each draw after the one before`, async () => {
    if (opened === undefined) return;
    const manifests = await inTransitTo(ROOMY);
    expect(await receiveAll(ROOMY, manifests, 'roomy')).toEqual(manifests.map(() => 'received'));
    const drawn = await drawnOn(ROOMY);
    expect(drawn.map((d) => d.manifestNo).sort()).toEqual(manifests.map((m) => m.manifestNo).sort());
    expect(drawn.map((d) => d.usedGramsAfter)).toEqual(drawn.map((_, i) => (i + 1) * 1000));

    // the same receipts again, at once, under their keys: each answers the first, nothing is appended
    const head = await store.headPosition();
    expect(await receiveAll(ROOMY, manifests, 'roomy')).toEqual(manifests.map(() => 'replayed'));
    expect(await store.headPosition()).toBe(head);
  });

  it(`${RECEIPTS} receipts at once through ${PROCESSES} api processes: every one received, each draw after the one before`, async () => {
    if (opened === undefined) return;
    const usedBefore = (await drawnOn(ROOMY)).length;
    const manifests = await inTransitTo(ROOMY);
    expect(await receiveAll(ROOMY, manifests, 'processes', PROCESSES)).toEqual(
      manifests.map(() => 'received'),
    );
    const drawn = (await drawnOn(ROOMY)).slice(usedBefore);
    expect(drawn.map((d) => d.manifestNo).sort()).toEqual(manifests.map((m) => m.manifestNo).sort());
    expect(drawn.map((d) => d.usedGramsAfter)).toEqual(drawn.map((_, i) => (usedBefore + i + 1) * 1000));
  });

  it(`${RECEIPTS} receipts at once, room for ${FITS}: exactly ${FITS} received, the rest refused for capacity`, async () => {
    if (opened === undefined) return;
    const manifests = await inTransitTo(TIGHT);
    const outcomes = await receiveAll(TIGHT, manifests, 'tight');
    expect([...outcomes].sort()).toEqual(
      [...Array(RECEIPTS - FITS).fill('capacity'), ...Array(FITS).fill('received')].sort(),
    );
    const drawn = await drawnOn(TIGHT);
    expect(drawn.map((d) => d.manifestNo).sort()).toEqual(
      manifests
        .filter((_, i) => outcomes[i] === 'received')
        .map((m) => m.manifestNo)
        .sort(),
    );
    expect(drawn.map((d) => d.usedGramsAfter)).toEqual(drawn.map((_, i) => (i + 1) * 1000));
  });
});
