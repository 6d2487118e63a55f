import { InvalidDistrictCode, InvalidRegion } from '../errors';
import {
  HANGZHOU_DISTRICTS,
  cityOf,
  divisionName,
  isValidDistrictCode,
  parseDistrictCode,
  parseRegion,
  provinceOf,
  regionMatches,
} from './district';

describe('district codes', () => {
  it("knows Hangzhou's 13 districts", () => {
    expect(Object.keys(HANGZHOU_DISTRICTS)).toHaveLength(13);
    expect(divisionName('330106')).toBe('西湖区');
    expect(divisionName('3301')).toBe('杭州市');
    expect(divisionName('110101')).toBeUndefined();
  });

  it('accepts any syntactically valid division code', () => {
    expect(parseDistrictCode('110101')).toBe('110101');
    expect(parseDistrictCode('330100')).toBe('330100');
    expect(isValidDistrictCode('440305')).toBe(true);
  });

  it('refuses malformed codes (InvalidDistrictCode)', () => {
    for (const bad of ['33010', '3301066', 'ab0106', '990106', '330006'])
      expect(() => parseDistrictCode(bad)).toThrow(InvalidDistrictCode);
    expect(() => parseDistrictCode(330106)).toThrow(InvalidDistrictCode);
  });

  it('rolls up to city and province', () => {
    expect(cityOf('330106')).toBe('3301');
    expect(provinceOf('330106')).toBe('33');
  });

  it('matches regions of 2, 4 and 6 digits by prefix', () => {
    expect(regionMatches(parseRegion('33'), '330106')).toBe(true);
    expect(regionMatches(parseRegion('3301'), '330106')).toBe(true);
    expect(regionMatches(parseRegion('330106'), '330106')).toBe(true);
    expect(regionMatches(parseRegion('330108'), '330106')).toBe(false);
    expect(regionMatches(parseRegion('3302'), '330106')).toBe(false);
  });

  it('refuses malformed regions (InvalidRegion)', () => {
    for (const bad of ['3', '330', '33010', '3301066', '99', 'xx'])
      expect(() => parseRegion(bad)).toThrow(InvalidRegion);
  });
});
