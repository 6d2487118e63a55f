/**
 * A sheet of HJ 1276 labels for the batches ticked on a list (GET /v1/labels.pdf?codes=a,b,…&size=): the
 * selection kept in the list's order, at most the API's 80 codes per sheet, each size the API draws.
 */
export const MAX_SHEET_LABELS = 80;
export const LABEL_SIZES_MM = [100, 150, 200] as const;
export type LabelSize = (typeof LABEL_SIZES_MM)[number];

/** The ticked codes in the order the list shows them (a code no longer listed is dropped). */
export function selectedInOrder(listed: readonly string[], ticked: readonly string[]): string[] {
  const chosen = new Set(ticked);
  return listed.filter((code) => chosen.has(code));
}

/** The query of the sheet: codes comma-separated; no size means each label by its container volume. */
export function sheetParams(
  codes: readonly string[],
  size: LabelSize | '',
): { codes: string; size?: LabelSize } {
  return size === '' ? { codes: codes.join(',') } : { codes: codes.join(','), size };
}

/** Why the sheet cannot be asked for yet (a message key), or undefined when it can. */
export function sheetBlocked(codes: readonly string[]): 'sheet.noneSelected' | 'sheet.tooMany' | undefined {
  if (codes.length === 0) return 'sheet.noneSelected';
  if (codes.length > MAX_SHEET_LABELS) return 'sheet.tooMany';
  return undefined;
}
