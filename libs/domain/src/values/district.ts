import { InvalidDistrictCode, InvalidRegion } from '../errors';
import { accepts } from '../util';

/**
 * Administrative division codes (行政区划代码, GB/T 2260): 6 digits = province (2) + city (2) + county (2).
 * Any syntactically valid code is accepted (a known province prefix, then digits); Hangzhou's 13 districts
 * are built in with their names. A region is a prefix: 2 digits (province), 4 (city) or 6 (district).
 */
export const PROVINCE_CODES: readonly string[] = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
];

export const HANGZHOU_CITY_CODE = '3301';

/** Hangzhou (330100) and its 13 county-level divisions. */
export const HANGZHOU_DISTRICTS: Readonly<Record<string, string>> = {
  '330102': '上城区',
  '330105': '拱墅区',
  '330106': '西湖区',
  '330108': '滨江区',
  '330109': '萧山区',
  '330110': '余杭区',
  '330111': '富阳区',
  '330112': '临安区',
  '330113': '临平区',
  '330114': '钱塘区',
  '330122': '桐庐县',
  '330127': '淳安县',
  '330182': '建德市',
};

const KNOWN_NAMES: Readonly<Record<string, string>> = {
  '33': '浙江省',
  '3301': '杭州市',
  ...HANGZHOU_DISTRICTS,
};

export function parseDistrictCode(value: unknown, field = 'districtCode'): string {
  if (typeof value !== 'string')
    throw new InvalidDistrictCode(field, null, 'a 6-digit division code is required');
  const code = value.trim();
  if (!/^\d{6}$/.test(code)) throw new InvalidDistrictCode(field, value, 'a division code has 6 digits');
  if (!PROVINCE_CODES.includes(code.slice(0, 2)))
    throw new InvalidDistrictCode(field, value, `no province ${code.slice(0, 2)}`);
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00')
    throw new InvalidDistrictCode(field, value, 'a county code needs a city code');
  return code;
}

export const isValidDistrictCode: (value: string) => boolean = accepts(parseDistrictCode);

/** City prefix (4 digits) of a division code: 330106 → 3301. */
export function cityOf(districtCode: string): string {
  return districtCode.slice(0, 4);
}

/** Province prefix (2 digits) of a division code: 330106 → 33. */
export function provinceOf(districtCode: string): string {
  return districtCode.slice(0, 2);
}

/** Chinese name of a built-in division (Zhejiang, Hangzhou and its districts), else undefined. */
export function divisionName(code: string): string | undefined {
  return KNOWN_NAMES[code];
}

/** Validates a region: 2, 4 or 6 digits with a known province prefix. */
export function parseRegion(value: unknown, field = 'region'): string {
  if (typeof value !== 'string') throw new InvalidRegion(field, null);
  const region = value.trim();
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(region) || !PROVINCE_CODES.includes(region.slice(0, 2)))
    throw new InvalidRegion(field, value);
  return region;
}

/** A district matches a region when the region is its prefix (province, city or the district itself). */
export function regionMatches(region: string, districtCode: string): boolean {
  return districtCode.startsWith(region);
}
