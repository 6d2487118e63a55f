import {
  ActorLacksRole,
  BatchAlreadyExists,
  InvalidCategory,
  InvalidText,
  InvalidTraceCode,
  InvalidValue,
  InvalidWasteCode,
  MassNotPositive,
  OccurredInFuture,
  PartyNotFound,
  SubtypeRequired,
  UnknownWasteCode,
  WasteCodeNotAllowed,
  WasteCodeRequired,
} from '../errors';
import {
  CARRIER,
  GENERATOR,
  XIHU,
  aRegisteredCarrier,
  aRegisteredGenerator,
  at,
  fixtureCatalogue,
  fixtureEditions,
  generateWasteCommand,
  givenState,
  partyOf,
  aHazardousBatch,
} from '../testing';
import { composeTraceCode } from '../values/trace-code';
import type { PartyState } from '../party/party.state';
import { evolveBatch, initialBatchState } from './batch.state';
import { decideGenerateWaste, type GenerateWasteCommand } from './generate-waste.decide';

const generator = partyOf(aRegisteredGenerator());
const options = { catalogues: fixtureEditions() };
const when = (command: GenerateWasteCommand, party: PartyState = generator) =>
  givenState(party).when((g) => decideGenerateWaste(command, { generator: g }, options));

describe('generate waste (产生)', () => {
  it('given a registered generator, when it records hazardous waste, then WasteGenerated with a composed trace code and a single origin', () => {
    const traceCode = composeTraceCode({
      districtCode: XIHU,
      category: 'hazardous',
      date: '250303',
      randomPart: '00000001',
    });
    when(generateWasteCommand()).then([
      {
        type: 'WasteGenerated',
        schemaVersion: 3,
        data: {
          traceCode,
          generatorUscc: GENERATOR,
          districtCode: XIHU,
          category: 'hazardous',
          wasteCode: '900-249-08',
          catalogueEdition: fixtureCatalogue().edition,
          massGrams: 1_000_000,
          // the catalogue's hazard column for the code ("T,I")
          hazards: ['T', 'I'],
          composition: [
            {
              districtCode: XIHU,
              category: 'hazardous',
              wasteCode: '900-249-08',
              generatedMonth: '2025-03',
              grams: 1_000_000,
            },
          ],
          occurredAt: at('09:00'),
          late: false,
        },
      },
    ]);
  });

  it('records the generation facts the documents need, the hazards from the catalogue and never from the client', () => {
    // recorded as given (the packaging type trimmed)
    const asGiven = {
      physicalForm: 'liquid',
      packageCount: 4,
      containerVolume: 'upTo450L',
      mainComponents: '矿物油、水',
      hazardousComponents: '石油烃',
      precautions: '远离火源',
      facilityCode: 'SC-01',
    } as const;
    const [event] = when(
      generateWasteCommand({ ...asGiven, packagingType: ' 铁桶 ', wasteCode: '841-001-01' }),
    ).result();
    expect(event.data).toMatchObject({ ...asGiven, packagingType: '铁桶', hazards: ['In'] });
  });

  it.each([
    ['physicalForm', { physicalForm: 'plasma' }, InvalidValue],
    ['containerVolume', { containerVolume: '1000L' }, InvalidValue],
    ['packageCount', { packageCount: 0 }, InvalidValue],
    ['packageCount', { packageCount: 1.5 }, InvalidValue],
    ['precautions', { precautions: 'a\u0000b' }, InvalidText],
  ] as const)('given a malformed %s, when generating, then refused naming it', (field, facts, error) => {
    when(generateWasteCommand(facts)).thenThrows(error, { field });
  });

  it('records medical waste (HW01) and subtypes of the other categories', () => {
    const [medical] = when(generateWasteCommand({ wasteCode: '841-001-01' })).result();
    expect(medical.type === 'WasteGenerated' && medical.data.wasteCode).toBe('841-001-01');
    const [straw] = when(
      generateWasteCommand({ category: 'agricultural', subtype: 'straw', wasteCode: undefined }),
    ).result();
    expect(straw.data.traceCode.slice(6, 7)).toBe('N');
    expect(straw.type === 'WasteGenerated' && straw.data.composition).toEqual([
      {
        districtCode: XIHU,
        category: 'agricultural',
        subtype: 'straw',
        generatedMonth: '2025-03',
        grams: 1_000_000,
      },
    ]);
  });

  it('takes the date and the generation month in China Standard Time', () => {
    const [e] = when(
      generateWasteCommand({ occurredAt: '2025-03-31T16:30:00Z', recordedAt: '2025-03-31T16:31:00Z' }),
    ).result();
    expect(e.data.traceCode.slice(7, 13)).toBe('250401');
    expect(e.type === 'WasteGenerated' && e.data.composition[0].generatedMonth).toBe('2025-04');
  });

  it('accepts a backdated entry and flags it late', () => {
    const [e] = when(
      generateWasteCommand({ occurredAt: at('2025-02-20T09:00'), recordedAt: '2025-03-03T01:00:00Z' }),
    ).result();
    expect(e.data.late).toBe(true);
  });

  it('produces byte-identical events for the same command and state', () => {
    expect(JSON.stringify(aHazardousBatch())).toBe(JSON.stringify(aHazardousBatch()));
  });

  it('refuses a generator that is not registered (PartyNotFound) or lacks the role (ActorLacksRole)', () => {
    when(generateWasteCommand(), { status: 'unregistered' }).thenThrows(PartyNotFound);
    when(generateWasteCommand({ actorUscc: CARRIER }), partyOf(aRegisteredCarrier())).thenThrows(
      ActorLacksRole,
      { role: 'generator' },
    );
  });

  it('refuses hazardous waste without its code (WasteCodeRequired), other waste with one (WasteCodeNotAllowed)', () => {
    when(generateWasteCommand({ wasteCode: undefined })).thenThrows(WasteCodeRequired);
    when(generateWasteCommand({ category: 'construction', wasteCode: '900-249-08' })).thenThrows(
      WasteCodeNotAllowed,
    );
  });

  it('refuses a code absent from the catalogue (UnknownWasteCode) or malformed (InvalidWasteCode)', () => {
    when(generateWasteCommand({ wasteCode: '900-250-08' })).thenThrows(UnknownWasteCode);
    when(generateWasteCommand({ wasteCode: '900-249-42' })).thenThrows(InvalidWasteCode);
    // without a catalogue: form and category only
    expect(
      decideGenerateWaste(generateWasteCommand({ wasteCode: '900-250-08' }), { generator })[0].data,
    ).not.toHaveProperty('catalogueEdition');
  });

  it('refuses invalid category, missing subtype, non-positive mass, bad random part', () => {
    when(generateWasteCommand({ category: 'medical' })).thenThrows(InvalidCategory);
    when(generateWasteCommand({ category: 'household', wasteCode: undefined })).thenThrows(SubtypeRequired);
    when(generateWasteCommand({ massGrams: 0 })).thenThrows(MassNotPositive, { field: 'massGrams' });
    when(generateWasteCommand({ randomPart: 'ABC' })).thenThrows(InvalidTraceCode, { field: 'randomPart' });
  });

  it('refuses an occurredAt in the future (OccurredInFuture)', () => {
    when(generateWasteCommand({ occurredAt: at('09:10'), recordedAt: '2025-03-03T01:00:00Z' })).thenThrows(
      OccurredInFuture,
    );
  });

  it('given a handler, when generating, then WasteGenerated v3 names them by reference only; a name where a reference belongs is refused', () => {
    const handlerPersonId = `p-${'a'.repeat(32)}`;
    const [event] = when(generateWasteCommand({ handlerPersonId })).result();
    expect(event).toMatchObject({ type: 'WasteGenerated', schemaVersion: 3, data: { handlerPersonId } });
    const [without] = when(generateWasteCommand()).result();
    expect(without.data).not.toHaveProperty('handlerPersonId');
    when(generateWasteCommand({ handlerPersonId: '王经办' })).thenThrows(InvalidValue, {
      field: 'handlerPersonId',
    });
  });

  it('refuses a code whose stream already exists (BatchAlreadyExists)', () => {
    const existing = aHazardousBatch().reduce(evolveBatch, initialBatchState);
    expect(() =>
      decideGenerateWaste(generateWasteCommand(), { generator, batch: existing }, options),
    ).toThrow(BatchAlreadyExists);
  });
});
