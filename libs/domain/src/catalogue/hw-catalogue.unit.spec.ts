import * as fs from 'fs';
import * as path from 'path';
import { InvalidCatalogue, InvalidHwCategory, InvalidWasteCode, UnknownWasteCode } from '../errors';
import {
  HW_CATEGORIES,
  coversWasteCode,
  hwCategoryOfCode,
  isMedicalWasteCode,
  parseHwCatalogueCsv,
  parseHwCategory,
  validateWasteCode,
} from './hw-catalogue';
import { HW_FIXTURE_CSV, HW_FIXTURE_EDITION } from './testing/hw-fixture';

const fixture = parseHwCatalogueCsv(HW_FIXTURE_EDITION, HW_FIXTURE_CSV);

describe('hazardous waste catalogue', () => {
  it('the fixture text equals the fixture CSV file beside it', () => {
    expect(fs.readFileSync(path.join(__dirname, 'testing', 'hw-fixture.csv'), 'utf8')).toBe(HW_FIXTURE_CSV);
  });

  it('loads a CSV as versioned data keyed by (edition, code)', () => {
    expect(fixture.edition).toBe(HW_FIXTURE_EDITION);
    expect(fixture.entries.size).toBe(14);
    expect(fixture.entries.get('900-249-08')).toMatchObject({
      edition: HW_FIXTURE_EDITION,
      code: '900-249-08',
      category: 'HW08',
      hazard: 'T,I',
    });
    expect(fixture.entries.get('900-405-06')).toMatchObject({ hazard: '', name: '' });
    expect(fixture.categories).toEqual(['HW01', 'HW03', 'HW06', 'HW08', 'HW17', 'HW18', 'HW49']);
  });

  it('reads CRLF line endings and a BOM (as in the published file) the same', () => {
    const crlf = parseHwCatalogueCsv(HW_FIXTURE_EDITION, `\uFEFF${HW_FIXTURE_CSV.replace(/\n/g, '\r\n')}`);
    expect([...crlf.entries.values()]).toEqual([...fixture.entries.values()]);
  });

  // The repository's copy of shared/data/hw-list-2021.csv (catalogue/README.md), so this always runs.
  const realFile = path.resolve(__dirname, '../../../../catalogue/hw-list-2021.csv');
  it('loads the 2021 edition: 467 codes in 46 categories', () => {
    const list = parseHwCatalogueCsv('2021', fs.readFileSync(realFile, 'utf8'));
    expect(list.entries.size).toBe(467);
    expect(list.categories).toHaveLength(46);
    expect(list.categories).toEqual(HW_CATEGORIES);
    expect(validateWasteCode('841-001-01', list).entry?.name).toBe('感染性废物');
  });

  it('refuses malformed catalogues (InvalidCatalogue)', () => {
    expect(() => parseHwCatalogueCsv('x', '')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('x', 'foo,bar\n1,2')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('x', 'code,category\n900-249-8,HW08')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('x', 'code,category\n900-249-08,HW09')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('x', 'code,category\n900-249-42,HW42')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('x', 'code,category\n900-249-08,HW08\n900-249-08,HW08')).toThrow(
      InvalidCatalogue,
    );
    expect(() => parseHwCatalogueCsv('x', 'code,category\n')).toThrow(InvalidCatalogue);
    expect(() => parseHwCatalogueCsv('', 'code,category\n900-249-08,HW08')).toThrow(InvalidCatalogue);
  });

  describe('validating a waste code', () => {
    it('with a catalogue: the code must be listed in that edition (UnknownWasteCode)', () => {
      expect(validateWasteCode('900-249-08', fixture)).toMatchObject({
        code: '900-249-08',
        hwCategory: 'HW08',
        edition: HW_FIXTURE_EDITION,
      });
      expect(() => validateWasteCode('900-250-08', fixture)).toThrow(UnknownWasteCode);
    });

    it('900-000-NN is valid for any existing category', () => {
      expect(validateWasteCode('900-000-08', fixture)).toEqual({
        code: '900-000-08',
        hwCategory: 'HW08',
        edition: HW_FIXTURE_EDITION,
      });
      expect(validateWasteCode('900-000-50')).toEqual({ code: '900-000-50', hwCategory: 'HW50' });
      expect(() => validateWasteCode('900-000-42')).toThrow(InvalidWasteCode);
      expect(() => validateWasteCode('900-000-50', fixture)).toThrow(InvalidWasteCode);
    });

    it('without a catalogue: form and existing HW category only', () => {
      expect(validateWasteCode('123-456-08')).toEqual({ code: '123-456-08', hwCategory: 'HW08' });
      expect(validateWasteCode('12345608').code).toBe('123-456-08');
      for (const bad of ['123-456-00', '123-456-41', '123-456-44', '123-456-51', '12-456-08', 'HW08', ''])
        expect(() => validateWasteCode(bad)).toThrow(InvalidWasteCode);
      expect(() => validateWasteCode(undefined)).toThrow(InvalidWasteCode);
    });

    it('knows medical waste is HW01 841-00x-01', () => {
      expect(isMedicalWasteCode('841-003-01')).toBe(true);
      expect(isMedicalWasteCode('900-249-08')).toBe(false);
      expect(hwCategoryOfCode('841-003-01')).toBe('HW01');
    });
  });

  it('validates HW categories (InvalidHwCategory) and coverage', () => {
    expect(HW_CATEGORIES).toHaveLength(46);
    expect(parseHwCategory('hw08')).toBe('HW08');
    for (const bad of ['HW41', 'HW44', 'HW51', 'HW00', 'HW8', 'X'])
      expect(() => parseHwCategory(bad)).toThrow(InvalidHwCategory);
    expect(() => parseHwCategory('HW50', fixture)).toThrow(InvalidHwCategory);
    expect(coversWasteCode({ wasteCodes: [], hwCategories: ['HW08'] }, '900-249-08')).toBe(true);
    expect(coversWasteCode({ wasteCodes: ['841-001-01'], hwCategories: [] }, '841-002-01')).toBe(false);
  });
});
