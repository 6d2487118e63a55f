import {
  InvalidManifestNumber,
  InvalidOperationCode,
  InvalidVehiclePlate,
  NotATreatmentOperation,
  InvalidCategory,
  InvalidSubtype,
  SubtypeRequired,
  InvalidRole,
} from '../errors';
import { composeManifestNumber, parseManifestNumber } from './manifest-number';
import { parseVehiclePlate } from './vehicle-plate';
import {
  PERMIT_OPERATIONS,
  TREATMENT_OPERATIONS,
  isUtilisation,
  modeOf,
  parsePermitOperation,
  parseTreatmentOperation,
} from './operation';
import { WASTE_CATEGORIES, parseCategory, parseSubtype, subtypeRule } from './category';
import { parseRoles } from './role';

describe('manifest number', () => {
  it('is year + province + city + serial (14 digits)', () => {
    expect(parseManifestNumber('20253301000042')).toEqual({
      manifestNo: '20253301000042',
      year: 2025,
      provinceCode: '33',
      cityCode: '3301',
      serial: 42,
    });
    expect(composeManifestNumber(2025, '330106', 42)).toBe('20253301000042');
  });
  it('refuses other forms (InvalidManifestNumber)', () => {
    for (const bad of [
      '2025330100004',
      '202533010000420',
      '2025330100004a',
      '19993301000001',
      '20259901000001',
      '20253301000000',
    ]) {
      expect(() => parseManifestNumber(bad)).toThrow(InvalidManifestNumber);
    }
    expect(() => composeManifestNumber(2025, '330106', 1_000_000)).toThrow(InvalidManifestNumber);
  });
});

describe('vehicle plate', () => {
  it.each([
    ['浙A12345', 'ordinary'],
    ['浙A·1234X', 'ordinary'],
    ['浙a 1234挂', 'ordinary'],
    ['浙AD12345', 'new_energy'],
    ['浙AFA1234', 'new_energy'],
    ['浙A12345D', 'new_energy'],
  ])('accepts %s as %s', (plate, kind) => {
    expect(parseVehiclePlate(plate).kind).toBe(kind);
  });
  it('normalises to the compact upper-case form', () => {
    expect(parseVehiclePlate('浙a·123-45').plate).toBe('浙A12345');
  });
  it.each([
    'A12345',
    '浙A1234',
    '浙A1234567',
    '浙I12345',
    '浙AO2345',
    '浙A12345X',
    'XX12345',
    '浙AD123',
    '浙AD1234A',
  ])('refuses %s (InvalidVehiclePlate)', (plate) => {
    expect(() => parseVehiclePlate(plate)).toThrow(InvalidVehiclePlate);
  });
});

describe('operation codes', () => {
  it('map each treatment code to one mode', () => {
    expect(TREATMENT_OPERATIONS).toHaveLength(22);
    expect(modeOf('R9')).toBe('utilisation');
    expect(modeOf('C2')).toBe('utilisation');
    expect(modeOf('C3')).toBe('utilisation');
    expect(modeOf('D1')).toBe('landfill');
    expect(modeOf('D10')).toBe('incineration');
    expect(modeOf('Y10')).toBe('incineration');
    expect(modeOf('C1')).toBe('other_disposal');
    expect(modeOf('D9')).toBe('other_disposal');
    expect(modeOf('Y13')).toBe('other_disposal');
    expect(isUtilisation('R15')).toBe(true);
    expect(isUtilisation('D16')).toBe(false);
  });
  it('include collect and store for permits only', () => {
    expect(PERMIT_OPERATIONS).toEqual(expect.arrayContaining(['collect', 'store']));
    expect(parsePermitOperation('Collect')).toBe('collect');
    expect(parsePermitOperation('r9')).toBe('R9');
    expect(() => parseTreatmentOperation('store')).toThrow(NotATreatmentOperation);
  });
  it.each(['R10', 'D2', 'Y14', 'X1', ''])('refuses %p (InvalidOperationCode)', (op) => {
    expect(() => parsePermitOperation(op)).toThrow(InvalidOperationCode);
  });
});

describe('categories, subtypes and roles', () => {
  it('has five categories', () => {
    expect(WASTE_CATEGORIES).toEqual([
      'industrial',
      'hazardous',
      'household',
      'agricultural',
      'construction',
    ]);
    expect(() => parseCategory('medical')).toThrow(InvalidCategory);
  });
  it('requires a subtype for household and agricultural waste (SubtypeRequired)', () => {
    expect(subtypeRule('household')).toBe('required');
    expect(() => parseSubtype('household', undefined)).toThrow(SubtypeRequired);
    expect(() => parseSubtype('agricultural', '')).toThrow(SubtypeRequired);
    expect(parseSubtype('agricultural', 'straw')).toBe('straw');
    expect(parseSubtype('construction', undefined)).toBeUndefined();
  });
  it('refuses a subtype of another category or any subtype for hazardous waste (InvalidSubtype)', () => {
    expect(() => parseSubtype('household', 'straw')).toThrow(InvalidSubtype);
    expect(() => parseSubtype('hazardous', 'other')).toThrow(InvalidSubtype);
  });
  it('parses roles into canonical order, refusing unknown or empty (InvalidRole)', () => {
    expect(parseRoles(['receiver', 'carrier', 'receiver'])).toEqual(['carrier', 'receiver']);
    expect(() => parseRoles([])).toThrow(InvalidRole);
    expect(() => parseRoles(['admin'])).toThrow(InvalidRole);
  });
});
