import {
  batchStream,
  decideGenerateWaste,
  kgToGrams,
  partyStream,
  type GenerateWasteCommand as DomainGenerateWaste,
} from '@wasteflow/domain';
import { batchModel, partyModel } from '../streams/stream-models';
import { kg, writeOf } from '../use-case/plan-helpers';
import { optional } from '../use-case/use-case';
import { partyUseCase } from '../use-case/actor-use-cases';
import { handlerAnswer, handlerOf, type HandlerAnswer, type HandlerInput } from '../people/handler';

/** With the person who handled it (HandlerInput: kept in an erasable record, the event names it by id). */
export interface GenerateWasteInput extends HandlerInput {
  readonly category: string;
  readonly wasteCode?: string | null;
  readonly subtype?: string | null;
  readonly description?: string | null;
  readonly physicalForm?: string | null;
  readonly packagingType?: string | null;
  readonly packageCount?: number | null;
  readonly containerVolume?: string | null;
  readonly mainComponents?: string | null;
  readonly hazardousComponents?: string | null;
  readonly precautions?: string | null;
  readonly facilityCode?: string | null;
  readonly massKg: number;
  readonly occurredAt: string;
}

export type GenerateWasteResult = {
  traceCode: string;
  category: string;
  subtype?: string;
  wasteCode?: string;
  massKg: number;
  generatorUscc: string;
  districtCode: string;
  late: boolean;
} & HandlerAnswer;

/**
 * POST /v1/batches (a party with the generator role): WasteGenerated in a new `batch-<traceCode>`. The
 * trace code's random part is derived from the Idempotency-Key, so a retry names the same batch.
 */
export const generateWaste = partyUseCase<GenerateWasteInput, GenerateWasteResult>(
  'record generated waste',
  async (actorUscc, input, context, unitOfWork) => {
    const generator = await unitOfWork.load(partyStream(actorUscc), partyModel);
    const { handlerPersonId, people } = handlerOf(input, context);
    const command: DomainGenerateWaste = {
      actorUscc,
      category: input.category,
      subtype: optional(input.subtype),
      wasteCode: optional(input.wasteCode),
      description: optional(input.description),
      physicalForm: optional(input.physicalForm),
      packagingType: optional(input.packagingType),
      packageCount: optional(input.packageCount),
      containerVolume: optional(input.containerVolume),
      mainComponents: optional(input.mainComponents),
      hazardousComponents: optional(input.hazardousComponents),
      precautions: optional(input.precautions),
      facilityCode: optional(input.facilityCode),
      massGrams: kgToGrams(input.massKg, 'massKg'),
      randomPart: context.randomPart('generate-waste'),
      handlerPersonId,
      occurredAt: input.occurredAt,
      recordedAt: context.recordedAt,
    };
    let events = decideGenerateWaste(command, { generator: generator.state }, context.options);
    const [first] = events;
    if (first.type !== 'WasteGenerated') throw new Error('unexpected decision');
    const stream = batchStream(first.data.traceCode);
    const batch = await unitOfWork.loadCreated(stream, batchModel);
    if (batch.state.status !== 'none') {
      // the domain refuses an existing code (BatchAlreadyExists)
      events = decideGenerateWaste(
        command,
        { generator: generator.state, batch: batch.state },
        context.options,
      );
    }
    const d = first.data;
    return {
      writes: [writeOf(stream, events)],
      people,
      result: {
        traceCode: d.traceCode,
        category: d.category,
        ...(d.subtype ? { subtype: d.subtype } : {}),
        ...(d.wasteCode ? { wasteCode: d.wasteCode } : {}),
        massKg: kg(d.massGrams),
        generatorUscc: d.generatorUscc,
        districtCode: d.districtCode,
        late: d.late,
        ...handlerAnswer(d),
      },
    };
  },
);
