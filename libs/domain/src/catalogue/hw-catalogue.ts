import { parse } from 'csv-parse/sync';
import { REFERENCE_CSV } from '../reference-csv';
import { InvalidCatalogue, InvalidHwCategory, InvalidWasteCode, UnknownWasteCode } from '../errors';

/**
 * The National Hazardous Waste List (国家危险废物名录) as versioned data keyed by (edition, code), loaded
 * from a CSV in the format of `shared/data/hw-list-2021.csv` (columns code, category, hazard, name_raw).
 * Nothing of the list is compiled into the code but the set of HW categories that exist (HW01–HW40,
 * HW45–HW50), used when no catalogue is loaded.
 *
 * A code NNN-NNN-NN = industry of origin (3) + sequence (3) + HW category number (2). `900-000-NN` is the
 * code of waste found hazardous by testing (经鉴别属于危险废物的) and is valid for any existing category.
 * Medical waste is HW01 (841-001-01 … 841-005-01).
 */
export const HW_CATEGORY_NUMBERS: readonly number[] = [
  ...Array.from({ length: 40 }, (_, i) => i + 1),
  ...Array.from({ length: 6 }, (_, i) => i + 45),
];
export const HW_CATEGORIES: readonly string[] = HW_CATEGORY_NUMBERS.map(hwCategoryOfNumber);

export const MEDICAL_WASTE_CATEGORY = 'HW01';
export const TESTED_HAZARDOUS_PREFIX = '900-000-';

/** Hazard characteristics (危险特性): toxicity, corrosivity, ignitability, reactivity, infectivity. */
export const HAZARD_CHARACTERISTICS = ['T', 'C', 'I', 'R', 'In'] as const;
export type HazardCharacteristic = (typeof HAZARD_CHARACTERISTICS)[number];

/**
 * The characteristics of a catalogue `hazard` cell ("T", "T/C/I/R", "T,I,R", "In"), in the order T C I R In;
 * anything else in the cell is ignored.
 */
export function parseHazardCell(cell: string | undefined): HazardCharacteristic[] {
  if (!cell) return [];
  const found = new Set(cell.split(/[\s/,，、;]+/).map((part) => part.trim()));
  return HAZARD_CHARACTERISTICS.filter((h) => found.has(h));
}

export interface HwCatalogueEntry {
  readonly edition: string;
  readonly code: string;
  /** HWnn */
  readonly category: string;
  /** Hazard characteristics as printed (T, C, I, R, In; may be empty). */
  readonly hazard: string;
  readonly name: string;
}

export interface HwCatalogue {
  readonly edition: string;
  /** Keyed by canonical code NNN-NNN-NN. */
  readonly entries: ReadonlyMap<string, HwCatalogueEntry>;
  /** The HW categories of this edition, sorted. */
  readonly categories: readonly string[];
}

export interface ValidatedWasteCode {
  readonly code: string;
  readonly hwCategory: string;
  /** The catalogue entry, when a catalogue was given and the code is listed (absent for 900-000-NN). */
  readonly entry?: HwCatalogueEntry;
  /** The edition it was checked against, when a catalogue was given. */
  readonly edition?: string;
}

const CODE = /^(\d{3})-?(\d{3})-?(\d{2})$/;

function hwCategoryOfNumber(n: number): string {
  return `HW${String(n).padStart(2, '0')}`;
}

/** Category of a canonical code: its last two digits. */
export function hwCategoryOfCode(code: string): string {
  return `HW${code.slice(-2)}`;
}

export function isMedicalWasteCode(code: string): boolean {
  return /^841-00\d-01$/.test(code);
}

/** Validates an HW category (`HW08`, case-insensitive): it must exist (in the edition when a catalogue is given). */
export function parseHwCategory(value: unknown, catalogue?: HwCatalogue, field = 'hwCategories'): string {
  if (typeof value !== 'string') throw new InvalidHwCategory(field, null);
  const cat = value.trim().toUpperCase();
  const known = catalogue ? catalogue.categories : HW_CATEGORIES;
  if (!/^HW\d{2}$/.test(cat) || !known.includes(cat)) throw new InvalidHwCategory(field, value);
  return cat;
}

/**
 * Validates a hazardous waste code. Without a catalogue: the form NNN-NNN-NN and an existing HW category.
 * With one: the code must be listed in that edition, except `900-000-NN` for any category of the edition.
 * Accepts the 8 digits without hyphens; returns the canonical hyphenated form.
 */
export function validateWasteCode(
  value: unknown,
  catalogue?: HwCatalogue,
  field = 'wasteCode',
): ValidatedWasteCode {
  if (typeof value !== 'string') throw new InvalidWasteCode(field, null, 'a code NNN-NNN-NN is required');
  const m = CODE.exec(value.trim());
  if (!m) throw new InvalidWasteCode(field, value, 'a hazardous waste code has the form NNN-NNN-NN');
  const code = `${m[1]}-${m[2]}-${m[3]}`;
  const hwCategory = hwCategoryOfCode(code);
  const categories = catalogue ? catalogue.categories : HW_CATEGORIES;
  if (!categories.includes(hwCategory))
    throw new InvalidWasteCode(field, value, `${hwCategory} is not an existing HW category`);
  if (!catalogue) return { code, hwCategory };
  if (code.startsWith(TESTED_HAZARDOUS_PREFIX)) return { code, hwCategory, edition: catalogue.edition };
  const entry = catalogue.entries.get(code);
  if (!entry) throw new UnknownWasteCode(field, code, catalogue.edition);
  return { code, hwCategory, entry, edition: catalogue.edition };
}

/** Parses a catalogue CSV (header `code,category[,hazard][,name_raw]`); pure. Refuses malformed or duplicate rows. */
export function parseHwCatalogueCsv(edition: string, csvText: string): HwCatalogue {
  if (edition.trim() === '') throw new InvalidCatalogue(edition, 'an edition is required');
  let rows: string[][];
  try {
    rows = parse(csvText, REFERENCE_CSV) as string[][];
  } catch (e) {
    throw new InvalidCatalogue(edition, `not CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new InvalidCatalogue(edition, 'empty file');
  const header = rows[0].map((h) => h.toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const [iCode, iCategory, iHazard, iName] = [
    col('code'),
    col('category'),
    col('hazard'),
    col('name_raw') >= 0 ? col('name_raw') : col('name'),
  ];
  if (iCode < 0 || iCategory < 0)
    throw new InvalidCatalogue(edition, 'the header needs the columns code and category', 1);
  const entries = new Map<string, HwCatalogueEntry>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const m = CODE.exec(row[iCode] ?? '');
    if (!m) throw new InvalidCatalogue(edition, `malformed code ${JSON.stringify(row[iCode] ?? '')}`, line);
    const code = `${m[1]}-${m[2]}-${m[3]}`;
    const category = (row[iCategory] ?? '').toUpperCase();
    if (!HW_CATEGORIES.includes(category))
      throw new InvalidCatalogue(edition, `no HW category ${JSON.stringify(category)}`, line);
    if (hwCategoryOfCode(code) !== category)
      throw new InvalidCatalogue(edition, `${code} does not end in the number of ${category}`, line);
    if (entries.has(code)) throw new InvalidCatalogue(edition, `duplicate code ${code}`, line);
    entries.set(code, {
      edition,
      code,
      category,
      hazard: iHazard >= 0 ? (row[iHazard] ?? '') : '',
      name: iName >= 0 ? (row[iName] ?? '') : '',
    });
  });
  if (entries.size === 0) throw new InvalidCatalogue(edition, 'no codes');
  const categories = [...new Set([...entries.values()].map((e) => e.category))].sort();
  return { edition, entries, categories };
}

/** Whether a permit's coverage (codes or HW categories) includes the code. */
export function coversWasteCode(
  coverage: { readonly wasteCodes: readonly string[]; readonly hwCategories: readonly string[] },
  code: string,
): boolean {
  return coverage.wasteCodes.includes(code) || coverage.hwCategories.includes(hwCategoryOfCode(code));
}
