/**
 * Whether a receiver's permits cover a waste at a time — what the manifest form shows before submitting,
 * by the domain's rule for hazardous waste: a permit valid at that time (not revoked before it) that
 * lists the waste code or its HW category (the last two digits of the code: 900-249-08 → HW08).
 */
export interface PermitLike {
  readonly permitNo: string;
  readonly wasteCodes: readonly string[];
  readonly hwCategories: readonly string[];
  readonly operations: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly revokedAt: string | null;
}

export function hwCategoryOf(wasteCode: string): string | undefined {
  const match = /^\d{3}-\d{3}-(\d{2})$/.exec(wasteCode);
  return match ? `HW${match[1]}` : undefined;
}

/** Date-only bounds are whole CST days: validTo `2030-12-31` includes that day. */
function boundMs(value: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00+08:00`) + (end ? 86_400_000 : 0);
  return Date.parse(value);
}

export function permitValidAt(permit: PermitLike, at: string): boolean {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return false;
  if (ms < boundMs(permit.validFrom, false) || ms >= boundMs(permit.validTo, true)) return false;
  return permit.revokedAt === null || ms < Date.parse(permit.revokedAt);
}

/** The permit covering `wasteCode` at `at`, or undefined. */
export function coveringPermit(
  permits: readonly PermitLike[],
  wasteCode: string,
  at: string,
): PermitLike | undefined {
  const category = hwCategoryOf(wasteCode);
  return permits.find(
    (permit) =>
      permitValidAt(permit, at) &&
      (permit.wasteCodes.includes(wasteCode) || (category !== undefined && permit.hwCategories.includes(category))),
  );
}
