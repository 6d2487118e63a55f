import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import {
  hwCatalogueEditions,
  isDomainError,
  isEditionsTable,
  parseEditionsTable,
  parseHwCatalogueCsv,
  singleEdition,
  type HwCatalogue,
  type HwCatalogueEditions,
} from '@wasteflow/domain';
import { ConfigurationError } from '@wasteflow/config';

/**
 * The edition of a catalogue file: WASTEFLOW_HW_CATALOGUE_EDITION when set, else the first 4-digit year
 * in the file name (`hw-list-2021.csv` → `2021`), else the file name without its extension.
 */
export function catalogueEditionOf(path: string, explicit?: string): string {
  if (explicit && explicit.trim() !== '') return explicit.trim();
  const name = basename(path, extname(path));
  return /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(name)?.[1] ?? name;
}

function readSetting(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `WASTEFLOW_HW_CATALOGUE=${path}: cannot read ${what} (${(error as Error).message})`,
    );
  }
}

function usable<T>(setting: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isDomainError(error)) {
      throw new ConfigurationError(
        `WASTEFLOW_HW_CATALOGUE=${setting}: not a usable catalogue: ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * Loads one hazardous waste list (format of `shared/data/hw-list-2021.csv`). A missing or malformed file
 * is a ConfigurationError: the process refuses to start rather than check codes against half a list.
 */
export function loadHwCatalogueFile(path: string, edition?: string): HwCatalogue {
  const text = readSetting(path, 'the hazardous waste catalogue');
  return usable(path, () => parseHwCatalogueCsv(catalogueEditionOf(path, edition), text));
}

/**
 * Loads what WASTEFLOW_HW_CATALOGUE names (ADR 0019): either the editions table (`catalogue/editions.csv`,
 * header `edition,in_force_from,file`, each file relative to the table) — every edition loaded at once,
 * a code judged by the one in force at the fact's `occurredAt` — or a single list file, one edition in
 * force at every date (WASTEFLOW_HW_CATALOGUE_EDITION names it). Anything unusable stops the start.
 */
export function loadHwCatalogueEditions(path: string, edition?: string): HwCatalogueEditions {
  const text = readSetting(path, 'the hazardous waste catalogue');
  if (!isEditionsTable(text)) return singleEdition(loadHwCatalogueFile(path, edition));
  if (edition !== undefined && edition.trim() !== '') {
    throw new ConfigurationError(
      `WASTEFLOW_HW_CATALOGUE_EDITION=${edition}: the editions table ${path} names its editions itself`,
    );
  }
  const rows = usable(path, () => parseEditionsTable(text));
  const editions = rows.map((row) => {
    const file = isAbsolute(row.file) ? row.file : join(dirname(path), row.file);
    return {
      edition: row.edition,
      inForceFrom: row.inForceFrom,
      catalogue: loadHwCatalogueFile(file, row.edition),
    };
  });
  return usable(path, () => hwCatalogueEditions(editions));
}
