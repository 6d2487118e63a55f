import { NotManifestCarrier } from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { Mass } from '../values/mass';
import { checkCommandTime, requireNotBefore } from '../values/time';
import { parseManifestNumber } from '../values/manifest-number';
import { parseUscc } from '../values/uscc';
import { parseVehiclePlate } from '../values/vehicle-plate';
import { compact, sortedUnique } from '../util';
import type { ManifestEvent } from './manifest.events';
import type { ManifestState } from './manifest.state';
import { requireIssued, requireManifest } from './manifest.rules';

/** The named carrier picks up the manifest: one vehicle, one trip. The batch side follows via `custodyEventsFor`. */
export interface PickUpManifestCommand extends PartyCommand {
  readonly manifestNo: string;
  readonly vehiclePlate: string;
  readonly weighedGrams?: number;
}

export function decidePickUpManifest(
  command: PickUpManifestCommand,
  state: ManifestState,
  options: DecideOptions = {},
): ManifestEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo } = parseManifestNumber(command.manifestNo);
  const { plate } = parseVehiclePlate(command.vehiclePlate);
  const weighedGrams =
    command.weighedGrams === undefined
      ? undefined
      : Mass.fromGrams(command.weighedGrams, 'weighedGrams').grams;
  const m = requireManifest(state, manifestNo);
  if (m.carrierUscc !== actorUscc) throw new NotManifestCarrier(manifestNo, actorUscc);
  requireIssued(m);
  requireNotBefore(command.occurredAt, occurredAtMs, m.issuedAt, `issue of ${manifestNo}`);
  return [
    domainEvent(
      'ManifestPickedUp',
      compact({
        manifestNo,
        shipperUscc: m.shipperUscc,
        carrierUscc: m.carrierUscc,
        receiverUscc: m.receiverUscc,
        vehiclePlate: plate,
        weighedGrams,
        shippedGrams: m.totalGrams,
        traceCodes: sortedUnique(m.lines.map((l) => l.traceCode)),
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
