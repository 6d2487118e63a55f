/**
 * The alert kinds the console offers, spelled as the API emits them (`GET /v1/alerts` `kind`, the contract):
 * test/console/alert-kinds.unit.spec.ts checks that every kind of the API is here and labelled in both
 * languages. `after_revocation` is named in DESIGN.md and labelled ahead of the API.
 */
export const ALERT_KINDS = [
  'discrepancy',
  'overdue_manifest',
  'overdue_storage',
  'overdue_medical_storage',
  'late_entry',
  'permit_capacity_warning',
  'after_revocation',
] as const;
