import { InvalidValue } from '../errors';
import {
  isDiscrepancy,
  isLateEntry,
  isMedicalStorageOverdue,
  isMedicalWaste,
  medicalStorageDueAt,
  isManifestOverdue,
  isStorageOverdue,
  storageDueAt,
} from './alerts';

describe('derived facts for alerts', () => {
  describe('discrepancy', () => {
    it('is |shipped − received| strictly beyond 5 % by default, exactly', () => {
      expect(isDiscrepancy(300, 285)).toBe(false); // exactly 5 %
      expect(isDiscrepancy(300, 284)).toBe(true);
      expect(isDiscrepancy(1_000_000, 1_050_000)).toBe(false);
      expect(isDiscrepancy(1_000_000, 1_050_001)).toBe(true);
      expect(isDiscrepancy(1000, 0)).toBe(true);
      expect(isDiscrepancy(1000, 990, 0.01)).toBe(false);
      expect(isDiscrepancy(1000, 989, 0.01)).toBe(true);
      expect(isDiscrepancy(1000, 1000, 0)).toBe(false);
      expect(() => isDiscrepancy(1, 1, 2)).toThrow(InvalidValue);
    });
  });

  describe('overdue manifest (its deadline: calendar/working-calendar.unit.spec.ts)', () => {
    it('is overdue when not received by its due time', () => {
      const dueAt = '2025-03-11T00:00:00.000+08:00';
      expect(isManifestOverdue(dueAt, undefined, '2025-03-10T23:59:59+08:00')).toBe(false);
      expect(isManifestOverdue(dueAt, undefined, '2025-03-11T00:00:00+08:00')).toBe(true);
      expect(isManifestOverdue(dueAt, '2025-03-10T12:00:00+08:00', '2025-04-01T00:00:00+08:00')).toBe(false);
      expect(isManifestOverdue(dueAt, '2025-03-12T12:00:00+08:00', '2025-04-01T00:00:00+08:00')).toBe(true);
    });
  });

  describe('overdue storage (hazardous waste held over one year)', () => {
    it('is hazardous waste held longer than a year since receipt', () => {
      expect(storageDueAt('2025-03-03T15:00:00+08:00')).toBe('2026-03-03T15:00:00.000+08:00');
      expect(isStorageOverdue('2025-03-03T15:00:00+08:00', '2026-03-03T15:00:00+08:00', 'hazardous')).toBe(
        false,
      );
      expect(isStorageOverdue('2025-03-03T15:00:00+08:00', '2026-03-03T15:00:01+08:00', 'hazardous')).toBe(
        true,
      );
      expect(isStorageOverdue('2025-03-03T15:00:00+08:00', '2027-01-01T00:00:00+08:00', 'industrial')).toBe(
        false,
      );
      expect(storageDueAt('2024-02-29T10:00:00+08:00')).toBe('2025-03-01T10:00:00.000+08:00');
    });
  });

  describe('medical waste held by its generator (医疗废物管理条例 Art. 17: temporary storage at most 2 days)', () => {
    it('is HW01 only', () => {
      expect(isMedicalWaste('hazardous', '841-001-01')).toBe(true);
      expect(isMedicalWaste('hazardous', '900-249-08')).toBe(false);
      expect(isMedicalWaste('agricultural', undefined)).toBe(false);
    });
    it('given generation at 09:00 Monday, then due at 09:00 Wednesday and overdue strictly after, unless handed over before', () => {
      const generated = '2026-03-02T09:00:00+08:00';
      expect(medicalStorageDueAt(generated)).toBe('2026-03-04T09:00:00.000+08:00');
      expect(isMedicalStorageOverdue(generated, undefined, '2026-03-04T09:00:00+08:00')).toBe(false);
      expect(isMedicalStorageOverdue(generated, undefined, '2026-03-04T09:00:00.001+08:00')).toBe(true);
      expect(
        isMedicalStorageOverdue(generated, '2026-03-04T08:00:00+08:00', '2026-03-10T00:00:00+08:00'),
      ).toBe(false);
      expect(
        isMedicalStorageOverdue(generated, '2026-03-04T10:00:00+08:00', '2026-03-10T00:00:00+08:00'),
      ).toBe(true);
    });
  });

  describe('late entry', () => {
    it('is recorded more than the threshold (72 h) after it occurred', () => {
      expect(isLateEntry('2025-03-01T09:00:00+08:00', '2025-03-04T01:00:00Z')).toBe(false);
      expect(isLateEntry('2025-03-01T09:00:00+08:00', '2025-03-04T01:00:01Z')).toBe(true);
      expect(isLateEntry('2025-03-01T09:00:00+08:00', '2025-03-01T03:00:00Z', 3_600_000)).toBe(true);
    });
  });
});
