import { InvalidVehiclePlate } from '../errors';

/**
 * Chinese vehicle plates (GA 36): a province abbreviation, the issuing-authority letter, then
 *  - ordinary plates: 5 characters (letters without I and O, digits; the last may be 挂 学 警 港 澳) — 7 in all;
 *  - new-energy plates: 6 characters — 8 in all: small cars D/F + a letter or digit + 4 digits,
 *    large vehicles 5 digits + D/F.
 * Spaces, middle dots and hyphens are ignored and letters upper-cased; the canonical form is compact.
 */
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const L = 'A-HJ-NP-Z';
const ORDINARY = new RegExp(`^[${PROVINCES}][${L}][${L}0-9]{4}[${L}0-9挂学警港澳]$`);
const NEW_ENERGY = new RegExp(`^[${PROVINCES}][${L}](?:[DF][${L}0-9][0-9]{4}|[0-9]{5}[DF])$`);

export type VehiclePlateKind = 'ordinary' | 'new_energy';

export function parseVehiclePlate(
  value: unknown,
  field = 'vehiclePlate',
): { plate: string; kind: VehiclePlateKind } {
  if (typeof value !== 'string') throw new InvalidVehiclePlate(field, null);
  const plate = value.replace(/[\s·•-]/g, '').toUpperCase();
  if (ORDINARY.test(plate)) return { plate, kind: 'ordinary' };
  if (NEW_ENERGY.test(plate)) return { plate, kind: 'new_energy' };
  throw new InvalidVehiclePlate(field, value);
}
