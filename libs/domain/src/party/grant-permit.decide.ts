import { InvalidPermit, InvalidValue, PartyNotFound, PermitAlreadyGranted } from '../errors';
import { requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { parseHwCategory, validateWasteCode } from '../catalogue/hw-catalogue';
import { catalogueInForce } from '../catalogue/hw-editions';
import { Mass } from '../values/mass';
import { comparePermitOperations, parsePermitOperation, type PermitOperation } from '../values/operation';
import { checkCommandTime } from '../values/time';
import { parseUscc } from '../values/uscc';
import { compact, sortedUnique } from '../util';
import type { PartyEvent } from './party.events';
import type { PartyState } from './party.state';
import { permitWindow } from './permit';
import { requireJurisdiction, type RegulatorScope } from './jurisdiction';

/**
 * A hazardous waste permit (危险废物经营许可证) granted by a regulator: the codes and/or HW categories it
 * covers, the operations (treatment codes and/or `collect`, `store` — a collector's permit), the annual
 * capacity, and its validity.
 */
export interface GrantPermitCommand extends CommandTime {
  readonly uscc: string;
  readonly permitNo: string;
  readonly wasteCodes?: readonly string[];
  readonly hwCategories?: readonly string[];
  readonly operations: readonly string[];
  readonly annualCapacityGrams: number;
  /** `YYYY-MM-DD` (CST day) or an ISO 8601 instant. */
  readonly validFrom: string;
  /** `YYYY-MM-DD` (inclusive CST day) or an ISO 8601 instant. */
  readonly validTo: string;
  /** The granting regulator's scope, when a regulator grants it: the party must be in its jurisdiction. */
  readonly regulator?: RegulatorScope;
}

export function decideGrantPermit(
  command: GrantPermitCommand,
  state: PartyState,
  options: DecideOptions = {},
): PartyEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  // the codes and categories of a permit are judged by the edition of the list in force at its grant (ADR 0019)
  const catalogue = catalogueInForce(options.catalogues, occurredAtMs);
  const uscc = parseUscc(command.uscc, 'uscc');
  const permitNo = requireText(command.permitNo, 'permitNo', 64);
  const list = (value: unknown, field: string): readonly unknown[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new InvalidValue(field, null, 'a list is required');
    return value;
  };
  const wasteCodes = sortedUnique(
    list(command.wasteCodes, 'wasteCodes').map(
      (c, i) => validateWasteCode(c, catalogue, `wasteCodes[${i}]`).code,
    ),
  );
  const hwCategories = sortedUnique(
    list(command.hwCategories, 'hwCategories').map((c, i) =>
      parseHwCategory(c, catalogue, `hwCategories[${i}]`),
    ),
  );
  if (wasteCodes.length === 0 && hwCategories.length === 0)
    throw new InvalidPermit('wasteCodes', 'a permit covers at least one waste code or HW category');
  const ops = list(command.operations, 'operations').map((o, i) =>
    parsePermitOperation(o, `operations[${i}]`),
  );
  if (ops.length === 0) throw new InvalidPermit('operations', 'a permit allows at least one operation');
  const operations = [...new Set<PermitOperation>(ops)].sort(comparePermitOperations);
  const annualCapacityGrams = Mass.fromGrams(command.annualCapacityGrams, 'annualCapacityGrams').grams;
  const { fromMs, toMs } = permitWindow(command);
  if (toMs <= fromMs)
    throw new InvalidPermit('validTo', 'validTo must not be before validFrom', command.validTo);
  if (state.status !== 'registered') throw new PartyNotFound(uscc, 'uscc');
  if (command.regulator !== undefined) requireJurisdiction(command.regulator, state);
  if (state.permits.some((p) => p.permitNo === permitNo)) throw new PermitAlreadyGranted(uscc, permitNo);
  return [
    domainEvent(
      'PermitGranted',
      compact({
        uscc,
        permitNo,
        wasteCodes,
        hwCategories,
        operations,
        annualCapacityGrams,
        validFrom: command.validFrom,
        validTo: command.validTo,
        catalogueEdition: catalogue?.edition,
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
