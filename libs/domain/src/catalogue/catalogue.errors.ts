import { domainError, fieldBreaks, fieldReason } from '../domain-error';

/** Errors of the hazardous waste catalogue (hw-catalogue.ts): codes and HW categories, and a bad catalogue file. */

/** Not of the form NNN-NNN-NN, or its HW category does not exist. */
export class InvalidWasteCode extends domainError('invalid', 'invalid-waste-code', fieldReason) {}

/** Well-formed, but not in the loaded edition of the catalogue. */
export class UnknownWasteCode extends domainError(
  'invalid',
  'unknown-waste-code',
  (field: string, value: string, edition: string) => [
    `${field}: ${value} is not in the ${edition} edition of the National Hazardous Waste List`,
    { field, value, edition },
  ],
) {}

export class InvalidHwCategory extends domainError(
  'invalid',
  'invalid-hw-category',
  fieldBreaks('not an existing HW category (HW01–HW40, HW45–HW50)'),
) {}

/** A catalogue file that cannot be read: a configuration fault (the operator's, never a client's). */
export class InvalidCatalogue extends domainError(
  'fault',
  'invalid-catalogue',
  (edition: string, reason: string, line?: number) => [
    `hazardous waste catalogue ${edition}${line === undefined ? '' : ` line ${line}`}: ${reason}`,
    { edition, reason, line },
  ],
) {}

/** An edition of the list asked for by name that is not loaded (`GET /v1/catalogue?edition=`). */
export class UnknownCatalogueEdition extends domainError(
  'not-found',
  'catalogue-edition-not-found',
  (edition: string, loaded: readonly string[]) => [
    `edition ${edition} of the National Hazardous Waste List is not loaded (loaded: ${loaded.join(', ') || 'none'})`,
    { edition, loaded: [...loaded] },
  ],
) {}
