import { hwCategoryOf, coveringPermit, permitValidAt } from './coverage';
import { Intent } from './intent';

describe('one Idempotency-Key per user intent', () => {
  it('reuses the key for the same body until the API answers, then starts a new intent', () => {
    let n = 0;
    const intent = new Intent(() => `key-${++n}`);
    expect(intent.keyFor({ massKg: 1 })).toBe('key-1');
    expect(intent.keyFor({ massKg: 1 })).toBe('key-1'); // double click, or a retry after a network failure
    expect(intent.keyFor({ massKg: 2 })).toBe('key-2'); // edited: another intent (the same key would be refused)
    intent.settle();
    expect(intent.keyFor({ massKg: 2 })).toBe('key-3');
  });
});

describe('receiver permit coverage shown before a manifest is issued', () => {
  const permit = {
    permitNo: '3301000012',
    wasteCodes: ['772-003-18'],
    hwCategories: ['HW08'],
    operations: ['D10'],
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    revokedAt: null,
  };
  it('covers a code by its HW category or by the code itself, within the validity (whole CST days)', () => {
    expect(hwCategoryOf('900-249-08')).toBe('HW08');
    expect(coveringPermit([permit], '900-249-08', '2026-06-01T10:00:00+08:00')?.permitNo).toBe('3301000012');
    expect(coveringPermit([permit], '772-003-18', '2026-06-01T10:00:00+08:00')).toBeDefined();
    expect(coveringPermit([permit], '900-041-49', '2026-06-01T10:00:00+08:00')).toBeUndefined();
    expect(permitValidAt(permit, '2026-12-31T23:59:00+08:00')).toBe(true);
    expect(permitValidAt(permit, '2027-01-01T00:00:00+08:00')).toBe(false);
    expect(permitValidAt({ ...permit, revokedAt: '2026-03-01T00:00:00+08:00' }, '2026-06-01T10:00:00+08:00')).toBe(false);
  });
});
