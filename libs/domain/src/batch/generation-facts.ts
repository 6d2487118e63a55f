import { optionalText } from '../decide-options';
import { parseHazardCell, type HwCatalogueEntry } from '../catalogue/hw-catalogue';
import { InvalidValue } from '../errors';
import { TEXT_BOUNDS } from '../values/text';
import { compact } from '../util';
import { CONTAINER_VOLUMES, PHYSICAL_FORMS, type GenerationFacts } from './batch.events';

/** The generation facts a command may give (issue 14): each optional, checked like every other field. */
export interface GenerationFactsInput {
  readonly physicalForm?: string;
  readonly packagingType?: string;
  readonly packageCount?: number;
  readonly containerVolume?: string;
  readonly mainComponents?: string;
  readonly hazardousComponents?: string;
  readonly precautions?: string;
  readonly facilityCode?: string;
}

/** More packages than any one batch holds: a typo, not a fact. */
export const MAX_PACKAGE_COUNT = 1_000_000;

function oneOfOptional<T extends string>(value: unknown, values: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw new InvalidValue(
    field,
    typeof value === 'string' ? value.slice(0, 40) : null,
    `one of ${values.join(', ')}`,
  );
}

/**
 * The facts as recorded: texts normalised and bounded, forms and volumes from their lists, the count a
 * whole number from 1; the hazard characteristics from the catalogue entry of the code (never from the
 * client: the list decides what a code's hazards are).
 */
export function parseGenerationFacts(input: GenerationFactsInput, entry?: HwCatalogueEntry): GenerationFacts {
  const count = input.packageCount;
  if (count !== undefined && (!Number.isSafeInteger(count) || count < 1 || count > MAX_PACKAGE_COUNT)) {
    throw new InvalidValue(
      'packageCount',
      typeof count === 'number' ? count : null,
      `a whole number from 1 to ${MAX_PACKAGE_COUNT}`,
    );
  }
  const hazards = entry ? parseHazardCell(entry.hazard) : undefined;
  return compact({
    physicalForm: oneOfOptional(input.physicalForm, PHYSICAL_FORMS, 'physicalForm'),
    packagingType: optionalText(input.packagingType, 'packagingType', TEXT_BOUNDS.label),
    packageCount: count,
    containerVolume: oneOfOptional(input.containerVolume, CONTAINER_VOLUMES, 'containerVolume'),
    hazards: hazards && hazards.length > 0 ? hazards : undefined,
    mainComponents: optionalText(input.mainComponents, 'mainComponents'),
    hazardousComponents: optionalText(input.hazardousComponents, 'hazardousComponents'),
    precautions: optionalText(input.precautions, 'precautions'),
    facilityCode: optionalText(input.facilityCode, 'facilityCode', 64),
  });
}
