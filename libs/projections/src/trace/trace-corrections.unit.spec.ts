import { correctionsOf } from './trace.query';
import type { TraceStepRow } from './trace.tables';

/** The correction requests the trace view derives from a batch's steps (ADR 0018). */
function step(type: string, o: Partial<TraceStepRow> = {}): TraceStepRow {
  return {
    traceCode: '330106W260302T9Z4JHWRA',
    revision: 0n,
    position: 0n,
    type,
    occurredAt: '2026-03-02T09:30:00+08:00',
    recordedAt: '2026-03-02T01:31:00.000Z',
    actorUscc: null,
    massGrams: 0n,
    manifestNo: null,
    vehiclePlate: null,
    operation: null,
    mode: null,
    counterpartyUscc: null,
    reason: null,
    late: false,
    detail: null,
    ...o,
  } as TraceStepRow;
}

const requested = (requestId: string, grams: bigint) =>
  step('MassCorrectionRequested', {
    actorUscc: 'GEN',
    massGrams: grams,
    reason: '复磅',
    detail: { requestId },
  });

describe('correction requests of the trace view', () => {
  it('given requested, approved, rejected steps, then each request with its fate, decider and reason', () => {
    expect(
      correctionsOf([
        step('WasteGenerated', { massGrams: 10_000n }),
        requested('cr-1', -1_500n),
        step('MassCorrectionRejected', {
          reason: '无凭证',
          recordedAt: '2026-03-02T02:00:00.000Z',
          detail: { requestId: 'cr-1', decidedBy: { kind: 'regulator', tokenId: 't1' } },
        }),
        requested('cr-2', 2_000n),
        step('MassCorrectionApproved', {
          actorUscc: 'REC',
          detail: { requestId: 'cr-2', decidedBy: { kind: 'party', uscc: 'REC' } },
        }),
        step('MassCorrected', { massGrams: 2_000n, detail: { requestId: 'cr-2' } }),
      ]),
    ).toEqual([
      expect.objectContaining({
        requestId: 'cr-1',
        status: 'rejected',
        deltaKg: -1.5,
        requestedBy: 'GEN',
        decidedAt: '2026-03-02T02:00:00.000Z',
        decidedBy: { kind: 'regulator', tokenId: 't1' },
        decisionReason: '无凭证',
      }),
      expect.objectContaining({
        requestId: 'cr-2',
        status: 'approved',
        deltaKg: 2,
        decidedBy: { kind: 'party', uscc: 'REC' },
      }),
    ]);
  });

  it('a request pending when the batch is received (or returned) lapses, as the domain says', () => {
    expect(correctionsOf([requested('cr-1', -1n), step('BatchReceived')]).map((c) => c.status)).toEqual([
      'lapsed',
    ]);
    expect(
      correctionsOf([requested('cr-1', -1n), step('BatchReturnedToShipper')]).map((c) => c.status),
    ).toEqual(['lapsed']);
    expect(correctionsOf([requested('cr-1', -1n), step('BatchShipped')]).map((c) => c.status)).toEqual([
      'pending',
    ]);
  });

  it('a MassCorrected of version 1 (no request) is no request', () => {
    expect(correctionsOf([step('MassCorrected', { detail: { legacyApprovals: [] } })])).toEqual([]);
  });
});
