import { optionalText } from '../decide-options';
import { compact } from '../util';
import { optionalPersonId } from '../values/person';
import { TEXT_BOUNDS } from '../values/text';

/**
 * Who and what carries a leg (the 联单's part 2, issue 14): the driver and the escort (押运员) as references
 * to erasable records outside the log (ADR 14: their names and phones are never in an event), the vehicle
 * type and the carrier's road transport licence number (道路运输经营许可证号). Recorded at pickup
 * (ManifestPickedUp v3) and at each hand-over (ManifestHandedOver v2), all optional.
 */
export interface TripCrew {
  readonly driverPersonId?: string;
  readonly escortPersonId?: string;
  /** E.g. 危险货物厢式运输车. */
  readonly vehicleType?: string;
  readonly transportLicenceNo?: string;
}

/** The crew of a command, checked: references by their form, the texts by the one text rule. */
export function parseTripCrew(command: TripCrew): TripCrew {
  return compact({
    driverPersonId: optionalPersonId(command.driverPersonId, 'driverPersonId'),
    escortPersonId: optionalPersonId(command.escortPersonId, 'escortPersonId'),
    vehicleType: optionalText(command.vehicleType, 'vehicleType', TEXT_BOUNDS.code),
    transportLicenceNo: optionalText(command.transportLicenceNo, 'transportLicenceNo', TEXT_BOUNDS.code),
  });
}
