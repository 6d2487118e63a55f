import {
  BatchOnOpenManifest,
  CorrectionNotApproved,
  DuplicateLine,
  InvalidMass,
  InvalidText,
  MassNotConserved,
  NotCustodian,
} from '../errors';
import {
  GENERATOR,
  RECEIVER,
  aHazardousBatch,
  at,
  correctCommand,
  deciderSpec,
  traceCodeOf,
  hazardousShare,
  oneBatchIssued,
} from '../testing';
import type { BatchEvent } from './batch.events';
import { evolveBatch, initialBatchState, type BatchState } from './batch.state';
import { decideCorrectMass, type CorrectMassCommand } from './correct-mass.decide';

const correct = deciderSpec<CorrectMassCommand, BatchState, BatchEvent, BatchEvent[]>({
  decide: decideCorrectMass,
  evolve: evolveBatch,
  initialState: initialBatchState,
});
const batch = aHazardousBatch();
const code = traceCodeOf(batch);
const approval = { approverId: 'regulator:330106', role: 'regulator', approvedAt: at('09:30') };
const share = hazardousShare;

describe('mass correction (compensating event)', () => {
  it('given a batch, when its custodian corrects downwards with an independent approval, then MassCorrected removing the mass', () => {
    correct
      .given(batch)
      .when(correctCommand(code))
      .then([
        {
          type: 'MassCorrected',
          schemaVersion: 1,
          data: {
            traceCode: code,
            actorUscc: GENERATOR,
            deltaGrams: -1_000,
            reason: '复磅更正',
            approvals: [approval],
            composition: [share(1_000)],
            massGramsAfter: 999_000,
            occurredAt: at('09:45'),
            late: false,
          },
        },
      ]);
  });

  it('corrects upwards, attributing the added grams to the existing origins, and the state follows', () => {
    const events = correct
      .given(batch)
      .when(correctCommand(code, { deltaGrams: 2_500 }))
      .result();
    const s = [...batch, ...events].reduce(evolveBatch, initialBatchState);
    expect(s.status !== 'none' && [s.heldGrams, s.composition]).toEqual([1_002_500, [share(1_002_500)]]);
  });

  it('refuses a correction without an approval by someone else (CorrectionNotApproved)', () => {
    correct
      .given(batch)
      .when(correctCommand(code, { approvals: [] }))
      .thenThrows(CorrectionNotApproved);
    correct
      .given(batch)
      .when(correctCommand(code, { approvals: [{ ...approval, approverId: GENERATOR }] }))
      .thenThrows(CorrectionNotApproved);
  });

  it('refuses going below zero (MassNotConserved), a zero delta (InvalidMass), no reason (InvalidText), duplicate approvals (DuplicateLine)', () => {
    correct
      .given(batch)
      .when(correctCommand(code, { deltaGrams: -1_000_001 }))
      .thenThrows(MassNotConserved);
    correct
      .given(batch)
      .when(correctCommand(code, { deltaGrams: 0 }))
      .thenThrows(InvalidMass);
    correct
      .given(batch)
      .when(correctCommand(code, { reason: ' ' }))
      .thenThrows(InvalidText);
    correct
      .given(batch)
      .when(correctCommand(code, { approvals: [approval, approval] }))
      .thenThrows(DuplicateLine);
  });

  it('refuses anyone but the custodian (NotCustodian) and a batch on a manifest (BatchOnOpenManifest)', () => {
    correct
      .given(batch)
      .when(correctCommand(code, { actorUscc: RECEIVER }))
      .thenThrows(NotCustodian);
    const { world: w, code: onManifest } = oneBatchIssued();
    expect(() =>
      decideCorrectMass(
        correctCommand(onManifest, { occurredAt: at('11:30'), recordedAt: '2025-03-03T03:31:00Z' }),
        w.batch(onManifest),
      ),
    ).toThrow(BatchOnOpenManifest);
  });
});
