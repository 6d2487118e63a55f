import { DuplicateLine, InvalidValue, NotManifestCarrier, WeighedLineNotOnManifest } from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { parseTripCrew, type TripCrew } from './trip-crew';
import { domainEvent } from '../events/event-catalogue';
import { DEFAULT_DISCREPANCY_TOLERANCE, isDiscrepancy, validateTolerance } from '../alerts/alerts';
import { Mass } from '../values/mass';
import { checkCommandTime, requireNotBefore } from '../values/time';
import { parseManifestNumber } from '../values/manifest-number';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { parseVehiclePlate } from '../values/vehicle-plate';
import { compact, compareStrings, sortedUnique } from '../util';
import type { ManifestEvent, PickupLine } from './manifest.events';
import type { ManifestState } from './manifest.state';
import { requireIssued, requireManifest } from './manifest.rules';

/**
 * The named carrier picks up the manifest: one vehicle, one trip. The batch side follows via
 * `custodyEventsFor`. Weighing at both ends (DESIGN §2): the carrier may weigh the whole load
 * (`weighedGrams`) or lines of it (`lines`); each weighing is judged against the shipped mass with the
 * receipt's tolerance, and a difference beyond it is a discrepancy (recorded, alerted; the pickup is not
 * refused: the waste is on the vehicle either way).
 */
/** The crew (TripCrew): references to the people's records (ADR 14), never a name or a phone. */
export interface PickUpManifestCommand extends PartyCommand, TripCrew {
  readonly manifestNo: string;
  readonly vehiclePlate: string;
  /** The whole load as weighed; when every line is weighed too, it must be their sum. */
  readonly weighedGrams?: number;
  /** Lines weighed at pickup (any of the manifest's lines, each once). */
  readonly lines?: readonly { readonly traceCode: string; readonly weighedGrams: number }[];
}

export function decidePickUpManifest(
  command: PickUpManifestCommand,
  state: ManifestState,
  options: DecideOptions = {},
): ManifestEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const tolerance = validateTolerance(options.discrepancyTolerance ?? DEFAULT_DISCREPANCY_TOLERANCE);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo } = parseManifestNumber(command.manifestNo);
  const { plate } = parseVehiclePlate(command.vehiclePlate);
  const crew = parseTripCrew(command);
  const totalWeighed =
    command.weighedGrams === undefined
      ? undefined
      : Mass.fromGrams(command.weighedGrams, 'weighedGrams').grams;
  const given = command.lines ?? [];
  if (!Array.isArray(given)) throw new InvalidValue('lines', null, 'a list of weighed lines');
  const weighings = given.map((l, i) => ({
    traceCode: normaliseTraceCode(l.traceCode, `lines[${i}].traceCode`),
    weighedGrams: Mass.fromGrams(l.weighedGrams, `lines[${i}].weighedGrams`).grams,
    field: `lines[${i}].traceCode`,
  }));
  const sorted = [...weighings].sort((a, b) => compareStrings(a.traceCode, b.traceCode));
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].traceCode === sorted[i - 1].traceCode)
      throw new DuplicateLine('lines', sorted[i].traceCode);

  const m = requireManifest(state, manifestNo);
  if (m.carrierUscc !== actorUscc) throw new NotManifestCarrier(manifestNo, actorUscc);
  requireIssued(m);
  requireNotBefore(command.occurredAt, occurredAtMs, m.issuedAt, `issue of ${manifestNo}`);
  const shipped = new Map(m.lines.map((l) => [l.traceCode, l.massGrams]));
  for (const w of weighings)
    if (!shipped.has(w.traceCode)) throw new WeighedLineNotOnManifest(manifestNo, w.traceCode, w.field);

  const weighed = new Map(weighings.map((w) => [w.traceCode, w.weighedGrams]));
  const lines: PickupLine[] = sortedUnique(m.lines.map((l) => l.traceCode)).map((traceCode) => {
    const grams = weighed.get(traceCode);
    const shippedGrams = shipped.get(traceCode) ?? 0;
    if (grams === undefined) return { traceCode, discrepancy: false };
    return {
      traceCode,
      shippedGrams,
      weighedGrams: grams,
      discrepancy: isDiscrepancy(shippedGrams, grams, tolerance),
    };
  });
  const sumOfLines = weighings.reduce((sum, w) => sum + w.weighedGrams, 0);
  const everyLineWeighed = weighed.size > 0 && weighed.size === shipped.size;
  if (totalWeighed !== undefined && everyLineWeighed && totalWeighed !== sumOfLines)
    throw new InvalidValue(
      'weighedGrams',
      totalWeighed,
      `the load weighed ${totalWeighed} g but its lines ${sumOfLines} g`,
    );
  const total = totalWeighed ?? (everyLineWeighed ? sumOfLines : undefined);
  return [
    domainEvent(
      'ManifestPickedUp',
      compact({
        manifestNo,
        shipperUscc: m.shipperUscc,
        carrierUscc: m.carrierUscc,
        receiverUscc: m.receiverUscc,
        vehiclePlate: plate,
        weighedGrams: total,
        shippedGrams: m.totalGrams,
        traceCodes: lines.map((l) => l.traceCode),
        lines,
        discrepancy: total !== undefined && isDiscrepancy(m.totalGrams, total, tolerance),
        tolerance,
        ...crew,
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
