import { decideCancelManifest, parseManifestNumber } from '@wasteflow/domain';
import { withCustody } from '../manifest-custody/custody-step';
import { manifestAggregate } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';

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
export const cancelManifest = partyUseCase<CancelManifestInput, CancelManifestResult>(
  'cancel manifests',
  async (actorUscc, input, context, unitOfWork) => {
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const cancelled = await decideOnStream(
      unitOfWork,
      manifestAggregate(manifestNo),
      'ManifestCancelled',
      (manifest) =>
        decideCancelManifest(
          { actorUscc, manifestNo, reason: input.reason, ...timesOf(context, input.occurredAt) },
          { manifest },
          context.options,
        ).manifest,
    );
    // The batch side through the same step as the process manager: BatchConsignmentReleased on each batch
    // still consigned on this manifest (every one, unless a non-atomic store lost part of the issue).
    const { writes, streams } = await withCustody(unitOfWork, cancelled);
    return {
      writes,
      result: { manifestNo, status: 'cancelled', released: streams.map((s) => s.traceCode) },
    };
  },
);
