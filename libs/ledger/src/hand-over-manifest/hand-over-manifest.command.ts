import {
  decideHandOverManifest,
  parseManifestNumber,
  parseTripCrew,
  parseUscc,
  partyStream,
} from '@wasteflow/domain';
import { withCustody } from '../manifest-custody/custody-step';
import { crewAnswer, tripCrewOf, type CrewAnswer, type TripCrewInput } from '../people/trip-crew';
import { manifestAggregate, partyModel } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';

/** With the next leg's crew (TripCrewInput: people kept in erasable records, named by id in the event). */
export interface HandOverManifestInput extends TripCrewInput {
  /** Path parameter. */
  readonly manifestNo: string;
  readonly nextCarrierUscc: string;
  readonly vehiclePlate: string;
  readonly place: string;
  readonly occurredAt: string;
}

/** The answer, with the next leg's crew. */
export type HandOverManifestResult = {
  manifestNo: string;
  status: 'picked_up';
  /** The leg that starts at this hand-over (2 for the first). */
  leg: number;
  fromCarrierUscc: string;
  carrierUscc: string;
  vehiclePlate: string;
  place: string;
  /** Still in transit, now with the next carrier. */
  traceCodes: string[];
} & CrewAnswer;

/**
 * POST /v1/manifests/{no}/handover (the carrier holding it now, 多式联运): ManifestHandedOver, and in the
 * same commit the batch side the process manager would derive (BatchHandedOver on every batch,
 * `custodyEventsFor`); the process manager then finds nothing left to do.
 */
export const handOverManifest = partyUseCase<HandOverManifestInput, HandOverManifestResult>(
  'hand over manifests',
  async (actorUscc, input, context, unitOfWork) => {
    const { manifestNo } = parseManifestNumber(input.manifestNo, 'manifestNo');
    const nextCarrierUscc = parseUscc(input.nextCarrierUscc, 'nextCarrierUscc');
    const { crew, people } = tripCrewOf(input, context);
    const handed = await decideOnStream(
      unitOfWork,
      manifestAggregate(manifestNo),
      'ManifestHandedOver',
      async (manifest) => {
        // the next carrier's roles and registration; read, not written
        const nextCarrier = (await unitOfWork.load(partyStream(nextCarrierUscc), partyModel)).state;
        return decideHandOverManifest(
          {
            actorUscc,
            manifestNo,
            nextCarrierUscc,
            vehiclePlate: input.vehiclePlate,
            place: input.place,
            ...crew,
            ...timesOf(context, input.occurredAt),
          },
          { manifest, nextCarrier },
          context.options,
        );
      },
    );
    const { writes } = await withCustody(unitOfWork, handed);
    const d = handed.event.data;
    return {
      writes,
      people,
      result: {
        manifestNo,
        status: 'picked_up',
        leg: d.leg,
        fromCarrierUscc: d.fromCarrierUscc,
        carrierUscc: d.carrierUscc,
        vehiclePlate: d.vehiclePlate,
        place: d.place,
        traceCodes: [...d.traceCodes],
        ...crewAnswer(parseTripCrew(d)),
      },
    };
  },
);
