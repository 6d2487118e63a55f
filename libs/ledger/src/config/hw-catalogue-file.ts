import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isDomainError, parseHwCatalogueCsv, type HwCatalogue } from '@wasteflow/domain';
import { ConfigurationError } from './store-settings';

/**
 * The edition of a catalogue file: WASTEFLOW_HW_CATALOGUE_EDITION when set, else the first 4-digit year
 * in the file name (`hw-list-2021.csv` → `2021`), else the file name without its extension.
 */
export function catalogueEditionOf(path: string, explicit?: string): string {
  if (explicit && explicit.trim() !== '') return explicit.trim();
  const name = basename(path, extname(path));
  return /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(name)?.[1] ?? name;
}

/**
 * Loads the hazardous waste catalogue named by WASTEFLOW_HW_CATALOGUE (format of
 * `shared/data/hw-list-2021.csv`). A missing or malformed file is a ConfigurationError: the process
 * refuses to start rather than check codes against half a list.
 */
export function loadHwCatalogueFile(path: string, edition?: string): HwCatalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `WASTEFLOW_HW_CATALOGUE=${path}: cannot read the hazardous waste catalogue (${(error as Error).message})`,
    );
  }
  try {
    return parseHwCatalogueCsv(catalogueEditionOf(path, edition), text);
  } catch (error) {
    if (isDomainError(error)) {
      throw new ConfigurationError(
        `WASTEFLOW_HW_CATALOGUE=${path}: not a usable catalogue: ${error.message}`,
      );
    }
    throw error;
  }
}
