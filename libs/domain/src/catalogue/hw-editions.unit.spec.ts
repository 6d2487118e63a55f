import { InvalidCatalogue, UnknownCatalogueEdition, UnknownWasteCode } from '../errors';
import { decideGenerateWaste } from '../batch/generate-waste.decide';
import { decideGrantPermit } from '../party/grant-permit.decide';
import {
  aRegisteredGenerator,
  aRegisteredParty,
  at,
  CODE_ONLY_IN_NEXT,
  CODE_REMOVED_IN_NEXT,
  fixtureCatalogue,
  generateWasteCommand,
  givenState,
  grantPermitCommand,
  HW_FIXTURE_EDITION,
  HW_FIXTURE_NEXT_EDITION,
  partyOf,
  RECEIVER,
  recordedAfter,
  twoFixtureEditions,
  XIAOSHAN,
} from '../testing';
import { parseHwCatalogueCsv } from './hw-catalogue';
import {
  editionInForce,
  editionNamed,
  findCatalogueEntry,
  hwCatalogueEditions,
  isEditionsTable,
  parseEditionsTable,
  singleEdition,
} from './hw-editions';

const editions = twoFixtureEditions();
const options = { catalogues: editions };
/** The day before the next edition, and its first day (the builders' day is 2025-03-03). */
const BEFORE = at('2025-03-03T23:59');
const FROM = at('2025-03-04T00:00');
const timedAt = (occurredAt: string) => ({ occurredAt, recordedAt: recordedAfter(occurredAt) });

describe('catalogue editions by date (issue 16 item 8, ADR 0019)', () => {
  describe('generation: the code is judged by the edition in force on the day it was generated', () => {
    const generator = partyOf(aRegisteredGenerator());
    const when = (wasteCode: string, occurredAt: string) =>
      givenState(generator).when((g) =>
        decideGenerateWaste(
          generateWasteCommand({ wasteCode, ...timedAt(occurredAt) }),
          { generator: g },
          options,
        ),
      );

    it('given two editions, when a code only the new one lists is generated on its first day, then WasteGenerated records the new edition', () => {
      when(CODE_ONLY_IN_NEXT, FROM).thenAssert(([e]) => {
        expect(e.type).toBe('WasteGenerated');
        expect(e.data).toMatchObject({
          wasteCode: CODE_ONLY_IN_NEXT,
          catalogueEdition: HW_FIXTURE_NEXT_EDITION,
        });
      });
    });

    it('given two editions, when that code is generated the day before, then UnknownWasteCode naming the edition then in force', () => {
      when(CODE_ONLY_IN_NEXT, BEFORE).thenThrows(UnknownWasteCode, {
        value: CODE_ONLY_IN_NEXT,
        edition: HW_FIXTURE_EDITION,
      });
    });

    it('given two editions, when a code the new one removed is generated after its start, then UnknownWasteCode; before it, accepted under the old edition', () => {
      when(CODE_REMOVED_IN_NEXT, FROM).thenThrows(UnknownWasteCode, {
        value: CODE_REMOVED_IN_NEXT,
        edition: HW_FIXTURE_NEXT_EDITION,
      });
      when(CODE_REMOVED_IN_NEXT, BEFORE).thenAssert(([e]) =>
        expect(e.data).toMatchObject({
          wasteCode: CODE_REMOVED_IN_NEXT,
          catalogueEdition: HW_FIXTURE_EDITION,
        }),
      );
    });

    it('a code listed in both is accepted on either side, each time with the edition in force', () => {
      for (const [occurredAt, edition] of [
        [BEFORE, HW_FIXTURE_EDITION],
        [FROM, HW_FIXTURE_NEXT_EDITION],
      ] as const)
        when('900-249-08', occurredAt).thenAssert(([e]) =>
          expect(e.data).toMatchObject({ catalogueEdition: edition }),
        );
    });
  });

  describe('permits: their codes are judged by the edition in force at the grant', () => {
    const receiver = partyOf(aRegisteredParty(RECEIVER, ['receiver'], XIAOSHAN));
    const grant = (wasteCodes: string[], occurredAt: string) =>
      givenState(receiver).when((r) =>
        decideGrantPermit(
          grantPermitCommand({ wasteCodes, hwCategories: [], ...timedAt(occurredAt) }),
          r,
          options,
        ),
      );

    it('given two editions, when a permit names a code only the new one lists, then it is granted from its first day and refused before', () => {
      grant([CODE_ONLY_IN_NEXT], FROM).thenAssert(([e]) =>
        expect(e.data).toMatchObject({
          wasteCodes: [CODE_ONLY_IN_NEXT],
          catalogueEdition: HW_FIXTURE_NEXT_EDITION,
        }),
      );
      grant([CODE_ONLY_IN_NEXT], BEFORE).thenThrows(UnknownWasteCode, { edition: HW_FIXTURE_EDITION });
      grant([CODE_REMOVED_IN_NEXT], FROM).thenThrows(UnknownWasteCode, { edition: HW_FIXTURE_NEXT_EDITION });
    });
  });

  describe('the edition in force', () => {
    it('is chosen by the China Standard Time day of the fact: 23:59 CST the day before is the old edition, 00:00 CST (16:00 UTC) the new', () => {
      expect(editionInForce(editions, Date.parse(BEFORE)).edition).toBe(HW_FIXTURE_EDITION);
      expect(editionInForce(editions, Date.parse('2025-03-03T16:00:00Z')).edition).toBe(
        HW_FIXTURE_NEXT_EDITION,
      );
      expect(editionInForce(editions, Date.parse('2030-01-01T00:00:00Z')).edition).toBe(
        HW_FIXTURE_NEXT_EDITION,
      );
      // before the earliest edition loaded: judged by that earliest edition (the older lists are not loaded)
      expect(editionInForce(editions, Date.parse('2019-06-01T00:00:00Z')).edition).toBe(HW_FIXTURE_EDITION);
      // a single list file is in force at every date
      expect(editionInForce(singleEdition(fixtureCatalogue()), 0).edition).toBe(HW_FIXTURE_EDITION);
    });

    it('and an edition by name: UnknownCatalogueEdition when it is not loaded', () => {
      expect(editionNamed(editions, HW_FIXTURE_NEXT_EDITION).inForceFrom).toBe('2025-03-04');
      expect(() => editionNamed(editions, '2016')).toThrow(UnknownCatalogueEdition);
      expect(() => editionNamed(undefined, '2021')).toThrow(UnknownCatalogueEdition);
    });

    it('an entry for reading: in the edition named when it lists the code, else in the newest that does', () => {
      expect(findCatalogueEntry(editions, CODE_REMOVED_IN_NEXT)?.edition).toBe(HW_FIXTURE_EDITION);
      expect(findCatalogueEntry(editions, '900-249-08')?.edition).toBe(HW_FIXTURE_NEXT_EDITION);
      expect(findCatalogueEntry(editions, '900-249-08', HW_FIXTURE_EDITION)?.edition).toBe(
        HW_FIXTURE_EDITION,
      );
      expect(findCatalogueEntry(editions, '900-250-08')).toBeUndefined();
      expect(findCatalogueEntry(undefined, '900-249-08')).toBeUndefined();
    });
  });

  describe('the editions table', () => {
    const catalogue = (edition: string) => parseHwCatalogueCsv(edition, 'code,category\n900-249-08,HW08\n');

    it('orders editions by their first day and refuses a bad table (InvalidCatalogue: a fault of the operator)', () => {
      const ordered = hwCatalogueEditions([
        { edition: '2025', inForceFrom: '2025-01-01', catalogue: catalogue('2025') },
        { edition: '2021', inForceFrom: '2021-01-01', catalogue: catalogue('2021') },
      ]);
      expect(ordered.editions.map((e) => e.edition)).toEqual(['2021', '2025']);
      for (const bad of [
        [],
        [{ edition: '2021', inForceFrom: '2021-01-01', catalogue: catalogue('2025') }],
        [{ edition: '2021', inForceFrom: '2021-13-01', catalogue: catalogue('2021') }],
        [{ edition: '2021', inForceFrom: '1 Jan 2021', catalogue: catalogue('2021') }],
        [
          { edition: '2021', inForceFrom: '2021-01-01', catalogue: catalogue('2021') },
          { edition: '2021', inForceFrom: '2025-01-01', catalogue: catalogue('2021') },
        ],
        [
          { edition: '2021', inForceFrom: '2021-01-01', catalogue: catalogue('2021') },
          { edition: '2025', inForceFrom: '2021-01-01', catalogue: catalogue('2025') },
        ],
      ])
        expect(() => hwCatalogueEditions(bad)).toThrow(InvalidCatalogue);
    });

    it('is told from a list file by its header, and each row names an edition, its first day and its file', () => {
      const table =
        'edition,in_force_from,file\n2021,2021-01-01,hw-list-2021.csv\n2025,2025-01-01,hw-list-2025.csv\n';
      expect(isEditionsTable(table)).toBe(true);
      expect(isEditionsTable(`\uFEFF${table}`)).toBe(true);
      expect(isEditionsTable('code,category,hazard,name_raw\n900-249-08,HW08,,\n')).toBe(false);
      expect(parseEditionsTable(table)).toEqual([
        { edition: '2021', inForceFrom: '2021-01-01', file: 'hw-list-2021.csv' },
        { edition: '2025', inForceFrom: '2025-01-01', file: 'hw-list-2025.csv' },
      ]);
      expect(() => parseEditionsTable('edition,in_force_from,file\n')).toThrow(InvalidCatalogue);
      expect(() => parseEditionsTable('edition,in_force_from,file\n2021,,hw.csv\n')).toThrow(
        InvalidCatalogue,
      );
      expect(() => parseEditionsTable('code,category\n900-249-08,HW08\n')).toThrow(InvalidCatalogue);
    });
  });
});
