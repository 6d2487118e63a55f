import { decidePickUpManifest, kgToGrams, parseManifestNumber, parseTripCrew } from '@wasteflow/domain';
import { crewAnswer, tripCrewOf, type CrewAnswer, type TripCrewInput } from '../people/trip-crew';
import { withCustody } from '../manifest-custody/custody-step';
import { manifestAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { kg, timesOf } from '../use-case/plan-helpers';
import { optional } from '../use-case/use-case';
import { partyUseCase } from '../use-case/actor-use-cases';

/** With the leg's crew (TripCrewInput: the people are kept in erasable records, the events name them by id). */
export interface PickUpManifestInput extends TripCrewInput {
  /** Path parameter. */
  readonly manifestNo: string;
  readonly vehiclePlate: string;
  readonly occurredAt: string;
  /** The whole load as weighed at pickup. */
  readonly weighedKg?: number | null;
  /** Lines weighed at pickup (weighing at both ends, DESIGN §2). */
  readonly lines?: readonly { readonly traceCode: string; readonly weighedKg: number }[] | null;
}

export type PickUpManifestResult = {
  manifestNo: string;
  status: 'picked_up';
  vehiclePlate: string;
  shippedKg: number;
  weighedKg?: number;
  traceCodes: string[];
  /** Every line with its weighing, when weighed, and whether it differs from the shipped mass beyond the tolerance. */
  lines: { traceCode: string; weighedKg?: number; discrepancy: boolean }[];
  /** The weighed load differs from the shipped mass beyond the tolerance. */
  discrepancy: boolean;
  tolerance: number;
} & CrewAnswer;

/**
 * POST /v1/manifests/{no}/pickup (the carrier named on it): ManifestPickedUp, and in the same commit the
 * batch side the process manager would derive (BatchShipped on every batch, `custodyEventsFor`): the
 * answer and its positions are consistent at once; the process manager then finds nothing left to do.
 */
export const pickUpManifest = partyUseCase<PickUpManifestInput, PickUpManifestResult>(
  'pick up manifests',
  async (actorUscc, input, context, unitOfWork) => {
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const weighedKg = optional(input.weighedKg);
    const lines = optional(input.lines);
    const { crew, people } = tripCrewOf(input, context);
    const picked = await decideOnStream(
      unitOfWork,
      manifestAggregate(manifestNo),
      'ManifestPickedUp',
      (manifest) =>
        decidePickUpManifest(
          {
            actorUscc,
            manifestNo,
            vehiclePlate: input.vehiclePlate,
            ...(weighedKg === undefined ? {} : { weighedGrams: kgToGrams(weighedKg, 'weighedKg') }),
            ...(lines === undefined
              ? {}
              : {
                  lines: lines.map((l, i) => ({
                    traceCode: l.traceCode,
                    weighedGrams: kgToGrams(l.weighedKg, `lines[${i}].weighedKg`),
                  })),
                }),
            ...crew,
            ...timesOf(context, input.occurredAt),
          },
          manifest,
          context.options,
        ),
    );
    const { writes } = await withCustody(unitOfWork, picked);
    const d = picked.event.data;
    return {
      writes,
      people,
      result: {
        manifestNo,
        status: 'picked_up',
        vehiclePlate: d.vehiclePlate,
        shippedKg: kg(d.shippedGrams),
        ...(d.weighedGrams === undefined ? {} : { weighedKg: kg(d.weighedGrams) }),
        traceCodes: [...d.traceCodes],
        lines: d.lines.map((l) => ({
          traceCode: l.traceCode,
          ...(l.weighedGrams === undefined ? {} : { weighedKg: kg(l.weighedGrams) }),
          discrepancy: l.discrepancy,
        })),
        discrepancy: d.discrepancy,
        tolerance: d.tolerance,
        ...crewAnswer(parseTripCrew(d)),
      },
    };
  },
);
