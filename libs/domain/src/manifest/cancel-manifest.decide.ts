import { NotManifestShipper } from '../errors';
import { requireText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import type { BatchStreamEvents } from '../batch/batch.events';
import { checkCommandTime, requireNotBefore } from '../values/time';
import { parseManifestNumber } from '../values/manifest-number';
import { parseUscc } from '../values/uscc';
import { sortedUnique } from '../util';
import type { ManifestEvent } from './manifest.events';
import type { ManifestState } from './manifest.state';
import { requireIssued, requireManifest } from './manifest.rules';

/** The shipper cancels a manifest before pickup only; its batches are released. */
export interface CancelManifestCommand extends PartyCommand {
  readonly manifestNo: string;
  readonly reason: string;
}

export interface CancelManifestResult {
  readonly manifest: ManifestEvent[];
  /** `BatchConsignmentReleased` on each line's batch, sorted by trace code. */
  readonly batches: BatchStreamEvents[];
}

export function decideCancelManifest(
  command: CancelManifestCommand,
  state: { readonly manifest: ManifestState },
  options: DecideOptions = {},
): CancelManifestResult {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo } = parseManifestNumber(command.manifestNo);
  const reason = requireText(command.reason, 'reason');
  const m = requireManifest(state.manifest, manifestNo);
  if (m.shipperUscc !== actorUscc) throw new NotManifestShipper(manifestNo, actorUscc);
  requireIssued(m);
  requireNotBefore(command.occurredAt, occurredAtMs, m.issuedAt, `issue of ${manifestNo}`);
  const traceCodes = sortedUnique(m.lines.map((l) => l.traceCode));
  return {
    manifest: [
      domainEvent('ManifestCancelled', {
        manifestNo,
        shipperUscc: actorUscc,
        reason,
        traceCodes,
        occurredAt: command.occurredAt,
        late,
      }),
    ],
    batches: traceCodes.map((traceCode) => ({
      traceCode,
      isNew: false,
      events: [
        domainEvent('BatchConsignmentReleased', {
          traceCode,
          manifestNo,
          reason,
          occurredAt: command.occurredAt,
          late,
        }),
      ],
    })),
  };
}
