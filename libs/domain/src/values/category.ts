import { InvalidCategory, InvalidSubtype, SubtypeRequired } from '../errors';
import { assertNever } from '../util';

/** The five categories of solid waste (五大类固体废物). */
export type WasteCategory = 'industrial' | 'hazardous' | 'household' | 'agricultural' | 'construction';
export const WASTE_CATEGORIES: readonly WasteCategory[] = [
  'industrial',
  'hazardous',
  'household',
  'agricultural',
  'construction',
];

export const CATEGORY_NAMES: Readonly<Record<WasteCategory, string>> = {
  industrial: '一般工业固体废物',
  hazardous: '危险废物',
  household: '生活垃圾',
  agricultural: '农业废弃物',
  construction: '建筑垃圾',
};

/** Hangzhou's four household classes. */
export type HouseholdSubtype = 'recyclable' | 'household_hazardous' | 'perishable' | 'other';
export type AgriculturalSubtype = 'straw' | 'manure' | 'film' | 'pesticide_packaging' | 'animal_medical';
export type ConstructionSubtype = 'muck' | 'mud' | 'engineering' | 'demolition' | 'decoration';
export type IndustrialSubtype =
  | 'tailings'
  | 'fly_ash'
  | 'slag'
  | 'coal_gangue'
  | 'desulfurisation_gypsum'
  | 'smelting_residue'
  | 'sludge'
  | 'other';
export type WasteSubtype = HouseholdSubtype | AgriculturalSubtype | ConstructionSubtype | IndustrialSubtype;

export const SUBTYPES: Readonly<Record<WasteCategory, readonly WasteSubtype[]>> = {
  household: ['recyclable', 'household_hazardous', 'perishable', 'other'],
  agricultural: ['straw', 'manure', 'film', 'pesticide_packaging', 'animal_medical'],
  construction: ['muck', 'mud', 'engineering', 'demolition', 'decoration'],
  industrial: [
    'tailings',
    'fly_ash',
    'slag',
    'coal_gangue',
    'desulfurisation_gypsum',
    'smelting_residue',
    'sludge',
    'other',
  ],
  hazardous: [],
};

/** Every subtype of every category, once. */
export const ALL_SUBTYPES: readonly WasteSubtype[] = [...new Set(Object.values(SUBTYPES).flat())];

export const SUBTYPE_NAMES: Readonly<Record<WasteSubtype, string>> = {
  recyclable: '可回收物',
  household_hazardous: '有害垃圾',
  perishable: '易腐垃圾',
  other: '其他',
  straw: '秸秆',
  manure: '畜禽粪污',
  film: '农膜',
  pesticide_packaging: '农药包装废弃物',
  animal_medical: '动物诊疗废弃物',
  muck: '工程渣土',
  mud: '工程泥浆',
  engineering: '工程垃圾',
  demolition: '拆除垃圾',
  decoration: '装修垃圾',
  tailings: '尾矿',
  fly_ash: '粉煤灰',
  slag: '炉渣',
  coal_gangue: '煤矸石',
  desulfurisation_gypsum: '脱硫石膏',
  smelting_residue: '冶炼废渣',
  sludge: '污泥',
};

/** Whether a subtype is required (household, agricultural), optional (construction, industrial) or forbidden (hazardous: the HW code says it). */
export function subtypeRule(category: WasteCategory): 'required' | 'optional' | 'forbidden' {
  switch (category) {
    case 'household':
    case 'agricultural':
      return 'required';
    case 'construction':
    case 'industrial':
      return 'optional';
    case 'hazardous':
      return 'forbidden';
    default:
      return assertNever(category, 'category');
  }
}

export function isWasteCategory(value: unknown): value is WasteCategory {
  return typeof value === 'string' && (WASTE_CATEGORIES as readonly string[]).includes(value);
}

export function parseCategory(value: unknown, field = 'category'): WasteCategory {
  if (!isWasteCategory(value)) throw new InvalidCategory(field, typeof value === 'string' ? value : null);
  return value;
}

/** Validates the subtype against the category; returns it or undefined when absent and allowed. */
export function parseSubtype(
  category: WasteCategory,
  value: unknown,
  field = 'subtype',
): WasteSubtype | undefined {
  const rule = subtypeRule(category);
  if (value === undefined || value === null || value === '') {
    if (rule === 'required') throw new SubtypeRequired(category);
    return undefined;
  }
  if (typeof value !== 'string' || !SUBTYPES[category].includes(value as WasteSubtype)) {
    throw new InvalidSubtype(field, typeof value === 'string' ? value : null, category);
  }
  return value as WasteSubtype;
}
