/**
 * A batch's kind as the read models of batches and of their movements keep it: the domain's `BatchKind`
 * (category, subtype, HW code), subtype and code null when the batch has none. Spread into a table's
 * columns, like the party-names tables share their shape (party-names.ts).
 */
export const BATCH_KIND_COLUMNS = {
  category: 'text',
  subtype: { type: 'text', nullable: true },
  wasteCode: { type: 'text', nullable: true },
} as const;
