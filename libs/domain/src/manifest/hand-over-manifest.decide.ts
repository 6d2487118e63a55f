import { CarrierRoleRequired, HandoverToSelf, NotCurrentCarrier } from '../errors';
import { requireText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { requireRegistered } from '../batch/batch.rules';
import type { PartyState } from '../party/party.state';
import { checkCommandTime, requireNotBefore } from '../values/time';
import { parseManifestNumber } from '../values/manifest-number';
import { parseUscc } from '../values/uscc';
import { parseVehiclePlate } from '../values/vehicle-plate';
import { sortedUnique } from '../util';
import type { ManifestEvent } from './manifest.events';
import { parseTripCrew, type TripCrew } from './trip-crew';
import type { ManifestState } from './manifest.state';
import { requireManifest, requirePickedUp } from './manifest.rules';

/** A hand-over place is a short name (a station, a port, a transfer yard), not a report. */
export const MAX_HANDOVER_PLACE_LENGTH = 200;

/**
 * 多式联运 (DESIGN §2 "Several carriers", 危险废物转移管理办法): the carrier holding a manifest in transit hands
 * it, with all the waste on it, to the next named carrier at a place and time; that carrier carries on with
 * its own vehicle, and the receiver receives from the last one. The batch side follows via
 * `custodyEventsFor` (BatchHandedOver: the whole mass stays in transit; legal custody stays with the
 * shipper until receipt, as on a single leg).
 */
/** With the next leg's crew (TripCrew, v2): references to the people's records, never a name. */
export interface HandOverManifestCommand extends PartyCommand, TripCrew {
  readonly manifestNo: string;
  readonly nextCarrierUscc: string;
  readonly vehiclePlate: string;
  readonly place: string;
}

export interface HandOverManifestState {
  readonly manifest: ManifestState;
  /** The party named as the next carrier. */
  readonly nextCarrier: PartyState;
}

/**
 * Rules, in this order: the actor is the carrier holding the manifest now (403 `not-current-carrier`);
 * the manifest is picked up and not yet received (a cancelled one was never picked up); the next carrier
 * is registered and holds the carrier role (as the carrier named at issue must: carriers hold no permit
 * of their own in this ledger) and is not the actor itself; the hand-over is not dated before the start
 * of the current leg (the pickup or the previous hand-over).
 */
export function decideHandOverManifest(
  command: HandOverManifestCommand,
  state: HandOverManifestState,
  options: DecideOptions = {},
): ManifestEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo } = parseManifestNumber(command.manifestNo);
  const nextCarrierUscc = parseUscc(command.nextCarrierUscc, 'nextCarrierUscc');
  const { plate } = parseVehiclePlate(command.vehiclePlate);
  const place = requireText(command.place, 'place', MAX_HANDOVER_PLACE_LENGTH);
  const crew = parseTripCrew(command);

  const m = requireManifest(state.manifest, manifestNo);
  if (m.carrierUscc !== actorUscc) throw new NotCurrentCarrier(manifestNo, actorUscc, m.carrierUscc);
  requirePickedUp(m);
  if (nextCarrierUscc === actorUscc) throw new HandoverToSelf(actorUscc);
  const next = requireRegistered(state.nextCarrier, nextCarrierUscc, 'nextCarrierUscc');
  if (!next.roles.includes('carrier')) throw new CarrierRoleRequired(nextCarrierUscc, 'nextCarrierUscc');
  const current = m.legs[m.legs.length - 1];
  const legStart = current?.occurredAt ?? m.pickup?.occurredAt ?? m.issuedAt;
  requireNotBefore(command.occurredAt, occurredAtMs, legStart, `leg ${m.legs.length} of ${manifestNo}`);
  return [
    domainEvent('ManifestHandedOver', {
      manifestNo,
      shipperUscc: m.shipperUscc,
      receiverUscc: m.receiverUscc,
      fromCarrierUscc: actorUscc,
      carrierUscc: nextCarrierUscc,
      vehiclePlate: plate,
      place,
      leg: m.legs.length + 1,
      traceCodes: sortedUnique(m.lines.map((l) => l.traceCode)),
      ...crew,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}
