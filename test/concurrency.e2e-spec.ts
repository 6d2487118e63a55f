import type { Response } from 'supertest';
import { batchStream, manifestStream, type BatchSplitData, type WasteTreatedData } from '@wasteflow/domain';
import {
  appendedSince,
  concurrently,
  describeEachStore,
  expectProblem,
  heldGrams,
  Keys,
  pickupBody,
  send,
  splitBody,
  streamEvents,
  treatmentBody,
  batchState,
  type PartyName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * Many writers on one aggregate at once (DESIGN.md §2: mass is conserved, a batch has one custodian and
 * sits on one open manifest at a time; §5: load → decide → append with the expected revision). Whatever
 * the interleaving: the successful writes add up to the gram, every refusal is named (409 / 422), and
 * the batch's held mass read back from the events equals what was there minus what succeeded.
 */

const SUITE = 'concurrency';

/** `201`, or `<status> <rule>` (readable in a failed comparison). */
function outcome(response: Response): string {
  return response.status === 201 ? '201' : `${response.status} ${response.body?.rule}`;
}

/** Checks every refusal is a problem document with one of the named outcomes. */
function expectRefusalsAmong(responses: readonly Response[], allowed: readonly string[]): void {
  for (const response of responses) {
    if (response.status === 201) continue;
    expectProblem(response, response.status);
    expect(allowed).toContain(outcome(response));
  }
}

/**
 * Requests of 1 kg each racing for a batch of `heldKg`: at least one wins, at most `heldKg`; every refusal is
 * a retry running out, `massRefusal` or batch-depleted — and a mass refusal proves less than 1 kg was left,
 * so then all `heldKg` were taken. Answers the winners.
 */
function expectMassRace(responses: readonly Response[], heldKg: number, massRefusal: string): Response[] {
  const won = responses.filter((r) => r.status === 201);
  expectRefusalsAmong(responses, ['409 concurrency-retries-exhausted', massRefusal, '422 batch-depleted']);
  expect(won.length).toBeGreaterThan(0);
  expect(won.length).toBeLessThanOrEqual(heldKg);
  if (responses.some((r) => r.status === 422)) expect(won.length).toBe(heldKg);
  return won;
}

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'conc');
  const keys = new Keys(`conc-${kind}`);
  /** A write of `party`'s under a fresh key labelled `label`. */
  const post = (path: string, party: PartyName, body: unknown, label: string) =>
    send(app.t, path, app.world.tokens[party], body, keys.next(label));

  it('20 concurrent treatments of 1 kg on a 10 kg batch held by the receiver: no gram lost or treated twice', async () => {
    const code = await app.build.atReceiver(10);
    const before = await app.t.headPosition();
    const responses = await concurrently(20, () =>
      post(`/v1/batches/${code}/treatments`, 'receiver', treatmentBody(1), 'treat'),
    );
    const won = expectMassRace(responses, 10, '422 treatment-exceeds-held-mass');
    // each success saw a different remainder: 9, 8, … (no lost update)
    expect(won.map((r) => r.body.remainingKg as number).sort((x, y) => y - x)).toEqual(
      Array.from({ length: won.length }, (_, i) => 9 - i),
    );

    const events = await streamEvents(app.t, batchStream(code));
    const treated = events.filter((e) => e.type === 'WasteDisposed' || e.type === 'WasteUtilised');
    expect(treated).toHaveLength(won.length);
    const treatedGrams = treated.reduce(
      (sum, e) => sum + (e.data as unknown as WasteTreatedData).massGrams,
      0,
    );
    expect(treatedGrams).toBe(won.length * 1000);
    expect(await heldGrams(app.t, code)).toBe(10_000 - treatedGrams);
    expect((treated.at(-1)?.data as unknown as WasteTreatedData).remainingGrams).toBe(10_000 - treatedGrams);
    // what was appended: one event per success (its idempotency record beside the log), nothing for the refusals
    const added = await appendedSince(app.t, before);
    expect(added).toHaveLength(won.length);
  });

  it('20 concurrent splits of 1 kg on a 12 kg batch: the children and the parent add up to 12 kg', async () => {
    const code = await app.build.generate(12);
    const before = await app.t.headPosition();
    const responses = await concurrently(20, () =>
      post(`/v1/batches/${code}/split`, 'generator', splitBody([1]), 'split'),
    );
    const won = expectMassRace(responses, 12, '422 mass-not-conserved');

    const children = won.flatMap((r) => r.body.children as string[]);
    expect(new Set(children).size).toBe(won.length);
    const splits = (await streamEvents(app.t, batchStream(code))).filter((e) => e.type === 'BatchSplit');
    expect(splits).toHaveLength(won.length);
    const recorded = splits.flatMap((e) => (e.data as unknown as BatchSplitData).children);
    expect(recorded.map((c) => c.traceCode).sort()).toEqual([...children].sort());
    expect(new Set(recorded.map((c) => c.childIndex)).size).toBe(won.length);
    let childGrams = 0;
    for (const child of children) {
      const [created, ...rest] = await streamEvents(app.t, batchStream(child));
      expect({ type: created.type, rest: rest.length }).toEqual({ type: 'BatchSplitOff', rest: 0 });
      childGrams += await heldGrams(app.t, child);
    }
    expect(childGrams).toBe(won.length * 1000);
    expect((await heldGrams(app.t, code)) + childGrams).toBe(12_000);
    // per success: BatchSplit on the parent, BatchSplitOff on the child (the idempotency record beside the log)
    expect(await appendedSince(app.t, before)).toHaveLength(won.length * 2);
  });

  it('10 concurrent manifests of one batch: one wins, the others are 409 batch-on-open-manifest', async () => {
    const code = await app.build.generate(10);
    const before = await app.t.headPosition();
    const responses = await concurrently(10, () =>
      post('/v1/manifests', 'generator', app.build.manifestBody([code]), 'ship'),
    );
    expect(responses.map(outcome).sort()).toEqual(
      ['201', ...Array(9).fill('409 batch-on-open-manifest')].sort(),
    );
    const winner = responses.find((r) => r.status === 201) as Response;
    const events = await streamEvents(app.t, batchStream(code));
    expect(events.map((e) => e.type)).toEqual(['WasteGenerated', 'BatchConsigned']);
    expect(events[1].data).toMatchObject({ manifestNo: winner.body.manifestNo, massGrams: 10_000 });
    const added = await appendedSince(app.t, before);
    expect(added.filter((e) => e.type === 'ManifestIssued').map((e) => e.stream)).toEqual([
      manifestStream(winner.body.manifestNo),
    ]);
    expect(added.filter((e) => e.type === 'ManifestSerialAllocated')).toHaveLength(1);
  });

  it('30 concurrent manifests of 30 batches in one city: every one issued, distinct consecutive numbers', async () => {
    // All 30 race for the city's serial counter; the losers retry in turn (not against each other
    // again), so none runs out of attempts.
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push(await app.build.generate(1 + i));
    const before = await app.t.headPosition();
    const responses = await Promise.all(
      codes.map((code) => post('/v1/manifests', 'generator', app.build.manifestBody([code]), 'ship-many')),
    );
    expect(responses.map((r) => r.status)).toEqual(codes.map(() => 201));
    const won = responses.filter((r) => r.status === 201);
    const numbers = won.map((r) => r.body.manifestNo as string);
    expect(new Set(numbers).size).toBe(won.length);
    const serials = numbers.map((no) => Number(no.slice(8))).sort((x, y) => x - y);
    expect(serials).toEqual(Array.from({ length: won.length }, (_, i) => serials[0] + i));
    const added = await appendedSince(app.t, before);
    expect(
      added
        .filter((e) => e.type === 'ManifestIssued')
        .map((e) => e.stream)
        .sort(),
    ).toEqual(numbers.map(manifestStream).sort());
    for (const [i, response] of responses.entries()) {
      const consigned = (await streamEvents(app.t, batchStream(codes[i]))).filter(
        (e) => e.type === 'BatchConsigned',
      );
      expect(consigned).toHaveLength(response.status === 201 ? 1 : 0);
    }
  });

  it('pickup and cancel racing on one manifest: exactly one wins, the batch follows the winner', async () => {
    for (let round = 0; round < 4; round++) {
      const { traceCode, manifestNo } = await app.build.consigned(5);
      const pickUp = () => post(`/v1/manifests/${manifestNo}/pickup`, 'carrier', pickupBody(), 'race-pickup');
      const cancelIt = () =>
        post(`/v1/manifests/${manifestNo}/cancel`, 'generator', { reason: '改期' }, 'race-cancel');
      // alternate which request starts first
      const [pickup, cancel] =
        round % 2 === 0
          ? await Promise.all([pickUp(), cancelIt()])
          : await Promise.all([cancelIt(), pickUp()]).then(([c, p]) => [p, c]);
      const outcomes = [outcome(pickup), outcome(cancel)];
      expect([
        ['201', '409 manifest-already-picked-up'],
        ['409 manifest-already-cancelled', '201'],
      ]).toContainEqual(outcomes);
      const manifest = (await streamEvents(app.t, manifestStream(manifestNo))).map((e) => e.type);
      const batch = await batchState(app.t, traceCode);
      if (pickup.status === 201) {
        expect(manifest).toEqual(['ManifestIssued', 'ManifestPickedUp']);
        expect(batch).toMatchObject({ status: 'in_transit', heldGrams: 5000 });
      } else {
        expect(manifest).toEqual(['ManifestIssued', 'ManifestCancelled']);
        expect(batch).toMatchObject({ status: 'held', heldGrams: 5000 });
      }
    }
  });

  it('splits racing a manifest of the same batch: the manifest ships exactly what was held when it won', async () => {
    const code = await app.build.generate(20);
    const requests = [
      ...Array.from({ length: 6 }, () =>
        post(`/v1/batches/${code}/split`, 'generator', splitBody([1]), 'mix-split'),
      ),
      post('/v1/manifests', 'generator', app.build.manifestBody([code]), 'mix-ship'),
      ...Array.from({ length: 6 }, () =>
        post(`/v1/batches/${code}/split`, 'generator', splitBody([1]), 'mix-split'),
      ),
    ];
    const responses = await Promise.all(requests);
    const manifest = responses[6];
    const splits = responses.filter((_, i) => i !== 6);
    expectRefusalsAmong(splits, ['409 concurrency-retries-exhausted', '409 batch-on-open-manifest']);
    expectRefusalsAmong([manifest], ['409 concurrency-retries-exhausted']);
    const events = await streamEvents(app.t, batchStream(code));
    const consignedAt = events.findIndex((e) => e.type === 'BatchConsigned');
    const splitGrams = (until: number) =>
      events
        .slice(0, until)
        .filter((e) => e.type === 'BatchSplit')
        .reduce(
          (sum, e) =>
            sum + (e.data as unknown as BatchSplitData).children.reduce((s, c) => s + c.massGrams, 0),
          0,
        );
    if (manifest.status === 201) {
      expect(consignedAt).toBeGreaterThan(0);
      // nothing split after the lock; the line is the mass held at that moment
      expect(events.slice(consignedAt).map((e) => e.type)).toEqual(['BatchConsigned']);
      expect(events[consignedAt].data.massGrams).toBe(20_000 - splitGrams(consignedAt));
      expect(manifest.body.totalKg * 1000).toBe(20_000 - splitGrams(consignedAt));
    } else {
      expect(consignedAt).toBe(-1);
    }
    expect(splits.filter((r) => r.status === 201)).toHaveLength(
      events.filter((e) => e.type === 'BatchSplit').length,
    );
    expect((await heldGrams(app.t, code)) + splitGrams(events.length)).toBe(20_000);
  });
});
