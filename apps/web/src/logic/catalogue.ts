/**
 * The hazardous waste catalogue the generation form picks from (the repository's catalogue/hw-list-2021.csv,
 * the format WASTEFLOW_HW_CATALOGUE loads): code, HW category, hazard characteristics, name.
 */
export interface CatalogueEntry {
  readonly code: string;
  readonly category: string;
  readonly hazard: string;
  readonly name: string;
}

/** Parses the CSV (a header line, then code,category,hazard,name; a name may be quoted). */
export function parseCatalogue(csv: string): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const match = /^(\d{3}-\d{3}-\d{2}),(HW\d{2}),([^,]*),(.*)$/.exec(line.trim());
    if (!match) continue;
    entries.push({ code: match[1], category: match[2], hazard: match[3], name: match[4].replace(/^"|"$/g, '').replace(/""/g, '"') });
  }
  return entries;
}

/** Entries matching every word of the query in code, category or name, at most `limit`. */
export function searchCatalogue(entries: readonly CatalogueEntry[], text: string, limit = 20): CatalogueEntry[] {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries.slice(0, limit);
  return entries
    .filter((e) => words.every((w) => e.code.includes(w) || e.category.toLowerCase().includes(w) || e.name.toLowerCase().includes(w)))
    .slice(0, limit);
}
