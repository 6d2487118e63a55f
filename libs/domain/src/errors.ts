import { DomainError, type DomainErrorClass } from './domain-error';
import * as alert from './alert/alert.errors';
import * as transfer from './transfer/transfer-approval.errors';
import * as batch from './batch/batch.errors';
import * as calendar from './calendar/calendar.errors';
import * as catalogue from './catalogue/catalogue.errors';
import * as events from './events/event.errors';
import * as manifest from './manifest/manifest.errors';
import * as party from './party/party.errors';
import * as values from './values/value.errors';

/**
 * The index of the domain's errors. Each is declared once, in the catalogue beside the rules that raise
 * it (see domain-error.ts for the model); this module re-exports them all and lists them by catalogue:
 * the errors reference in libs/domain/README.md and the coverage test (errors.unit.spec.ts) read
 * DOMAIN_ERRORS, so an error added to a catalogue is documented and pinned or the tests fail.
 */
export * from './domain-error';
export * from './values/value.errors';
export * from './catalogue/catalogue.errors';
export * from './calendar/calendar.errors';
export * from './party/party.errors';
export * from './batch/batch.errors';
export * from './manifest/manifest.errors';
export * from './alert/alert.errors';
export * from './transfer/transfer-approval.errors';
export * from './events/event.errors';

function classesOf(module: object): DomainErrorClass[] {
  return Object.values(module).filter(
    (value): value is DomainErrorClass =>
      typeof value === 'function' && value.prototype instanceof DomainError,
  );
}

/** Every named error, by the catalogue (the file) that declares it. */
export const ERROR_CATALOGUES = {
  values: classesOf(values),
  catalogue: classesOf(catalogue),
  calendar: classesOf(calendar),
  party: classesOf(party),
  batch: classesOf(batch),
  manifest: classesOf(manifest),
  alert: classesOf(alert),
  transfer: classesOf(transfer),
  events: classesOf(events),
} as const satisfies Record<string, readonly DomainErrorClass[]>;

export type ErrorCatalogueName = keyof typeof ERROR_CATALOGUES;

/** Every named error of the domain. */
export const DOMAIN_ERRORS: readonly DomainErrorClass[] = Object.values(ERROR_CATALOGUES).flat();
