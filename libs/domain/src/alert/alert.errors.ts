import { clippedFieldReason, domainError } from '../domain-error';

/**
 * Errors of the alert lifecycle. An alert that does not exist (or is not raised yet) is refused exactly as
 * one the caller has no standing on — the message and details depend on the caller only — so a stranger
 * learns nothing from 403 vs 404 (the read side's rule, apps/api read-side/scope.ts).
 */

/** An alert id is `<kind>:<subject…>` as the alerts read model derives it. */
export class InvalidAlertId extends domainError(
  'invalid',
  'invalid-alert-id',
  clippedFieldReason('an alert id <kind>:<subject> of at most 250 characters'),
) {}

/** Only a party named on the alert acknowledges it (or the alert does not exist). */
export class AlertNotConcerningParty extends domainError(
  'forbidden',
  'alert-not-concerning-party',
  (alertId: string, actorUscc: string) => [
    `alert ${alertId} does not concern ${actorUscc}, or does not exist`,
    { alertId, actorUscc },
  ],
) {}

/** Only a regulator whose regions and categories cover the alert closes it (or the alert does not exist). */
export class AlertOutsideJurisdiction extends domainError(
  'forbidden',
  'alert-outside-jurisdiction',
  (alertId: string, districts: readonly string[], categories: readonly string[]) => [
    `alert ${alertId} is not in this regulator's regions and categories, or does not exist`,
    { alertId, districts: [...districts], categories: [...categories] },
  ],
) {}

export class AlertAlreadyAcknowledged extends domainError(
  'conflict',
  'alert-already-acknowledged',
  (alertId: string, acknowledgedBy: string, acknowledgedAt: string) => [
    `alert ${alertId} was already acknowledged by ${acknowledgedBy} at ${acknowledgedAt}`,
    { alertId, acknowledgedBy, acknowledgedAt },
  ],
) {}

export class AlertAlreadyClosed extends domainError(
  'conflict',
  'alert-already-closed',
  (alertId: string, closedAt: string) => [
    `alert ${alertId} was closed at ${closedAt}`,
    { alertId, closedAt },
  ],
) {}

/** No alert of that id is raised (by the clock of the request): to an auditor only (others get the 403 above). */
export class AlertNotFound extends domainError('not-found', 'alert-not-found', (alertId: string) => [
  `no alert ${alertId} has been raised`,
  { alertId },
]) {}
