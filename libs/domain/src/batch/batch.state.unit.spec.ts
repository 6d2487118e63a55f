import {
  GENERATOR,
  aHazardousBatch,
  anApprovedCorrection,
  requestCorrectionCommand,
  givenStream,
  manifestNo,
  traceCodeOf,
  hazardousShare,
  oneBatchIssued,
} from '../testing';
import { manifestStream, batchStream } from '../streams';
import type { BatchEvent } from './batch.events';
import { evolveBatch, initialBatchState } from './batch.state';

const [generated] = aHazardousBatch();
if (generated.type !== 'WasteGenerated') throw new Error('expected WasteGenerated');
const code = traceCodeOf([generated]);
const stream = batchStream(code);
const at = generated.data.occurredAt;
const share = hazardousShare;
const held = { status: 'held', traceCode: code, heldGrams: 1_000_000, custodianUscc: GENERATOR };

const shipped: BatchEvent = {
  type: 'BatchShipped',
  schemaVersion: 1,
  data: {
    traceCode: code,
    manifestNo: manifestNo(1),
    shipperUscc: 'x',
    carrierUscc: 'y',
    vehiclePlate: '浙A12345',
    massGrams: 1,
    occurredAt: at,
    late: false,
  },
};
const received: BatchEvent = {
  type: 'BatchReceived',
  schemaVersion: 1,
  data: {
    traceCode: code,
    manifestNo: manifestNo(1),
    receiverUscc: 'x',
    previousCustodianUscc: 'y',
    massGrams: 1,
    occurredAt: at,
    late: false,
  },
};
/** Claims 1 g treated, but its composition removes the whole tonne. */
const disposed: BatchEvent = {
  type: 'WasteDisposed',
  schemaVersion: 4,
  data: {
    traceCode: code,
    custodianUscc: 'x',
    operation: 'D10',
    mode: 'incineration',
    massGrams: 1,
    composition: generated.data.composition,
    remainingGrams: 0,
    occurredAt: at,
    late: false,
  },
};
const released: BatchEvent = {
  type: 'BatchConsignmentReleased',
  schemaVersion: 1,
  data: { traceCode: code, manifestNo: manifestNo(1), reason: 'r', occurredAt: at, late: false },
};

const notApplicable = (revision: number, type: string, reason: string) => ({
  revision,
  type,
  rule: 'event-not-applicable',
  reason,
});

describe('batch evolve (never fails) and stream consistency', () => {
  it('given a generated batch, when folded, then it is held by its generator', () => {
    givenStream(stream, [generated])
      .whenFolded()
      .thenAssert((state) =>
        expect(state).toMatchObject({
          ...held,
          creation: 'generated',
          nextChildIndex: 0,
          settledManifests: [],
        }),
      );
    givenStream(stream, [generated]).whenChecked().then({
      stream,
      consistent: true,
      eventsChecked: 1,
      issues: [],
    });
  });

  it.each([
    ['created twice', generated, 'batch already exists', held],
    ['shipped off no manifest', shipped, 'batch not consigned on that manifest', held],
    ['received while not in transit', received, 'batch not in transit on that manifest', held],
    ['released from no manifest', released, 'batch not consigned on that manifest', held],
    // a mass movement applies as far as the batch holds the mass it names
    [
      'treated with numbers that disagree',
      disposed,
      'composition of 1000000 g for 1 g',
      { status: 'depleted', heldGrams: 0 },
    ],
  ] as const)(
    'given a batch and an event that does not fit it (%s), when folded, then no failure; when checked, then event-not-applicable',
    (_case, event, reason, after) => {
      givenStream(stream, [generated, event])
        .whenFolded()
        .thenAssert((state) => expect(state).toMatchObject(after));
      givenStream(stream, [generated, event])
        .whenChecked()
        .then({
          stream,
          consistent: false,
          eventsChecked: 2,
          issues: [notApplicable(1, event.type, reason)],
        });
    },
  );

  it('given no batch and a treatment, when folded, then still none; when checked, then no such batch', () => {
    givenStream(stream, [disposed])
      .whenFolded()
      .thenAssert((state) => expect(state).toEqual(initialBatchState));
    givenStream(stream, [disposed])
      .whenChecked()
      .thenAssert((c) => expect(c.issues).toEqual([notApplicable(0, 'WasteDisposed', 'no such batch')]));
  });

  it('given a stream with a bad treatment, when its custodian corrects it, then the correction is decided on the folded state', () => {
    // recorded: 400 kg treated by its composition, 500 kg by its numbers
    const bad: BatchEvent = {
      type: 'WasteDisposed',
      schemaVersion: 4,
      data: {
        ...disposed.data,
        custodianUscc: GENERATOR,
        massGrams: 500_000,
        composition: [share(400_000)],
        remainingGrams: 500_000,
      },
    } as BatchEvent;
    const correction = anApprovedCorrection(
      [generated, bad].reduce(evolveBatch, initialBatchState),
      requestCorrectionCommand(code, { deltaGrams: -100_000 }),
    );
    expect(correction.at(-1)).toMatchObject({
      type: 'MassCorrected',
      data: { deltaGrams: -100_000, massGramsAfter: 500_000 },
    });
    givenStream(stream, [generated, bad, ...correction])
      .whenChecked()
      .thenAssert((c) =>
        expect(c.issues).toEqual([
          notApplicable(1, 'WasteDisposed', 'composition of 400000 g for 500000 g'),
          notApplicable(1, 'WasteDisposed', 'remaining 500000 g but 600000 g computed'),
        ]),
      );
  });

  it('given events of another aggregate or another batch in the stream, when checked, then both are named', () => {
    const { world: w } = oneBatchIssued();
    const issued = w.log.find((e) => e.type === 'ManifestIssued');
    if (!issued) throw new Error('no ManifestIssued');
    givenStream(stream, [generated, issued, ...aHazardousBatch({ randomPart: 'ABCDEFGH' })])
      .whenChecked()
      .thenAssert((c) =>
        expect(c.issues).toEqual([
          notApplicable(1, 'ManifestIssued', 'a manifest event in a batch stream'),
          expect.objectContaining({
            revision: 2,
            reason: expect.stringMatching(/^the event is about batch-/),
          }),
          notApplicable(2, 'WasteGenerated', 'batch already exists'),
        ]),
      );
  });

  it('given manifest events out of order, when folded, then unchanged; when checked, then each is named', () => {
    const { world: w } = oneBatchIssued();
    const issued = w.log.find((e) => e.type === 'ManifestIssued');
    if (issued?.type !== 'ManifestIssued') throw new Error('no ManifestIssued');
    const manifest = manifestStream(manifestNo(1));
    givenStream(manifest, [issued, issued])
      .whenChecked()
      .thenAssert((c) =>
        expect(c.issues).toEqual([notApplicable(1, 'ManifestIssued', 'manifest already exists')]),
      );
    const cancelled = {
      type: 'ManifestCancelled',
      schemaVersion: 1,
      data: {
        manifestNo: manifestNo(1),
        shipperUscc: 'x',
        reason: 'r',
        traceCodes: [],
        occurredAt: issued.data.occurredAt,
        late: false,
      },
    } as const;
    givenStream(manifest, [cancelled])
      .whenFolded()
      .thenAssert((state) => expect(state).toEqual({ status: 'none' }));
    givenStream(manifest, [cancelled])
      .whenChecked()
      .thenAssert((c) =>
        expect(c.issues).toEqual([notApplicable(0, 'ManifestCancelled', 'manifest is none')]),
      );
  });
});
