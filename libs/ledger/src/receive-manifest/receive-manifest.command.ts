import {
  batchStream,
  decidePermitCapacity,
  decideTransferApprovalDraw,
  transferApprovalStream,
  decideReceiveManifest,
  kgToGrams,
  manifestStream,
  parseManifestNumber,
  partyStream,
  type BatchState,
  type ReceiveManifestCommand as DomainReceive,
} from '@wasteflow/domain';
import { custodyWrites } from '../manifest-custody/custody-step';
import { batchModel, manifestModel, partyModel, transferApprovalModel } from '../streams/stream-models';
import { kg, writeOf } from '../use-case/plan-helpers';
import { optional } from '../use-case/use-case';
import { partyUseCase } from '../use-case/actor-use-cases';
import { handlerAnswer, handlerOf, type HandlerAnswer, type HandlerInput } from '../people/handler';

/** With the receiver's person who handled it (HandlerInput: an erasable record, the event names it by id). */
export interface ReceiveManifestInput extends HandlerInput {
  /** Path parameter. */
  readonly manifestNo: string;
  readonly occurredAt: string;
  readonly lines: readonly {
    readonly traceCode: string;
    readonly receivedKg: number;
    readonly acceptedKg: number;
    readonly reason?: string | null;
  }[];
}

export type ReceiveManifestResult = {
  manifestNo: string;
  status: 'received';
  lines: {
    traceCode: string;
    outcome: string;
    shippedKg: number;
    receivedKg: number;
    acceptedKg: number;
    rejectedKg: number;
    lostKg: number;
    discrepancy: boolean;
    /** The child batch holding the rejected mass, back with the shipper (a partial rejection). */
    returnedTraceCode?: string;
  }[];
} & HandlerAnswer;

/**
 * POST /v1/manifests/{no}/receipt (the receiver it is addressed to): ManifestReceived, PermitCapacityDrawn
 * on the receiver's stream for the hazardous mass it accepts (refused beyond a permit's annual capacity),
 * TransferApprovalDrawn on the approval a cross-province manifest names (refused beyond its approved mass),
 * and in the same commit the batch side (`custodyEventsFor`): lost mass leaves, a partial rejection becomes a child back
 * in the shipper's custody, the accepted mass passes to the receiver.
 */
export const receiveManifest = partyUseCase<ReceiveManifestInput, ReceiveManifestResult>(
  'receive manifests',
  async (actorUscc, input, context, unitOfWork) => {
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const manifest = await unitOfWork.load(manifestStream(manifestNo), manifestModel);
    const receiver = await unitOfWork.load(partyStream(actorUscc), partyModel);
    const { handlerPersonId, people } = handlerOf(input, context);
    const command: DomainReceive = {
      actorUscc,
      manifestNo,
      lines: input.lines.map((line, i) => ({
        traceCode: line.traceCode,
        receivedGrams: kgToGrams(line.receivedKg, `lines[${i}].receivedKg`, { allowZero: true }),
        acceptedGrams: kgToGrams(line.acceptedKg, `lines[${i}].acceptedKg`, { allowZero: true }),
        reason: optional(line.reason),
        // the code of a partial rejection's child: from the command's entropy, the same on every retry
        returnRandomPart: context.randomPart(`receive-manifest#${i}`),
      })),
      ...(handlerPersonId === undefined ? {} : { handlerPersonId }),
      occurredAt: input.occurredAt,
      recordedAt: context.recordedAt,
    };
    const state = { manifest: manifest.state, receiver: receiver.state };
    let events = decideReceiveManifest(command, state, context.options);
    // a return code naming a stored batch (40 random bits: practically never) is refused by the domain
    const returns = new Map<string, BatchState>();
    for (const event of events)
      if (event.type === 'ManifestReceived')
        for (const l of event.data.lines)
          if (l.returnTraceCode !== undefined)
            returns.set(
              l.returnTraceCode,
              (await unitOfWork.loadCreated(batchStream(l.returnTraceCode), batchModel)).state,
            );
    if ([...returns.values()].some((r) => r.status !== 'none'))
      events = decideReceiveManifest(command, { ...state, returns }, context.options);
    const [received] = events;
    if (received.type !== 'ManifestReceived') throw new Error('unexpected decision');
    // the receiver's permits: accepted hazardous mass drawn on their annual capacity, on the receiver's
    // stream (its loaded revision makes two receipts on one permit serialise, so the sum is exact)
    const drawn = decidePermitCapacity(received, { manifest: manifest.state, receiver: receiver.state });
    // a cross-province manifest draws the accepted mass on its transfer approval, on the approval's stream
    // in this commit (its loaded revision serialises two receipts on one approval)
    const approvalNo = manifest.state.status === 'none' ? undefined : manifest.state.transferApprovalNo;
    const approvalStream = approvalNo === undefined ? undefined : transferApprovalStream(approvalNo);
    const approvalDrawn =
      approvalStream === undefined
        ? []
        : decideTransferApprovalDraw(received, {
            manifest: manifest.state,
            approval: (await unitOfWork.load(approvalStream, transferApprovalModel)).state,
          });
    const custody = await custodyWrites(unitOfWork, received);
    const returned = new Map<string, string>();
    for (const s of custody.streams)
      for (const e of s.events)
        if (e.type === 'BatchRejectionSplitOff') returned.set(e.data.traceCode, e.data.childTraceCode);
    return {
      writes: [
        writeOf(manifestStream(manifestNo), events),
        // contended: every receipt of hazardous mass to this receiver writes it (a busy plant's trucks at
        // once), so the losers of a race on it take turns (docs/performance.md, "hot-stream turns")
        ...(drawn.length > 0 ? [{ ...writeOf(partyStream(actorUscc), drawn), contended: true }] : []),
        ...(approvalStream !== undefined && approvalDrawn.length > 0
          ? [writeOf(approvalStream, approvalDrawn)]
          : []),
        ...custody.writes,
      ],
      people,
      result: {
        manifestNo,
        status: 'received',
        lines: received.data.lines.map((l) => {
          const child = returned.get(l.traceCode);
          return {
            traceCode: l.traceCode,
            outcome: l.outcome,
            shippedKg: kg(l.shippedGrams),
            receivedKg: kg(l.receivedGrams),
            acceptedKg: kg(l.acceptedGrams),
            rejectedKg: kg(l.rejectedGrams),
            lostKg: kg(l.lostGrams),
            discrepancy: l.discrepancy,
            ...(child ? { returnedTraceCode: child } : {}),
          };
        }),
        ...handlerAnswer(received.data),
      },
    };
  },
);
