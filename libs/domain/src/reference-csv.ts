/**
 * How the domain reads the CSV files of its reference data (the hazardous waste catalogue, the working-day
 * calendar): a BOM, blank lines, rows of any length and padded cells are allowed; each row is checked after.
 */
export const REFERENCE_CSV = {
  bom: true,
  skip_empty_lines: true,
  relax_column_count: true,
  trim: true,
} as const;
