import { EventNotApplicable } from '../errors';
import {
  aHazardousBatch,
  baseWorld,
  generate,
  issue,
  issueManifestCommand,
  manifestNo,
  traceCodeOf,
} from '../testing';
import { evolveManifest, initialManifestState } from '../manifest/manifest.state';
import { evolveBatch, initialBatchState } from './batch.state';
import type { BatchEvent } from './batch.events';

describe('evolve', () => {
  const [generated] = aHazardousBatch();
  if (generated.type !== 'WasteGenerated') throw new Error('expected WasteGenerated');
  const code = traceCodeOf([generated]);
  const state = evolveBatch(initialBatchState, generated);

  it('folds a generated batch', () => {
    expect(state).toMatchObject({
      status: 'held',
      traceCode: code,
      creation: 'generated',
      heldGrams: 1_000_000,
      custodianUscc: generated.data.generatorUscc,
      nextChildIndex: 0,
      settledManifests: [],
    });
  });

  it('refuses events that cannot apply to the state (a corrupt or misrouted stream): EventNotApplicable', () => {
    const at = generated.data.occurredAt;
    const bad: BatchEvent[] = [
      generated, // created twice
      {
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
      },
      {
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
      },
      {
        type: 'WasteDisposed',
        schemaVersion: 1,
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
      },
      {
        type: 'BatchConsignmentReleased',
        schemaVersion: 1,
        data: { traceCode: code, manifestNo: manifestNo(1), reason: 'r', occurredAt: at, late: false },
      },
    ];
    for (const e of bad) expect(() => evolveBatch(state, e)).toThrow(EventNotApplicable);
    expect(() => evolveBatch(initialBatchState, bad[3])).toThrow(EventNotApplicable);
  });

  it('refuses manifest events out of order', () => {
    const g = generate(baseWorld());
    const w = issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }]));
    const issued = w.log.find((e) => e.type === 'ManifestIssued');
    if (issued?.type !== 'ManifestIssued') throw new Error('no ManifestIssued');
    expect(() => evolveManifest(w.manifest(manifestNo(1)), issued)).toThrow(EventNotApplicable);
    expect(() =>
      evolveManifest(initialManifestState, {
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
      }),
    ).toThrow(EventNotApplicable);
  });
});
