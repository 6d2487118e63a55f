import { NoPermit, PermitDoesNotCoverOperation, PermitDoesNotCoverWaste, PermitNotValid } from '../errors';
import { coversWasteCode } from '../catalogue/hw-catalogue';
import type { TreatmentOperation } from '../values/operation';
import { cstStartOfDay, formatCst, isCalendarDate, parseCalendarDate, parseInstant } from '../values/time';
import type { PermitLapse } from '../batch/batch.events';
import type { PermitState, RegisteredParty } from './party.state';

const DAY_MS = 86_400_000;

/** [from, to) in epoch ms. A date `validFrom` starts at 00:00 CST; a date `validTo` includes its whole CST day. */
export function permitWindow(permit: Pick<PermitState, 'validFrom' | 'validTo'>): {
  fromMs: number;
  toMs: number;
} {
  const bound = (value: string, field: string, end: boolean): number => {
    if (isCalendarDate(value)) {
      const { year, month, day } = parseCalendarDate(value, field);
      return cstStartOfDay(year, month, day) + (end ? DAY_MS : 0);
    }
    return parseInstant(value, field) + (end ? 1 : 0);
  };
  return {
    fromMs: bound(permit.validFrom, 'validFrom', false),
    toMs: bound(permit.validTo, 'validTo', true),
  };
}

/** Valid at that instant: inside its window and not revoked at or before it. */
export function permitValidAt(permit: PermitState, atMs: number): boolean {
  const { fromMs, toMs } = permitWindow(permit);
  if (atMs < fromMs || atMs >= toMs) return false;
  return permit.revokedAt === undefined || atMs < parseInstant(permit.revokedAt, 'revokedAt');
}

export function permitCoversWaste(permit: PermitState, wasteCode: string): boolean {
  return coversWasteCode(permit, wasteCode);
}

/**
 * Finds the permit under which a party may handle hazardous waste `wasteCode` at `atMs`:
 *  - `operation: 'receive'`: any valid permit covering the code (a collector's collect/store permit is enough);
 *  - a treatment operation: a valid permit covering both the code and the operation.
 * Returns the first such permit by permitNo, or throws the most specific refusal:
 * PermitDoesNotCoverOperation, PermitDoesNotCoverWaste, PermitNotValid, NoPermit.
 */
export function requireCoveringPermit(
  party: RegisteredParty,
  wasteCode: string,
  atMs: number,
  operation: TreatmentOperation | 'receive',
): PermitState {
  const at = formatCst(atMs);
  if (party.permits.length === 0) throw new NoPermit(party.uscc, wasteCode);
  const coversOp = (p: PermitState): boolean => operation === 'receive' || p.operations.includes(operation);
  const valid = party.permits.filter((p) => permitValidAt(p, atMs));
  const match = valid.find((p) => permitCoversWaste(p, wasteCode) && coversOp(p));
  if (match) return match;
  if (valid.some((p) => permitCoversWaste(p, wasteCode)))
    throw new PermitDoesNotCoverOperation(party.uscc, wasteCode, operation, at);
  const coveringButInvalid = party.permits.filter((p) => permitCoversWaste(p, wasteCode) && coversOp(p));
  if (coveringButInvalid.length > 0)
    throw new PermitNotValid(
      party.uscc,
      wasteCode,
      at,
      coveringButInvalid.map((p) => p.permitNo),
    );
  throw new PermitDoesNotCoverWaste(party.uscc, wasteCode, at);
}

/**
 * Permits are judged twice (DESIGN §2): a record relies on a permit valid at `occurredAt`
 * (`requireCoveringPermit`); if that permit had lapsed — revoked or expired — by the time of recording, the
 * record is accepted only as a late entry and says so (`PermitLapse`, raising an `after_revocation` alert).
 * A permit valid at both times is preferred to one that lapsed in between.
 */
export function judgePermitTwice(
  party: RegisteredParty,
  wasteCode: string,
  occurredAtMs: number,
  recordedAtMs: number,
  operation: TreatmentOperation | 'receive',
): { readonly permit: PermitState; readonly lapse?: PermitLapse } {
  const first = requireCoveringPermit(party, wasteCode, occurredAtMs, operation);
  if (permitValidAt(first, recordedAtMs)) return { permit: first };
  const coversOp = (p: PermitState): boolean => operation === 'receive' || p.operations.includes(operation);
  const both = party.permits.find(
    (p) =>
      permitValidAt(p, occurredAtMs) &&
      permitValidAt(p, recordedAtMs) &&
      permitCoversWaste(p, wasteCode) &&
      coversOp(p),
  );
  if (both) return { permit: both };
  const revokedMs = first.revokedAt === undefined ? undefined : parseInstant(first.revokedAt, 'revokedAt');
  const revoked = revokedMs !== undefined && revokedMs <= recordedAtMs;
  return {
    permit: first,
    lapse: {
      permitNo: first.permitNo,
      how: revoked ? 'revoked' : 'expired',
      lapsedAt: revoked ? (first.revokedAt as string) : formatCst(permitWindow(first).toMs),
      recordedAt: formatCst(recordedAtMs),
    },
  };
}
