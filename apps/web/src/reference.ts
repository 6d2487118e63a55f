/** Codes the forms offer (their names are in the message files: district.*, category.*, operation.* …). */
export const HANGZHOU_DISTRICTS = [
  '330102', '330105', '330106', '330108', '330109', '330110', '330111',
  '330112', '330113', '330114', '330122', '330127', '330182',
] as const;
export const HANGZHOU_REGIONS = ['3301', ...HANGZHOU_DISTRICTS] as const;
export const CATEGORIES = ['industrial', 'hazardous', 'household', 'agricultural', 'construction'] as const;
export const SUBTYPES: Record<string, readonly string[]> = {
  household: ['recyclable', 'household_hazardous', 'perishable', 'other'],
  agricultural: ['straw', 'manure', 'film', 'pesticide_packaging', 'animal_medical'],
};
export const ROLES = ['generator', 'collector', 'carrier', 'receiver'] as const;
export const OPERATIONS = [
  'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R15', 'C2', 'C3',
  'D1', 'D9', 'D10', 'D16', 'C1', 'Y10', 'Y11', 'Y12', 'Y13', 'Y16',
] as const;

/** The regions a regulator may pick: its own, and the Hangzhou districts inside them. */
export function regionsWithin(own: readonly string[]): string[] {
  const inside = HANGZHOU_DISTRICTS.filter((d) => own.some((r) => d.startsWith(r) && d !== r));
  return [...new Set([...own, ...inside])];
}
