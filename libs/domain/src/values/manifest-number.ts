import { InvalidManifestNumber } from '../errors';
import { PROVINCE_CODES } from './district';

/**
 * Manifest number (联单编号, 危险废物转移管理办法 Art. 15): 14 digits = year (4) + province (2) +
 * city (2) + serial within the city (6). The ledger allocates the serial; the domain validates and composes.
 */
export interface ManifestNumberParts {
  readonly manifestNo: string;
  readonly year: number;
  readonly provinceCode: string;
  /** 4 digits: province + city */
  readonly cityCode: string;
  readonly serial: number;
}

export function parseManifestNumber(value: unknown, field = 'manifestNo'): ManifestNumberParts {
  if (typeof value !== 'string')
    throw new InvalidManifestNumber(field, null, 'a string of 14 digits is required');
  const no = value.trim();
  if (!/^\d{14}$/.test(no)) throw new InvalidManifestNumber(field, value, 'a manifest number has 14 digits');
  const year = Number(no.slice(0, 4));
  if (year < 2000 || year > 2099) throw new InvalidManifestNumber(field, value, `year ${year} out of range`);
  const provinceCode = no.slice(4, 6);
  if (!PROVINCE_CODES.includes(provinceCode))
    throw new InvalidManifestNumber(field, value, `no province ${provinceCode}`);
  const serial = Number(no.slice(8));
  if (serial === 0) throw new InvalidManifestNumber(field, value, 'serial 000000 is not allocated');
  return { manifestNo: no, year, provinceCode, cityCode: no.slice(4, 8), serial };
}

/** Composes a manifest number from a year, the shipper's division code (its city is used) and a serial 1..999999. */
export function composeManifestNumber(year: number, districtCode: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 999_999)
    throw new InvalidManifestNumber('serial', serial, 'a serial is 1..999999');
  return parseManifestNumber(
    `${String(year).padStart(4, '0')}${districtCode.slice(0, 4)}${String(serial).padStart(6, '0')}`,
  ).manifestNo;
}
