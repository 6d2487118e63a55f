import { parse } from 'csv-parse/sync';
import { InvalidCatalogue, UnknownCatalogueEdition } from '../errors';
import { cstDate, isCalendarDate, parseCalendarDate } from '../values/time';
import type { HwCatalogue, HwCatalogueEntry } from './hw-catalogue';

/**
 * Editions of the National Hazardous Waste List loaded at once (issue 16 item 8, ADR 0019): each with the
 * date it came into force (China Standard Time), e.g. the 2021 edition from 2021-01-01 and, when its file
 * is provided, the 2025 edition from its own date. A waste code is judged by the edition in force at the
 * event's `occurredAt` (`editionInForce`): a code listed in one edition and not the other is accepted or
 * refused by the date of the fact, not by the date of its recording.
 */
export interface HwCatalogueEdition {
  /** Its name, as recorded in the events judged by it (`catalogueEdition`): `2021`, `2025`. */
  readonly edition: string;
  /** `YYYY-MM-DD` (CST): from this day on this edition is in force, until the next one's day. */
  readonly inForceFrom: string;
  readonly catalogue: HwCatalogue;
}

/** The editions, sorted by the day each came into force (strictly increasing). */
export interface HwCatalogueEditions {
  readonly editions: readonly HwCatalogueEdition[];
}

/**
 * Validates and orders editions: at least one, names unique and equal to their catalogue's edition, days
 * `YYYY-MM-DD` and distinct. A bad table is a configuration fault (InvalidCatalogue), never a client's.
 */
export function hwCatalogueEditions(editions: readonly HwCatalogueEdition[]): HwCatalogueEditions {
  if (editions.length === 0) throw new InvalidCatalogue('editions', 'at least one edition is required');
  const names = new Set<string>();
  const days = new Set<string>();
  for (const e of editions) {
    if (e.catalogue.edition !== e.edition)
      throw new InvalidCatalogue(e.edition, `its catalogue is of edition ${e.catalogue.edition}`);
    if (!isCalendarDate(e.inForceFrom))
      throw new InvalidCatalogue(
        e.edition,
        `in force from ${JSON.stringify(e.inForceFrom)}: expected YYYY-MM-DD`,
      );
    try {
      parseCalendarDate(e.inForceFrom, 'inForceFrom');
    } catch {
      throw new InvalidCatalogue(e.edition, `in force from ${e.inForceFrom}: no such date`);
    }
    if (names.has(e.edition)) throw new InvalidCatalogue(e.edition, 'listed twice');
    if (days.has(e.inForceFrom))
      throw new InvalidCatalogue(e.edition, `another edition comes into force on ${e.inForceFrom} too`);
    names.add(e.edition);
    days.add(e.inForceFrom);
  }
  return { editions: [...editions].sort((a, b) => (a.inForceFrom < b.inForceFrom ? -1 : 1)) };
}

/** One catalogue, in force at every date (a single list file loaded on its own). */
export function singleEdition(catalogue: HwCatalogue): HwCatalogueEditions {
  return { editions: [{ edition: catalogue.edition, inForceFrom: '0001-01-01', catalogue }] };
}

/**
 * The edition in force at `occurredAtMs`: the last one whose day (CST) is not after the day of the fact.
 * A fact before the earliest edition loaded is judged by that earliest edition (the editions before it —
 * 2016, 2008 — are not loaded: README Known gaps).
 */
export function editionInForce(editions: HwCatalogueEditions, occurredAtMs: number): HwCatalogueEdition {
  const day = cstDate(occurredAtMs);
  let found = editions.editions[0];
  for (const e of editions.editions) if (e.inForceFrom <= day) found = e;
  return found;
}

/** The catalogue to judge a fact of `occurredAtMs` by, when editions are loaded (else form checks only). */
export function catalogueInForce(
  editions: HwCatalogueEditions | undefined,
  occurredAtMs: number,
): HwCatalogue | undefined {
  return editions === undefined ? undefined : editionInForce(editions, occurredAtMs).catalogue;
}

/** A row of the editions table (`catalogue/editions.csv`): the edition, its first day in force, its list file. */
export interface HwEditionRow {
  readonly edition: string;
  readonly inForceFrom: string;
  /** The list file, relative to the table's directory. */
  readonly file: string;
}

/** The header that marks an editions table (a list file starts `code,category`). */
export const EDITIONS_TABLE_HEADER = ['edition', 'in_force_from', 'file'] as const;

/** Whether a CSV text is an editions table (by its header), not a list of codes. */
export function isEditionsTable(csvText: string): boolean {
  const first = csvText.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return (
    first
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .join(',') === EDITIONS_TABLE_HEADER.join(',')
  );
}

/** Parses the editions table (header `edition,in_force_from,file`); pure. Refuses malformed rows. */
export function parseEditionsTable(csvText: string): HwEditionRow[] {
  let rows: string[][];
  try {
    rows = parse(csvText, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new InvalidCatalogue('editions', `not CSV: ${(e as Error).message}`);
  }
  if (!isEditionsTable(csvText))
    throw new InvalidCatalogue('editions', `the header must be ${EDITIONS_TABLE_HEADER.join(',')}`, 1);
  const out = rows.slice(1).map(([edition, inForceFrom, file], i) => {
    if (!edition || !inForceFrom || !file)
      throw new InvalidCatalogue(
        'editions',
        'each row names an edition, its first day in force and its file',
        i + 2,
      );
    return { edition, inForceFrom, file };
  });
  if (out.length === 0) throw new InvalidCatalogue('editions', 'no editions');
  return out;
}

/**
 * The entry of `code` for reading (a label, a print): in `edition` when it is loaded and lists the code
 * (the edition the fact was judged by), else in the newest edition that lists it.
 */
export function findCatalogueEntry(
  editions: HwCatalogueEditions | undefined,
  code: string,
  edition?: string,
): HwCatalogueEntry | undefined {
  if (editions === undefined) return undefined;
  const named = editions.editions.find((e) => e.edition === edition)?.catalogue.entries.get(code);
  if (named) return named;
  for (let i = editions.editions.length - 1; i >= 0; i--) {
    const entry = editions.editions[i].catalogue.entries.get(code);
    if (entry) return entry;
  }
  return undefined;
}

/** The loaded edition named `edition` (UnknownCatalogueEdition when it is not loaded). */
export function editionNamed(editions: HwCatalogueEditions | undefined, edition: string): HwCatalogueEdition {
  const found = editions?.editions.find((e) => e.edition === edition);
  if (found === undefined)
    throw new UnknownCatalogueEdition(edition, editions?.editions.map((e) => e.edition) ?? []);
  return found;
}
