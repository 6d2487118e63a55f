import { ActorLacksRole, BatchAlreadyExists, WasteCodeNotAllowed, WasteCodeRequired } from '../errors';
import { optionalText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { validateWasteCode, type HwCatalogueEntry } from '../catalogue/hw-catalogue';
import { catalogueInForce } from '../catalogue/hw-editions';
import { singleOrigin } from '../origin/composition';
import type { PartyState } from '../party/party.state';
import { parseCategory, parseSubtype } from '../values/category';
import { Mass } from '../values/mass';
import { checkCommandTime, cstMonth, cstYymmdd } from '../values/time';
import { composeTraceCode, parseRandomPart } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { optionalPersonId } from '../values/person';
import { compact } from '../util';
import type { BatchEvent } from './batch.events';
import type { BatchState } from './batch.state';
import { requireRegistered } from './batch.rules';
import { parseGenerationFacts, type GenerationFactsInput } from './generation-facts';

/**
 * 产生: the generator (the token's party) records a batch. The trace code is composed here from the
 * generator's district, the category, the CST date of `occurredAt` and the random part from the command.
 */
export interface GenerateWasteCommand extends PartyCommand, GenerationFactsInput {
  readonly category: string;
  readonly subtype?: string;
  /** Required for hazardous waste; refused for other categories. */
  readonly wasteCode?: string;
  readonly description?: string;
  readonly massGrams: number;
  /** 8 Crockford base32 symbols allocated by the command side. */
  readonly randomPart: string;
  /** The person who handled it (产生部门经办人), a reference to an erasable record (ADR 14); optional. */
  readonly handlerPersonId?: string;
}

export interface GenerateWasteState {
  readonly generator: PartyState;
  /** The state of the stream the new code names, when the command side loaded it (else it appends with `no_stream`). */
  readonly batch?: BatchState;
}

export function decideGenerateWaste(
  command: GenerateWasteCommand,
  state: GenerateWasteState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const category = parseCategory(command.category);
  const subtype = parseSubtype(category, command.subtype);
  let wasteCode: string | undefined;
  let catalogueEdition: string | undefined;
  let entry: HwCatalogueEntry | undefined;
  if (category === 'hazardous') {
    if (command.wasteCode === undefined || command.wasteCode === '') throw new WasteCodeRequired();
    // judged by the edition of the list in force on the day the waste was generated (ADR 0019)
    const validated = validateWasteCode(
      command.wasteCode,
      catalogueInForce(options.catalogues, occurredAtMs),
    );
    wasteCode = validated.code;
    catalogueEdition = validated.edition;
    entry = validated.entry;
  } else if (command.wasteCode !== undefined && command.wasteCode !== '') {
    throw new WasteCodeNotAllowed(category);
  }
  const description = optionalText(command.description, 'description');
  const facts = parseGenerationFacts(command, entry);
  const massGrams = Mass.fromGrams(command.massGrams, 'massGrams').grams;
  const handlerPersonId = optionalPersonId(command.handlerPersonId, 'handlerPersonId');
  const randomPart = parseRandomPart(command.randomPart);
  const generator = requireRegistered(state.generator, actorUscc, 'actorUscc');
  if (!generator.roles.includes('generator')) throw new ActorLacksRole(actorUscc, 'generator');
  const traceCode = composeTraceCode({
    districtCode: generator.districtCode,
    category,
    date: cstYymmdd(occurredAtMs),
    randomPart,
  });
  if (state.batch !== undefined && state.batch.status !== 'none') throw new BatchAlreadyExists(traceCode);
  const composition = singleOrigin(
    compact({
      districtCode: generator.districtCode,
      category,
      subtype,
      wasteCode,
      generatedMonth: cstMonth(occurredAtMs),
    }),
    massGrams,
  );
  return [
    domainEvent(
      'WasteGenerated',
      compact({
        traceCode,
        generatorUscc: actorUscc,
        districtCode: generator.districtCode,
        category,
        subtype,
        wasteCode,
        catalogueEdition,
        description,
        massGrams,
        composition,
        handlerPersonId,
        ...facts,
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
