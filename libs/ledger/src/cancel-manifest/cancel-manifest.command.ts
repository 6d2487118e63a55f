import { decideCancelManifest, manifestStream, parseManifestNumber } from '@wasteflow/domain';
import { custodyWrites } from '../manifest-custody/custody-step';
import { manifestModel } from '../streams/stream-models';
import { actorUsccOf, writeOf } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';

export interface CancelManifestInput {
  /** Path parameter. */
  readonly manifestNo: string;
  readonly reason: string;
  /** Defaults to the time of recording. */
  readonly occurredAt?: string | null;
}

export type CancelManifestResult = { manifestNo: string; status: 'cancelled'; released: string[] };

/**
 * POST /v1/manifests/{no}/cancel (the shipper, before pickup): ManifestCancelled and, in the same commit,
 * BatchConsignmentReleased on every batch (the lock is lifted; `custodyEventsFor`, like pickup and receipt).
 */
export const cancelManifest: UseCase<CancelManifestInput, CancelManifestResult> = {
  type: 'cancel-manifest',
  action: 'cancel manifests',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const actorUscc = actorUsccOf(context.principal);
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const manifest = await unitOfWork.load(manifestStream(manifestNo), manifestModel);
    const decision = decideCancelManifest(
      {
        actorUscc,
        manifestNo,
        reason: input.reason,
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      { manifest: manifest.state },
      context.options,
    );
    const [cancelled] = decision.manifest;
    if (cancelled.type !== 'ManifestCancelled') throw new Error('unexpected decision');
    // The batch side through the same step as the process manager: BatchConsignmentReleased on each batch
    // still consigned on this manifest (every one, unless a non-atomic store lost part of the issue).
    const custody = await custodyWrites(unitOfWork, cancelled);
    return {
      writes: [writeOf(manifestStream(manifestNo), decision.manifest), ...custody.writes],
      result: { manifestNo, status: 'cancelled', released: custody.streams.map((s) => s.traceCode) },
    };
  },
};
